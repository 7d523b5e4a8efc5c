// SPDX-License-Identifier: GPL-2.0
/*
 * Encoding of RESERVE/RELEASE (6 and 10), PERSISTENT RESERVE OUT and
 * PERSISTENT RESERVE IN. Everything here is a pure function of its
 * arguments; the SCSI glue lives in scsi_exec.c and reserve.c.
 */
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <scsi/scsi_proto.h>
#include <linux/resfence.h>

#include "cdb.h"

static void put_be16(u8 *p, u16 v)
{
	p[0] = v >> 8;
	p[1] = v;
}

static void put_be32(u8 *p, u32 v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

static void put_be64(u8 *p, u64 v)
{
	put_be32(p, v >> 32);
	put_be32(p + 4, v);
}

/**
 * resfence_pr_type_valid() - is @type one of the six SPC-3 reservation types
 * @type: TYPE field value (enum resfence_pr_type)
 *
 * Return: true for WE, EA, WE-RO, EA-RO, WE-AR and EA-AR.
 */
bool resfence_pr_type_valid(u8 type)
{
	switch (type) {
	case RESFENCE_PR_WRITE_EXCLUSIVE:
	case RESFENCE_PR_EXCLUSIVE_ACCESS:
	case RESFENCE_PR_WRITE_EXCLUSIVE_REG_ONLY:
	case RESFENCE_PR_EXCLUSIVE_ACCESS_REG_ONLY:
	case RESFENCE_PR_WRITE_EXCLUSIVE_ALL_REGS:
	case RESFENCE_PR_EXCLUSIVE_ACCESS_ALL_REGS:
		return true;
	}
	return false;
}

/**
 * resfence_pr_out_sa_takes_type() - does the service action use TYPE
 * @sa: enum resfence_pr_out_sa
 *
 * Return: true for RESERVE, RELEASE, PREEMPT and PREEMPT AND ABORT.
 */
bool resfence_pr_out_sa_takes_type(u8 sa)
{
	return sa == RESFENCE_PR_OUT_RESERVE ||
	       sa == RESFENCE_PR_OUT_RELEASE ||
	       sa == RESFENCE_PR_OUT_PREEMPT ||
	       sa == RESFENCE_PR_OUT_PREEMPT_AND_ABORT;
}

static int cdb_scsi2(struct resfence_cdb *c, unsigned int len, u8 op6, u8 op10)
{
	memset(c, 0, sizeof(*c));
	switch (len) {
	case 6:
		c->b[0] = op6;
		break;
	case 10:
		/* No third-party reservation, no extents: all zero. */
		c->b[0] = op10;
		break;
	default:
		return -EINVAL;
	}
	c->len = len;
	return 0;
}

/**
 * resfence_cdb_reserve() - encode SCSI-2 RESERVE(6) or RESERVE(10)
 * @c: filled in
 * @len: 6 or 10
 *
 * Return: 0, or -EINVAL for any other length.
 */
int resfence_cdb_reserve(struct resfence_cdb *c, unsigned int len)
{
	return cdb_scsi2(c, len, RESERVE, RESERVE_10);
}

/**
 * resfence_cdb_release() - encode SCSI-2 RELEASE(6) or RELEASE(10)
 * @c: filled in
 * @len: 6 or 10
 *
 * Return: 0, or -EINVAL for any other length.
 */
int resfence_cdb_release(struct resfence_cdb *c, unsigned int len)
{
	return cdb_scsi2(c, len, RELEASE, RELEASE_10);
}

/**
 * resfence_cdb_pr_out() - encode PERSISTENT RESERVE OUT
 * @c: filled in
 * @sa: service action (enum resfence_pr_out_sa)
 * @type: reservation type for the actions that take one, else ignored
 *
 * Scope is always LU_SCOPE (0). The parameter list is the 24-byte basic
 * list built by resfence_pr_out_params().
 *
 * Return: 0, or -EINVAL for an unknown action or an invalid type.
 */
int resfence_cdb_pr_out(struct resfence_cdb *c, u8 sa, u8 type)
{
	memset(c, 0, sizeof(*c));
	if (sa > RESFENCE_PR_OUT_REGISTER_IGNORE)
		return -EINVAL;
	if (resfence_pr_out_sa_takes_type(sa)) {
		if (!resfence_pr_type_valid(type))
			return -EINVAL;
	} else {
		type = 0;
	}
	c->b[0] = PERSISTENT_RESERVE_OUT;
	c->b[1] = sa;
	c->b[2] = type & 0x0f;
	put_be32(&c->b[5], RESFENCE_PR_OUT_PARAM_LEN);
	c->len = 10;
	return 0;
}

/**
 * resfence_pr_out_params() - encode the basic PR OUT parameter list
 * @buf: RESFENCE_PR_OUT_PARAM_LEN bytes
 * @key: RESERVATION KEY (ours; ignored by REGISTER AND IGNORE)
 * @sa_key: SERVICE ACTION RESERVATION KEY (new key, or the victim)
 *
 * SPEC_I_PT, ALL_TG_PT and APTPL are clear: a registration belongs to
 * this I_T nexus only and does not survive a power loss of the target.
 */
void resfence_pr_out_params(u8 *buf, u64 key, u64 sa_key)
{
	memset(buf, 0, RESFENCE_PR_OUT_PARAM_LEN);
	put_be64(&buf[0], key);
	put_be64(&buf[8], sa_key);
}

/**
 * resfence_cdb_pr_in() - encode PERSISTENT RESERVE IN
 * @c: filled in
 * @sa: RESFENCE_PR_IN_READ_KEYS, RESFENCE_PR_IN_READ_RESERVATION or
 *	RESFENCE_PR_IN_REPORT_CAPABILITIES
 * @alloc_len: buffer size, at least the 8-byte header, at most 65535
 *
 * Return: 0, or -EINVAL for another action or a bad length.
 */
int resfence_cdb_pr_in(struct resfence_cdb *c, u8 sa, unsigned int alloc_len)
{
	memset(c, 0, sizeof(*c));
	if (sa != RESFENCE_PR_IN_READ_KEYS &&
	    sa != RESFENCE_PR_IN_READ_RESERVATION &&
	    sa != RESFENCE_PR_IN_REPORT_CAPABILITIES)
		return -EINVAL;
	if (alloc_len < RESFENCE_PR_IN_HDR_LEN ||
	    alloc_len > RESFENCE_PR_IN_MAX_LEN)
		return -EINVAL;
	c->b[0] = PERSISTENT_RESERVE_IN;
	c->b[1] = sa;
	put_be16(&c->b[7], alloc_len);
	c->len = 10;
	return 0;
}

/**
 * resfence_cdb_rw10() - encode READ(10) or WRITE(10) of one logical block
 * @c: filled in
 * @write: WRITE(10) rather than READ(10)
 * @lba: the block
 *
 * For the takeover epoch block (epoch.h). No FUA: every initiator reads
 * the block through the same target, whose cache is coherent for all of
 * them, and the epoch only has to be visible, not durable (a target that
 * loses power loses the SCSI-2 reservation too). Some targets also refuse
 * FUA outright (LIO's fileio backstore without a write cache).
 */
void resfence_cdb_rw10(struct resfence_cdb *c, bool write, u32 lba)
{
	memset(c, 0, sizeof(*c));
	c->b[0] = write ? WRITE_10 : READ_10;
	put_be32(&c->b[2], lba);
	put_be16(&c->b[7], 1);
	c->len = 10;
}

/**
 * resfence_cdb_name() - a short name of the command, for log lines
 * @c: an encoded CDB
 *
 * Return: a static string such as "RESERVE(10)" or "PR OUT REGISTER".
 */
const char *resfence_cdb_name(const struct resfence_cdb *c)
{
	static const char * const pr_out[] = {
		"PR OUT REGISTER", "PR OUT RESERVE", "PR OUT RELEASE",
		"PR OUT CLEAR", "PR OUT PREEMPT", "PR OUT PREEMPT AND ABORT",
		"PR OUT REGISTER AND IGNORE EXISTING KEY",
	};

	switch (c->b[0]) {
	case RESERVE:
		return "RESERVE(6)";
	case RELEASE:
		return "RELEASE(6)";
	case RESERVE_10:
		return "RESERVE(10)";
	case RELEASE_10:
		return "RELEASE(10)";
	case READ_10:
		return "READ(10)";
	case WRITE_10:
		return "WRITE(10)";
	case PERSISTENT_RESERVE_IN:
		if (c->b[1] == RESFENCE_PR_IN_READ_KEYS)
			return "PR IN READ KEYS";
		if (c->b[1] == RESFENCE_PR_IN_REPORT_CAPABILITIES)
			return "PR IN REPORT CAPABILITIES";
		return "PR IN READ RESERVATION";
	case PERSISTENT_RESERVE_OUT:
		if (c->b[1] < ARRAY_SIZE(pr_out))
			return pr_out[c->b[1]];
		return "PR OUT";
	}
	return "SCSI command";
}
