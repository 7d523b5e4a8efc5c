/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _RESFENCE_NETLINK_H
#define _RESFENCE_NETLINK_H

#include <linux/gfp.h>
#include <linux/types.h>

struct resfence_dev;

int resfence_genl_init(void);
void resfence_genl_exit(void);
void resfence_nl_event(struct resfence_dev *rd, u8 event, int err,
		       const char *reason, gfp_t gfp);

#endif /* _RESFENCE_NETLINK_H */
