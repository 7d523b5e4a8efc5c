// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for ../cdb.c: RESERVE/RELEASE(6/10), PERSISTENT RESERVE OUT
 * and IN CDBs and the PR OUT parameter list, byte for byte against
 * SPC-3 (PR) and SPC-2 (RESERVE/RELEASE).
 */
#include <kunit/test.h>

#include "../cdb.c"
#include "expect.h"

static void cdb_reserve_release_scsi2(struct kunit *test)
{
	/* SPC-2: RESERVE(6) 16h, RELEASE(6) 17h, RESERVE(10) 56h, RELEASE(10) 57h */
	static const u8 rsv6[6] = { 0x16 };
	static const u8 rel6[6] = { 0x17 };
	static const u8 rsv10[10] = { 0x56 };
	static const u8 rel10[10] = { 0x57 };
	struct resfence_cdb c;

	KUNIT_ASSERT_EQ(test, resfence_cdb_reserve(&c, 6), 0);
	KUNIT_EXPECT_EQ(test, c.len, 6);
	expect_bytes(test, "RESERVE(6)", c.b, rsv6, 6);
	KUNIT_EXPECT_STREQ(test, resfence_cdb_name(&c), "RESERVE(6)");

	KUNIT_ASSERT_EQ(test, resfence_cdb_release(&c, 6), 0);
	KUNIT_EXPECT_EQ(test, c.len, 6);
	expect_bytes(test, "RELEASE(6)", c.b, rel6, 6);
	KUNIT_EXPECT_STREQ(test, resfence_cdb_name(&c), "RELEASE(6)");

	KUNIT_ASSERT_EQ(test, resfence_cdb_reserve(&c, 10), 0);
	KUNIT_EXPECT_EQ(test, c.len, 10);
	expect_bytes(test, "RESERVE(10)", c.b, rsv10, 10);
	KUNIT_EXPECT_STREQ(test, resfence_cdb_name(&c), "RESERVE(10)");

	KUNIT_ASSERT_EQ(test, resfence_cdb_release(&c, 10), 0);
	KUNIT_EXPECT_EQ(test, c.len, 10);
	expect_bytes(test, "RELEASE(10)", c.b, rel10, 10);
	KUNIT_EXPECT_STREQ(test, resfence_cdb_name(&c), "RELEASE(10)");
}

static void cdb_scsi2_bad_length(struct kunit *test)
{
	static const unsigned int bad[] = { 0, 1, 5, 7, 9, 12, 16, 256, ~0u };
	struct resfence_cdb c;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		memset(&c, 0xaa, sizeof(c));
		KUNIT_EXPECT_EQ_MSG(test, resfence_cdb_reserve(&c, bad[i]),
				    -EINVAL, "RESERVE length %u", bad[i]);
		/* Nothing half-built is left to be sent by mistake. */
		KUNIT_EXPECT_EQ_MSG(test, c.len, 0, "RESERVE length %u", bad[i]);
		KUNIT_EXPECT_EQ_MSG(test, resfence_cdb_release(&c, bad[i]),
				    -EINVAL, "RELEASE length %u", bad[i]);
		KUNIT_EXPECT_EQ_MSG(test, c.len, 0, "RELEASE length %u", bad[i]);
	}
}

static void cdb_pr_type_valid_exactly_six(struct kunit *test)
{
	/* SPC-3 table 107: WE 1, EA 3, WE-RO 5, EA-RO 6, WE-AR 7, EA-AR 8 */
	unsigned int t, n = 0;

	for (t = 0; t <= 0xff; t++) {
		bool want = t == 1 || t == 3 || t == 5 || t == 6 ||
			    t == 7 || t == 8;

		KUNIT_EXPECT_EQ_MSG(test, resfence_pr_type_valid(t), want,
				    "type 0x%02x", t);
		n += resfence_pr_type_valid(t);
	}
	KUNIT_EXPECT_EQ(test, n, 6);
}

static void cdb_pr_out_reserve_each_type(struct kunit *test)
{
	static const u8 types[] = { 1, 3, 5, 6, 7, 8 };
	struct resfence_cdb c;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(types); i++) {
		/*
		 * PERSISTENT RESERVE OUT 5Fh, SERVICE ACTION in byte 1, SCOPE 0
		 * (LU) and TYPE in byte 2, PARAMETER LIST LENGTH (bytes 5..8,
		 * big-endian) 24: the basic parameter list.
		 */
		const u8 want[10] = { 0x5f, 0x01, types[i], 0, 0,
				      0, 0, 0, 24, 0 };

		KUNIT_ASSERT_EQ(test, resfence_cdb_pr_out(&c, 0x01, types[i]), 0);
		KUNIT_EXPECT_EQ(test, c.len, 10);
		expect_bytes(test, "PR OUT RESERVE", c.b, want, 10);
	}
	KUNIT_EXPECT_STREQ(test, resfence_cdb_name(&c), "PR OUT RESERVE");
}

static void cdb_pr_out_service_actions(struct kunit *test)
{
	static const struct {
		u8 sa;
		u8 type_in;
		u8 type_byte;	/* what byte 2 must hold */
		const char *name;
	} cases[] = {
		/* REGISTER, CLEAR and REGISTER AND IGNORE take no TYPE. */
		{ 0x00, 0x05, 0x00, "PR OUT REGISTER" },
		{ 0x02, 0x05, 0x05, "PR OUT RELEASE" },
		{ 0x03, 0x01, 0x00, "PR OUT CLEAR" },
		{ 0x04, 0x07, 0x07, "PR OUT PREEMPT" },
		{ 0x05, 0x08, 0x08, "PR OUT PREEMPT AND ABORT" },
		{ 0x06, 0x03, 0x00, "PR OUT REGISTER AND IGNORE EXISTING KEY" },
		/* An invalid TYPE does not matter where there is no TYPE. */
		{ 0x00, 0xff, 0x00, "PR OUT REGISTER" },
		{ 0x03, 0x00, 0x00, "PR OUT CLEAR" },
	};
	struct resfence_cdb c;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const u8 want[10] = { 0x5f, cases[i].sa, cases[i].type_byte,
				      0, 0, 0, 0, 0, 24, 0 };

		KUNIT_ASSERT_EQ_MSG(test,
				    resfence_cdb_pr_out(&c, cases[i].sa,
							cases[i].type_in),
				    0, "%s", cases[i].name);
		expect_bytes(test, cases[i].name, c.b, want, 10);
		KUNIT_EXPECT_STREQ(test, resfence_cdb_name(&c), cases[i].name);
	}
}

static void cdb_pr_out_rejects(struct kunit *test)
{
	struct resfence_cdb c;
	unsigned int sa, t;

	/* REGISTER AND MOVE (07h) and up are not ours to send. */
	for (sa = 0x07; sa <= 0xff; sa++) {
		KUNIT_EXPECT_EQ_MSG(test, resfence_cdb_pr_out(&c, sa, 1),
				    -EINVAL, "service action 0x%02x", sa);
		KUNIT_EXPECT_EQ(test, c.len, 0);
	}
	/* The four actions that carry a TYPE refuse every invalid one. */
	for (t = 0; t <= 0xff; t++) {
		if (resfence_pr_type_valid(t))
			continue;
		KUNIT_EXPECT_EQ_MSG(test, resfence_cdb_pr_out(&c, 0x01, t),
				    -EINVAL, "RESERVE type 0x%02x", t);
		KUNIT_EXPECT_EQ_MSG(test, resfence_cdb_pr_out(&c, 0x02, t),
				    -EINVAL, "RELEASE type 0x%02x", t);
		KUNIT_EXPECT_EQ_MSG(test, resfence_cdb_pr_out(&c, 0x04, t),
				    -EINVAL, "PREEMPT type 0x%02x", t);
		KUNIT_EXPECT_EQ_MSG(test, resfence_cdb_pr_out(&c, 0x05, t),
				    -EINVAL, "PREEMPT AND ABORT type 0x%02x", t);
	}
	/* 0x11 would put 1 (WE) in TYPE and garbage in SCOPE if masked. */
	KUNIT_EXPECT_EQ(test, resfence_cdb_pr_out(&c, 0x01, 0x11), -EINVAL);
}

static void cdb_pr_out_params_layout(struct kunit *test)
{
	/*
	 * SPC-3 table 114: RESERVATION KEY bytes 0..7, SERVICE ACTION
	 * RESERVATION KEY 8..15, obsolete 16..19, flags (SPEC_I_PT, ALL_TG_PT,
	 * APTPL) byte 20: all clear, 21..23 reserved.
	 */
	static const u8 want[24] = {
		0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,
		0xf1, 0xe2, 0xd3, 0xc4, 0xb5, 0xa6, 0x97, 0x88,
	};
	u8 buf[24 + 8];
	size_t i;

	memset(buf, 0x5a, sizeof(buf));
	resfence_pr_out_params(buf, 0x0102030405060708ULL,
			       0xf1e2d3c4b5a69788ULL);
	expect_bytes(test, "PR OUT parameter list", buf, want, 24);
	/* Exactly 24 bytes written: the CDB says 24. */
	for (i = 24; i < sizeof(buf); i++)
		KUNIT_EXPECT_EQ_MSG(test, buf[i], 0x5a, "byte %zu", i);

	/* Key 0 is how REGISTER unregisters: it must encode as zeros. */
	resfence_pr_out_params(buf, 0xffffffffffffffffULL, 0);
	for (i = 0; i < 8; i++)
		KUNIT_EXPECT_EQ_MSG(test, buf[i], 0xff, "byte %zu", i);
	for (i = 8; i < 24; i++)
		KUNIT_EXPECT_EQ_MSG(test, buf[i], 0, "byte %zu", i);
}

static void cdb_pr_in_encoding(struct kunit *test)
{
	/* PERSISTENT RESERVE IN 5Eh, SERVICE ACTION byte 1, ALLOCATION
	 * LENGTH bytes 7..8 big-endian.
	 */
	static const u8 keys_8[10] = { 0x5e, 0x00, 0, 0, 0, 0, 0, 0x00, 0x08, 0 };
	static const u8 resv_max[10] = { 0x5e, 0x01, 0, 0, 0, 0, 0, 0xff, 0xff, 0 };
	static const u8 keys_1234[10] = { 0x5e, 0x00, 0, 0, 0, 0, 0, 0x12, 0x34, 0 };
	static const u8 caps_8[10] = { 0x5e, 0x02, 0, 0, 0, 0, 0, 0x00, 0x08, 0 };
	struct resfence_cdb c;

	KUNIT_ASSERT_EQ(test, resfence_cdb_pr_in(&c, 0x00, 8), 0);
	KUNIT_EXPECT_EQ(test, c.len, 10);
	expect_bytes(test, "READ KEYS, 8", c.b, keys_8, 10);
	KUNIT_EXPECT_STREQ(test, resfence_cdb_name(&c), "PR IN READ KEYS");

	KUNIT_ASSERT_EQ(test, resfence_cdb_pr_in(&c, 0x01, 0xffff), 0);
	expect_bytes(test, "READ RESERVATION, 65535", c.b, resv_max, 10);
	KUNIT_EXPECT_STREQ(test, resfence_cdb_name(&c), "PR IN READ RESERVATION");

	KUNIT_ASSERT_EQ(test, resfence_cdb_pr_in(&c, 0x00, 0x1234), 0);
	expect_bytes(test, "READ KEYS, 0x1234", c.b, keys_1234, 10);

	/* REPORT CAPABILITIES, for hold --aptpl. */
	KUNIT_ASSERT_EQ(test, resfence_cdb_pr_in(&c, 0x02, 8), 0);
	expect_bytes(test, "REPORT CAPABILITIES, 8", c.b, caps_8, 10);
	KUNIT_EXPECT_STREQ(test, resfence_cdb_name(&c), "PR IN REPORT CAPABILITIES");
}

static void cdb_pr_in_rejects(struct kunit *test)
{
	static const unsigned int bad_len[] = { 0, 1, 7, 0x10000, 0x10008, ~0u };
	struct resfence_cdb c;
	unsigned int sa;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad_len); i++) {
		KUNIT_EXPECT_EQ_MSG(test, resfence_cdb_pr_in(&c, 0, bad_len[i]),
				    -EINVAL, "allocation length %u", bad_len[i]);
		KUNIT_EXPECT_EQ(test, c.len, 0);
	}
	/* READ FULL STATUS (03h), ...: not used. */
	for (sa = 0x03; sa <= 0xff; sa++)
		KUNIT_EXPECT_EQ_MSG(test, resfence_cdb_pr_in(&c, sa, 64),
				    -EINVAL, "service action 0x%02x", sa);
}

/* SBC-3: READ(10) 28h, WRITE(10) 2Ah, LBA bytes 2-5, length bytes 7-8. */
static void cdb_rw10_epoch_block(struct kunit *test)
{
	static const u8 rd[10] = { 0x28, 0, 0x12, 0x34, 0x56, 0x78, 0, 0, 1, 0 };
	static const u8 wr[10] = { 0x2a, 0, 0xff, 0xff, 0xff, 0xff, 0, 0, 1, 0 };
	struct resfence_cdb c;

	resfence_cdb_rw10(&c, false, 0x12345678);
	KUNIT_EXPECT_EQ(test, c.len, 10);
	expect_bytes(test, "READ(10)", c.b, rd, sizeof(rd));
	KUNIT_EXPECT_STREQ(test, resfence_cdb_name(&c), "READ(10)");
	resfence_cdb_rw10(&c, true, 0xffffffff);
	expect_bytes(test, "WRITE(10)", c.b, wr, sizeof(wr));
	KUNIT_EXPECT_STREQ(test, resfence_cdb_name(&c), "WRITE(10)");
}

static void cdb_name_unknown(struct kunit *test)
{
	struct resfence_cdb c = { .b = { 0x35 }, .len = 10 };	/* SYNCHRONIZE CACHE(10) */

	KUNIT_EXPECT_STREQ(test, resfence_cdb_name(&c), "SCSI command");
	/* A PR OUT CDB with an out-of-table action still gets a name. */
	c.b[0] = 0x5f;
	c.b[1] = 0x1f;
	KUNIT_EXPECT_STREQ(test, resfence_cdb_name(&c), "PR OUT");
}

static struct kunit_case cdb_cases[] = {
	KUNIT_CASE(cdb_reserve_release_scsi2),
	KUNIT_CASE(cdb_scsi2_bad_length),
	KUNIT_CASE(cdb_pr_type_valid_exactly_six),
	KUNIT_CASE(cdb_pr_out_reserve_each_type),
	KUNIT_CASE(cdb_pr_out_service_actions),
	KUNIT_CASE(cdb_pr_out_rejects),
	KUNIT_CASE(cdb_pr_out_params_layout),
	KUNIT_CASE(cdb_pr_in_encoding),
	KUNIT_CASE(cdb_pr_in_rejects),
	KUNIT_CASE(cdb_name_unknown),
	KUNIT_CASE(cdb_rw10_epoch_block),
	{}
};

static struct kunit_suite cdb_suite = {
	.name = "resfence_cdb",
	.test_cases = cdb_cases,
};

kunit_test_suite(cdb_suite);
