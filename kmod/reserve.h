/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _RESFENCE_RESERVE_H
#define _RESFENCE_RESERVE_H

#include <linux/gfp.h>
#include <linux/types.h>

#include "prin.h"
#include "scsi_exec.h"

struct scsi_device;

/*
 * Scratch buffer size for one PR command: a READ RESERVATION answer, the
 * PR OUT parameter list, or a READ KEYS answer with up to 127 keys.
 */
#define RESFENCE_IOBUF_LEN	1024

int resfence_scsi2_reserve(struct scsi_device *sdev, u8 *cdb_len,
			   struct resfence_io *io);
int resfence_scsi2_release(struct scsi_device *sdev, u8 cdb_len,
			   struct resfence_io *io);
int resfence_pr_out(struct scsi_device *sdev, u8 *buf, u8 sa, u8 type,
		    u64 key, u64 sa_key, struct resfence_io *io);
int resfence_pr_register(struct scsi_device *sdev, u8 *buf, u8 sa, u64 key,
			 u64 sa_key, bool aptpl, struct resfence_io *io);
int resfence_pr_ptpl_capable(struct scsi_device *sdev, u8 *buf, bool *capable,
			     struct resfence_io *io);
int resfence_pr_read_keys(struct scsi_device *sdev, u8 *buf,
			  unsigned int len, struct resfence_pr_keys *k,
			  u64 *keys, size_t max_keys, struct resfence_io *io);
int resfence_pr_read_all_keys(struct scsi_device *sdev,
			      struct resfence_pr_keys *k, u64 **keys,
			      struct resfence_io *io, gfp_t gfp);
int resfence_pr_read_resv(struct scsi_device *sdev, u8 *buf,
			  struct resfence_pr_resv *r, struct resfence_io *io);

#endif /* _RESFENCE_RESERVE_H */
