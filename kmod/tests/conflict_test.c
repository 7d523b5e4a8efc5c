// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for ../conflict.c: which RESERVATION CONFLICT fences at once
 * and which is verified first. A data command that conflicts means another
 * node owns the disk (missing that fence corrupts it); a reservation
 * command sent by an administrator or a fence agent conflicts by rule
 * (fencing on it restarts a healthy node). Opcodes are written out from
 * SPC-3/SPC-2 and SBC, not taken from the code under test.
 */
#include <kunit/test.h>

#include "../conflict.c"

static const u8 resv_mgmt_ops[] = {
	0x5e,	/* PERSISTENT RESERVE IN */
	0x5f,	/* PERSISTENT RESERVE OUT */
	0x16,	/* RESERVE(6) */
	0x56,	/* RESERVE(10) */
	0x17,	/* RELEASE(6) */
	0x57,	/* RELEASE(10) */
};

static bool is_resv_mgmt(unsigned int op)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(resv_mgmt_ops); i++)
		if (resv_mgmt_ops[i] == op)
			return true;
	return false;
}

static void conflict_resv_cmds_from_others_verify(struct kunit *test)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(resv_mgmt_ops); i++)
		KUNIT_EXPECT_EQ_MSG(test,
				    resfence_conflict_judge(resv_mgmt_ops[i],
							    RESFENCE_SENDER_OTHER),
				    RESFENCE_CONFLICT_VERIFY, "opcode 0x%02x",
				    resv_mgmt_ops[i]);
}

static void conflict_data_cmds_fence_now(struct kunit *test)
{
	static const u8 data_ops[] = {
		0x2a,	/* WRITE(10) */
		0x8a,	/* WRITE(16) */
		0x0a,	/* WRITE(6) */
		0x28,	/* READ(10) */
		0x88,	/* READ(16) */
		0x35,	/* SYNCHRONIZE CACHE(10) */
		0x42,	/* UNMAP */
		0x93,	/* WRITE SAME(16) */
		0x00,	/* TEST UNIT READY */
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(data_ops); i++)
		KUNIT_EXPECT_EQ_MSG(test,
				    resfence_conflict_judge(data_ops[i],
							    RESFENCE_SENDER_OTHER),
				    RESFENCE_CONFLICT_FENCE_NOW, "opcode 0x%02x",
				    data_ops[i]);
}

static void conflict_every_opcode(struct kunit *test)
{
	unsigned int op;

	/* Exactly the six reservation commands verify; nothing else does. */
	for (op = 0; op <= 0xff; op++) {
		KUNIT_EXPECT_EQ_MSG(test, resfence_opcode_is_resv_mgmt(op),
				    is_resv_mgmt(op), "opcode 0x%02x", op);
		KUNIT_EXPECT_EQ_MSG(test,
				    resfence_conflict_judge(op, RESFENCE_SENDER_OTHER),
				    is_resv_mgmt(op) ? RESFENCE_CONFLICT_VERIFY :
						       RESFENCE_CONFLICT_FENCE_NOW,
				    "opcode 0x%02x", op);
	}
}

static void conflict_refresh_own_cmds_fence_now(struct kunit *test)
{
	unsigned int op;

	/*
	 * The refresh's heartbeat REGISTER conflicting means our
	 * registration is gone; its RESERVE conflicting, that another node
	 * holds the unit: whatever the opcode, its own conflict fences.
	 */
	for (op = 0; op <= 0xff; op++)
		KUNIT_EXPECT_EQ_MSG(test,
				    resfence_conflict_judge(op, RESFENCE_SENDER_REFRESH),
				    RESFENCE_CONFLICT_FENCE_NOW, "opcode 0x%02x", op);
}

static void conflict_opcode_names(struct kunit *test)
{
	KUNIT_EXPECT_STREQ(test, resfence_opcode_name(0x5f), "PERSISTENT RESERVE OUT");
	KUNIT_EXPECT_STREQ(test, resfence_opcode_name(0x5e), "PERSISTENT RESERVE IN");
	KUNIT_EXPECT_STREQ(test, resfence_opcode_name(0x16), "RESERVE(6)");
	KUNIT_EXPECT_STREQ(test, resfence_opcode_name(0x56), "RESERVE(10)");
	KUNIT_EXPECT_STREQ(test, resfence_opcode_name(0x17), "RELEASE(6)");
	KUNIT_EXPECT_STREQ(test, resfence_opcode_name(0x57), "RELEASE(10)");
	KUNIT_EXPECT_STREQ(test, resfence_opcode_name(0x2a), "command");
}

static struct kunit_case conflict_cases[] = {
	KUNIT_CASE(conflict_resv_cmds_from_others_verify),
	KUNIT_CASE(conflict_data_cmds_fence_now),
	KUNIT_CASE(conflict_every_opcode),
	KUNIT_CASE(conflict_refresh_own_cmds_fence_now),
	KUNIT_CASE(conflict_opcode_names),
	{}
};

static struct kunit_suite conflict_suite = {
	.name = "resfence_conflict",
	.test_cases = conflict_cases,
};

kunit_test_suite(conflict_suite);
