/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a RESERVATION CONFLICT on an armed device means, judged from the
 * command that met it. Pure; no kernel glue.
 */
#ifndef _RESFENCE_CONFLICT_H
#define _RESFENCE_CONFLICT_H

#include <linux/types.h>

/**
 * enum resfence_sender - who sent the command that conflicted
 * @RESFENCE_SENDER_OTHER: anyone but the module's refresh: the filesystem,
 *	an application, sg_persist, mpathpersist, a fence agent (the probe
 *	cannot tell them apart, and need not)
 * @RESFENCE_SENDER_REFRESH: the module's own refresh, which sees the
 *	status of its command directly
 */
enum resfence_sender {
	RESFENCE_SENDER_OTHER,
	RESFENCE_SENDER_REFRESH,
};

/**
 * enum resfence_conflict_verdict - what a conflict leads to
 * @RESFENCE_CONFLICT_FENCE_NOW: the conflict shows another node owns the
 *	disk: fence at once
 * @RESFENCE_CONFLICT_VERIFY: the conflict says nothing about ownership:
 *	verify the reservation at once, fence only if it is lost or the
 *	verification does not complete in time
 */
enum resfence_conflict_verdict {
	RESFENCE_CONFLICT_FENCE_NOW,
	RESFENCE_CONFLICT_VERIFY,
};

bool resfence_opcode_is_resv_mgmt(u8 opcode);
enum resfence_conflict_verdict
resfence_conflict_judge(u8 opcode, enum resfence_sender sender);
const char *resfence_opcode_name(u8 opcode);

#endif /* _RESFENCE_CONFLICT_H */
