// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for ../timing.c: the refresh deadlines form a fixed grid that
 * does not drift, an overrun restarts the grid instead of bursting, and the
 * lease runs out exactly lease_ms after the last good refresh began, and
 * never when it is disabled. Times are plain numbers here: no clock runs.
 */
#include <kunit/test.h>

#include <linux/resfence.h>

#include "../timing.c"

#define MS(x)	((s64)(x) * NSEC_PER_MSEC)

static void timing_next_on_grid(struct kunit *test)
{
	/* Deadline 10 s, the refresh finished 300 ms later: next at 12 s. */
	KUNIT_EXPECT_EQ(test, resfence_next_deadline(MS(10000), MS(10300), 2000),
			MS(12000));
	/* Finished early (before its deadline, e.g. an immediate verify). */
	KUNIT_EXPECT_EQ(test, resfence_next_deadline(MS(10000), MS(9000), 2000),
			MS(12000));
}

static void timing_grid_does_not_drift(struct kunit *test)
{
	const ktime_t d0 = MS(5000);
	ktime_t d = d0;
	unsigned int n;

	/*
	 * 10000 refreshes of 100 ms each taking a different time below the
	 * interval (0..97 ms): the n-th deadline is still d0 + n * interval,
	 * to the nanosecond.
	 */
	for (n = 1; n <= 10000; n++) {
		ktime_t now = d + MS(n % 98) + 13;

		d = resfence_next_deadline(d, now, 100);
		if (d != d0 + (s64)n * MS(100)) {
			KUNIT_FAIL(test, "deadline %u is %lld ns, expected %lld", n,
				   d, d0 + (s64)n * MS(100));
			return;
		}
	}
}

static void timing_overrun_restarts_grid(struct kunit *test)
{
	ktime_t d;

	/* The refresh for 10 s took until 17.5 s: the next one is due now... */
	d = resfence_next_deadline(MS(10000), MS(17500), 2000);
	KUNIT_EXPECT_EQ(test, d, MS(17500));
	/* ...and the grid goes on from there, not from 10 s + k * 2 s. */
	KUNIT_EXPECT_EQ(test, resfence_next_deadline(d, MS(17600), 2000), MS(19500));
	/* Exactly on the next deadline: that deadline, which is now. */
	KUNIT_EXPECT_EQ(test, resfence_next_deadline(MS(10000), MS(12000), 2000),
			MS(12000));
}

static void timing_largest_interval(struct kunit *test)
{
	/* 3600000 ms does not fit 32 bits once in nanoseconds. */
	KUNIT_EXPECT_EQ(test,
			resfence_next_deadline(MS(1000), MS(1001), RESFENCE_INTERVAL_MAX_MS),
			MS(1000) + (s64)RESFENCE_INTERVAL_MAX_MS * NSEC_PER_MSEC);
	KUNIT_EXPECT_EQ(test, resfence_lease_deadline(MS(1000), 2 * RESFENCE_INTERVAL_MAX_MS),
			MS(1000) + 2 * (s64)RESFENCE_INTERVAL_MAX_MS * NSEC_PER_MSEC);
}

static void timing_lateness(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, resfence_lateness_ns(MS(2000), MS(1999)), 0ULL);
	KUNIT_EXPECT_EQ(test, resfence_lateness_ns(MS(2000), MS(2000)), 0ULL);
	KUNIT_EXPECT_EQ(test, resfence_lateness_ns(MS(2000), MS(2000) + 1), 1ULL);
	KUNIT_EXPECT_EQ(test, resfence_lateness_ns(MS(2000), MS(2345)), (u64)MS(345));
	/* An early start long before the deadline is not "very late". */
	KUNIT_EXPECT_EQ(test, resfence_lateness_ns(MS(100000), 0), 0ULL);
}

static void timing_lease_expiry(struct kunit *test)
{
	ktime_t exp = resfence_lease_deadline(MS(50000), 4000);

	KUNIT_EXPECT_EQ(test, exp, MS(54000));
	KUNIT_EXPECT_FALSE(test, resfence_lease_expired(exp, MS(50000)));
	KUNIT_EXPECT_FALSE(test, resfence_lease_expired(exp, MS(54000) - 1));
	/* Expired at the deadline itself: the lease is a bound, not a hint. */
	KUNIT_EXPECT_TRUE(test, resfence_lease_expired(exp, MS(54000)));
	KUNIT_EXPECT_TRUE(test, resfence_lease_expired(exp, MS(99000)));
}

static void timing_lease_disabled(struct kunit *test)
{
	ktime_t exp = resfence_lease_deadline(MS(50000), 0);

	KUNIT_EXPECT_EQ(test, exp, KTIME_MAX);
	KUNIT_EXPECT_FALSE(test, resfence_lease_expired(exp, MS(50000)));
	KUNIT_EXPECT_FALSE(test, resfence_lease_expired(exp, KTIME_MAX - 1));
	KUNIT_EXPECT_FALSE(test, resfence_lease_expired(exp, KTIME_MAX));
}

static void timing_lease_follows_last_success(struct kunit *test)
{
	ktime_t last_ok = MS(1000);
	unsigned int n;

	/*
	 * Refreshes every 2 s with a 4 s lease; the ones at 5 s and 7 s
	 * fail. The lease set by the 3 s success runs out at 7 s, before the
	 * 9 s refresh could renew it.
	 */
	for (n = 1; n <= 4; n++) {
		ktime_t now = MS(1000 + 2000 * n);
		ktime_t lease = resfence_lease_deadline(last_ok, 4000);

		if (now == MS(7000)) {
			KUNIT_EXPECT_TRUE(test, resfence_lease_expired(lease, now));
			break;
		}
		KUNIT_EXPECT_FALSE_MSG(test, resfence_lease_expired(lease, now),
				       "at %lld", now);
		if (now != MS(5000))
			last_ok = now;
	}
	KUNIT_EXPECT_EQ(test, last_ok, MS(3000));
}

static struct kunit_case timing_cases[] = {
	KUNIT_CASE(timing_next_on_grid),
	KUNIT_CASE(timing_grid_does_not_drift),
	KUNIT_CASE(timing_overrun_restarts_grid),
	KUNIT_CASE(timing_largest_interval),
	KUNIT_CASE(timing_lateness),
	KUNIT_CASE(timing_lease_expiry),
	KUNIT_CASE(timing_lease_disabled),
	KUNIT_CASE(timing_lease_follows_last_success),
	{}
};

static struct kunit_suite timing_suite = {
	.name = "resfence_timing",
	.test_cases = timing_cases,
};

kunit_test_suite(timing_suite);
