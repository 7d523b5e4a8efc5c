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
 * A multipath hold (device.h, @npaths) refreshes through one path at a
 * time: a path error (timeout, transport gone, not ready, busy) moves the
 * same refresh on to the next path that is not removed, each tried once;
 * the path that answered is used from then on (path 0 included: any path
 * may be removed while another is left). An answer of the LU (a
 * conflict, our key gone, a foreign holder) is not a path error and ends
 * the refresh as it does for a single disk. The lease covers every path
 * failing.
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
#include "gate.h"
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
		/* -EIO is also what a failed command maps to. */
		*reason = io->outcome == RESFENCE_OUT_OK ?
			  "short read of the epoch block" :
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
	struct resfence_io undo = { .pass_gate = io->pass_gate };
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
			     struct scsi_device *sdev,
			     struct resfence_pr_keys *k, u64 **keys,
			     struct resfence_io *io)
{
	int ret;

	*keys = rd->keys;
	ret = resfence_pr_read_keys(sdev, rd->iobuf, RESFENCE_IOBUF_LEN,
				    k, rd->keys, ARRAY_SIZE(rd->keys), io);
	if (ret || !k->truncated ||
	    resfence_keys_contain(rd->keys, k->count, rd->key))
		return ret;
	return resfence_pr_read_all_keys(sdev, k, keys, io, GFP_NOIO);
}

/* READ KEYS through @sdev: how often our key is registered, and the generation. */
static int our_registrations(struct resfence_dev *rd, struct scsi_device *sdev,
			     u32 *n, u32 *generation, struct resfence_io *io)
{
	struct resfence_pr_keys k;
	u64 *keys;
	int ret;

	ret = refresh_read_keys(rd, sdev, &k, &keys, io);
	if (ret)
		return ret;
	/* Cut short, but with our key in it: the count may be short. */
	if (k.truncated && keys == rd->keys)
		return -EPROTO;
	*n = resfence_keys_count(keys, k.count, rd->key);
	*generation = k.generation;
	if (keys != rd->keys)
		kfree(keys);
	return 0;
}

static const char *count_failure(int ret, const struct resfence_io *io)
{
	if (ret == -EPROTO)
		return "key list cut short: cannot count our registrations";
	return resfence_outcome_str(io->outcome);
}

/*
 * After our REGISTER through @what, which READ KEYS at generation @before
 * showed our key registered for: count our key through @sdev and judge
 * whether a preempt of it came first (resfence_rereg_preempted()). Fences
 * if it did. @after: the generation of the second READ KEYS.
 */
static int judge_reregistration(struct resfence_dev *rd,
				struct scsi_device *sdev, const char *what,
				u32 before, u32 *after, struct resfence_io *io,
				const char **reason)
{
	u32 n;
	int ret;

	ret = our_registrations(rd, sdev, &n, after, io);
	if (ret) {
		*reason = count_failure(ret, io);
		return ret;
	}
	if (resfence_rereg_preempted(before, *after, n)) {
		pr_warn("%s: %s: our key was preempted while it was registered again (PR generation %u -> %u, key registered %u times)\n",
			rd->disk_name, what, before, *after, n);
		resfence_fence(rd, RESFENCE_WHY_KEY_GONE);
		*reason = resfence_why_str(RESFENCE_WHY_KEY_GONE);
		return -ENOLINK;
	}
	return 0;
}

/*
 * A single disk in pr mode after a reset's unit attention: the heartbeat
 * REGISTER conflicted although READ KEYS found our key registered and READ
 * RESERVATION found it holding the reservation (generation @before). The
 * nexus this node uses now has no registration: a new one (tgt keeps
 * registrations per iSCSI session, and a re-login is a new session) while
 * the old nexus's registration still stands for our key. Register this
 * nexus and judge it as a multipath path's re-registration is
 * (reregister_lost_paths()): the old nexus's registration is the witness
 * that no preempt of our key came before our REGISTER.
 *
 * WE and EA let only the reserving nexus write: move the reservation to
 * this one with a PREEMPT of our own key. It succeeds only while this
 * nexus is registered, so only if nobody has preempted us since; it
 * removes the old nexus's registration. Documentation/timing.md, "When the
 * iSCSI connection drops".
 */
static int reregister_nexus(struct resfence_dev *rd, struct scsi_device *sdev,
			    u32 before, struct resfence_io *io,
			    const char **reason)
{
	bool move = rd->pr_type == RESFENCE_PR_WRITE_EXCLUSIVE ||
		    rd->pr_type == RESFENCE_PR_EXCLUSIVE_ACCESS;
	u32 after;
	int ret;

	ret = resfence_pr_register(sdev, rd->iobuf, RESFENCE_PR_OUT_REGISTER,
				   0, rd->key, rd->aptpl, io);
	if (ret) {
		/* A conflict here fences (refresh_work_fn()). */
		*reason = resfence_outcome_str(io->outcome);
		return ret;
	}
	ret = judge_reregistration(rd, sdev, "this node's nexus", before,
				   &after, io, reason);
	if (ret)
		return ret;
	if (move) {
		ret = resfence_pr_out(sdev, rd->iobuf, RESFENCE_PR_OUT_PREEMPT,
				      rd->pr_type, rd->key, rd->key, io);
		if (ret) {
			*reason = resfence_outcome_str(io->outcome);
			return ret;
		}
	}
	pr_info("%s: this node's nexus had lost its registration after a reset: registered again (PR generation %u -> %u)%s\n",
		rd->disk_name, before, after,
		move ? ", the reservation moved to it" : "");
	resfence_nl_event(rd, RESFENCE_EVENT_PATH_REREGISTERED, 0,
			  "the disk's nexus had lost its registration after a reset",
			  GFP_NOIO);
	return 0;
}

static int refresh_pr(struct resfence_dev *rd, struct scsi_device *sdev,
		      struct resfence_io *io, const char **reason)
{
	struct resfence_pr_keys k;
	struct resfence_pr_resv r;
	enum resfence_pr_state st;
	u64 *keys;
	int ret;

	ret = refresh_read_keys(rd, sdev, &k, &keys, io);
	if (ret) {
		*reason = ret == -EPROTO ? "malformed READ KEYS data" :
					   resfence_outcome_str(io->outcome);
		return ret;
	}
	ret = resfence_pr_read_resv(sdev, rd->iobuf, &r, io);
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
		ret = resfence_pr_out(sdev, rd->iobuf,
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
	ret = resfence_pr_register(sdev, rd->iobuf, RESFENCE_PR_OUT_REGISTER,
				   rd->key, rd->key, rd->aptpl, io);
	*reason = resfence_outcome_str(io->outcome);
	if (ret && io->outcome == RESFENCE_OUT_CONFLICT && !rd->npaths &&
	    (resfence_nexus_suspect(rd) || io->saw_reset_ua))
		ret = reregister_nexus(rd, sdev, r.generation, io, reason);
out:
	if (keys != rd->keys)
		kfree(keys);
	return ret;
}

/* A failure of the path rather than an answer of the LU. */
static bool is_path_error(int ret, const struct resfence_io *io)
{
	if (!ret)
		return false;
	switch (io->outcome) {
	case RESFENCE_OUT_BUSY:
	case RESFENCE_OUT_NOT_READY:
	case RESFENCE_OUT_TIMEOUT:
	case RESFENCE_OUT_GONE:
	case RESFENCE_OUT_TRANSPORT:
		return true;
	default:
		return false;
	}
}

/*
 * Multipath, after a good refresh through path @via (its heartbeat
 * REGISTER just succeeded, so @via is registered): register our key again
 * through each path a conflict was seen on.
 *
 * Never bring back a key that was just preempted. A PREEMPT removes every
 * registration of the victim key at once, on every nexus. So: READ KEYS
 * (our key present, generation G), REGISTER through the lost path, READ
 * KEYS again. If the generation is G + 1, nothing happened in between but
 * our REGISTER. Otherwise another PR OUT did; if it was a preempt of our
 * key that came before our REGISTER, the only registration of our key
 * left is the one just made (@via's is gone): our key shows once, and we
 * were preempted: fence. Our key shown twice or more means @via's
 * registration survived, so no preempt of our key happened before our
 * REGISTER (one after it removed ours too: key gone, fence).
 * Documentation/cluster.md, "Multipath", has the argument and its window.
 */
static int reregister_lost_paths(struct resfence_dev *rd, u8 via,
				 struct resfence_io *io, const char **reason)
{
	struct scsi_device *vsdev = rd->paths[via].sdev;
	u32 before, after, n;
	u8 i, npaths;
	char why[64];
	int ret;

	/* Pairs with resfence_registry_add_path(): paths below it are whole. */
	npaths = smp_load_acquire(&rd->npaths);
	clear_bit(via, &rd->lost_paths);
	for (i = 0; i < npaths; i++) {
		struct resfence_path *p = &rd->paths[i];

		if (!test_bit(i, &rd->lost_paths))
			continue;
		if (READ_ONCE(p->state) == RESFENCE_PATH_STATE_REMOVED) {
			clear_bit(i, &rd->lost_paths);
			continue;
		}
		ret = our_registrations(rd, vsdev, &n, &before, io);
		if (ret) {
			*reason = count_failure(ret, io);
			return ret;
		}
		if (!n) {
			resfence_fence(rd, RESFENCE_WHY_KEY_GONE);
			*reason = resfence_why_str(RESFENCE_WHY_KEY_GONE);
			return -ENOLINK;
		}
		ret = resfence_pr_register(p->sdev, rd->iobuf,
					   RESFENCE_PR_OUT_REGISTER, 0, rd->key,
					   rd->aptpl, io);
		if (ret == -EBUSY) {
			/*
			 * The nexus is registered (REGISTER with a zero
			 * key conflicts then): the conflict had another
			 * cause, which the verification has answered.
			 */
			clear_bit(i, &rd->lost_paths);
			continue;
		}
		if (ret) {
			/* A path error: try again at the next refresh. */
			pr_warn_ratelimited("%s: path %s: registering again failed: %d\n",
					    rd->disk_name, p->disk_name, ret);
			continue;
		}
		snprintf(why, sizeof(why), "path %s", p->disk_name);
		ret = judge_reregistration(rd, vsdev, why, before, &after, io,
					   reason);
		if (ret)
			return ret;
		clear_bit(i, &rd->lost_paths);
		pr_info("%s: path %s had lost its registration: registered again (PR generation %u -> %u)\n",
			rd->disk_name, p->disk_name, before, after);
		snprintf(why, sizeof(why),
			 "path %s had lost its registration", p->disk_name);
		resfence_nl_event(rd, RESFENCE_EVENT_PATH_REREGISTERED, 0, why,
				  GFP_NOIO);
	}
	return 0;
}

/* The next path from @from that is neither removed nor lost, else @from. */
static u8 usable_path(struct resfence_dev *rd, u8 from, u8 npaths)
{
	u8 tried, i;

	for (tried = 0; tried < npaths; tried++) {
		i = (from + tried) % npaths;
		if (READ_ONCE(rd->paths[i].state) != RESFENCE_PATH_STATE_REMOVED &&
		    !test_bit(i, &rd->lost_paths))
			return i;
	}
	return from;
}

/*
 * pr: through the disk, or a multipath hold's current path and, on a path
 * error, each other path not removed, once. Only the refresh work reads
 * or writes @rd->cur_path.
 */
static int refresh_pr_paths(struct resfence_dev *rd, struct resfence_io *io,
			    const char **reason)
{
	u8 tried, i, start, npaths;
	int ret;

	/*
	 * Pairs with resfence_registry_add_path(): paths below it are whole;
	 * one added meanwhile waits for the next refresh.
	 */
	npaths = smp_load_acquire(&rd->npaths);
	if (!npaths) {
		u32 resets = atomic_read(&rd->nexus_resets);

		ret = refresh_pr(rd, rd->sdev, io, reason);
		/* Resets reported after it began stay suspect (hook.c). */
		if (!ret)
			WRITE_ONCE(rd->nexus_resets_done, resets);
		return ret;
	}
	/* A path without our registration would fail the heartbeat. */
	start = usable_path(rd, rd->cur_path, npaths);
	for (tried = 0; tried < npaths; tried++) {
		struct resfence_path *p;

		i = (start + tried) % npaths;
		p = &rd->paths[i];
		if (READ_ONCE(p->state) == RESFENCE_PATH_STATE_REMOVED ||
		    (tried && test_bit(i, &rd->lost_paths)))
			continue;
		memset(io, 0, sizeof(*io));
		ret = refresh_pr(rd, p->sdev, io, reason);
		/*
		 * A conflict with our key found registered (READ KEYS and
		 * READ RESERVATION do not conflict; the heartbeat REGISTER
		 * or a RESERVE did): this path lost its registration. Go on
		 * through a path that has one; with none left the conflict
		 * stands and fences.
		 */
		if (ret && io->outcome == RESFENCE_OUT_CONFLICT) {
			set_bit(i, &rd->lost_paths);
			if (usable_path(rd, i, npaths) == i)
				return ret;
			pr_info("%s: path %s: the refresh met a conflict: going on through another path\n",
				rd->disk_name, p->disk_name);
			continue;
		}
		if (!is_path_error(ret, io)) {
			if (i != rd->cur_path)
				pr_info("%s: refreshing through path %s now\n",
					rd->disk_name, p->disk_name);
			rd->cur_path = i;
			WRITE_ONCE(p->state, RESFENCE_PATH_STATE_ARMED);
			if (!ret && rd->lost_paths)
				ret = reregister_lost_paths(rd, i, io, reason);
			return ret;
		}
		WRITE_ONCE(p->state, RESFENCE_PATH_STATE_FAILED);
		pr_warn_ratelimited("%s: refresh through path %s failed: %d (%s)\n",
				    rd->disk_name, p->disk_name, ret, *reason);
	}
	*reason = "no path answered";
	return -EIO;
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
	u32 resets;
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
	/*
	 * The probe may close the gate at any moment, even during this
	 * refresh, and only a refresh opens it again: every command of
	 * a hold that has a gate passes it.
	 */
	io.pass_gate = rd->has_epoch;
	resets = resfence_gate_resets(rd);
	if (rd->mode == RESFENCE_MODE_SCSI2)
		ret = refresh_scsi2(rd, &io, &reason);
	else
		ret = refresh_pr_paths(rd, &io, &reason);
	/* Proven ours again; or a dry run, which keeps its I/O. */
	if (!ret || rd->action == RESFENCE_ACTION_LOG)
		resfence_gate_open_after(rd, resets);
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
		/*
		 * An allocation failed on the way (a command's bio in
		 * blk_rq_map_kern(), the larger key list): the outcome of
		 * the last command sent ("device unreachable" for one never
		 * issued, "good" after READ KEYS) does not say so.
		 */
		if (ret == -ENOMEM)
			reason = "out of memory";
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
	/* Disarmed a grace period ago: the probe cannot close it again. */
	resfence_gate_open(rd);
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
