// SPDX-License-Identifier: GPL-2.0
/*
 * Reading and writing the takeover epoch block (epoch.h) through the same
 * command path as the reservation commands (scsi_exec.c), so retries of
 * unit attentions and the classification of failures are the same.
 */
#include <linux/errno.h>
#include <scsi/scsi_device.h>

#include "cdb.h"
#include "epoch_io.h"

/**
 * resfence_epoch_read() - read and decode the epoch block
 * @sdev: the device
 * @buf: kmalloc'd, @sdev->sector_size bytes
 * @lba: the block
 * @e: the decoded block (valid for RESFENCE_EPOCH_VALID)
 * @parse: what the block holds
 * @io: outcome
 *
 * A RESERVATION CONFLICT here means another initiator holds the disk; the
 * caller decides what that means (the probe fences on it when armed).
 * A short read completed GOOD: @io->outcome stays RESFENCE_OUT_OK, so that
 * the caller can tell it from a failed command. Sleeps.
 *
 * Return: 0, -EIO for a short read, or an errno from resfence_exec().
 */
int resfence_epoch_read(struct scsi_device *sdev, u8 *buf, u32 lba,
			struct resfence_epoch *e,
			enum resfence_epoch_parse *parse,
			struct resfence_io *io)
{
	unsigned int len = sdev->sector_size;
	struct resfence_cdb cdb;
	int ret;

	resfence_cdb_rw10(&cdb, false, lba);
	ret = resfence_exec(sdev, &cdb, DMA_FROM_DEVICE, buf, len, io);
	if (ret)
		return ret;
	if (io->xfer != len)
		return -EIO;
	*parse = resfence_epoch_decode(buf, len, e);
	return 0;
}

/**
 * resfence_epoch_write() - encode and write the epoch block
 * @sdev: the device
 * @buf: kmalloc'd, @sdev->sector_size bytes
 * @lba: the block
 * @e: what to write
 * @io: outcome
 *
 * Sleeps.
 *
 * Return: 0 or an errno from resfence_exec().
 */
int resfence_epoch_write(struct scsi_device *sdev, u8 *buf, u32 lba,
			 const struct resfence_epoch *e,
			 struct resfence_io *io)
{
	unsigned int len = sdev->sector_size;
	struct resfence_cdb cdb;

	resfence_epoch_encode(buf, len, e);
	resfence_cdb_rw10(&cdb, true, lba);
	return resfence_exec(sdev, &cdb, DMA_TO_DEVICE, buf, len, io);
}
