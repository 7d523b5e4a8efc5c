/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _RESFENCE_EPOCH_IO_H
#define _RESFENCE_EPOCH_IO_H

#include <linux/types.h>

#include "epoch.h"
#include "scsi_exec.h"

struct scsi_device;

int resfence_epoch_read(struct scsi_device *sdev, u8 *buf, u32 lba,
			struct resfence_epoch *e,
			enum resfence_epoch_parse *parse,
			struct resfence_io *io);
int resfence_epoch_write(struct scsi_device *sdev, u8 *buf, u32 lba,
			 const struct resfence_epoch *e,
			 struct resfence_io *io);

#endif /* _RESFENCE_EPOCH_IO_H */
