// SPDX-License-Identifier: GPL-2.0
/*
 * Allocation and lifetime of struct resfence_dev.
 */
#include <linux/err.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <scsi/scsi_device.h>
#include <linux/resfence.h>

#include "device.h"
#include "fence.h"
#include "refresh.h"
#include "verify.h"

/**
 * resfence_dev_alloc() - a new, unregistered, unarmed entry
 * @sdev: the device; the caller's scsi_device_get() reference passes to
 *	the entry on success
 * @devt: the whole-disk device number
 * @disk_name: its name
 *
 * Takes a reference on this module, dropped when the entry is freed.
 *
 * Return: the entry with one reference, ERR_PTR(-ENOMEM), or
 * ERR_PTR(-ENODEV) when the module is being unloaded.
 */
struct resfence_dev *resfence_dev_alloc(struct scsi_device *sdev, dev_t devt,
					const char *disk_name)
{
	struct resfence_dev *rd;

	rd = kzalloc(sizeof(*rd), GFP_KERNEL);
	if (!rd)
		return ERR_PTR(-ENOMEM);
	rd->iobuf = kmalloc(RESFENCE_IOBUF_LEN, GFP_KERNEL);
	if (!rd->iobuf) {
		kfree(rd);
		return ERR_PTR(-ENOMEM);
	}
	/* A request that raced with rmmod: the module is going away. */
	if (!try_module_get(THIS_MODULE)) {
		kfree(rd->iobuf);
		kfree(rd);
		return ERR_PTR(-ENODEV);
	}

	INIT_LIST_HEAD(&rd->node);
	INIT_HLIST_NODE(&rd->armed_node);
	kref_init(&rd->kref);
	rd->sdev = sdev;
	rd->devt = devt;
	strscpy(rd->disk_name, disk_name, sizeof(rd->disk_name));
	rd->life = RESFENCE_LIFE_ACQUIRING;
	atomic64_set(&rd->conflicts, 0);
	spin_lock_init(&rd->lock);
	spin_lock_init(&rd->gate_lock);
	rd->lease_deadline = KTIME_MAX;
	resfence_refresh_init(rd);
	resfence_fence_init(rd);
	resfence_verify_init(rd);
	return rd;
}

static void resfence_dev_release(struct kref *kref)
{
	struct resfence_dev *rd = container_of(kref, struct resfence_dev, kref);
	u8 i;

	for (i = 0; i < rd->npaths; i++)
		scsi_device_put(rd->paths[i].sdev);
	scsi_device_put(rd->sdev);
	kfree(rd->epoch_buf);
	kfree(rd->iobuf);
	kfree(rd);
	/*
	 * Every context that can drop the last reference (netlink handlers,
	 * the class interface callback, our workqueue) is waited for by
	 * module exit, so returning from here after the put is safe.
	 */
	module_put(THIS_MODULE);
}

/**
 * resfence_dev_put() - drop a reference
 * @rd: the entry; freed with the last reference
 */
void resfence_dev_put(struct resfence_dev *rd)
{
	kref_put(&rd->kref, resfence_dev_release);
}

/**
 * resfence_dev_state() - the state userspace sees
 * @rd: the entry
 *
 * Return: REMOVED, FENCED or ARMED (enum resfence_state).
 */
/**
 * resfence_dev_cmd_sdev() - where a command of the hold goes
 * @rd: the entry
 *
 * A single-disk hold's disk; a multipath hold's refresh path unless it
 * was removed, else the first path not removed (path 0 may be gone).
 * Every path is referenced by the entry, so the result stays valid for
 * the entry's life, even if that path is removed meanwhile (commands to
 * it then fail).
 *
 * Return: the device.
 */
struct scsi_device *resfence_dev_cmd_sdev(struct resfence_dev *rd)
{
	u8 cur = READ_ONCE(rd->cur_path);
	u8 i, n;

	/* Pairs with resfence_registry_add_path(): paths below n are whole. */
	n = smp_load_acquire(&rd->npaths);

	if (!n)
		return rd->sdev;
	if (cur < n &&
	    READ_ONCE(rd->paths[cur].state) != RESFENCE_PATH_STATE_REMOVED)
		return rd->paths[cur].sdev;
	for (i = 0; i < n; i++)
		if (READ_ONCE(rd->paths[i].state) != RESFENCE_PATH_STATE_REMOVED)
			return rd->paths[i].sdev;
	return rd->sdev;
}

u8 resfence_dev_state(const struct resfence_dev *rd)
{
	if (READ_ONCE(rd->removed))
		return RESFENCE_STATE_REMOVED;
	if (READ_ONCE(rd->fenced))
		return RESFENCE_STATE_FENCED;
	return RESFENCE_STATE_ARMED;
}
