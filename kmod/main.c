// SPDX-License-Identifier: GPL-2.0
/*
 * scsi_resfence: I/O fencing for shared SCSI disks.
 *
 * Holds SCSI-2 or persistent reservations on shared disks, refreshes them
 * from the kernel and applies an action (restart by default) the moment a
 * held disk answers RESERVATION CONFLICT. Configured over generic netlink
 * (netlink.c); the ABI is include/uapi/linux/resfence.h.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/module.h>
#include <net/genetlink.h>
#include <linux/resfence.h>

#include "netlink.h"
#include "version.h"

/*
 * Init builds from the bottom up and unwinds in exact reverse on failure;
 * exit is the same unwind. Netlink comes last: once userspace can reach
 * the module, everything it might use is ready.
 */
static int __init resfence_init(void)
{
	int ret;

	ret = resfence_genl_init();
	if (ret)
		goto err_genl;

	pr_info("version %s loaded\n", RESFENCE_MODULE_VERSION);
	return 0;

err_genl:
	return ret;
}

static void __exit resfence_exit(void)
{
	resfence_genl_exit();
	pr_info("unloaded\n");
}

module_init(resfence_init);
module_exit(resfence_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("I/O fencing on SCSI reservations");
MODULE_VERSION(RESFENCE_MODULE_VERSION);
MODULE_ALIAS_GENL_FAMILY(RESFENCE_GENL_NAME);
