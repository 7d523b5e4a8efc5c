// SPDX-License-Identifier: GPL-2.0
/*
 * The reservation commands, each one encoded (cdb.c), issued
 * (scsi_exec.c) and, for PR IN, parsed (prin.c). Callers own the data
 * buffers (kmalloc memory of RESFENCE_IOBUF_LEN bytes) so that the refresh
 * can use one allocated up front and never allocate on its way to the disk.
 */
#include <linux/errno.h>
#include <linux/slab.h>
#include <scsi/scsi_device.h>

#include "cdb.h"
#include "reserve.h"

/**
 * resfence_scsi2_reserve() - SCSI-2 RESERVE
 * @sdev: the device
 * @cdb_len: 6 or 10 to use that CDB; 0 tries RESERVE(10) and falls back to
 *	RESERVE(6) when the device does not know the opcode, and is then set
 *	to the length that worked
 * @io: outcome
 *
 * Return: 0, -EBUSY when another initiator holds the reservation, or
 * another errno from resfence_exec().
 */
int resfence_scsi2_reserve(struct scsi_device *sdev, u8 *cdb_len,
			   struct resfence_io *io)
{
	struct resfence_cdb cdb;
	int ret;

	ret = resfence_cdb_reserve(&cdb, *cdb_len ? *cdb_len : 10);
	if (ret)
		return ret;
	ret = resfence_exec(sdev, &cdb, DMA_NONE, NULL, 0, io);
	if (*cdb_len || io->outcome != RESFENCE_OUT_INVALID_OPCODE) {
		if (!ret && !*cdb_len)
			*cdb_len = 10;
		return ret;
	}

	/* tgt, among others, implements only the 6-byte commands. */
	resfence_cdb_reserve(&cdb, 6);
	ret = resfence_exec(sdev, &cdb, DMA_NONE, NULL, 0, io);
	if (!ret)
		*cdb_len = 6;
	return ret;
}

/**
 * resfence_scsi2_release() - SCSI-2 RELEASE
 * @sdev: the device
 * @cdb_len: 6 or 10, the length RESERVE used
 * @io: outcome
 *
 * Return: 0 or an errno from resfence_exec().
 */
int resfence_scsi2_release(struct scsi_device *sdev, u8 cdb_len,
			   struct resfence_io *io)
{
	struct resfence_cdb cdb;
	int ret;

	ret = resfence_cdb_release(&cdb, cdb_len);
	if (ret)
		return ret;
	return resfence_exec(sdev, &cdb, DMA_NONE, NULL, 0, io);
}

/**
 * resfence_pr_out() - PERSISTENT RESERVE OUT
 * @sdev: the device
 * @buf: scratch buffer, at least RESFENCE_PR_OUT_PARAM_LEN bytes
 * @sa: service action (enum resfence_pr_out_sa)
 * @type: reservation type, for the actions that take one
 * @key: RESERVATION KEY
 * @sa_key: SERVICE ACTION RESERVATION KEY
 * @io: outcome
 *
 * Return: 0, -EBUSY on RESERVATION CONFLICT, -EOPNOTSUPP when the device
 * lacks persistent reservations or the type, or another errno.
 */
int resfence_pr_out(struct scsi_device *sdev, u8 *buf, u8 sa, u8 type,
		    u64 key, u64 sa_key, struct resfence_io *io)
{
	struct resfence_cdb cdb;
	int ret;

	ret = resfence_cdb_pr_out(&cdb, sa, type);
	if (ret)
		return ret;
	resfence_pr_out_params(buf, key, sa_key);
	return resfence_exec(sdev, &cdb, DMA_TO_DEVICE, buf,
			     RESFENCE_PR_OUT_PARAM_LEN, io);
}

/**
 * resfence_pr_register() - PR OUT REGISTER or REGISTER AND IGNORE EXISTING KEY
 * @sdev: the device
 * @buf: scratch buffer, at least RESFENCE_PR_OUT_PARAM_LEN bytes
 * @sa: RESFENCE_PR_OUT_REGISTER or RESFENCE_PR_OUT_REGISTER_IGNORE
 * @key: RESERVATION KEY
 * @sa_key: SERVICE ACTION RESERVATION KEY (0 unregisters)
 * @aptpl: set APTPL: the target keeps the registrations through a power
 *	loss or restart (SPC-3 5.6.4); every REGISTER sets the target's
 *	persistence anew, so a holder's heartbeat carries it too
 * @io: outcome
 *
 * Return: as resfence_pr_out().
 */
int resfence_pr_register(struct scsi_device *sdev, u8 *buf, u8 sa, u64 key,
			 u64 sa_key, bool aptpl, struct resfence_io *io)
{
	struct resfence_cdb cdb;
	int ret;

	ret = resfence_cdb_pr_out(&cdb, sa, 0);
	if (ret)
		return ret;
	resfence_pr_out_params(buf, key, sa_key);
	if (aptpl)
		buf[20] |= RESFENCE_PR_OUT_APTPL;
	return resfence_exec(sdev, &cdb, DMA_TO_DEVICE, buf,
			     RESFENCE_PR_OUT_PARAM_LEN, io);
}

/**
 * resfence_pr_ptpl_capable() - PR IN REPORT CAPABILITIES: PTPL_C
 * @sdev: the device
 * @buf: scratch buffer, at least RESFENCE_PR_CAPS_LEN bytes
 * @capable: set to whether the target can persist registrations through a
 *	power loss (APTPL)
 * @io: outcome
 *
 * Return: 0, -EPROTO for a short answer, or an errno from resfence_exec().
 */
int resfence_pr_ptpl_capable(struct scsi_device *sdev, u8 *buf, bool *capable,
			     struct resfence_io *io)
{
	struct resfence_cdb cdb;
	int ret;

	ret = resfence_cdb_pr_in(&cdb, RESFENCE_PR_IN_REPORT_CAPABILITIES,
				 RESFENCE_PR_CAPS_LEN);
	if (ret)
		return ret;
	ret = resfence_exec(sdev, &cdb, DMA_FROM_DEVICE, buf,
			    RESFENCE_PR_CAPS_LEN, io);
	if (ret)
		return ret;
	if (io->xfer < 3)
		return -EPROTO;
	*capable = buf[2] & RESFENCE_PR_CAPS_PTPL_C;
	return 0;
}

/**
 * resfence_pr_read_keys() - PERSISTENT RESERVE IN, READ KEYS
 * @sdev: the device
 * @buf: data buffer of @len bytes
 * @len: allocation length, 8..65535
 * @k: parsed header, counts and truncation
 * @keys: where the keys go
 * @max_keys: capacity of @keys
 * @io: outcome
 *
 * Return: 0, -EPROTO for data that cannot be parsed, or an errno from
 * resfence_exec().
 */
int resfence_pr_read_keys(struct scsi_device *sdev, u8 *buf,
			  unsigned int len, struct resfence_pr_keys *k,
			  u64 *keys, size_t max_keys, struct resfence_io *io)
{
	struct resfence_cdb cdb;
	int ret;

	ret = resfence_cdb_pr_in(&cdb, RESFENCE_PR_IN_READ_KEYS, len);
	if (ret)
		return ret;
	ret = resfence_exec(sdev, &cdb, DMA_FROM_DEVICE, buf, len, io);
	if (ret)
		return ret;
	return resfence_prin_parse_keys(buf, io->xfer, k, keys, max_keys);
}

/**
 * resfence_pr_read_all_keys() - READ KEYS with a buffer that fits them all
 * @sdev: the device
 * @k: parsed header and counts
 * @keys: set to a kmalloc'd array of @k->count keys; the caller frees it
 * @io: outcome
 * @gfp: allocation flags (GFP_NOIO on the refresh path)
 *
 * Starts with RESFENCE_IOBUF_LEN bytes and grows to what the device says
 * it has, up to the 16-bit allocation length; keys registered between two
 * reads can make it try again, twice at most. @k->truncated stays set if
 * the keys still did not fit.
 *
 * Return: 0, -ENOMEM, or an errno from resfence_pr_read_keys().
 */
int resfence_pr_read_all_keys(struct scsi_device *sdev,
			      struct resfence_pr_keys *k, u64 **keys,
			      struct resfence_io *io, gfp_t gfp)
{
	unsigned int len = RESFENCE_IOBUF_LEN;
	size_t max_keys;
	int attempt, ret;
	u64 *arr;
	u8 *buf;

	for (attempt = 0; ; attempt++) {
		max_keys = (len - RESFENCE_PR_IN_HDR_LEN) / 8;
		buf = kmalloc(len, gfp);
		arr = kmalloc_array(max_keys ?: 1, sizeof(*arr), gfp);
		if (!buf || !arr) {
			kfree(buf);
			kfree(arr);
			return -ENOMEM;
		}
		ret = resfence_pr_read_keys(sdev, buf, len, k, arr, max_keys,
					    io);
		kfree(buf);
		if (ret) {
			kfree(arr);
			return ret;
		}
		if (!k->truncated || k->need_len <= len || attempt == 2)
			break;
		len = k->need_len;
		kfree(arr);
	}
	*keys = arr;
	return 0;
}

/**
 * resfence_pr_read_resv() - PERSISTENT RESERVE IN, READ RESERVATION
 * @sdev: the device
 * @buf: data buffer of at least 24 bytes
 * @r: the reservation, if any
 * @io: outcome
 *
 * Return: 0, -EPROTO for data that cannot be parsed, or an errno from
 * resfence_exec().
 */
int resfence_pr_read_resv(struct scsi_device *sdev, u8 *buf,
			  struct resfence_pr_resv *r, struct resfence_io *io)
{
	/* Header plus one reservation descriptor. */
	const unsigned int len = RESFENCE_PR_IN_HDR_LEN + 16;
	struct resfence_cdb cdb;
	int ret;

	ret = resfence_cdb_pr_in(&cdb, RESFENCE_PR_IN_READ_RESERVATION, len);
	if (ret)
		return ret;
	ret = resfence_exec(sdev, &cdb, DMA_FROM_DEVICE, buf, len, io);
	if (ret)
		return ret;
	return resfence_prin_parse_resv(buf, io->xfer, r);
}
