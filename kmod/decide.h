/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The decisions that make the difference between a fence and a false
 * fence, kept pure so they can be tested without a disk.
 */
#ifndef _RESFENCE_DECIDE_H
#define _RESFENCE_DECIDE_H

#include <linux/types.h>

struct resfence_pr_keys;
struct resfence_pr_resv;

/**
 * enum resfence_verdict - what to do about a sign of lost ownership
 * @RESFENCE_V_IGNORE: the device is not armed: not our business
 * @RESFENCE_V_COUNT: already fenced: count it, nothing more
 * @RESFENCE_V_RESTART: emergency_restart()
 * @RESFENCE_V_PANIC: panic()
 * @RESFENCE_V_LOG: log, count and report, keep running
 */
enum resfence_verdict {
	RESFENCE_V_IGNORE,
	RESFENCE_V_COUNT,
	RESFENCE_V_RESTART,
	RESFENCE_V_PANIC,
	RESFENCE_V_LOG,
};

/**
 * enum resfence_pr_state - what PR IN says about our hold
 * @RESFENCE_PR_OURS: our key is registered and the reservation is ours
 * @RESFENCE_PR_NOT_RESERVED: our key is registered, nobody holds a
 *	reservation (it can be taken again)
 * @RESFENCE_PR_KEY_GONE: our key is no longer registered: preempted
 * @RESFENCE_PR_FOREIGN_HOLDER: another key holds the reservation
 * @RESFENCE_PR_UNKNOWN: the key list was cut short before our key was
 *	found: no conclusion
 */
enum resfence_pr_state {
	RESFENCE_PR_OURS,
	RESFENCE_PR_NOT_RESERVED,
	RESFENCE_PR_KEY_GONE,
	RESFENCE_PR_FOREIGN_HOLDER,
	RESFENCE_PR_UNKNOWN,
};

enum resfence_verdict resfence_decide(bool armed, bool already_fenced,
				      u8 action);
enum resfence_pr_state resfence_pr_judge(const struct resfence_pr_keys *k,
					 const u64 *keys,
					 const struct resfence_pr_resv *r,
					 u64 key);
bool resfence_pr_type_all_registrants(u8 type);
bool resfence_rereg_preempted(u32 before, u32 after, u32 ours_after);

#endif /* _RESFENCE_DECIDE_H */
