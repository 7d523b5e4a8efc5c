/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _RESFENCE_EVICT_H
#define _RESFENCE_EVICT_H

#include <linux/types.h>

struct netlink_ext_ack;
struct nlattr;
struct resfence_dev;

int resfence_evict(dev_t devt, const struct nlattr *dev_attr, u64 victim_key,
		   const struct nlattr *victim_attr, bool abort,
		   struct netlink_ext_ack *extack, struct resfence_dev **out);

#endif /* _RESFENCE_EVICT_H */
