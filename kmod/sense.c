// SPDX-License-Identifier: GPL-2.0
/*
 * What a completion means: the one place that maps SCSI status, host byte
 * and sense data to retry, conflict, "not supported" or failure, and each
 * of those to an errno and the words userspace sees.
 */
#include <linux/errno.h>
#include <scsi/scsi_proto.h>
#include <scsi/scsi_status.h>

#include "sense.h"

/**
 * resfence_sense_is_preempt_ua() - "our reservation was taken" unit attention
 * @key: sense key
 * @asc: additional sense code
 * @ascq: qualifier
 *
 * ASC 2Ah with ASCQ 03h (reservations preempted), 04h (reservations
 * released) or 05h (registrations preempted).
 *
 * Return: true for those three.
 */
bool resfence_sense_is_preempt_ua(u8 key, u8 asc, u8 ascq)
{
	return key == UNIT_ATTENTION && asc == 0x2a &&
	       (ascq == 0x03 || ascq == 0x04 || ascq == 0x05);
}

/**
 * resfence_sense_is_reset_ua() - power on, reset or bus device reset
 * @key: sense key
 * @asc: additional sense code
 * @ascq: qualifier
 *
 * ASC 29h: a reset happened, which releases SCSI-2 reservations.
 *
 * Return: true for any ASC 29h unit attention.
 */
bool resfence_sense_is_reset_ua(u8 key, u8 asc, u8 ascq)
{
	return key == UNIT_ATTENTION && asc == 0x29;
}

static enum resfence_outcome classify_sense(const struct resfence_completion *c)
{
	if (!c->sense_valid)
		return RESFENCE_OUT_FAILED;

	switch (c->key) {
	case NO_SENSE:
	case RECOVERED_ERROR:
		/* CHECK CONDITION that reports success. */
		return RESFENCE_OUT_OK;
	case UNIT_ATTENTION:
		if (resfence_sense_is_preempt_ua(c->key, c->asc, c->ascq))
			return RESFENCE_OUT_UA_PREEMPTED;
		return RESFENCE_OUT_UA;
	case NOT_READY:
		/* LOGICAL UNIT IS IN PROCESS OF BECOMING READY */
		if (c->asc == 0x04 && c->ascq == 0x01)
			return RESFENCE_OUT_BUSY;
		return RESFENCE_OUT_NOT_READY;
	case ILLEGAL_REQUEST:
		if (c->asc == 0x20)
			return RESFENCE_OUT_INVALID_OPCODE;
		if (c->asc == 0x24 || c->asc == 0x26)
			return RESFENCE_OUT_INVALID_FIELD;
		return RESFENCE_OUT_FAILED;
	}
	return RESFENCE_OUT_FAILED;
}

/**
 * resfence_classify() - classify a completion
 * @c: status, host byte and sense
 *
 * A transport failure (host byte) wins over the status byte: the status of
 * a command that never reached the device means nothing.
 *
 * Return: the outcome.
 */
enum resfence_outcome resfence_classify(const struct resfence_completion *c)
{
	switch (c->host) {
	case DID_OK:
		break;
	case DID_TIME_OUT:
		return RESFENCE_OUT_TIMEOUT;
	case DID_NO_CONNECT:
	case DID_BAD_TARGET:
	case DID_TRANSPORT_FAILFAST:
		return RESFENCE_OUT_GONE;
	case DID_BUS_BUSY:
	case DID_RESET:
	case DID_SOFT_ERROR:
	case DID_IMM_RETRY:
	case DID_REQUEUE:
	case DID_TRANSPORT_DISRUPTED:
		return RESFENCE_OUT_BUSY;
	default:
		return RESFENCE_OUT_TRANSPORT;
	}

	switch (c->status) {
	case SAM_STAT_GOOD:
	case SAM_STAT_CONDITION_MET:
		return RESFENCE_OUT_OK;
	case SAM_STAT_RESERVATION_CONFLICT:
		return RESFENCE_OUT_CONFLICT;
	case SAM_STAT_BUSY:
	case SAM_STAT_TASK_SET_FULL:
		return RESFENCE_OUT_BUSY;
	case SAM_STAT_CHECK_CONDITION:
		return classify_sense(c);
	}
	return RESFENCE_OUT_FAILED;
}

/**
 * resfence_outcome_retry() - is the command worth sending again at once
 * @o: outcome
 *
 * Return: true for unit attentions and transient busy conditions.
 */
bool resfence_outcome_retry(enum resfence_outcome o)
{
	return o == RESFENCE_OUT_UA || o == RESFENCE_OUT_UA_PREEMPTED ||
	       o == RESFENCE_OUT_BUSY;
}

/**
 * resfence_outcome_errno() - the errno a caller gets for an outcome
 * @o: outcome
 *
 * Return: 0 for OK, -EBUSY for a conflict (another node holds the disk),
 * -EOPNOTSUPP when the device lacks the command or the type, -ETIMEDOUT,
 * -ENODEV when the device is gone, -EAGAIN when retries ran out on a
 * transient condition, -EIO otherwise.
 */
int resfence_outcome_errno(enum resfence_outcome o)
{
	switch (o) {
	case RESFENCE_OUT_OK:
		return 0;
	case RESFENCE_OUT_CONFLICT:
		return -EBUSY;
	case RESFENCE_OUT_INVALID_OPCODE:
	case RESFENCE_OUT_INVALID_FIELD:
		return -EOPNOTSUPP;
	case RESFENCE_OUT_TIMEOUT:
		return -ETIMEDOUT;
	case RESFENCE_OUT_GONE:
		return -ENODEV;
	case RESFENCE_OUT_UA:
	case RESFENCE_OUT_UA_PREEMPTED:
	case RESFENCE_OUT_BUSY:
		return -EAGAIN;
	case RESFENCE_OUT_NOT_READY:
	case RESFENCE_OUT_TRANSPORT:
	case RESFENCE_OUT_FAILED:
		break;
	}
	return -EIO;
}

/**
 * resfence_outcome_str() - the outcome in words, for logs and events
 * @o: outcome
 *
 * Return: a static string.
 */
const char *resfence_outcome_str(enum resfence_outcome o)
{
	switch (o) {
	case RESFENCE_OUT_OK:
		return RESFENCE_MSG_OK;
	case RESFENCE_OUT_CONFLICT:
		return RESFENCE_MSG_CONFLICT;
	case RESFENCE_OUT_UA:
		return RESFENCE_MSG_UA;
	case RESFENCE_OUT_UA_PREEMPTED:
		return RESFENCE_MSG_UA_PREEMPTED;
	case RESFENCE_OUT_BUSY:
		return RESFENCE_MSG_BUSY;
	case RESFENCE_OUT_INVALID_OPCODE:
		return RESFENCE_MSG_INVALID_OPCODE;
	case RESFENCE_OUT_INVALID_FIELD:
		return RESFENCE_MSG_INVALID_FIELD;
	case RESFENCE_OUT_NOT_READY:
		return RESFENCE_MSG_NOT_READY;
	case RESFENCE_OUT_TIMEOUT:
		return RESFENCE_MSG_TIMEOUT;
	case RESFENCE_OUT_GONE:
		return RESFENCE_MSG_GONE;
	case RESFENCE_OUT_TRANSPORT:
		return RESFENCE_MSG_TRANSPORT;
	case RESFENCE_OUT_FAILED:
		return RESFENCE_MSG_FAILED;
	}
	return RESFENCE_MSG_FAILED;
}
