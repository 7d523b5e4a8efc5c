/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _RESFENCE_SCSI_EXEC_H
#define _RESFENCE_SCSI_EXEC_H

#include <linux/dma-direction.h>
#include <linux/types.h>

#include "sense.h"

struct netlink_ext_ack;
struct scsi_device;
struct resfence_cdb;

/*
 * The mid-layer's timeout for a reservation command. As long as sd's
 * default: a refresh that hangs behind a blocked transport is the lease's
 * business, not the command timeout's, and a shorter timeout would start
 * error handling (aborts, LUN resets) that breaks SCSI-2 reservations.
 */
#define RESFENCE_CMD_TIMEOUT_S	30
/* Sends of one command: the first plus retries of unit attentions/busy. */
#define RESFENCE_CMD_TRIES	5

/**
 * struct resfence_io - what happened to the last command
 * @opcode: its operation code
 * @outcome: its classification
 * @comp: status, host byte and sense of the final attempt
 * @xfer: bytes transferred (data-in commands)
 * @saw_preempt_ua: a retried unit attention said reservations or
 *	registrations were preempted or released
 * @saw_reset_ua: a retried unit attention reported a reset
 * @pass_gate: input, kept across calls: send as a power-management
 *	request, which passes a closed I/O gate (gate.c); only the refresh
 *	of a hold with an epoch sets it
 */
struct resfence_io {
	u8 opcode;
	enum resfence_outcome outcome;
	struct resfence_completion comp;
	unsigned int xfer;
	bool saw_preempt_ua;
	bool saw_reset_ua;
	bool pass_gate;
};

int resfence_exec(struct scsi_device *sdev, const struct resfence_cdb *cdb,
		  enum dma_data_direction dir, void *buf, unsigned int len,
		  struct resfence_io *io);

void resfence_extack_outcome(struct netlink_ext_ack *extack,
			     enum resfence_outcome o);

#endif /* _RESFENCE_SCSI_EXEC_H */
