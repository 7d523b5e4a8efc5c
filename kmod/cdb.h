/* SPDX-License-Identifier: GPL-2.0 */
/*
 * CDB and parameter-list encoding for the reservation commands (and the
 * one-block READ/WRITE of the takeover epoch). Pure
 * functions over byte buffers, no kernel glue, so that KUnit can test them.
 */
#ifndef _RESFENCE_CDB_H
#define _RESFENCE_CDB_H

#include <linux/types.h>

#define RESFENCE_CDB_MAX		10
/* The basic PERSISTENT RESERVE OUT parameter list (SPC-3 6.12.3). */
#define RESFENCE_PR_OUT_PARAM_LEN	24
/* READ KEYS / READ RESERVATION header: generation + additional length. */
#define RESFENCE_PR_IN_HDR_LEN		8
/* The PR IN allocation length field is 16 bits wide. */
#define RESFENCE_PR_IN_MAX_LEN		0xffff

/* PERSISTENT RESERVE OUT service actions (SPC-3 table 109). */
enum resfence_pr_out_sa {
	RESFENCE_PR_OUT_REGISTER		= 0x00,
	RESFENCE_PR_OUT_RESERVE			= 0x01,
	RESFENCE_PR_OUT_RELEASE			= 0x02,
	RESFENCE_PR_OUT_CLEAR			= 0x03,
	RESFENCE_PR_OUT_PREEMPT			= 0x04,
	RESFENCE_PR_OUT_PREEMPT_AND_ABORT	= 0x05,
	RESFENCE_PR_OUT_REGISTER_IGNORE		= 0x06,
};

/* PERSISTENT RESERVE IN service actions (SPC-3 table 100). */
enum resfence_pr_in_sa {
	RESFENCE_PR_IN_READ_KEYS		= 0x00,
	RESFENCE_PR_IN_READ_RESERVATION		= 0x01,
	RESFENCE_PR_IN_REPORT_CAPABILITIES	= 0x02,
};

/* PR OUT parameter list byte 20: Activate Persist Through Power Loss. */
#define RESFENCE_PR_OUT_APTPL		0x01
/* REPORT CAPABILITIES byte 2: Persist Through Power Loss Capable. */
#define RESFENCE_PR_CAPS_PTPL_C		0x01
/* REPORT CAPABILITIES: the parameter data is 8 bytes. */
#define RESFENCE_PR_CAPS_LEN		8

/**
 * struct resfence_cdb - a command descriptor block and its length
 * @b: the bytes; unused tail is zero
 * @len: 6 or 10
 */
struct resfence_cdb {
	u8 b[RESFENCE_CDB_MAX];
	u8 len;
};

bool resfence_pr_type_valid(u8 type);
bool resfence_pr_out_sa_takes_type(u8 sa);
int resfence_cdb_reserve(struct resfence_cdb *c, unsigned int len);
int resfence_cdb_release(struct resfence_cdb *c, unsigned int len);
int resfence_cdb_pr_out(struct resfence_cdb *c, u8 sa, u8 type);
void resfence_pr_out_params(u8 *buf, u64 key, u64 sa_key);
int resfence_cdb_pr_in(struct resfence_cdb *c, u8 sa, unsigned int alloc_len);
void resfence_cdb_rw10(struct resfence_cdb *c, bool write, u32 lba);
const char *resfence_cdb_name(const struct resfence_cdb *c);

#endif /* _RESFENCE_CDB_H */
