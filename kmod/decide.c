// SPDX-License-Identifier: GPL-2.0
/*
 * Arm/fence decisions and the judgement of PR IN data.
 */
#include <linux/resfence.h>

#include "decide.h"
#include "prin.h"

/**
 * resfence_decide() - what a conflict (or a lost lease) leads to
 * @armed: the device is armed: the reservation was obtained and is not
 *	being released or torn down
 * @already_fenced: an action was already applied to this device
 * @action: the device's enum resfence_action
 *
 * A device that is not armed never fences: a conflict while acquiring is
 * how the caller learns another node holds the disk, and a conflict after
 * release began concerns a reservation we are giving up. An unknown
 * action fences with a restart: a missed fence corrupts a disk.
 *
 * Return: the verdict.
 */
enum resfence_verdict resfence_decide(bool armed, bool already_fenced,
				      u8 action)
{
	if (!armed)
		return RESFENCE_V_IGNORE;
	if (already_fenced)
		return RESFENCE_V_COUNT;
	switch (action) {
	case RESFENCE_ACTION_PANIC:
		return RESFENCE_V_PANIC;
	case RESFENCE_ACTION_LOG:
		return RESFENCE_V_LOG;
	default:
		return RESFENCE_V_RESTART;
	}
}

/**
 * resfence_pr_type_all_registrants() - is @type WE-AR or EA-AR
 * @type: enum resfence_pr_type
 *
 * Every registrant holds an all-registrants reservation, and READ
 * RESERVATION reports its key as 0.
 *
 * Return: true for types 7 and 8.
 */
bool resfence_pr_type_all_registrants(u8 type)
{
	return type == RESFENCE_PR_WRITE_EXCLUSIVE_ALL_REGS ||
	       type == RESFENCE_PR_EXCLUSIVE_ACCESS_ALL_REGS;
}

/**
 * resfence_pr_judge() - do READ KEYS and READ RESERVATION show our hold
 * @k: parsed READ KEYS header
 * @keys: the keys it returned
 * @r: parsed READ RESERVATION
 * @key: our key
 *
 * Return: see enum resfence_pr_state.
 */
enum resfence_pr_state resfence_pr_judge(const struct resfence_pr_keys *k,
					 const u64 *keys,
					 const struct resfence_pr_resv *r,
					 u64 key)
{
	if (!resfence_keys_contain(keys, k->count, key))
		return k->truncated ? RESFENCE_PR_UNKNOWN : RESFENCE_PR_KEY_GONE;
	if (!r->reserved)
		return RESFENCE_PR_NOT_RESERVED;
	if (resfence_pr_type_all_registrants(r->type) || r->holder_key == key)
		return RESFENCE_PR_OURS;
	return RESFENCE_PR_FOREIGN_HOLDER;
}

/**
 * resfence_rereg_preempted() - did a preempt come before a path's
 *	re-registration?
 * @before: PR generation of the READ KEYS before the REGISTER (which
 *	showed our key, through a registered path)
 * @after: PR generation of the READ KEYS after it
 * @ours_after: how often our key is registered after it
 *
 * A PREEMPT removes every registration of the victim key at once. With
 * nothing between our two READ KEYS but our REGISTER, @after is @before
 * + 1. Otherwise, a preempt of our key that came before the REGISTER left
 * only the registration just made (@ours_after 1); one that came after
 * left none. Two or more: the registered path's registration survived, so
 * no preempt of our key came first. Documentation/cluster.md, "Never
 * bringing back a preempted key".
 *
 * Return: true when we were preempted (fence), false when the path's
 * registration is a sound one.
 */
bool resfence_rereg_preempted(u32 before, u32 after, u32 ours_after)
{
	if (!ours_after)
		return true;
	if (after == before + 1)
		return false;
	return ours_after < 2;
}
