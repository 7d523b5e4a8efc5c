/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _RESFENCE_VERIFY_H
#define _RESFENCE_VERIFY_H

#include <linux/types.h>

struct resfence_dev;
struct scsi_device;

/*
 * How long a conflict on a reservation-management command may wait for
 * the verification it queued before the module fences: one refresh (two
 * PR IN and a REGISTER, or one RESERVE) with room for a loaded machine.
 * See Documentation/timing.md.
 */
#define RESFENCE_VERIFY_MS	500

void resfence_verify_init(struct resfence_dev *rd);
void resfence_verify_path_conflict(struct resfence_dev *rd,
				   const struct scsi_device *sdev, u8 opcode);
void resfence_verify_conflict(struct resfence_dev *rd, u8 opcode);
u32 resfence_verify_begin(struct resfence_dev *rd);
void resfence_verify_end(struct resfence_dev *rd, u32 begun, bool ok);
void resfence_verify_stop(struct resfence_dev *rd);
const char *resfence_verify_reason(struct resfence_dev *rd, char *buf,
				   size_t len);

#endif /* _RESFENCE_VERIFY_H */
