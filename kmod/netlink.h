/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _RESFENCE_NETLINK_H
#define _RESFENCE_NETLINK_H

#include <linux/types.h>
#include <net/netlink.h>

int resfence_genl_init(void);
void resfence_genl_exit(void);

int resfence_nl_check_interval(const struct nlattr *attr,
			       struct netlink_ext_ack *extack);
int resfence_nl_check_lease(const struct nlattr *attr, u32 lease_ms,
			    u32 interval_ms, struct netlink_ext_ack *extack);
int resfence_nl_check_action(const struct nlattr *attr,
			     struct netlink_ext_ack *extack);
int resfence_nl_check_mode(const struct nlattr *attr,
			   struct netlink_ext_ack *extack);

#endif /* _RESFENCE_NETLINK_H */
