// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for ../sense.c: how a completion (SAM status, host byte,
 * sense key/ASC/ASCQ) is classified. Status and sense values are written
 * out from SAM-5/SPC-4; host bytes are Linux's own (DID_*). The property
 * that matters most: only a RESERVATION CONFLICT status (18h) that
 * actually came back from the device is a conflict; nothing else is.
 */
#include <kunit/test.h>

#include "../sense.c"

static enum resfence_outcome cls(u8 status, u8 host)
{
	const struct resfence_completion c = { .status = status, .host = host };

	return resfence_classify(&c);
}

static enum resfence_outcome cls_sense(u8 key, u8 asc, u8 ascq)
{
	const struct resfence_completion c = {
		.status = 0x02,		/* CHECK CONDITION */
		.host = DID_OK,
		.sense_valid = true,
		.key = key,
		.asc = asc,
		.ascq = ascq,
	};

	return resfence_classify(&c);
}

static void sense_conflict_only_from_status_18h(struct kunit *test)
{
	unsigned int st, host;

	for (st = 0; st <= 0xff; st++)
		KUNIT_EXPECT_EQ_MSG(test, cls(st, DID_OK) == RESFENCE_OUT_CONFLICT,
				    st == 0x18, "status 0x%02x", st);
	/*
	 * A command that did not complete at the device (any host byte but
	 * DID_OK) carries no status worth believing: never a conflict, so
	 * never a fence.
	 */
	for (host = 1; host <= 0xff; host++)
		KUNIT_EXPECT_NE_MSG(test, cls(0x18, host), RESFENCE_OUT_CONFLICT,
				    "host byte 0x%02x", host);
}

static void sense_conflict_is_ebusy_not_retried(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, cls(0x18, DID_OK), RESFENCE_OUT_CONFLICT);
	KUNIT_EXPECT_EQ(test, resfence_outcome_errno(RESFENCE_OUT_CONFLICT), -EBUSY);
	KUNIT_EXPECT_FALSE(test, resfence_outcome_retry(RESFENCE_OUT_CONFLICT));
	KUNIT_EXPECT_STREQ(test, resfence_outcome_str(RESFENCE_OUT_CONFLICT),
			   "reservation conflict");
}

static void sense_good_statuses(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, cls(0x00, DID_OK), RESFENCE_OUT_OK);	/* GOOD */
	KUNIT_EXPECT_EQ(test, cls(0x04, DID_OK), RESFENCE_OUT_OK);	/* CONDITION MET */
	/* CHECK CONDITION reporting NO SENSE or RECOVERED ERROR succeeded. */
	KUNIT_EXPECT_EQ(test, cls_sense(0x0, 0x00, 0x00), RESFENCE_OUT_OK);
	KUNIT_EXPECT_EQ(test, cls_sense(0x1, 0x17, 0x01), RESFENCE_OUT_OK);
	KUNIT_EXPECT_EQ(test, resfence_outcome_errno(RESFENCE_OUT_OK), 0);
}

static void sense_busy_statuses_retry(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, cls(0x08, DID_OK), RESFENCE_OUT_BUSY);	/* BUSY */
	KUNIT_EXPECT_EQ(test, cls(0x28, DID_OK), RESFENCE_OUT_BUSY);	/* TASK SET FULL */
	/* NOT READY, LOGICAL UNIT IS IN PROCESS OF BECOMING READY */
	KUNIT_EXPECT_EQ(test, cls_sense(0x2, 0x04, 0x01), RESFENCE_OUT_BUSY);
	KUNIT_EXPECT_TRUE(test, resfence_outcome_retry(RESFENCE_OUT_BUSY));
	KUNIT_EXPECT_EQ(test, resfence_outcome_errno(RESFENCE_OUT_BUSY), -EAGAIN);
}

static void sense_other_statuses_fail(struct kunit *test)
{
	/* ACA ACTIVE, TASK ABORTED, obsolete INTERMEDIATE: plain failures. */
	KUNIT_EXPECT_EQ(test, cls(0x30, DID_OK), RESFENCE_OUT_FAILED);
	KUNIT_EXPECT_EQ(test, cls(0x40, DID_OK), RESFENCE_OUT_FAILED);
	KUNIT_EXPECT_EQ(test, cls(0x10, DID_OK), RESFENCE_OUT_FAILED);
	/* CHECK CONDITION without usable sense data. */
	KUNIT_EXPECT_EQ(test, cls(0x02, DID_OK), RESFENCE_OUT_FAILED);
	KUNIT_EXPECT_FALSE(test, resfence_outcome_retry(RESFENCE_OUT_FAILED));
	KUNIT_EXPECT_EQ(test, resfence_outcome_errno(RESFENCE_OUT_FAILED), -EIO);
}

static void sense_preempt_unit_attentions(struct kunit *test)
{
	/* 2Ah/03h reservations preempted, /04h released, /05h registrations
	 * preempted: verify at once.
	 */
	static const u8 preempt[] = { 0x03, 0x04, 0x05 };
	/* 2Ah/00h parameters changed, /01h mode, /02h log, /06h ALUA state. */
	static const u8 other[] = { 0x00, 0x01, 0x02, 0x06, 0x07, 0x10 };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(preempt); i++) {
		KUNIT_EXPECT_TRUE(test, resfence_sense_is_preempt_ua(0x6, 0x2a, preempt[i]));
		KUNIT_EXPECT_EQ_MSG(test, cls_sense(0x6, 0x2a, preempt[i]),
				    RESFENCE_OUT_UA_PREEMPTED, "2Ah/%02xh", preempt[i]);
		/* The same ASC/ASCQ under another sense key is no UA. */
		KUNIT_EXPECT_FALSE(test, resfence_sense_is_preempt_ua(0x5, 0x2a, preempt[i]));
	}
	for (i = 0; i < ARRAY_SIZE(other); i++) {
		KUNIT_EXPECT_FALSE(test, resfence_sense_is_preempt_ua(0x6, 0x2a, other[i]));
		KUNIT_EXPECT_EQ_MSG(test, cls_sense(0x6, 0x2a, other[i]),
				    RESFENCE_OUT_UA, "2Ah/%02xh", other[i]);
	}
	KUNIT_EXPECT_TRUE(test, resfence_outcome_retry(RESFENCE_OUT_UA_PREEMPTED));
	KUNIT_EXPECT_EQ(test, resfence_outcome_errno(RESFENCE_OUT_UA_PREEMPTED), -EAGAIN);
}

static void sense_reset_unit_attentions(struct kunit *test)
{
	unsigned int ascq;

	/* 29h/00h..07h: power on, bus reset, device reset, I_T nexus loss... */
	for (ascq = 0; ascq <= 0x07; ascq++) {
		KUNIT_EXPECT_TRUE_MSG(test, resfence_sense_is_reset_ua(0x6, 0x29, ascq),
				      "29h/%02xh", ascq);
		KUNIT_EXPECT_FALSE(test, resfence_sense_is_preempt_ua(0x6, 0x29, ascq));
		KUNIT_EXPECT_EQ_MSG(test, cls_sense(0x6, 0x29, ascq), RESFENCE_OUT_UA,
				    "29h/%02xh", ascq);
	}
	KUNIT_EXPECT_FALSE(test, resfence_sense_is_reset_ua(0x2, 0x29, 0x00));
	KUNIT_EXPECT_FALSE(test, resfence_sense_is_reset_ua(0x6, 0x2a, 0x03));
	KUNIT_EXPECT_TRUE(test, resfence_outcome_retry(RESFENCE_OUT_UA));
}

static void sense_illegal_request(struct kunit *test)
{
	/*
	 * 20h INVALID COMMAND OPERATION CODE: the device lacks the command
	 * (tgt and RESERVE(10)); 24h INVALID FIELD IN CDB and 26h INVALID
	 * FIELD IN PARAMETER LIST: it lacks the type or the option.
	 */
	KUNIT_EXPECT_EQ(test, cls_sense(0x5, 0x20, 0x00), RESFENCE_OUT_INVALID_OPCODE);
	KUNIT_EXPECT_EQ(test, cls_sense(0x5, 0x24, 0x00), RESFENCE_OUT_INVALID_FIELD);
	KUNIT_EXPECT_EQ(test, cls_sense(0x5, 0x26, 0x00), RESFENCE_OUT_INVALID_FIELD);
	KUNIT_EXPECT_EQ(test, cls_sense(0x5, 0x26, 0x04), RESFENCE_OUT_INVALID_FIELD);
	/* 25h LOGICAL UNIT NOT SUPPORTED: a failure, not "unsupported command". */
	KUNIT_EXPECT_EQ(test, cls_sense(0x5, 0x25, 0x00), RESFENCE_OUT_FAILED);
	KUNIT_EXPECT_EQ(test, resfence_outcome_errno(RESFENCE_OUT_INVALID_OPCODE),
			-EOPNOTSUPP);
	KUNIT_EXPECT_EQ(test, resfence_outcome_errno(RESFENCE_OUT_INVALID_FIELD),
			-EOPNOTSUPP);
	KUNIT_EXPECT_FALSE(test, resfence_outcome_retry(RESFENCE_OUT_INVALID_OPCODE));
}

static void sense_not_ready_and_others(struct kunit *test)
{
	/* 04h/03h manual intervention required, 3Ah medium not present */
	KUNIT_EXPECT_EQ(test, cls_sense(0x2, 0x04, 0x03), RESFENCE_OUT_NOT_READY);
	KUNIT_EXPECT_EQ(test, cls_sense(0x2, 0x3a, 0x00), RESFENCE_OUT_NOT_READY);
	KUNIT_EXPECT_FALSE(test, resfence_outcome_retry(RESFENCE_OUT_NOT_READY));
	KUNIT_EXPECT_EQ(test, resfence_outcome_errno(RESFENCE_OUT_NOT_READY), -EIO);
	/* MEDIUM ERROR, HARDWARE ERROR, DATA PROTECT, ABORTED COMMAND */
	KUNIT_EXPECT_EQ(test, cls_sense(0x3, 0x11, 0x00), RESFENCE_OUT_FAILED);
	KUNIT_EXPECT_EQ(test, cls_sense(0x4, 0x44, 0x00), RESFENCE_OUT_FAILED);
	KUNIT_EXPECT_EQ(test, cls_sense(0x7, 0x27, 0x00), RESFENCE_OUT_FAILED);
	KUNIT_EXPECT_EQ(test, cls_sense(0xb, 0x47, 0x00), RESFENCE_OUT_FAILED);
}

static void sense_host_byte_wins(struct kunit *test)
{
	static const struct {
		u8 host;
		enum resfence_outcome want;
	} cases[] = {
		{ DID_TIME_OUT, RESFENCE_OUT_TIMEOUT },
		{ DID_NO_CONNECT, RESFENCE_OUT_GONE },
		{ DID_BAD_TARGET, RESFENCE_OUT_GONE },
		{ DID_TRANSPORT_FAILFAST, RESFENCE_OUT_GONE },
		{ DID_BUS_BUSY, RESFENCE_OUT_BUSY },
		{ DID_RESET, RESFENCE_OUT_BUSY },
		{ DID_SOFT_ERROR, RESFENCE_OUT_BUSY },
		{ DID_IMM_RETRY, RESFENCE_OUT_BUSY },
		{ DID_REQUEUE, RESFENCE_OUT_BUSY },
		{ DID_TRANSPORT_DISRUPTED, RESFENCE_OUT_BUSY },
		{ DID_ABORT, RESFENCE_OUT_TRANSPORT },
		{ DID_ERROR, RESFENCE_OUT_TRANSPORT },
		{ DID_TRANSPORT_MARGINAL, RESFENCE_OUT_TRANSPORT },
		{ 0xff, RESFENCE_OUT_TRANSPORT },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		/* Whatever the status byte says, GOOD included. */
		KUNIT_EXPECT_EQ_MSG(test, cls(0x00, cases[i].host), cases[i].want,
				    "host byte 0x%02x", cases[i].host);
		KUNIT_EXPECT_EQ_MSG(test, cls(0x18, cases[i].host), cases[i].want,
				    "host byte 0x%02x", cases[i].host);
	}
	KUNIT_EXPECT_EQ(test, resfence_outcome_errno(RESFENCE_OUT_TIMEOUT), -ETIMEDOUT);
	KUNIT_EXPECT_EQ(test, resfence_outcome_errno(RESFENCE_OUT_GONE), -ENODEV);
	KUNIT_EXPECT_EQ(test, resfence_outcome_errno(RESFENCE_OUT_TRANSPORT), -EIO);
	KUNIT_EXPECT_FALSE(test, resfence_outcome_retry(RESFENCE_OUT_GONE));
	KUNIT_EXPECT_FALSE(test, resfence_outcome_retry(RESFENCE_OUT_TIMEOUT));
}

static void sense_every_outcome_has_words(struct kunit *test)
{
	const char *seen[RESFENCE_OUT_FAILED + 1];
	int o, p;

	/* Distinct, non-empty words for each outcome: they reach the user. */
	for (o = RESFENCE_OUT_OK; o <= RESFENCE_OUT_FAILED; o++) {
		seen[o] = resfence_outcome_str(o);
		KUNIT_ASSERT_NOT_ERR_OR_NULL(test, seen[o]);
		KUNIT_EXPECT_GT_MSG(test, strlen(seen[o]), 0ul, "outcome %d", o);
		for (p = 0; p < o; p++)
			KUNIT_EXPECT_STRNEQ_MSG(test, seen[o], seen[p],
						"outcomes %d and %d", p, o);
	}
}

static struct kunit_case sense_cases[] = {
	KUNIT_CASE(sense_conflict_only_from_status_18h),
	KUNIT_CASE(sense_conflict_is_ebusy_not_retried),
	KUNIT_CASE(sense_good_statuses),
	KUNIT_CASE(sense_busy_statuses_retry),
	KUNIT_CASE(sense_other_statuses_fail),
	KUNIT_CASE(sense_preempt_unit_attentions),
	KUNIT_CASE(sense_reset_unit_attentions),
	KUNIT_CASE(sense_illegal_request),
	KUNIT_CASE(sense_not_ready_and_others),
	KUNIT_CASE(sense_host_byte_wins),
	KUNIT_CASE(sense_every_outcome_has_words),
	{}
};

static struct kunit_suite sense_suite = {
	.name = "resfence_sense",
	.test_cases = sense_cases,
};

kunit_test_suite(sense_suite);
