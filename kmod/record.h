/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The fence record: one machine-readable kernel log line written just
 * before a fence acts, for `resfencectl last-fence` to find in pstore
 * after the restart. Pure formatting, no kernel glue.
 *
 *   FENCE-RECORD v1 disk=sdc devt=8:32 id=naa.6001405... mode=pr
 *     key=0x... holder=0x... generation=17 reason=key-gone action=restart
 *     time=1764622512.123456789
 *
 * (one line). Fields are space separated KEY=VALUE with no space in a
 * value; "-" stands for "not known" (no VPD page 83 identity; scsi2 mode
 * has no key, holder or generation; no refresh read them yet). time is
 * CLOCK_REALTIME, seconds.nanoseconds. Fields may be added at the end;
 * the version changes only if an existing field changes meaning.
 */
#ifndef _RESFENCE_RECORD_H
#define _RESFENCE_RECORD_H

#include <linux/types.h>

/* The tag userspace looks for; see Documentation/cluster.md. */
#define RESFENCE_RECORD_TAG	"FENCE-RECORD v1"
/* Room for the identity: scsi_vpd_lun_id() needs at least 21 bytes. */
#define RESFENCE_ID_LEN		96
/* A formatted record fits this, id included. */
#define RESFENCE_RECORD_LEN	(RESFENCE_ID_LEN + 320)

/**
 * struct resfence_record - what a fence record says
 * @disk: "sdc"
 * @major: dev_t major of the whole disk
 * @minor: dev_t minor
 * @id: the LU's VPD page 83 identity ("naa.6001405..."), "" if none
 * @pr: pr mode (else scsi2: no key, holder, generation)
 * @key: our reservation key
 * @holder_known: a READ RESERVATION was seen (@reserved, @holder valid)
 * @reserved: it showed a reservation
 * @holder: the holder's key it showed (0 for all-registrants types)
 * @generation_known: @generation is valid
 * @generation: PRGENERATION last seen
 * @reason: short token: "conflict", "key-gone", "foreign-holder", "lease",
 *	"epoch-moved", "verify-timeout"
 * @action: "restart" or "panic"
 * @sec: CLOCK_REALTIME seconds
 * @nsec: nanoseconds
 */
struct resfence_record {
	const char *disk;
	u32 major;
	u32 minor;
	const char *id;
	bool pr;
	u64 key;
	bool holder_known;
	bool reserved;
	u64 holder;
	bool generation_known;
	u32 generation;
	const char *reason;
	const char *action;
	s64 sec;
	long nsec;
};

int resfence_record_format(char *buf, size_t len,
			   const struct resfence_record *r);
void resfence_record_sanitize_id(char *id);

#endif /* _RESFENCE_RECORD_H */
