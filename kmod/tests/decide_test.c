// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for ../decide.c: when a sign of lost ownership fences, and
 * what READ KEYS + READ RESERVATION say about our hold. The two worst
 * bugs the product can have are a false fence (a healthy node restarted)
 * and a missed fence: each case below guards one of them.
 */
#include <kunit/test.h>

#include "../decide.c"
#include "expect.h"

static void decide_unarmed_never_fences(struct kunit *test)
{
	unsigned int action;

	/*
	 * A conflict while acquiring is how `takeover` learns the master is
	 * alive; while releasing, it concerns a reservation we give up.
	 */
	for (action = 0; action <= 0xff; action++) {
		KUNIT_EXPECT_EQ_MSG(test, resfence_decide(false, false, action),
				    RESFENCE_V_IGNORE, "action %u", action);
		KUNIT_EXPECT_EQ_MSG(test, resfence_decide(false, true, action),
				    RESFENCE_V_IGNORE, "action %u", action);
	}
}

static void decide_armed_applies_action(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, resfence_decide(true, false, RESFENCE_ACTION_RESTART),
			RESFENCE_V_RESTART);
	KUNIT_EXPECT_EQ(test, resfence_decide(true, false, RESFENCE_ACTION_PANIC),
			RESFENCE_V_PANIC);
	KUNIT_EXPECT_EQ(test, resfence_decide(true, false, RESFENCE_ACTION_LOG),
			RESFENCE_V_LOG);
}

static void decide_unknown_action_restarts(struct kunit *test)
{
	unsigned int action;

	/* A missed fence corrupts a disk: anything unknown restarts. */
	KUNIT_EXPECT_EQ(test, resfence_decide(true, false, RESFENCE_ACTION_UNSPEC),
			RESFENCE_V_RESTART);
	for (action = __RESFENCE_ACTION_MAX; action <= 0xff; action++)
		KUNIT_EXPECT_EQ_MSG(test, resfence_decide(true, false, action),
				    RESFENCE_V_RESTART, "action %u", action);
}

static void decide_fenced_once(struct kunit *test)
{
	/* The second conflict on a fenced (log-mode) device is only counted. */
	KUNIT_EXPECT_EQ(test, resfence_decide(true, true, RESFENCE_ACTION_LOG),
			RESFENCE_V_COUNT);
	KUNIT_EXPECT_EQ(test, resfence_decide(true, true, RESFENCE_ACTION_RESTART),
			RESFENCE_V_COUNT);
	KUNIT_EXPECT_EQ(test, resfence_decide(true, true, RESFENCE_ACTION_PANIC),
			RESFENCE_V_COUNT);
}

static void decide_all_registrants_types(struct kunit *test)
{
	unsigned int t;

	/* SPC-3: 7 WRITE EXCLUSIVE - ALL REGISTRANTS, 8 EXCLUSIVE ACCESS - ALL */
	for (t = 0; t <= 0xff; t++)
		KUNIT_EXPECT_EQ_MSG(test, resfence_pr_type_all_registrants(t),
				    t == 7 || t == 8, "type %u", t);
}

#define OUR_KEY		0x5eed00000000a001ULL
#define THEIR_KEY	0x5eed00000000b002ULL

static enum resfence_pr_state judge(const u64 *keys, u32 count, bool truncated,
				    bool reserved, u64 holder, u8 type)
{
	const struct resfence_pr_keys k = {
		.count = count, .listed = count + truncated, .truncated = truncated,
	};
	const struct resfence_pr_resv r = {
		.reserved = reserved, .holder_key = holder, .type = type,
	};

	return resfence_pr_judge(&k, keys, &r, OUR_KEY);
}

static void decide_judge_states(struct kunit *test)
{
	const u64 both[] = { THEIR_KEY, OUR_KEY };
	const u64 theirs[] = { THEIR_KEY };

	KUNIT_EXPECT_EQ(test, judge(both, 2, false, true, OUR_KEY, 1), RESFENCE_PR_OURS);
	KUNIT_EXPECT_EQ(test, judge(both, 2, false, false, 0, 0),
			RESFENCE_PR_NOT_RESERVED);
	KUNIT_EXPECT_EQ(test, judge(both, 2, false, true, THEIR_KEY, 1),
			RESFENCE_PR_FOREIGN_HOLDER);
	KUNIT_EXPECT_EQ(test, judge(theirs, 1, false, true, THEIR_KEY, 1),
			RESFENCE_PR_KEY_GONE);
	KUNIT_EXPECT_EQ(test, judge(NULL, 0, false, false, 0, 0), RESFENCE_PR_KEY_GONE);
	/* Our key registered under an all-registrants type: ours, key 0 or not. */
	KUNIT_EXPECT_EQ(test, judge(both, 2, false, true, 0, 7), RESFENCE_PR_OURS);
	KUNIT_EXPECT_EQ(test, judge(both, 2, false, true, 0, 8), RESFENCE_PR_OURS);
	/* Key 0 under a single-holder type is somebody else's. */
	KUNIT_EXPECT_EQ(test, judge(both, 2, false, true, 0, 5),
			RESFENCE_PR_FOREIGN_HOLDER);
}

static void decide_judge_truncated_is_unknown(struct kunit *test)
{
	const u64 theirs[] = { THEIR_KEY, OUR_KEY };

	/*
	 * Our key not among the keys that arrived, but the list was cut: no
	 * conclusion. Calling that "key gone" would fence a healthy node.
	 */
	KUNIT_EXPECT_EQ(test, judge(theirs, 1, true, true, OUR_KEY, 1),
			RESFENCE_PR_UNKNOWN);
	/* Found before the cut: known. */
	KUNIT_EXPECT_EQ(test, judge(theirs, 2, true, true, OUR_KEY, 1),
			RESFENCE_PR_OURS);
}

static void decide_judge_from_device_bytes(struct kunit *test)
{
	/*
	 * End to end through the parser: a READ KEYS answer announcing 64
	 * keys with ours last, cut by a short transfer to the first two.
	 */
	u8 data[8 + 16] = { 0, 0, 0, 0x2a, 0, 0, 0x02, 0x00 };
	static const u8 resv[8 + 16] = {
		0, 0, 0, 0x2a, 0, 0, 0, 0x10,
		0x5e, 0xed, 0, 0, 0, 0, 0xa0, 0x01,
		0, 0, 0, 0, 0, 0x01, 0, 0,
	};
	struct resfence_pr_keys k;
	struct resfence_pr_resv r;
	u64 keys[64];
	u8 *buf;
	int i;

	for (i = 0; i < 16; i++)
		data[8 + i] = i < 8 ? 0x11 : 0x22;
	buf = exact_buf(test, data, sizeof(data));
	KUNIT_ASSERT_EQ(test, resfence_prin_parse_keys(buf, sizeof(data), &k, keys, 64), 0);
	KUNIT_ASSERT_EQ(test, resfence_prin_parse_resv(exact_buf(test, resv, sizeof(resv)),
						       sizeof(resv), &r), 0);
	KUNIT_EXPECT_EQ(test, r.holder_key, OUR_KEY);
	KUNIT_EXPECT_EQ(test, resfence_pr_judge(&k, keys, &r, OUR_KEY),
			RESFENCE_PR_UNKNOWN);

	/* The full answer, our key present and holding: ours. */
	data[6] = 0;
	data[7] = 16;
	data[16] = 0x5e;
	data[17] = 0xed;
	memset(&data[18], 0, 4);
	data[22] = 0xa0;
	data[23] = 0x01;
	buf = exact_buf(test, data, sizeof(data));
	KUNIT_ASSERT_EQ(test, resfence_prin_parse_keys(buf, sizeof(data), &k, keys, 64), 0);
	KUNIT_EXPECT_FALSE(test, k.truncated);
	KUNIT_EXPECT_EQ(test, resfence_pr_judge(&k, keys, &r, OUR_KEY), RESFENCE_PR_OURS);
}

/*
 * A multipath path's re-registration must never bring back a key that was
 * just preempted (a missed fence), and must not fence when only our own
 * REGISTER, or another node's registration, happened in between (a false
 * fence).
 */
static void decide_rereg_preempted(struct kunit *test)
{
	/* Only our REGISTER in between: sound, whatever the count. */
	KUNIT_EXPECT_FALSE(test, resfence_rereg_preempted(6, 7, 2));
	KUNIT_EXPECT_FALSE(test, resfence_rereg_preempted(6, 7, 1));
	KUNIT_EXPECT_FALSE(test, resfence_rereg_preempted(U32_MAX, 0, 2));
	/* Something else too (another node registered): the other path's
	 * registration survived, so no preempt came first.
	 */
	KUNIT_EXPECT_FALSE(test, resfence_rereg_preempted(6, 8, 2));
	KUNIT_EXPECT_FALSE(test, resfence_rereg_preempted(6, 9, 3));
	/* A preempt before our REGISTER: only the new registration is left. */
	KUNIT_EXPECT_TRUE(test, resfence_rereg_preempted(6, 8, 1));
	/* A preempt after it: none left. */
	KUNIT_EXPECT_TRUE(test, resfence_rereg_preempted(6, 8, 0));
	KUNIT_EXPECT_TRUE(test, resfence_rereg_preempted(6, 7, 0));
}

static struct kunit_case decide_cases[] = {
	KUNIT_CASE(decide_unarmed_never_fences),
	KUNIT_CASE(decide_armed_applies_action),
	KUNIT_CASE(decide_unknown_action_restarts),
	KUNIT_CASE(decide_fenced_once),
	KUNIT_CASE(decide_all_registrants_types),
	KUNIT_CASE(decide_judge_states),
	KUNIT_CASE(decide_judge_truncated_is_unknown),
	KUNIT_CASE(decide_judge_from_device_bytes),
	KUNIT_CASE(decide_rereg_preempted),
	{}
};

static struct kunit_suite decide_suite = {
	.name = "resfence_decide",
	.test_cases = decide_cases,
};

kunit_test_suite(decide_suite);
