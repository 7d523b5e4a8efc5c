// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for ../defaults.c: the documented defaults of a HOLD and the
 * lease a hold gets when it names none (twice its interval, issue 3).
 * This module has its own copy of the defaults (the file is compiled in
 * here), so the running scsi_resfence.ko, if any, is not touched.
 */
#include <kunit/test.h>

#include "../defaults.c"

static struct resfence_defaults saved;

static int defaults_init(struct kunit *test)
{
	resfence_defaults_get(&saved);
	return 0;
}

static void defaults_exit(struct kunit *test)
{
	resfence_defaults_set(&saved);
}

static void defaults_documented_values(struct kunit *test)
{
	struct resfence_defaults d;

	resfence_defaults_get(&d);
	/* 2 s refresh, lease twice the interval, restart on a conflict. */
	KUNIT_EXPECT_EQ(test, d.interval_ms, 2000u);
	KUNIT_EXPECT_TRUE(test, d.lease_auto);
	KUNIT_EXPECT_EQ(test, d.action, RESFENCE_ACTION_RESTART);
	KUNIT_EXPECT_EQ(test, resfence_defaults_lease_for(&d, d.interval_ms), 4000u);
}

static void defaults_set_get_round_trip(struct kunit *test)
{
	const struct resfence_defaults in = {
		.interval_ms = 750,
		.lease_ms = 1600,
		.lease_auto = false,
		.action = RESFENCE_ACTION_LOG,
		.mode = RESFENCE_MODE_SCSI2,
	};
	struct resfence_defaults out;

	resfence_defaults_set(&in);
	memset(&out, 0xaa, sizeof(out));
	resfence_defaults_get(&out);
	KUNIT_EXPECT_EQ(test, out.interval_ms, 750u);
	KUNIT_EXPECT_EQ(test, out.lease_ms, 1600u);
	KUNIT_EXPECT_FALSE(test, out.lease_auto);
	KUNIT_EXPECT_EQ(test, out.action, RESFENCE_ACTION_LOG);
	KUNIT_EXPECT_EQ(test, out.mode, RESFENCE_MODE_SCSI2);
}

static void defaults_lease_auto_is_twice_interval(struct kunit *test)
{
	const struct resfence_defaults d = { .lease_auto = true, .lease_ms = 999 };

	KUNIT_EXPECT_EQ(test, resfence_defaults_lease_for(&d, RESFENCE_INTERVAL_MIN_MS),
			2u * RESFENCE_INTERVAL_MIN_MS);
	KUNIT_EXPECT_EQ(test, resfence_defaults_lease_for(&d, 2000), 4000u);
	/* The largest interval the ABI allows must not wrap around. */
	KUNIT_EXPECT_EQ(test, resfence_defaults_lease_for(&d, RESFENCE_INTERVAL_MAX_MS),
			2u * RESFENCE_INTERVAL_MAX_MS);
}

static void defaults_lease_fixed_and_disabled(struct kunit *test)
{
	struct resfence_defaults d = { .lease_auto = false, .lease_ms = 5000 };

	/* A fixed lease does not follow the hold's interval. */
	KUNIT_EXPECT_EQ(test, resfence_defaults_lease_for(&d, 100), 5000u);
	KUNIT_EXPECT_EQ(test, resfence_defaults_lease_for(&d, 60000), 5000u);
	/* 0 disables the lease. */
	d.lease_ms = 0;
	KUNIT_EXPECT_EQ(test, resfence_defaults_lease_for(&d, 2000), 0u);
}

static struct kunit_case defaults_cases[] = {
	KUNIT_CASE(defaults_documented_values),
	KUNIT_CASE(defaults_set_get_round_trip),
	KUNIT_CASE(defaults_lease_auto_is_twice_interval),
	KUNIT_CASE(defaults_lease_fixed_and_disabled),
	{}
};

static struct kunit_suite defaults_suite = {
	.name = "resfence_defaults",
	.init = defaults_init,
	.exit = defaults_exit,
	.test_cases = defaults_cases,
};

kunit_test_suite(defaults_suite);
