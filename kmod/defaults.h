/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _RESFENCE_DEFAULTS_H
#define _RESFENCE_DEFAULTS_H

#include <linux/types.h>

/**
 * struct resfence_defaults - parameters a HOLD uses when it does not say
 * @interval_ms: refresh period
 * @lease_ms: lease when @lease_auto is false; 0 disables the lease
 * @lease_auto: the lease is twice the hold's own interval
 * @action: enum resfence_action applied on a conflict
 * @mode: enum resfence_mode
 */
struct resfence_defaults {
	u32 interval_ms;
	u32 lease_ms;
	bool lease_auto;
	u8 action;
	u8 mode;
};

void resfence_defaults_get(struct resfence_defaults *out);
void resfence_defaults_set(const struct resfence_defaults *in);
u32 resfence_defaults_lease_for(const struct resfence_defaults *d,
				u32 interval_ms);

#endif /* _RESFENCE_DEFAULTS_H */
