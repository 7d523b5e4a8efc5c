// SPDX-License-Identifier: GPL-2.0
/*
 * The I/O gate of a scsi2 hold with a takeover epoch (epoch.h): from the
 * completion that reports a reset's unit attention until the refresh has
 * read our own epoch back and reserved again, this node sends no new
 * command to the disk but the module's own.
 *
 * Why: a reset released our SCSI-2 reservation, so until someone reserves
 * again the target takes anybody's writes. If another node took the disk
 * over while this one was stalled (its epoch moved), every write this node
 * issues before its epoch read has answered lands over the new owner's
 * data. Without the gate that is every write issued during one READ round
 * trip (two landed in a CI run of failover-reset-window); with it, only
 * the commands already issued when the reset was reported, which the
 * mid-layer retries on its own (Documentation/timing.md, "The reset
 * window").
 *
 * How: the block layer's pm-only counter (blk_set_pm_only(), the gate
 * scsi_device_quiesce() uses). While it is raised, blk_queue_enter() holds
 * back every new request and bio that is not a power-management one; the
 * module's refresh sends its commands as power-management ones
 * (resfence_io.pass_gate), so they pass. Requests already allocated are
 * not held back. Raising it is an atomic increment: safe in the probe's
 * completion context, where the unit attention is first seen.
 *
 * Who opens it: a refresh that succeeded (our epoch, reserved again), a
 * refresh in log mode whatever it found (a dry run keeps its I/O), and the
 * teardown of the hold (resfence_refresh_stop()). A fence by restart or
 * panic never opens it. A refresh that fails without fencing (the target
 * does not answer) leaves it closed: this node does not write to a disk it
 * has not proven it still owns; the next refresh tries again, and the
 * lease, if set, fences.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/blkdev.h>
#include <linux/ktime.h>
#include <scsi/scsi_device.h>

#include "compat.h"
#include "device.h"
#include "gate.h"

/**
 * resfence_gate_exists() - does this kernel have the I/O gate
 *
 * Return: true with CONFIG_PM (compat.h).
 */
bool resfence_gate_exists(void)
{
	return RESFENCE_HAVE_IO_GATE;
}

/**
 * resfence_gate_close() - hold back this node's new I/O to a held disk
 * @rd: an armed entry (the caller sees it in the armed hash under RCU, or
 *	is its refresh)
 *
 * Does nothing unless @rd is a scsi2 hold with an epoch and the kernel has
 * the gate (RESFENCE_HAVE_IO_GATE). Closing a closed gate does nothing.
 * Any context.
 */
void resfence_gate_close(struct resfence_dev *rd)
{
	if (!RESFENCE_HAVE_IO_GATE || !rd->has_epoch)
		return;
	if (test_and_set_bit(0, &rd->gate))
		return;
	WRITE_ONCE(rd->gate_closed_at, ktime_get());
	resfence_compat_gate_close(rd->sdev->request_queue);
}

/**
 * resfence_gate_open() - let this node's I/O to the disk through again
 * @rd: the entry
 *
 * Says in the log how long the gate was closed. Opening an open gate does
 * nothing. Process context (waking the waiters may reschedule).
 */
void resfence_gate_open(struct resfence_dev *rd)
{
	s64 us;

	if (!test_and_clear_bit(0, &rd->gate))
		return;
	resfence_compat_gate_open(rd->sdev->request_queue);
	us = ktime_us_delta(ktime_get(), READ_ONCE(rd->gate_closed_at));
	pr_info("%s: I/O held back for %lld us after a reset, until the epoch check answered\n",
		rd->disk_name, us);
}
