/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The timing model of the refresh and the lease. Pure arithmetic on
 * monotonic times (ktime_t, nanoseconds), no timers: refresh.c applies it.
 */
#ifndef _RESFENCE_TIMING_H
#define _RESFENCE_TIMING_H

#include <linux/ktime.h>

ktime_t resfence_next_deadline(ktime_t deadline, ktime_t now, u32 interval_ms);
u64 resfence_lateness_ns(ktime_t deadline, ktime_t start);
ktime_t resfence_lease_deadline(ktime_t last_ok, u32 lease_ms);
bool resfence_lease_expired(ktime_t lease_deadline, ktime_t now);

#endif /* _RESFENCE_TIMING_H */
