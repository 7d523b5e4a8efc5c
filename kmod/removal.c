// SPDX-License-Identifier: GPL-2.0
/*
 * Hot removal of a held disk (echo 1 > /sys/block/sdX/device/delete, a
 * lost transport, ...). A SCSI class interface is told when a
 * scsi_device's class device goes away, which happens before sd removes
 * the disk and flushes its cache.
 *
 * The entry is disarmed at once, its refresh stopped, an event sent, and
 * it leaves the registry. Memory stays valid throughout: the entry holds
 * a reference on the scsi_device, dropped only with the entry itself.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/device.h>
#include <linux/printk.h>
#include <scsi/scsi_device.h>
#include <scsi/scsi_driver.h>
#include <linux/resfence.h>

#include "compat.h"
#include "device.h"
#include "netlink.h"
#include "path_add.h"
#include "refresh.h"
#include "registry.h"
#include "removal.h"

/* A new path of a multipath hold is registered and armed here (path_add.c). */
static int resfence_add_dev(RESFENCE_CLASS_INTF_ARGS)
{
	resfence_path_added(class_to_sdev(dev));
	return 0;
}

static void resfence_remove_dev(RESFENCE_CLASS_INTF_ARGS)
{
	struct resfence_dev *rd;

	rd = resfence_registry_removed(class_to_sdev(dev));
	if (!rd)
		return;

	/*
	 * Synchronous: waits for a refresh in flight. The device is in
	 * SDEV_CANCEL, which still runs commands, so that refresh completes
	 * or fails rather than hangs; nothing here takes a lock the SCSI
	 * removal path holds.
	 */
	resfence_refresh_stop(rd);
	pr_warn("%s (%u:%u) was removed while held; no longer holding it\n",
		rd->disk_name, MAJOR(rd->devt), MINOR(rd->devt));
	resfence_nl_event(rd, RESFENCE_EVENT_DEVICE_REMOVED, -ENODEV,
			  "device removed while held", GFP_KERNEL);
	resfence_registry_forget(rd);
	resfence_dev_put(rd);
}

static struct class_interface resfence_interface = {
	.add_dev = resfence_add_dev,
	.remove_dev = resfence_remove_dev,
};

/**
 * resfence_removal_init() - register the SCSI class interface
 *
 * Return: 0 or the negative errno of scsi_register_interface().
 */
int resfence_removal_init(void)
{
	return scsi_register_interface(&resfence_interface);
}

/**
 * resfence_removal_exit() - unregister it; waits for a running callback
 */
void resfence_removal_exit(void)
{
	scsi_unregister_interface(&resfence_interface);
}
