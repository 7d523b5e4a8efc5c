// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for ../record.c: the fence record line that resfencectl
 * last-fence parses after the restart. The expected lines are written out
 * by hand: the record is an interface, and its text must not drift.
 */
#include <kunit/test.h>

#include "../record.c"

static void record_pr_full(struct kunit *test)
{
	struct resfence_record r = {
		.disk = "sdc", .major = 8, .minor = 32,
		.id = "naa.6001405abcdef0123456789abcdef01", .pr = true,
		.key = 0xa1b2c3d4e5f60718ULL, .holder_known = true,
		.reserved = true, .holder = 0xbeefULL,
		.generation_known = true, .generation = 4294967295U,
		.reason = "key-gone", .action = "restart",
		.sec = 1764622512, .nsec = 5,
	};
	char buf[RESFENCE_RECORD_LEN];

	resfence_record_format(buf, sizeof(buf), &r);
	KUNIT_EXPECT_STREQ(test, buf,
			   "FENCE-RECORD v1 disk=sdc devt=8:32 id=naa.6001405abcdef0123456789abcdef01 mode=pr key=0xa1b2c3d4e5f60718 holder=0xbeef generation=4294967295 reason=key-gone action=restart time=1764622512.000000005");
}

static void record_unknowns_are_dashes(struct kunit *test)
{
	struct resfence_record pr = {
		.disk = "sdb", .major = 8, .minor = 16, .id = "", .pr = true,
		.key = 1, .reason = "conflict", .action = "panic",
		.sec = 0, .nsec = 0,
	};
	struct resfence_record scsi2 = {
		.disk = "sdb", .major = 8, .minor = 16, .id = NULL,
		.pr = false, .key = 7, .holder_known = true, .holder = 9,
		.generation_known = true, .generation = 3,
		.reason = "lease", .action = "restart", .sec = 12, .nsec = 999999999,
	};
	struct resfence_record released = pr;
	char buf[RESFENCE_RECORD_LEN];

	resfence_record_format(buf, sizeof(buf), &pr);
	KUNIT_EXPECT_STREQ(test, buf,
			   "FENCE-RECORD v1 disk=sdb devt=8:16 id=- mode=pr key=0x1 holder=- generation=- reason=conflict action=panic time=0.000000000");
	/* scsi2 has no key, holder or generation, whatever the entry says. */
	resfence_record_format(buf, sizeof(buf), &scsi2);
	KUNIT_EXPECT_STREQ(test, buf,
			   "FENCE-RECORD v1 disk=sdb devt=8:16 id=- mode=scsi2 key=- holder=- generation=- reason=lease action=restart time=12.999999999");
	/* A READ RESERVATION that showed no reservation at all. */
	released.holder_known = true;
	released.generation_known = true;
	released.generation = 2;
	resfence_record_format(buf, sizeof(buf), &released);
	KUNIT_EXPECT_STREQ(test, buf,
			   "FENCE-RECORD v1 disk=sdb devt=8:16 id=- mode=pr key=0x1 holder=none generation=2 reason=conflict action=panic time=0.000000000");
}

static void record_longest_fits(struct kunit *test)
{
	char id[RESFENCE_ID_LEN];
	struct resfence_record r = {
		.disk = "sdzzzzzzzzzzzzzzzzzzzzzzzzzzzz", .major = 4095,
		.minor = 1048575, .id = id, .pr = true, .key = ~0ULL,
		.holder_known = true, .reserved = true, .holder = ~0ULL,
		.generation_known = true, .generation = ~0U,
		.reason = "foreign-holder", .action = "restart",
		.sec = S64_MAX, .nsec = 999999999,
	};
	char buf[RESFENCE_RECORD_LEN];
	int len;

	memset(id, 'x', sizeof(id) - 1);
	id[sizeof(id) - 1] = '\0';
	len = resfence_record_format(buf, sizeof(buf), &r);
	/* Nothing cut: the line still ends with the whole time field. */
	KUNIT_EXPECT_LT(test, len, (int)sizeof(buf) - 1);
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, " time=9223372036854775807.999999999"));
}

static void record_sanitize_id(struct kunit *test)
{
	char t10[] = "t10.LIO-ORG  disk0\t\x7f\xc3\xa9";

	resfence_record_sanitize_id(t10);
	KUNIT_EXPECT_STREQ(test, t10, "t10.LIO-ORG__disk0____");
}

static struct kunit_case record_cases[] = {
	KUNIT_CASE(record_pr_full),
	KUNIT_CASE(record_unknowns_are_dashes),
	KUNIT_CASE(record_longest_fits),
	KUNIT_CASE(record_sanitize_id),
	{}
};

static struct kunit_suite record_suite = {
	.name = "resfence_record",
	.test_cases = record_cases,
};

kunit_test_suite(record_suite);
