/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _RESFENCE_LOOKUP_H
#define _RESFENCE_LOOKUP_H

#include <linux/types.h>

struct netlink_ext_ack;
struct nlattr;
struct scsi_device;

int resfence_lookup(dev_t devt, struct scsi_device **sdevp, char *name,
		    size_t name_len, const struct nlattr *attr,
		    struct netlink_ext_ack *extack);

int resfence_lookup_map(dev_t devt, char *name, size_t name_len,
			const struct nlattr *attr,
			struct netlink_ext_ack *extack);

#endif /* _RESFENCE_LOOKUP_H */
