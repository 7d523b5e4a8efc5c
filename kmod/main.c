// SPDX-License-Identifier: GPL-2.0
/*
 * scsi_resfence: I/O fencing for shared SCSI disks.
 *
 * Holds SCSI-2 or persistent reservations on shared disks, refreshes them
 * from the kernel (refresh.c) and applies an action, restart by default
 * (fence.c), the moment a command to a held disk completes with
 * RESERVATION CONFLICT (hook.c). Configured over generic netlink
 * (netlink.c); the ABI is include/uapi/linux/resfence.h.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/module.h>
#include <net/genetlink.h>
#include <linux/resfence.h>

#include "hook.h"
#include "netlink.h"
#include "registry.h"
#include "removal.h"
#include "version.h"
#include "workqueue.h"

/*
 * Init builds from the bottom up and unwinds in exact reverse on failure.
 * Netlink comes last: once userspace can reach the module, everything a
 * request might use is ready.
 */
static int __init resfence_init(void)
{
	int ret;

	ret = resfence_wq_init();
	if (ret)
		goto err_wq;
	ret = resfence_hook_init();
	if (ret)
		goto err_hook;
	ret = resfence_removal_init();
	if (ret)
		goto err_removal;
	ret = resfence_genl_init();
	if (ret)
		goto err_genl;

	pr_info("version %s loaded\n", RESFENCE_MODULE_VERSION);
	return 0;

err_genl:
	resfence_removal_exit();
err_removal:
	resfence_hook_exit();
err_hook:
	resfence_wq_exit();
err_wq:
	return ret;
}

/*
 * Every held device pins the module, so exit runs with nothing held: the
 * order matters for what may still be in flight. Netlink first (no new
 * requests; waits for running ones), then the class interface (waits for
 * a removal callback), then the probe with a tracepoint grace period, and
 * the workqueue last, which waits for any work still running.
 */
static void __exit resfence_exit(void)
{
	resfence_genl_exit();
	resfence_removal_exit();
	WARN_ON(!resfence_registry_empty());
	resfence_hook_exit();
	resfence_wq_exit();
	pr_info("unloaded\n");
}

module_init(resfence_init);
module_exit(resfence_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("I/O fencing on SCSI reservations");
MODULE_VERSION(RESFENCE_MODULE_VERSION);
MODULE_ALIAS_GENL_FAMILY(RESFENCE_GENL_NAME);
