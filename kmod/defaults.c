// SPDX-License-Identifier: GPL-2.0
/*
 * Module-wide defaults for HOLD, changed by RESFENCE_CMD_SET_DEFAULTS.
 * A copy is taken under a spinlock so a HOLD never sees half an update.
 */
#include <linux/spinlock.h>
#include <linux/resfence.h>

#include "defaults.h"

static DEFINE_SPINLOCK(defaults_lock);
static struct resfence_defaults defaults = {
	.interval_ms = RESFENCE_INTERVAL_DEFAULT_MS,
	.lease_ms = 0,
	.lease_auto = true,
	.action = RESFENCE_ACTION_RESTART,
	.mode = RESFENCE_MODE_PR,
};

/**
 * resfence_defaults_get() - copy the current defaults
 * @out: filled with a consistent snapshot
 */
void resfence_defaults_get(struct resfence_defaults *out)
{
	spin_lock(&defaults_lock);
	*out = defaults;
	spin_unlock(&defaults_lock);
}

/**
 * resfence_defaults_set() - replace the defaults as a whole
 * @in: already validated by the caller
 */
void resfence_defaults_set(const struct resfence_defaults *in)
{
	spin_lock(&defaults_lock);
	defaults = *in;
	spin_unlock(&defaults_lock);
}

/**
 * resfence_defaults_lease_for() - the lease a hold gets when it names none
 * @d: a snapshot from resfence_defaults_get()
 * @interval_ms: the hold's refresh interval
 *
 * Return: the lease in milliseconds, 0 when the lease is disabled.
 */
u32 resfence_defaults_lease_for(const struct resfence_defaults *d,
				u32 interval_ms)
{
	if (!d->lease_auto)
		return d->lease_ms;
	/* Twice the interval: one refresh may fail or be late, not two. */
	return interval_ms * 2;
}
