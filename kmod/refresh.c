// SPDX-License-Identifier: GPL-2.0
/*
 * The refresh: per held device, an hrtimer on an absolute deadline grid
 * queues a work item on the module's WQ_MEM_RECLAIM | WQ_HIGHPRI
 * workqueue, and the work re-asserts the reservation:
 *
 * - scsi2: RESERVE again. After a reset this re-acquires the reservation
 *   (the reset released it); a conflict means another node holds it, and
 *   the refresh fences on it (the probe only verifies conflicts of
 *   reservation commands, conflict.c). With a takeover epoch (epoch.h)
 *   the epoch block is read first, and a moved epoch fences instead of
 *   re-reserving.
 * - pr: READ KEYS (is our key still registered?), READ RESERVATION (is the
 *   reservation ours?), then REGISTER with our own key as a heartbeat that
 *   bumps the PR generation the takeover side watches. Our key gone or a
 *   foreign holder fences from here; so does a conflict on any of these
 *   commands (a REGISTER conflict: our registration is gone).
 *
 * The same work is queued at once as a verification: by a unit attention
 * that says reservations changed, and by a conflict on someone else's
 * reservation command, whose deadline verify.c keeps.
 *
 * A second hrtimer, the lease, fires if no refresh succeeded for lease_ms
 * (from the start of the last good one). It covers the refresh that never
 * comes back because the transport is blocked.
 *
 * hrtimers rather than delayed work: timer-wheel timers of a few seconds
 * may fire up to 12% late by design, which would eat into the lease.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ktime.h>
#include <linux/printk.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <scsi/scsi_device.h>
#include <linux/resfence.h>

#include "cdb.h"
#include "compat.h"
#include "conflict.h"
#include "decide.h"
#include "device.h"
#include "epoch_io.h"
#include "fence.h"
#include "netlink.h"
#include "refresh.h"
#include "reserve.h"
#include "timing.h"
#include "verify.h"
#include "workqueue.h"

/*
 * (scsi2 with an epoch) Is the epoch on the disk still the one our acquire
 * wrote? A different or unreadable-as-ours block means another node has
 * acquired the disk since: fence. A read that fails says nothing either
 * way: the refresh fails and the lease decides.
 */
static int refresh_epoch_check(struct resfence_dev *rd, struct resfence_io *io,
			       const char **reason)
{
	enum resfence_epoch_parse parse;
	struct resfence_epoch e;
	int ret;

	ret = resfence_epoch_read(rd->sdev, rd->epoch_buf, rd->epoch_lba, &e,
				  &parse, io);
	if (ret) {
		*reason = ret == -EIO ? "short read of the epoch block" :
					resfence_outcome_str(io->outcome);
		return ret;
	}
	if (parse == RESFENCE_EPOCH_VALID && e.epoch == rd->epoch)
		return 0;
	if (parse == RESFENCE_EPOCH_VALID)
		pr_warn("%s: takeover epoch is %llu (written by %s), ours is %llu\n",
			rd->disk_name, e.epoch, e.owner, rd->epoch);
	else
		pr_warn("%s: the takeover epoch block no longer holds our epoch %llu\n",
			rd->disk_name, rd->epoch);
	*reason = resfence_why_str(RESFENCE_WHY_EPOCH);
	return -ESTALE;
}

static int refresh_scsi2(struct resfence_dev *rd, struct resfence_io *io,
			 const char **reason)
{
	u8 cdb_len = rd->cdb_len;
	struct resfence_io undo;
	bool reset = false;
	int ret;

	/*
	 * Never RESERVE without having seen our own epoch first: after a
	 * reset the RESERVE would succeed whoever owns the disk now.
	 */
	if (rd->has_epoch) {
		ret = refresh_epoch_check(rd, io, reason);
		reset = io->saw_reset_ua;
		if (ret == -ESTALE)
			resfence_fence(rd, RESFENCE_WHY_EPOCH);
		if (ret)
			return ret;
	}

	ret = resfence_scsi2_reserve(rd->sdev, &cdb_len, io);
	*reason = resfence_outcome_str(io->outcome);
	if (ret)
		return ret;

	/*
	 * The reset's unit attention goes to whichever command of this
	 * nexus comes first: this RESERVE, the epoch read, or I/O whose
	 * completion the probe saw (it set the bit and queued this refresh).
	 */
	if (test_and_clear_bit(0, &rd->reset_ua) || io->saw_reset_ua)
		reset = true;
	/*
	 * A reset may have come between the epoch read and this RESERVE,
	 * letting another node acquire and bump the epoch in between: look
	 * again, now that nobody else can write the block. If it moved,
	 * give the reservation back before fencing, so that the rightful
	 * owner's next RESERVE does not conflict with ours.
	 */
	if (rd->has_epoch && reset) {
		ret = refresh_epoch_check(rd, io, reason);
		if (ret == -ESTALE) {
			resfence_scsi2_release(rd->sdev, cdb_len, &undo);
			resfence_fence(rd, RESFENCE_WHY_EPOCH);
		}
		if (ret)
			return ret;
	}
	if (reset)
		pr_info("%s: reserved again after a reset\n", rd->disk_name);
	return 0;
}

/* READ KEYS into the entry's own buffers; a larger read only if needed. */
static int refresh_read_keys(struct resfence_dev *rd,
			     struct resfence_pr_keys *k, u64 **keys,
			     struct resfence_io *io)
{
	int ret;

	*keys = rd->keys;
	ret = resfence_pr_read_keys(rd->sdev, rd->iobuf, RESFENCE_IOBUF_LEN,
				    k, rd->keys, ARRAY_SIZE(rd->keys), io);
	if (ret || !k->truncated ||
	    resfence_keys_contain(rd->keys, k->count, rd->key))
		return ret;
	return resfence_pr_read_all_keys(rd->sdev, k, keys, io, GFP_NOIO);
}

static int refresh_pr(struct resfence_dev *rd, struct resfence_io *io,
		      const char **reason)
{
	struct resfence_pr_keys k;
	struct resfence_pr_resv r;
	enum resfence_pr_state st;
	u64 *keys;
	int ret;

	ret = refresh_read_keys(rd, &k, &keys, io);
	if (ret) {
		*reason = ret == -EPROTO ? "malformed READ KEYS data" :
					   resfence_outcome_str(io->outcome);
		return ret;
	}
	ret = resfence_pr_read_resv(rd->sdev, rd->iobuf, &r, io);
	if (ret) {
		*reason = ret == -EPROTO ? "malformed READ RESERVATION data" :
					   resfence_outcome_str(io->outcome);
		goto out;
	}

	/* What the fence record reports as last seen. */
	WRITE_ONCE(rd->seen_reserved, r.reserved);
	WRITE_ONCE(rd->seen_holder, r.holder_key);
	WRITE_ONCE(rd->seen_generation, r.generation);
	WRITE_ONCE(rd->seen_known, true);

	st = resfence_pr_judge(&k, keys, &r, rd->key);
	switch (st) {
	case RESFENCE_PR_OURS:
		break;
	case RESFENCE_PR_NOT_RESERVED:
		/* Still registered, nobody reserved: take it again. */
		pr_info("%s: reservation found released; reserving again\n",
			rd->disk_name);
		ret = resfence_pr_out(rd->sdev, rd->iobuf,
				      RESFENCE_PR_OUT_RESERVE, rd->pr_type,
				      rd->key, 0, io);
		if (ret) {
			*reason = resfence_outcome_str(io->outcome);
			goto out;
		}
		break;
	case RESFENCE_PR_KEY_GONE:
		resfence_fence(rd, RESFENCE_WHY_KEY_GONE);
		*reason = resfence_why_str(RESFENCE_WHY_KEY_GONE);
		ret = -ENOLINK;
		goto out;
	case RESFENCE_PR_FOREIGN_HOLDER:
		resfence_fence(rd, RESFENCE_WHY_FOREIGN);
		*reason = resfence_why_str(RESFENCE_WHY_FOREIGN);
		ret = -EBUSY;
		goto out;
	case RESFENCE_PR_UNKNOWN:
		*reason = "key list cut short before our key: cannot verify";
		ret = -EPROTO;
		goto out;
	}

	/* The heartbeat: re-register our key as itself. */
	ret = resfence_pr_register(rd->sdev, rd->iobuf,
				   RESFENCE_PR_OUT_REGISTER, rd->key, rd->key,
				   rd->aptpl, io);
	*reason = resfence_outcome_str(io->outcome);
out:
	if (keys != rd->keys)
		kfree(keys);
	return ret;
}

static void refresh_work_fn(struct work_struct *work)
{
	struct resfence_dev *rd = container_of(work, struct resfence_dev,
					       refresh_work);
	struct resfence_stats *s = &rd->stats;
	ktime_t start, end, deadline;
	const char *reason = NULL;
	struct resfence_io io = {};
	unsigned int noio;
	bool scheduled;
	u32 verify_seq;
	u64 latency;
	int ret;

	spin_lock(&rd->lock);
	if (rd->stopping) {
		spin_unlock(&rd->lock);
		return;
	}
	start = ktime_get();
	deadline = rd->deadline;
	/*
	 * The hrtimer never fires early, so a run at or past the deadline is
	 * the scheduled one; an earlier run is a verification queued by a
	 * unit attention and leaves the schedule alone.
	 */
	scheduled = !ktime_before(start, deadline);
	spin_unlock(&rd->lock);
	verify_seq = resfence_verify_begin(rd);

	/* No allocation on the way to the disk may recurse into I/O. */
	noio = memalloc_noio_save();
	if (rd->mode == RESFENCE_MODE_SCSI2)
		ret = refresh_scsi2(rd, &io, &reason);
	else
		ret = refresh_pr(rd, &io, &reason);
	end = ktime_get();
	latency = ktime_to_ns(ktime_sub(end, start));
	/*
	 * Our own command conflicted (READ KEYS, READ RESERVATION, the
	 * heartbeat REGISTER, a RESERVE): the reservation is lost.
	 */
	if (ret && io.outcome == RESFENCE_OUT_CONFLICT &&
	    resfence_conflict_judge(io.opcode, RESFENCE_SENDER_REFRESH) ==
	    RESFENCE_CONFLICT_FENCE_NOW)
		resfence_fence(rd, RESFENCE_WHY_CONFLICT);
	resfence_verify_end(rd, verify_seq, !ret);

	spin_lock(&rd->lock);
	s->last_latency_ns = latency;
	s->worst_latency_ns = max(s->worst_latency_ns, latency);
	if (scheduled)
		s->worst_lateness_ns = max(s->worst_lateness_ns,
					   resfence_lateness_ns(deadline, start));
	if (!ret) {
		s->refresh_ok++;
		s->last_ok = start;
		if (rd->lease_ms && !rd->stopping) {
			WRITE_ONCE(rd->lease_deadline,
				   resfence_lease_deadline(start, rd->lease_ms));
			hrtimer_start(&rd->lease_timer, rd->lease_deadline,
				      HRTIMER_MODE_ABS);
		}
	} else {
		s->refresh_failed++;
	}
	if (scheduled && !rd->stopping) {
		rd->deadline = resfence_next_deadline(deadline, ktime_get(),
						      rd->interval_ms);
		hrtimer_start(&rd->refresh_timer, rd->deadline,
			      HRTIMER_MODE_ABS);
	}
	spin_unlock(&rd->lock);

	if (ret && READ_ONCE(rd->armed)) {
		pr_warn_ratelimited("%s: refresh failed: %d (%s)\n",
				    rd->disk_name, ret, reason);
		resfence_nl_event(rd, RESFENCE_EVENT_REFRESH_FAILED, ret,
				  reason, GFP_NOIO);
	}
	memalloc_noio_restore(noio);
}

static enum hrtimer_restart refresh_timer_fn(struct hrtimer *t)
{
	struct resfence_dev *rd = container_of(t, struct resfence_dev,
					       refresh_timer);

	queue_work(resfence_wq, &rd->refresh_work);
	return HRTIMER_NORESTART;
}

static enum hrtimer_restart lease_timer_fn(struct hrtimer *t)
{
	struct resfence_dev *rd = container_of(t, struct resfence_dev,
					       lease_timer);

	/* A refresh may have renewed the lease while this fired. */
	if (resfence_lease_expired(READ_ONCE(rd->lease_deadline), ktime_get()))
		resfence_fence(rd, RESFENCE_WHY_LEASE);
	return HRTIMER_NORESTART;
}

/**
 * resfence_refresh_init() - set up the timers and work of a new entry
 * @rd: the entry
 */
void resfence_refresh_init(struct resfence_dev *rd)
{
	INIT_WORK(&rd->refresh_work, refresh_work_fn);
	resfence_hrtimer_setup(&rd->refresh_timer, refresh_timer_fn,
			       HRTIMER_MODE_ABS);
	resfence_hrtimer_setup(&rd->lease_timer, lease_timer_fn,
			       HRTIMER_MODE_ABS);
}

/**
 * resfence_refresh_start() - start refreshing a device that was just armed
 * @rd: the entry; its acquire started at @rd->stats.last_ok
 *
 * The first refresh is due one interval after the acquire started, and
 * the lease counts from there too.
 */
void resfence_refresh_start(struct resfence_dev *rd)
{
	ktime_t acquired;

	spin_lock(&rd->lock);
	acquired = rd->stats.last_ok;
	rd->deadline = ktime_add_ms(acquired, rd->interval_ms);
	hrtimer_start(&rd->refresh_timer, rd->deadline, HRTIMER_MODE_ABS);
	if (rd->lease_ms) {
		WRITE_ONCE(rd->lease_deadline,
			   resfence_lease_deadline(acquired, rd->lease_ms));
		hrtimer_start(&rd->lease_timer, rd->lease_deadline,
			      HRTIMER_MODE_ABS);
	}
	spin_unlock(&rd->lock);
}

/**
 * resfence_refresh_stop() - stop refreshing, and wait until it has stopped
 * @rd: an entry that is no longer armed and unhashed a grace period ago
 *
 * Nothing re-arms a timer once @stopping is set (both are done under
 * @lock), the probe can no longer queue a verification, so after the
 * cancels below no timer, refresh or event work of @rd is left. Sleeps;
 * waits for a refresh in flight.
 */
void resfence_refresh_stop(struct resfence_dev *rd)
{
	spin_lock(&rd->lock);
	rd->stopping = true;
	spin_unlock(&rd->lock);

	hrtimer_cancel(&rd->refresh_timer);
	hrtimer_cancel(&rd->lease_timer);
	cancel_work_sync(&rd->refresh_work);
	/* After the refresh: its end may re-arm the verification deadline. */
	resfence_verify_stop(rd);
	/* The refresh or the lease may have raised an event: send it. */
	flush_work(&rd->event_work);
}

/**
 * resfence_refresh_verify_now() - check the reservation without waiting
 * @rd: an armed entry
 *
 * For a unit attention that says reservations or registrations were
 * preempted, or that a power on or reset happened (scsi2: it released
 * ours; pr: the target may have lost its registrations), and for a conflict on
 * a reservation command (verify.c). Any context; the
 * caller must see @rd in the armed hash under RCU.
 */
void resfence_refresh_verify_now(struct resfence_dev *rd)
{
	queue_work(resfence_wq, &rd->refresh_work);
}

/**
 * resfence_refresh_stats() - a consistent copy of the counters
 * @rd: the entry
 * @out: the copy
 */
void resfence_refresh_stats(struct resfence_dev *rd, struct resfence_stats *out)
{
	spin_lock(&rd->lock);
	*out = rd->stats;
	spin_unlock(&rd->lock);
}
