// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for ../epoch.c: the takeover epoch block. Decoding is strict
 * because an acquire overwrites what it decodes as blank or ours: a block
 * misread as ours could destroy a user's data, and an epoch misread as
 * unchanged would let a stale node re-reserve (the window of issue 17).
 */
#include <kunit/test.h>

#include "../epoch.c"
#include "expect.h"

#define BLK 512

/* The block of epoch 1 by "node-a" at 0x0102030405060708 ns, from epoch.h. */
static const u8 epoch1_node_a[RESFENCE_EPOCH_USED] = {
	'R', 'E', 'S', 'F', 'E', 'N', 'C', 'E',
	0x00, 0x00, 0x00, 0x01,			/* version */
	0x00, 0x00, 0x00, 0x00,			/* reserved */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,	/* epoch */
	'n', 'o', 'd', 'e', '-', 'a', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,	/* when */
};

static void epoch_encode_layout(struct kunit *test)
{
	struct resfence_epoch e = { .epoch = 1, .when_ns = 0x0102030405060708ULL };
	static u8 buf[BLK];
	size_t i;

	strscpy(e.owner, "node-a", sizeof(e.owner));
	memset(buf, 0xee, sizeof(buf));
	resfence_epoch_encode(buf, sizeof(buf), &e);
	expect_bytes(test, "epoch block", buf, epoch1_node_a, sizeof(epoch1_node_a));
	for (i = RESFENCE_EPOCH_USED; i < sizeof(buf); i++)
		KUNIT_ASSERT_EQ_MSG(test, buf[i], 0, "byte %zu", i);
}

static void epoch_decode_valid(struct kunit *test)
{
	struct resfence_epoch e;
	static u8 buf[BLK];

	memset(buf, 0, sizeof(buf));
	memcpy(buf, epoch1_node_a, sizeof(epoch1_node_a));
	KUNIT_ASSERT_EQ(test, resfence_epoch_decode(buf, sizeof(buf), &e),
			RESFENCE_EPOCH_VALID);
	KUNIT_EXPECT_EQ(test, e.epoch, 1ULL);
	KUNIT_EXPECT_STREQ(test, e.owner, "node-a");
	KUNIT_EXPECT_EQ(test, e.when_ns, 0x0102030405060708ULL);
}

static void epoch_decode_blank(struct kunit *test)
{
	struct resfence_epoch e;
	static u8 buf[4096];

	memset(buf, 0, sizeof(buf));
	KUNIT_EXPECT_EQ(test, resfence_epoch_decode(buf, sizeof(buf), &e),
			RESFENCE_EPOCH_BLANK);
	KUNIT_EXPECT_EQ(test, e.epoch, 0ULL);
}

/* Anything else is foreign: never overwritten, never taken as our epoch. */
static void epoch_decode_foreign(struct kunit *test)
{
	struct resfence_epoch e;
	static u8 buf[BLK];
	static const size_t flip[] = { 0, 7, 11, 12, 15, RESFENCE_EPOCH_USED, BLK - 1 };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(flip); i++) {
		memset(buf, 0, sizeof(buf));
		memcpy(buf, epoch1_node_a, sizeof(epoch1_node_a));
		buf[flip[i]] ^= 0x40;
		KUNIT_EXPECT_EQ_MSG(test, resfence_epoch_decode(buf, sizeof(buf), &e),
				    RESFENCE_EPOCH_FOREIGN, "byte %zu changed", flip[i]);
	}
	/* A user's data: a filesystem's first bytes. */
	memset(buf, 0, sizeof(buf));
	memcpy(buf, "\x53\xef\x01\x00", 4);
	KUNIT_EXPECT_EQ(test, resfence_epoch_decode(buf, sizeof(buf), &e),
			RESFENCE_EPOCH_FOREIGN);
	/* Our magic with epoch 0 is no acquire's. */
	memset(buf, 0, sizeof(buf));
	memcpy(buf, epoch1_node_a, sizeof(epoch1_node_a));
	buf[23] = 0;
	KUNIT_EXPECT_EQ(test, resfence_epoch_decode(buf, sizeof(buf), &e),
			RESFENCE_EPOCH_FOREIGN);
	/* Too short to hold one. */
	KUNIT_EXPECT_EQ(test, resfence_epoch_decode(buf, RESFENCE_EPOCH_USED - 1, &e),
			RESFENCE_EPOCH_FOREIGN);
}

static void epoch_roundtrip_4k(struct kunit *test)
{
	struct resfence_epoch in = { .epoch = U64_MAX - 1, .when_ns = 42 };
	struct resfence_epoch out;
	static u8 buf[4096];

	/* A host name of 16 characters or more fills the field, unterminated on disk. */
	strscpy(in.owner, "a-very-long-node-name", sizeof(in.owner));
	resfence_epoch_encode(buf, sizeof(buf), &in);
	KUNIT_ASSERT_EQ(test, resfence_epoch_decode(buf, sizeof(buf), &out),
			RESFENCE_EPOCH_VALID);
	KUNIT_EXPECT_EQ(test, out.epoch, U64_MAX - 1);
	KUNIT_EXPECT_STREQ(test, out.owner, "a-very-long-node");
	KUNIT_EXPECT_EQ(test, out.when_ns, 42ULL);
}

static struct kunit_case epoch_cases[] = {
	KUNIT_CASE(epoch_encode_layout),
	KUNIT_CASE(epoch_decode_valid),
	KUNIT_CASE(epoch_decode_blank),
	KUNIT_CASE(epoch_decode_foreign),
	KUNIT_CASE(epoch_roundtrip_4k),
	{}
};

static struct kunit_suite epoch_suite = {
	.name = "resfence_epoch",
	.test_cases = epoch_cases,
};

kunit_test_suite(epoch_suite);
