// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for ../prin.c: READ KEYS and READ RESERVATION parameter data
 * (SPC-3 6.11.2, 6.11.3), well-formed, cut short by the transfer, and with
 * lengths a broken or hostile target could send. Every buffer is exactly as
 * long as the "device" transferred, so a read past it is a KASAN report,
 * which fails the case.
 */
#include <kunit/test.h>

#include "../prin.c"
#include "expect.h"

/* PRGENERATION 0x01020304, ADDITIONAL LENGTH 24, three keys. */
static const u8 three_keys[8 + 24] = {
	0x01, 0x02, 0x03, 0x04, 0x00, 0x00, 0x00, 0x18,
	0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11,
	0xa0, 0xb0, 0xc0, 0xd0, 0xe0, 0xf0, 0x01, 0x02,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe,
};

static void prin_keys_complete(struct kunit *test)
{
	u8 *buf = exact_buf(test, three_keys, sizeof(three_keys));
	struct resfence_pr_keys k;
	u64 keys[4] = { 0, 0, 0, 0x5a5a };

	KUNIT_ASSERT_EQ(test, resfence_prin_parse_keys(buf, sizeof(three_keys),
						       &k, keys, 4), 0);
	KUNIT_EXPECT_EQ(test, k.generation, 0x01020304u);
	KUNIT_EXPECT_EQ(test, k.listed, 3u);
	KUNIT_EXPECT_EQ(test, k.count, 3u);
	KUNIT_EXPECT_EQ(test, k.need_len, 32u);
	KUNIT_EXPECT_FALSE(test, k.truncated);
	KUNIT_EXPECT_EQ(test, keys[0], 0x1111111111111111ULL);
	KUNIT_EXPECT_EQ(test, keys[1], 0xa0b0c0d0e0f00102ULL);
	KUNIT_EXPECT_EQ(test, keys[2], 0xfffffffffffffffeULL);
	/* Nothing is written past the keys the device returned. */
	KUNIT_EXPECT_EQ(test, keys[3], 0x5a5aULL);
}

static void prin_keys_empty(struct kunit *test)
{
	static const u8 none[8] = { 0x00, 0x00, 0x00, 0x07, 0, 0, 0, 0 };
	u8 *buf = exact_buf(test, none, sizeof(none));
	struct resfence_pr_keys k;

	/* No registrations: a valid answer, and no key array is needed. */
	KUNIT_ASSERT_EQ(test, resfence_prin_parse_keys(buf, 8, &k, NULL, 0), 0);
	KUNIT_EXPECT_EQ(test, k.generation, 7u);
	KUNIT_EXPECT_EQ(test, k.listed, 0u);
	KUNIT_EXPECT_EQ(test, k.count, 0u);
	KUNIT_EXPECT_EQ(test, k.need_len, 8u);
	KUNIT_EXPECT_FALSE(test, k.truncated);
}

static void prin_keys_short_header(struct kunit *test)
{
	struct resfence_pr_keys k;
	u64 keys[4];
	size_t len;

	/* 0..7 bytes: not even the header; never "no keys registered". */
	for (len = 0; len < 8; len++) {
		u8 *buf = exact_buf(test, three_keys, len);

		memset(&k, 0xaa, sizeof(k));
		KUNIT_EXPECT_EQ_MSG(test,
				    resfence_prin_parse_keys(buf, len, &k, keys, 4),
				    -EPROTO, "%zu bytes", len);
		KUNIT_EXPECT_EQ_MSG(test, k.count, 0u, "%zu bytes", len);
	}
}

static void prin_keys_length_not_multiple_of_8(struct kunit *test)
{
	static const u32 bad[] = { 1, 4, 7, 9, 12, 23, 0xfffffffc, 0xffffffff };
	u8 data[8 + 24];
	struct resfence_pr_keys k;
	u64 keys[4];
	size_t i;

	memcpy(data, three_keys, sizeof(data));
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		u8 *buf;

		data[4] = bad[i] >> 24;
		data[5] = bad[i] >> 16;
		data[6] = bad[i] >> 8;
		data[7] = bad[i];
		buf = exact_buf(test, data, sizeof(data));
		KUNIT_EXPECT_EQ_MSG(test,
				    resfence_prin_parse_keys(buf, sizeof(data),
							     &k, keys, 4),
				    -EPROTO, "ADDITIONAL LENGTH %u", bad[i]);
	}
}

static void prin_keys_cut_by_transfer(struct kunit *test)
{
	struct resfence_pr_keys k;
	u64 keys[4] = { 0 };
	u8 *buf;

	/* Three keys announced, two and a half arrived (a residual of 4). */
	buf = exact_buf(test, three_keys, 8 + 20);
	KUNIT_ASSERT_EQ(test, resfence_prin_parse_keys(buf, 8 + 20, &k, keys, 4), 0);
	KUNIT_EXPECT_EQ(test, k.listed, 3u);
	KUNIT_EXPECT_EQ(test, k.count, 2u);
	KUNIT_EXPECT_TRUE(test, k.truncated);
	KUNIT_EXPECT_EQ(test, k.need_len, 32u);
	KUNIT_EXPECT_EQ(test, keys[1], 0xa0b0c0d0e0f00102ULL);
	/* The half key is not assembled from what arrived. */
	KUNIT_EXPECT_EQ(test, keys[2], 0ULL);

	/* Header only: the device has keys, none arrived. */
	buf = exact_buf(test, three_keys, 8);
	KUNIT_ASSERT_EQ(test, resfence_prin_parse_keys(buf, 8, &k, keys, 4), 0);
	KUNIT_EXPECT_EQ(test, k.count, 0u);
	KUNIT_EXPECT_EQ(test, k.listed, 3u);
	KUNIT_EXPECT_TRUE(test, k.truncated);
}

static void prin_keys_cut_by_capacity(struct kunit *test)
{
	u8 *buf = exact_buf(test, three_keys, sizeof(three_keys));
	struct resfence_pr_keys k;
	u64 keys[3] = { 0, 0, 0x77 };

	KUNIT_ASSERT_EQ(test, resfence_prin_parse_keys(buf, sizeof(three_keys),
						       &k, keys, 2), 0);
	KUNIT_EXPECT_EQ(test, k.count, 2u);
	KUNIT_EXPECT_EQ(test, k.listed, 3u);
	KUNIT_EXPECT_TRUE(test, k.truncated);
	KUNIT_EXPECT_EQ(test, keys[2], 0x77ULL);

	/* No array at all: counts only, nothing written through NULL. */
	KUNIT_ASSERT_EQ(test, resfence_prin_parse_keys(buf, sizeof(three_keys),
						       &k, NULL, 0), 0);
	KUNIT_EXPECT_EQ(test, k.count, 0u);
	KUNIT_EXPECT_TRUE(test, k.truncated);
}

static void prin_keys_hostile_length(struct kunit *test)
{
	/*
	 * A target claiming 0xfffffff8 bytes of keys in a 32-byte answer:
	 * only what arrived is read, and the length asked for next time
	 * stays within the 16-bit ALLOCATION LENGTH.
	 */
	u8 data[8 + 24];
	struct resfence_pr_keys k;
	struct resfence_cdb c;
	u64 keys[8];
	u8 *buf;

	memcpy(data, three_keys, sizeof(data));
	data[4] = 0xff;
	data[5] = 0xff;
	data[6] = 0xff;
	data[7] = 0xf8;
	buf = exact_buf(test, data, sizeof(data));
	KUNIT_ASSERT_EQ(test, resfence_prin_parse_keys(buf, sizeof(data),
						       &k, keys, 8), 0);
	KUNIT_EXPECT_EQ(test, k.listed, 0x1fffffffu);
	KUNIT_EXPECT_EQ(test, k.count, 3u);
	KUNIT_EXPECT_TRUE(test, k.truncated);
	KUNIT_EXPECT_EQ(test, k.need_len, 0xffffu);
	KUNIT_EXPECT_EQ(test, resfence_cdb_pr_in(&c, 0, k.need_len), 0);
}

static void prin_keys_need_len_is_encodable(struct kunit *test)
{
	/* Whatever ADDITIONAL LENGTH says, need_len is a valid PR IN length. */
	static const u32 add[] = { 0, 8, 0xfff0, 0xfff8, 0x10000, 0x7ffffff8 };
	u8 data[8] = { 0 };
	struct resfence_pr_keys k;
	struct resfence_cdb c;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(add); i++) {
		data[4] = add[i] >> 24;
		data[5] = add[i] >> 16;
		data[6] = add[i] >> 8;
		data[7] = add[i];
		KUNIT_ASSERT_EQ(test, resfence_prin_parse_keys(data, 8, &k, NULL, 0), 0);
		KUNIT_EXPECT_EQ_MSG(test, k.need_len,
				    (u32)min_t(u64, 8ULL + add[i], 0xffff),
				    "ADDITIONAL LENGTH %u", add[i]);
		KUNIT_EXPECT_EQ_MSG(test, resfence_cdb_pr_in(&c, 0, k.need_len), 0,
				    "ADDITIONAL LENGTH %u", add[i]);
	}
}

static void prin_keys_count(struct kunit *test)
{
	static const u64 keys[] = { 0xa1, 0xb1, 0xa1, 0xa1 };

	KUNIT_EXPECT_EQ(test, resfence_keys_count(keys, 4, 0xa1), 3U);
	KUNIT_EXPECT_EQ(test, resfence_keys_count(keys, 2, 0xa1), 1U);
	KUNIT_EXPECT_EQ(test, resfence_keys_count(keys, 4, 0xc1), 0U);
	KUNIT_EXPECT_EQ(test, resfence_keys_count(NULL, 0, 0xa1), 0U);
}

static void prin_keys_contain(struct kunit *test)
{
	static const u64 keys[] = { 0x1, 0xabcdef0123456789ULL, 0x1 };

	KUNIT_EXPECT_TRUE(test, resfence_keys_contain(keys, 3, 0xabcdef0123456789ULL));
	KUNIT_EXPECT_TRUE(test, resfence_keys_contain(keys, 3, 0x1));
	KUNIT_EXPECT_FALSE(test, resfence_keys_contain(keys, 3, 0xabcdef0123456788ULL));
	/* Only the first @count keys are looked at. */
	KUNIT_EXPECT_FALSE(test, resfence_keys_contain(keys, 1, 0xabcdef0123456789ULL));
	KUNIT_EXPECT_FALSE(test, resfence_keys_contain(NULL, 0, 0x1));
}

/* PRGENERATION 9, ADDITIONAL LENGTH 16, key 0x0123456789abcdef, WE-RO. */
static const u8 one_resv[8 + 16] = {
	0x00, 0x00, 0x00, 0x09, 0x00, 0x00, 0x00, 0x10,
	0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0x00, 0x00,
};

static void prin_resv_held(struct kunit *test)
{
	u8 *buf = exact_buf(test, one_resv, sizeof(one_resv));
	struct resfence_pr_resv r;

	KUNIT_ASSERT_EQ(test, resfence_prin_parse_resv(buf, sizeof(one_resv), &r), 0);
	KUNIT_EXPECT_TRUE(test, r.reserved);
	KUNIT_EXPECT_EQ(test, r.generation, 9u);
	KUNIT_EXPECT_EQ(test, r.holder_key, 0x0123456789abcdefULL);
	KUNIT_EXPECT_EQ(test, r.type, 5);
	KUNIT_EXPECT_EQ(test, r.scope, 0);
}

static void prin_resv_scope_and_type_nibbles(struct kunit *test)
{
	u8 data[sizeof(one_resv)];
	struct resfence_pr_resv r;
	u8 *buf;

	/* Byte 21: SCOPE in bits 7..4, TYPE in 3..0. */
	memcpy(data, one_resv, sizeof(data));
	data[21] = 0x28;
	buf = exact_buf(test, data, sizeof(data));
	KUNIT_ASSERT_EQ(test, resfence_prin_parse_resv(buf, sizeof(data), &r), 0);
	KUNIT_EXPECT_EQ(test, r.scope, 2);
	KUNIT_EXPECT_EQ(test, r.type, 8);
}

static void prin_resv_none(struct kunit *test)
{
	static const u8 none[8] = { 0x00, 0x00, 0x01, 0x00, 0, 0, 0, 0 };
	u8 *buf = exact_buf(test, none, sizeof(none));
	struct resfence_pr_resv r;

	KUNIT_ASSERT_EQ(test, resfence_prin_parse_resv(buf, 8, &r), 0);
	KUNIT_EXPECT_FALSE(test, r.reserved);
	KUNIT_EXPECT_EQ(test, r.generation, 0x100u);
	KUNIT_EXPECT_EQ(test, r.holder_key, 0ULL);
}

static void prin_resv_malformed(struct kunit *test)
{
	u8 data[sizeof(one_resv)];
	struct resfence_pr_resv r;
	size_t len;
	u32 add;

	/* Short header. */
	for (len = 0; len < 8; len++)
		KUNIT_EXPECT_EQ_MSG(test,
				    resfence_prin_parse_resv(exact_buf(test, one_resv, len),
							     len, &r),
				    -EPROTO, "%zu bytes", len);
	/* ADDITIONAL LENGTH 1..15: a descriptor is 16 bytes. */
	memcpy(data, one_resv, sizeof(data));
	for (add = 1; add < 16; add++) {
		data[7] = add;
		KUNIT_EXPECT_EQ_MSG(test,
				    resfence_prin_parse_resv(exact_buf(test, data, sizeof(data)),
							     sizeof(data), &r),
				    -EPROTO, "ADDITIONAL LENGTH %u", add);
		/* A failed parse never claims a reservation. */
		KUNIT_EXPECT_FALSE(test, r.reserved);
	}
	/* Announced, but the descriptor did not (fully) arrive. */
	for (len = 8; len < sizeof(one_resv); len++) {
		KUNIT_EXPECT_EQ_MSG(test,
				    resfence_prin_parse_resv(exact_buf(test, one_resv, len),
							     len, &r),
				    -EPROTO, "%zu bytes", len);
		KUNIT_EXPECT_FALSE(test, r.reserved);
	}
}

static void prin_resv_hostile_length(struct kunit *test)
{
	u8 data[sizeof(one_resv)];
	struct resfence_pr_resv r;

	/* More than one descriptor announced: the first one that arrived counts. */
	memcpy(data, one_resv, sizeof(data));
	data[4] = 0xff;
	data[5] = 0xff;
	data[6] = 0xff;
	data[7] = 0xf0;
	KUNIT_ASSERT_EQ(test,
			resfence_prin_parse_resv(exact_buf(test, data, sizeof(data)),
						 sizeof(data), &r), 0);
	KUNIT_EXPECT_TRUE(test, r.reserved);
	KUNIT_EXPECT_EQ(test, r.holder_key, 0x0123456789abcdefULL);
}

static struct kunit_case prin_cases[] = {
	KUNIT_CASE(prin_keys_complete),
	KUNIT_CASE(prin_keys_empty),
	KUNIT_CASE(prin_keys_short_header),
	KUNIT_CASE(prin_keys_length_not_multiple_of_8),
	KUNIT_CASE(prin_keys_cut_by_transfer),
	KUNIT_CASE(prin_keys_cut_by_capacity),
	KUNIT_CASE(prin_keys_hostile_length),
	KUNIT_CASE(prin_keys_need_len_is_encodable),
	KUNIT_CASE(prin_keys_count),
	KUNIT_CASE(prin_keys_contain),
	KUNIT_CASE(prin_resv_held),
	KUNIT_CASE(prin_resv_scope_and_type_nibbles),
	KUNIT_CASE(prin_resv_none),
	KUNIT_CASE(prin_resv_malformed),
	KUNIT_CASE(prin_resv_hostile_length),
	{}
};

static struct kunit_suite prin_suite = {
	.name = "resfence_prin",
	.test_cases = prin_cases,
};

kunit_test_suite(prin_suite);
