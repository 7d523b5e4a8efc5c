// SPDX-License-Identifier: GPL-2.0
/*
 * Applying a device's action once it has lost its reservation.
 *
 * Runs in whatever context noticed: the completion of a command (possibly
 * hard interrupt), the lease hrtimer (hard interrupt) or the refresh work.
 * So: no sleeping, no allocation; events for userspace are handed to a
 * work item.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitops.h>
#include <linux/kernel.h>
#include <linux/printk.h>
#include <linux/reboot.h>
#include <linux/timekeeping.h>
#include <linux/resfence.h>

#include "compat.h"
#include "decide.h"
#include "fence.h"
#include "netlink.h"
#include "verify.h"
#include "record.h"
#include "workqueue.h"

/* Set by the first restart or panic: one machine-wide fence is enough. */
static atomic_t fence_in_progress = ATOMIC_INIT(0);
/* The fence record, formatted by the one fence that won fence_in_progress. */
static char fence_record_buf[RESFENCE_RECORD_LEN];

/**
 * resfence_why_str() - the reason in words
 * @why: enum resfence_why
 *
 * Return: a static string.
 */
const char *resfence_why_str(enum resfence_why why)
{
	switch (why) {
	case RESFENCE_WHY_CONFLICT:
		return "reservation conflict";
	case RESFENCE_WHY_KEY_GONE:
		return "our key is no longer registered (preempted)";
	case RESFENCE_WHY_FOREIGN:
		return "another key holds the reservation";
	case RESFENCE_WHY_LEASE:
		return "lease expired without a successful refresh";
	case RESFENCE_WHY_EPOCH:
		return "the takeover epoch on the disk moved (another node took over)";
	case RESFENCE_WHY_VERIFY_TIMEOUT:
		return "reservation conflict not disproved by a verification in time";
	case __RESFENCE_WHY_MAX:
		break;
	}
	return "unknown";
}

/* The reason as a record token (record.h). */
static const char *why_token(enum resfence_why why)
{
	switch (why) {
	case RESFENCE_WHY_CONFLICT:
		return "conflict";
	case RESFENCE_WHY_KEY_GONE:
		return "key-gone";
	case RESFENCE_WHY_FOREIGN:
		return "foreign-holder";
	case RESFENCE_WHY_LEASE:
		return "lease";
	case RESFENCE_WHY_EPOCH:
		return "epoch-moved";
	case RESFENCE_WHY_VERIFY_TIMEOUT:
		return "verify-timeout";
	case __RESFENCE_WHY_MAX:
		break;
	}
	return "unknown";
}

/*
 * The machine-readable line before the human one: it reaches pstore through
 * the kmsg_dump() of emergency_restart() or panic() even when the console
 * never printed it. Only the fence that set fence_in_progress gets here, so
 * the static buffer has one writer. Any context: no allocation, no sleep.
 */
static void fence_record(const struct resfence_dev *rd, enum resfence_why why,
			 const char *action)
{
	struct resfence_record r = {
		.disk = rd->disk_name,
		.major = MAJOR(rd->devt),
		.minor = MINOR(rd->devt),
		.id = rd->lu_id,
		.pr = rd->mode == RESFENCE_MODE_PR,
		.key = rd->key,
		.reason = why_token(why),
		.action = action,
	};
	struct timespec64 now;

	if (READ_ONCE(rd->seen_known)) {
		r.holder_known = true;
		r.reserved = READ_ONCE(rd->seen_reserved);
		r.holder = READ_ONCE(rd->seen_holder);
		r.generation_known = true;
		r.generation = READ_ONCE(rd->seen_generation);
	}
	ktime_get_real_ts64(&now);
	r.sec = now.tv_sec;
	r.nsec = now.tv_nsec;
	resfence_record_format(fence_record_buf, sizeof(fence_record_buf), &r);
	pr_emerg("%s\n", fence_record_buf);
}

static u8 why_event(enum resfence_why why)
{
	return why == RESFENCE_WHY_LEASE ? RESFENCE_EVENT_LEASE_EXPIRED :
					   RESFENCE_EVENT_PREEMPTED;
}

/**
 * resfence_fence() - a held device has lost its reservation: act
 * @rd: the device
 * @why: what showed it
 *
 * Does nothing unless @rd is armed. restart: the fence record (record.h)
 * and one KERN_EMERG line, then the other CPUs are stopped (x86, as
 * panic() does) and emergency_restart() runs, without syncing or
 * unmounting anything: the point is that not one more write reaches the
 * disk. panic: the same through
 * panic(), for kdump. log: a warning, a counter and an event; the node
 * keeps running (dry run). Any context.
 *
 * The fence line, "FENCED <disk> (<maj>:<min>) key <key>: <reason>:
 * restarting now" (or "panicking now"), is the contract with whoever reads
 * the console after the fact, the lab's tests included.
 */
void resfence_fence(struct resfence_dev *rd, enum resfence_why why)
{
	bool armed = READ_ONCE(rd->armed);
	bool already;

	if (!armed)
		return;
	if (why == RESFENCE_WHY_CONFLICT)
		atomic64_inc(&rd->conflicts);
	/* In log mode each kind of evidence is reported once. */
	already = test_and_set_bit(why, &rd->fenced);

	switch (resfence_decide(armed, already, rd->action)) {
	case RESFENCE_V_IGNORE:
	case RESFENCE_V_COUNT:
		return;
	case RESFENCE_V_RESTART:
		if (atomic_xchg(&fence_in_progress, 1))
			return;
		fence_record(rd, why, "restart");
		pr_emerg("FENCED %s (%u:%u) key 0x%llx: %s: restarting now\n",
			 rd->disk_name, MAJOR(rd->devt), MINOR(rd->devt),
			 rd->key, resfence_why_str(why));
		/* Not one more command from another CPU either. */
		resfence_compat_stop_other_cpus();
		emergency_restart();
		return;
	case RESFENCE_V_PANIC:
		if (atomic_xchg(&fence_in_progress, 1))
			return;
		/* The same fence line as a restart, then the panic's own. */
		fence_record(rd, why, "panic");
		pr_emerg("FENCED %s (%u:%u) key 0x%llx: %s: panicking now\n",
			 rd->disk_name, MAJOR(rd->devt), MINOR(rd->devt),
			 rd->key, resfence_why_str(why));
		panic("resfence: FENCED %s (%u:%u) key 0x%llx: %s\n",
		      rd->disk_name, MAJOR(rd->devt), MINOR(rd->devt),
		      rd->key, resfence_why_str(why));
	case RESFENCE_V_LOG:
		pr_warn("would fence %s (%u:%u) key 0x%llx: %s (action log: not restarting)\n",
			rd->disk_name, MAJOR(rd->devt), MINOR(rd->devt),
			rd->key, resfence_why_str(why));
		resfence_event_defer(rd, why_event(why));
		return;
	}
}

/**
 * resfence_event_defer() - send an event from a context that cannot
 * @rd: the device
 * @event: enum resfence_event
 *
 * Any context. Events of one kind raised before the work runs are sent
 * once.
 */
void resfence_event_defer(struct resfence_dev *rd, u8 event)
{
	set_bit(event, &rd->pending_events);
	queue_work(resfence_wq, &rd->event_work);
}

static void event_work_fn(struct work_struct *work)
{
	struct resfence_dev *rd = container_of(work, struct resfence_dev,
					       event_work);
	u8 ev;

	for (ev = RESFENCE_EVENT_UNSPEC + 1; ev < __RESFENCE_EVENT_MAX; ev++) {
		const char *reason = NULL;
		char buf[128];

		if (!test_and_clear_bit(ev, &rd->pending_events))
			continue;
		if (ev == RESFENCE_EVENT_LEASE_EXPIRED)
			reason = resfence_why_str(RESFENCE_WHY_LEASE);
		else if (ev == RESFENCE_EVENT_PREEMPTED)
			reason = "reservation lost (action log: not restarting)";
		else if (ev == RESFENCE_EVENT_CONFLICT_VERIFY)
			reason = resfence_verify_reason(rd, buf, sizeof(buf));
		resfence_nl_event(rd, ev, 0, reason, GFP_NOIO);
	}
}

/**
 * resfence_fence_init() - set up the fence path of a new entry
 * @rd: the entry
 */
void resfence_fence_init(struct resfence_dev *rd)
{
	INIT_WORK(&rd->event_work, event_work_fn);
}
