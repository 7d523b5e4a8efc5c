// SPDX-License-Identifier: GPL-2.0
/*
 * Refresh deadlines form a fixed grid: deadline(n+1) = deadline(n) +
 * interval, independent of when a refresh ran or how long it took, so the
 * schedule does not drift. A refresh that overran the next deadline
 * triggers the next one at once and the grid restarts from there, rather
 * than a burst of catch-up refreshes.
 *
 * The lease is measured from the start of the last refresh that succeeded:
 * the target saw our command no earlier than that, so the lease can only
 * expire early, never late.
 */
#include <linux/ktime.h>

#include "timing.h"

/**
 * resfence_next_deadline() - the deadline after @deadline
 * @deadline: the deadline the refresh that just ran was scheduled for
 * @now: the time now
 * @interval_ms: the refresh interval
 *
 * Return: @deadline + @interval_ms, or @now when that is already past.
 */
ktime_t resfence_next_deadline(ktime_t deadline, ktime_t now, u32 interval_ms)
{
	ktime_t next = ktime_add_ms(deadline, interval_ms);

	return ktime_after(next, now) ? next : now;
}

/**
 * resfence_lateness_ns() - how late a refresh started
 * @deadline: when it should have started
 * @start: when it did
 *
 * Return: nanoseconds past the deadline, 0 when on time or early.
 */
u64 resfence_lateness_ns(ktime_t deadline, ktime_t start)
{
	return ktime_after(start, deadline) ? ktime_sub(start, deadline) : 0;
}

/**
 * resfence_lease_deadline() - when the lease runs out
 * @last_ok: start of the last successful refresh (or of the acquire)
 * @lease_ms: the lease, 0 for none
 *
 * Return: the expiry time, KTIME_MAX when there is no lease.
 */
ktime_t resfence_lease_deadline(ktime_t last_ok, u32 lease_ms)
{
	if (!lease_ms)
		return KTIME_MAX;
	return ktime_add_ms(last_ok, lease_ms);
}

/**
 * resfence_lease_expired() - has the lease run out
 * @lease_deadline: from resfence_lease_deadline()
 * @now: the time now
 *
 * Return: true once @now reaches the deadline.
 */
bool resfence_lease_expired(ktime_t lease_deadline, ktime_t now)
{
	return lease_deadline != KTIME_MAX && !ktime_before(now, lease_deadline);
}
