// SPDX-License-Identifier: GPL-2.0
/*
 * Which RESERVATION CONFLICT fences at once and which is verified first.
 *
 * A data command (READ, WRITE, anything that touches the medium or is
 * not about reservations) that conflicts on a device we hold means the
 * target no longer lets this node in: another node owns the disk. A
 * reservation-management command conflicts by rule for reasons that say
 * nothing about ownership: a PERSISTENT RESERVE OUT with a wrong key or of
 * another type (SPC-3 5.6), a SCSI-2 RESERVE or RELEASE while persistent
 * registrations exist (SPC-3 5.5.1), a PERSISTENT RESERVE IN or OUT while
 * a SCSI-2 reservation is held, even by this very initiator (SPC-2 5.5.1).
 * Administrators and fence agents send those on healthy nodes.
 *
 * The module's own refresh knows what its commands mean and judges their
 * conflicts itself (refresh.c): a conflict on its heartbeat REGISTER means
 * our registration is gone, on its RESERVE that another node holds the
 * unit.
 */
#include <scsi/scsi_proto.h>

#include "conflict.h"

/**
 * resfence_opcode_is_resv_mgmt() - is @opcode a reservation-management
 *	command
 * @opcode: the first CDB byte
 *
 * Return: true for PERSISTENT RESERVE IN and OUT, RESERVE(6) and (10),
 * RELEASE(6) and (10).
 */
bool resfence_opcode_is_resv_mgmt(u8 opcode)
{
	switch (opcode) {
	case PERSISTENT_RESERVE_IN:
	case PERSISTENT_RESERVE_OUT:
	case RESERVE:
	case RESERVE_10:
	case RELEASE:
	case RELEASE_10:
		return true;
	default:
		return false;
	}
}

/**
 * resfence_conflict_judge() - fence at once, or verify first
 * @opcode: the first CDB byte of the command that conflicted
 * @sender: who sent it
 *
 * Return: RESFENCE_CONFLICT_VERIFY for a reservation-management command
 * from anyone but the refresh, RESFENCE_CONFLICT_FENCE_NOW for everything
 * else.
 */
enum resfence_conflict_verdict
resfence_conflict_judge(u8 opcode, enum resfence_sender sender)
{
	if (sender == RESFENCE_SENDER_REFRESH)
		return RESFENCE_CONFLICT_FENCE_NOW;
	if (resfence_opcode_is_resv_mgmt(opcode))
		return RESFENCE_CONFLICT_VERIFY;
	return RESFENCE_CONFLICT_FENCE_NOW;
}

/**
 * resfence_opcode_name() - a reservation-management command in words
 * @opcode: the first CDB byte
 *
 * Return: a static string; "command" for any other opcode.
 */
const char *resfence_opcode_name(u8 opcode)
{
	switch (opcode) {
	case PERSISTENT_RESERVE_IN:
		return "PERSISTENT RESERVE IN";
	case PERSISTENT_RESERVE_OUT:
		return "PERSISTENT RESERVE OUT";
	case RESERVE:
		return "RESERVE(6)";
	case RESERVE_10:
		return "RESERVE(10)";
	case RELEASE:
		return "RELEASE(6)";
	case RELEASE_10:
		return "RELEASE(10)";
	default:
		return "command";
	}
}
