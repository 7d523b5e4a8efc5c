/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The takeover epoch (scsi2 mode): one logical block of the shared disk,
 * set aside by the administrator, that says how many times the disk has
 * changed hands. A SCSI-2 reservation leaves nothing at the target that
 * survives a reset; this block does. Every acquire bumps it under the new
 * reservation, and a holder reads it before it re-reserves, so a node that
 * was frozen through a takeover finds the epoch moved and fences instead of
 * taking the disk back after somebody's reset (timing.md has the argument).
 *
 * On-disk layout (big endian), the rest of the block zero:
 *
 *   0   8  magic "RESFENCE"
 *   8   4  format version (1)
 *   12  4  reserved, zero
 *   16  8  epoch (the first acquire writes 1)
 *   24  16 the acquiring node's host name, NUL padded (diagnostics only)
 *   40  8  wall clock of that acquire, ns since 1970 (diagnostics only)
 *
 * Pure functions over a buffer: KUnit tests them (tests/epoch_test.c).
 */
#ifndef _RESFENCE_EPOCH_H
#define _RESFENCE_EPOCH_H

#include <linux/types.h>

#define RESFENCE_EPOCH_MAGIC		"RESFENCE"
#define RESFENCE_EPOCH_VERSION		1
/* Bytes of the block that carry anything; logical blocks are larger. */
#define RESFENCE_EPOCH_USED		48
#define RESFENCE_EPOCH_OWNER_LEN	16

/**
 * struct resfence_epoch - the decoded block
 * @epoch: how many acquires the area has seen; 0 for a fresh (zero) block
 * @owner: host name of the node that wrote it, NUL terminated
 * @when_ns: wall clock of that write
 */
struct resfence_epoch {
	u64 epoch;
	char owner[RESFENCE_EPOCH_OWNER_LEN + 1];
	u64 when_ns;
};

/**
 * enum resfence_epoch_parse - what a block read from the area holds
 * @RESFENCE_EPOCH_VALID: a resfence epoch block
 * @RESFENCE_EPOCH_BLANK: all zero: an area nobody has used yet
 * @RESFENCE_EPOCH_FOREIGN: anything else (never overwritten by an acquire)
 */
enum resfence_epoch_parse {
	RESFENCE_EPOCH_VALID,
	RESFENCE_EPOCH_BLANK,
	RESFENCE_EPOCH_FOREIGN,
};

enum resfence_epoch_parse resfence_epoch_decode(const u8 *buf, size_t len,
						struct resfence_epoch *e);
void resfence_epoch_encode(u8 *buf, size_t len, const struct resfence_epoch *e);

#endif /* _RESFENCE_EPOCH_H */
