// SPDX-License-Identifier: GPL-2.0
/*
 * Verify first: a RESERVATION CONFLICT on a reservation-management command
 * that someone else sent on this node (conflict.c) queues the refresh at
 * once, as a verification, and arms a deadline, RESFENCE_VERIFY_MS away.
 *
 * - The verification finds the reservation lost (our key gone, another
 *   holder; scsi2: our RESERVE conflicts): the refresh fences, as always.
 * - It succeeds: the reservation is ours; the deadline is cancelled.
 * - It fails otherwise, or has not finished when the deadline fires: the
 *   deadline fences. A conflict we could not explain is not let go.
 *
 * Only a refresh that began after a conflict answers it: each conflict
 * takes a sequence number, each refresh notes the number when it begins,
 * and the deadline stands for the first conflict it guards. Conflicts that
 * arrive while a verification runs are guarded anew when it ends, so one
 * is answered at most 2 x RESFENCE_VERIFY_MS after it was seen.
 *
 * The probe runs in any context (hard interrupt included), so the state
 * is under its own irq-safe spinlock, @verify_lock; the deadline is an
 * hrtimer, like the lease.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/hrtimer.h>
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/printk.h>
#include <linux/spinlock.h>
#include <linux/resfence.h>

#include "compat.h"
#include "conflict.h"
#include "device.h"
#include "fence.h"
#include "refresh.h"
#include "verify.h"

static enum hrtimer_restart verify_timer_fn(struct hrtimer *t)
{
	struct resfence_dev *rd = container_of(t, struct resfence_dev,
					       verify_timer);
	unsigned long flags;
	bool expired;

	spin_lock_irqsave(&rd->verify_lock, flags);
	/* A verification may have answered, or re-armed, while this fired. */
	expired = rd->verify_pending &&
		  !ktime_before(ktime_get(), rd->verify_deadline);
	if (expired)
		rd->verify_pending = false;
	spin_unlock_irqrestore(&rd->verify_lock, flags);

	if (expired)
		resfence_fence(rd, RESFENCE_WHY_VERIFY_TIMEOUT);
	return HRTIMER_NORESTART;
}

/* Under verify_lock: guard the conflicts up to verify_seq. */
static void verify_arm(struct resfence_dev *rd)
{
	lockdep_assert_held(&rd->verify_lock);
	rd->verify_pending = true;
	rd->verify_guard = rd->verify_seq;
	rd->verify_deadline = ktime_add_ms(ktime_get(), RESFENCE_VERIFY_MS);
	hrtimer_start(&rd->verify_timer, rd->verify_deadline,
		      HRTIMER_MODE_ABS);
}

/**
 * resfence_verify_init() - set up the verification state of a new entry
 * @rd: the entry
 */
void resfence_verify_init(struct resfence_dev *rd)
{
	spin_lock_init(&rd->verify_lock);
	atomic64_set(&rd->verify_conflicts, 0);
	resfence_hrtimer_setup(&rd->verify_timer, verify_timer_fn,
			       HRTIMER_MODE_ABS);
}

/**
 * resfence_verify_conflict() - a reservation-management command conflicted
 * @rd: an armed entry, seen in the armed hash under RCU
 * @opcode: the command's opcode, for the event
 *
 * Counts the conflict, raises a RESFENCE_EVENT_CONFLICT_VERIFY event,
 * queues the verification and, unless one is already pending, arms its
 * deadline. Any context.
 */
void resfence_verify_conflict(struct resfence_dev *rd, u8 opcode)
{
	unsigned long flags;

	atomic64_inc(&rd->verify_conflicts);
	spin_lock_irqsave(&rd->verify_lock, flags);
	rd->verify_seq++;
	rd->verify_opcode = opcode;
	if (!rd->verify_pending)
		verify_arm(rd);
	spin_unlock_irqrestore(&rd->verify_lock, flags);

	pr_info_ratelimited("%s: reservation conflict on %s (opcode 0x%02x) sent on this node: verifying\n",
			    rd->disk_name, resfence_opcode_name(opcode), opcode);

	resfence_event_defer(rd, RESFENCE_EVENT_CONFLICT_VERIFY);
	resfence_refresh_verify_now(rd);
}

/**
 * resfence_verify_path_conflict() - a conflict on a path of a multipath hold
 * @rd: an armed multipath entry, seen in the armed hash under RCU
 * @sdev: the path the command completed on
 * @opcode: the command's opcode
 *
 * Any command, not only reservation commands: marks the path lost (the
 * refresh registers our key there again if it finds the reservation still
 * ours) and verifies as resfence_verify_conflict() does, deadline
 * included. Any context.
 */
void resfence_verify_path_conflict(struct resfence_dev *rd,
				   const struct scsi_device *sdev, u8 opcode)
{
	u8 i, npaths;

	/* Pairs with resfence_registry_add_path(): paths below it are whole. */
	npaths = smp_load_acquire(&rd->npaths);
	for (i = 0; i < npaths; i++) {
		if (rd->paths[i].sdev == sdev) {
			set_bit(i, &rd->lost_paths);
			break;
		}
	}
	resfence_verify_conflict(rd, opcode);
}

/**
 * resfence_verify_begin() - a refresh begins
 * @rd: the entry
 *
 * Return: the conflicts seen so far, for resfence_verify_end().
 */
u32 resfence_verify_begin(struct resfence_dev *rd)
{
	unsigned long flags;
	u32 seq;

	spin_lock_irqsave(&rd->verify_lock, flags);
	seq = rd->verify_seq;
	spin_unlock_irqrestore(&rd->verify_lock, flags);
	return seq;
}

/**
 * resfence_verify_end() - a refresh ended
 * @rd: the entry
 * @begun: what resfence_verify_begin() returned when it began
 * @ok: it found (or re-took) the reservation ours
 *
 * A good refresh that began after the guarded conflicts answers them: the
 * deadline is cancelled, or re-armed for conflicts that came while it ran.
 * A failed one leaves the deadline to fire. Process context.
 */
void resfence_verify_end(struct resfence_dev *rd, u32 begun, bool ok)
{
	unsigned long flags;
	bool answered = false;
	u8 opcode = 0;

	spin_lock_irqsave(&rd->verify_lock, flags);
	if (ok && rd->verify_pending &&
	    (s32)(begun - rd->verify_guard) >= 0) {
		answered = true;
		opcode = rd->verify_opcode;
		if (begun == rd->verify_seq) {
			rd->verify_pending = false;
			/* Never waits: the callback takes verify_lock. */
			hrtimer_try_to_cancel(&rd->verify_timer);
		} else {
			verify_arm(rd);
		}
	}
	spin_unlock_irqrestore(&rd->verify_lock, flags);

	if (answered)
		pr_info("%s: reservation verified after a conflict on %s: still ours\n",
			rd->disk_name, resfence_opcode_name(opcode));
}

/**
 * resfence_verify_stop() - cancel the deadline for good
 * @rd: an entry unhashed a grace period ago whose refresh has stopped
 *
 * Nothing can arm the deadline any more: the probe no longer finds @rd,
 * and the refresh that could re-arm it has been waited for. Sleeps.
 */
void resfence_verify_stop(struct resfence_dev *rd)
{
	hrtimer_cancel(&rd->verify_timer);
}

/**
 * resfence_verify_reason() - the event's words for the last conflict
 * @rd: the entry
 * @buf: where the words go
 * @len: size of @buf
 *
 * Return: @buf.
 */
const char *resfence_verify_reason(struct resfence_dev *rd, char *buf,
				   size_t len)
{
	unsigned long flags;
	u8 opcode;

	spin_lock_irqsave(&rd->verify_lock, flags);
	opcode = rd->verify_opcode;
	spin_unlock_irqrestore(&rd->verify_lock, flags);
	snprintf(buf, len,
		 "reservation conflict on %s (opcode 0x%02x) sent on this node: verifying the reservation",
		 resfence_opcode_name(opcode), opcode);
	return buf;
}
