// SPDX-License-Identifier: GPL-2.0
/*
 * Issuing one reservation command: the single path every SCSI command of
 * the module takes, so that retries and classification are the same for
 * acquire, refresh, release and the PR IN queries.
 */
#include <linux/delay.h>
#include <linux/string.h>
#include <net/netlink.h>
#include <scsi/scsi.h>
#include <scsi/scsi_common.h>
#include <scsi/scsi_device.h>

#include "cdb.h"
#include "compat.h"
#include "scsi_exec.h"

/**
 * resfence_exec() - issue a command, retrying unit attentions and busy
 * @sdev: the device
 * @cdb: the command
 * @dir: DMA_TO_DEVICE, DMA_FROM_DEVICE or DMA_NONE
 * @buf: kmalloc'd data buffer, or NULL when @len is 0
 * @len: data length
 * @io: filled with the outcome of the final attempt; its @pass_gate is
 *	read, and kept
 *
 * A unit attention is consumed by the attempt that reports it, so the
 * command is sent again at once; a busy device gets a short back-off.
 * Must be called from process context; sleeps.
 *
 * Return: 0 on GOOD, else the errno of resfence_outcome_errno() (-EBUSY
 * for a reservation conflict), or a negative errno from the block layer.
 */
int resfence_exec(struct scsi_device *sdev, const struct resfence_cdb *cdb,
		  enum dma_data_direction dir, void *buf, unsigned int len,
		  struct resfence_io *io)
{
	bool pass_gate = io->pass_gate;
	struct scsi_sense_hdr sshdr;
	int tries, result, resid;

	memset(io, 0, sizeof(*io));
	io->pass_gate = pass_gate;
	io->opcode = cdb->b[0];
	for (tries = 0; tries < RESFENCE_CMD_TRIES; tries++) {
		memset(&sshdr, 0, sizeof(sshdr));
		resid = 0;
		result = resfence_compat_execute(sdev, cdb->b, dir, buf, len,
						 RESFENCE_CMD_TIMEOUT_S * HZ,
						 &sshdr, &resid, pass_gate);
		if (result < 0) {
			io->outcome = RESFENCE_OUT_GONE;
			return result;
		}

		io->comp.status = result & 0xff;
		io->comp.host = host_byte(result);
		io->comp.sense_valid = scsi_sense_valid(&sshdr);
		io->comp.key = sshdr.sense_key;
		io->comp.asc = sshdr.asc;
		io->comp.ascq = sshdr.ascq;
		io->outcome = resfence_classify(&io->comp);

		if (io->outcome == RESFENCE_OUT_UA_PREEMPTED)
			io->saw_preempt_ua = true;
		if (io->comp.sense_valid &&
		    resfence_sense_is_reset_ua(sshdr.sense_key, sshdr.asc,
					       sshdr.ascq))
			io->saw_reset_ua = true;
		if (!resfence_outcome_retry(io->outcome))
			break;
		if (io->outcome == RESFENCE_OUT_BUSY)
			msleep(20 << tries);
	}

	if (resid < 0 || (unsigned int)resid > len)
		resid = len;
	io->xfer = len - resid;

	if (io->outcome != RESFENCE_OUT_OK && io->outcome != RESFENCE_OUT_CONFLICT)
		sdev_printk(KERN_INFO, sdev,
			    "resfence: %s: %s (status 0x%02x host 0x%02x sense %x/%02x/%02x)\n",
			    resfence_cdb_name(cdb),
			    resfence_outcome_str(io->outcome), io->comp.status,
			    io->comp.host, io->comp.key, io->comp.asc,
			    io->comp.ascq);
	return resfence_outcome_errno(io->outcome);
}

/**
 * resfence_extack_outcome() - explain an outcome in an extended ACK
 * @extack: the extended ACK
 * @o: the outcome of the command that failed
 */
void resfence_extack_outcome(struct netlink_ext_ack *extack,
			     enum resfence_outcome o)
{
	switch (o) {
	case RESFENCE_OUT_OK:
		NL_SET_ERR_MSG(extack, RESFENCE_MSG_OK);
		return;
	case RESFENCE_OUT_CONFLICT:
		NL_SET_ERR_MSG(extack, RESFENCE_MSG_CONFLICT);
		return;
	case RESFENCE_OUT_UA:
		NL_SET_ERR_MSG(extack, RESFENCE_MSG_UA);
		return;
	case RESFENCE_OUT_UA_PREEMPTED:
		NL_SET_ERR_MSG(extack, RESFENCE_MSG_UA_PREEMPTED);
		return;
	case RESFENCE_OUT_BUSY:
		NL_SET_ERR_MSG(extack, RESFENCE_MSG_BUSY);
		return;
	case RESFENCE_OUT_INVALID_OPCODE:
		NL_SET_ERR_MSG(extack, RESFENCE_MSG_INVALID_OPCODE);
		return;
	case RESFENCE_OUT_INVALID_FIELD:
		NL_SET_ERR_MSG(extack, RESFENCE_MSG_INVALID_FIELD);
		return;
	case RESFENCE_OUT_NOT_READY:
		NL_SET_ERR_MSG(extack, RESFENCE_MSG_NOT_READY);
		return;
	case RESFENCE_OUT_TIMEOUT:
		NL_SET_ERR_MSG(extack, RESFENCE_MSG_TIMEOUT);
		return;
	case RESFENCE_OUT_GONE:
		NL_SET_ERR_MSG(extack, RESFENCE_MSG_GONE);
		return;
	case RESFENCE_OUT_TRANSPORT:
		NL_SET_ERR_MSG(extack, RESFENCE_MSG_TRANSPORT);
		return;
	case RESFENCE_OUT_FAILED:
		NL_SET_ERR_MSG(extack, RESFENCE_MSG_FAILED);
		return;
	}
	NL_SET_ERR_MSG(extack, RESFENCE_MSG_FAILED);
}
