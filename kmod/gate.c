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
 * Locking: gate_lock (irq-safe) covers whether the gate is closed and the
 * count of resets, so that the counter of the queue is raised once per
 * closing and lowered once per opening, and a reset is never lost between
 * a refresh's check and its opening.
 *
 * Who opens it: a refresh that succeeded (our epoch, reserved again) and
 * began after the last reset the probe reported (one that came during it
 * may have released what it reserved: the refresh the probe queued for it
 * decides), a refresh in log mode whatever it found (a dry run keeps its
 * I/O), and the teardown of the hold (resfence_refresh_stop()). A fence by restart or
 * panic never opens it. A refresh that fails without fencing (the target
 * does not answer) leaves it closed: this node does not write to a disk it
 * has not proven it still owns; the next refresh tries again, and the
 * lease, if set, fences.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/blkdev.h>
#include <linux/ktime.h>
#include <linux/spinlock.h>
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
 * @rd: an armed entry (the caller sees it in the armed hash under RCU)
 *
 * For a reset's unit attention: counts it, and closes the gate if it is
 * open. Does nothing unless @rd is a scsi2 hold with an epoch and the
 * kernel has the gate (RESFENCE_HAVE_IO_GATE). Any context.
 */
void resfence_gate_close(struct resfence_dev *rd)
{
	unsigned long flags;
	bool closed = false;

	if (!RESFENCE_HAVE_IO_GATE || !rd->has_epoch)
		return;
	spin_lock_irqsave(&rd->gate_lock, flags);
	rd->gate_resets++;
	if (!rd->gate_closed) {
		rd->gate_closed = true;
		rd->gate_closed_at = ktime_get();
		resfence_compat_gate_close(rd->sdev->request_queue);
		closed = true;
	}
	spin_unlock_irqrestore(&rd->gate_lock, flags);
	/* Resets are rare; printk is safe here. */
	if (closed)
		pr_info("%s: a reset released the reservation: holding back I/O until the epoch check answers\n",
			rd->disk_name);
}

/**
 * resfence_gate_resets() - how many resets the probe has reported
 * @rd: the entry
 *
 * Read by a refresh before it starts, for resfence_gate_open_after().
 *
 * Return: the count, wrapping.
 */
u32 resfence_gate_resets(struct resfence_dev *rd)
{
	unsigned long flags;
	u32 n;

	/* No gate: nothing to count, no lock to take on every refresh. */
	if (!rd->has_epoch)
		return 0;
	spin_lock_irqsave(&rd->gate_lock, flags);
	n = rd->gate_resets;
	spin_unlock_irqrestore(&rd->gate_lock, flags);
	return n;
}

/*
 * Open the gate if it is closed and, when @check, no reset was reported
 * since @resets was read; say for how long it was closed.
 */
static void gate_open(struct resfence_dev *rd, bool check, u32 resets)
{
	unsigned long flags;
	bool opened = false;
	s64 us = 0;

	if (!rd->has_epoch)
		return;
	spin_lock_irqsave(&rd->gate_lock, flags);
	if (rd->gate_closed && (!check || rd->gate_resets == resets)) {
		rd->gate_closed = false;
		resfence_compat_gate_open(rd->sdev->request_queue);
		us = ktime_us_delta(ktime_get(), rd->gate_closed_at);
		opened = true;
	}
	spin_unlock_irqrestore(&rd->gate_lock, flags);
	if (opened)
		pr_info("%s: I/O held back for %lld us after a reset, until the epoch check answered\n",
			rd->disk_name, us);
}

/**
 * resfence_gate_open_after() - open the gate, unless a reset came since
 * @rd: the entry
 * @resets: resfence_gate_resets() when the refresh that proved the disk
 *	ours began
 *
 * A reset reported after that refresh began may have released the
 * reservation it took: the gate then stays closed for the refresh the
 * probe queued for that reset. Any context but hard interrupt.
 */
void resfence_gate_open_after(struct resfence_dev *rd, u32 resets)
{
	gate_open(rd, true, resets);
}

/**
 * resfence_gate_open() - open the gate whatever happened
 * @rd: the entry, disarmed a grace period ago (the probe cannot close the
 *	gate again)
 *
 * For the teardown of the hold. Process context.
 */
void resfence_gate_open(struct resfence_dev *rd)
{
	gate_open(rd, false, 0);
}
