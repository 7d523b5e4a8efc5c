/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Classification of a finished SCSI command (status, host byte, sense) into
 * what the module does next. Pure; no kernel glue.
 */
#ifndef _RESFENCE_SENSE_H
#define _RESFENCE_SENSE_H

#include <linux/types.h>

/* The outcomes in words: string literals, usable with NL_SET_ERR_MSG(). */
#define RESFENCE_MSG_OK	"good"
#define RESFENCE_MSG_CONFLICT	"reservation conflict"
#define RESFENCE_MSG_UA	"unit attention"
#define RESFENCE_MSG_UA_PREEMPTED	"unit attention: reservations or registrations preempted"
#define RESFENCE_MSG_BUSY	"device busy"
#define RESFENCE_MSG_INVALID_OPCODE	"command not supported by the device"
#define RESFENCE_MSG_INVALID_FIELD	"device rejected a field of the command"
#define RESFENCE_MSG_NOT_READY	"device not ready"
#define RESFENCE_MSG_TIMEOUT	"command timed out"
#define RESFENCE_MSG_GONE	"device unreachable"
#define RESFENCE_MSG_TRANSPORT	"transport error"
#define RESFENCE_MSG_FAILED	"command failed"

/**
 * enum resfence_outcome - what a command's completion means to us
 * @RESFENCE_OUT_OK: GOOD
 * @RESFENCE_OUT_CONFLICT: RESERVATION CONFLICT
 * @RESFENCE_OUT_UA: a UNIT ATTENTION to consume and retry (reset,
 *	power on, parameters changed, ...)
 * @RESFENCE_OUT_UA_PREEMPTED: UNIT ATTENTION: reservations preempted or
 *	released, or registrations preempted; retry, and verify at once
 * @RESFENCE_OUT_BUSY: BUSY, TASK SET FULL or becoming ready: retry
 * @RESFENCE_OUT_INVALID_OPCODE: ILLEGAL REQUEST, invalid command opcode
 * @RESFENCE_OUT_INVALID_FIELD: ILLEGAL REQUEST, invalid field in the CDB or
 *	in the parameter list
 * @RESFENCE_OUT_NOT_READY: NOT READY
 * @RESFENCE_OUT_TIMEOUT: the command timed out
 * @RESFENCE_OUT_GONE: the device or its transport is gone
 * @RESFENCE_OUT_TRANSPORT: another transport (host byte) failure
 * @RESFENCE_OUT_FAILED: any other CHECK CONDITION or status
 */
enum resfence_outcome {
	RESFENCE_OUT_OK,
	RESFENCE_OUT_CONFLICT,
	RESFENCE_OUT_UA,
	RESFENCE_OUT_UA_PREEMPTED,
	RESFENCE_OUT_BUSY,
	RESFENCE_OUT_INVALID_OPCODE,
	RESFENCE_OUT_INVALID_FIELD,
	RESFENCE_OUT_NOT_READY,
	RESFENCE_OUT_TIMEOUT,
	RESFENCE_OUT_GONE,
	RESFENCE_OUT_TRANSPORT,
	RESFENCE_OUT_FAILED,
};

/**
 * struct resfence_completion - the parts of a completion we classify
 * @status: SAM status byte
 * @host: host byte (enum scsi_host_status)
 * @sense_valid: @key, @asc and @ascq hold normalised sense data
 * @key: sense key
 * @asc: additional sense code
 * @ascq: additional sense code qualifier
 */
struct resfence_completion {
	u8 status;
	u8 host;
	bool sense_valid;
	u8 key;
	u8 asc;
	u8 ascq;
};

enum resfence_outcome
resfence_classify(const struct resfence_completion *c);
bool resfence_outcome_retry(enum resfence_outcome o);
int resfence_outcome_errno(enum resfence_outcome o);
const char *resfence_outcome_str(enum resfence_outcome o);
bool resfence_sense_is_preempt_ua(u8 key, u8 asc, u8 ascq);
bool resfence_sense_is_reset_ua(u8 key, u8 asc, u8 ascq);

#endif /* _RESFENCE_SENSE_H */
