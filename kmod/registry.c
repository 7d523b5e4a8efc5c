// SPDX-License-Identifier: GPL-2.0
/*
 * The held-device registry: a list of every entry (acquiring, live or
 * being torn down) under one mutex, and an RCU hash of the armed ones that
 * the tracepoint probe searches by scsi_device without taking any lock.
 *
 * The mutex only orders state changes; it is never held across SCSI I/O
 * or while waiting for a refresh, so a slow disk cannot stall requests
 * about another one.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/hashtable.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/printk.h>
#include <linux/rculist.h>
#include <linux/string.h>

#include "device.h"
#include "hook.h"
#include "netlink.h"
#include "path_add.h"
#include "refresh.h"
#include "registry.h"

static DEFINE_MUTEX(registry_lock);
static LIST_HEAD(registry_list);
/* Armed single-disk entries by scsi_device pointer; readers: rcu_read_lock(). */
static DEFINE_HASHTABLE(armed_hash, 6);
/*
 * The armed paths of multipath holds (every path, the first included), by
 * scsi_device pointer: removing any one of them leaves the others found.
 */
static DEFINE_HASHTABLE(armed_path_hash, 6);

/* The entry that uses @sdev, itself or as one of its paths. */
static struct resfence_dev *find_sdev(const struct scsi_device *sdev)
{
	struct resfence_dev *rd;
	u8 i;

	lockdep_assert_held(&registry_lock);
	list_for_each_entry(rd, &registry_list, node) {
		if (rd->sdev == sdev)
			return rd;
		for (i = 0; i < rd->npaths; i++)
			if (rd->paths[i].sdev == sdev)
				return rd;
	}
	return NULL;
}

/* Any path of @rd already in another entry. */
static struct resfence_dev *find_any_path(const struct resfence_dev *rd)
{
	struct resfence_dev *other;
	u8 i;

	other = find_sdev(rd->sdev);
	for (i = 0; !other && i < rd->npaths; i++)
		other = find_sdev(rd->paths[i].sdev);
	return other;
}

static void arm_path_locked(struct resfence_path *p)
{
	WRITE_ONCE(p->state, RESFENCE_PATH_STATE_ARMED);
	hash_add_rcu(armed_path_hash, &p->armed_node, (unsigned long)p->sdev);
}

static void arm_paths_locked(struct resfence_dev *rd)
{
	u8 i;

	for (i = 0; i < rd->npaths; i++) {
		/* Removed while acquiring: never armed. */
		if (rd->paths[i].state == RESFENCE_PATH_STATE_REMOVED)
			continue;
		arm_path_locked(&rd->paths[i]);
	}
}

/* Paths of @rd not removed. */
static u8 live_paths_locked(const struct resfence_dev *rd)
{
	u8 i, n = 0;

	for (i = 0; i < rd->npaths; i++)
		if (rd->paths[i].state != RESFENCE_PATH_STATE_REMOVED)
			n++;
	return n;
}

static void disarm_path_locked(struct resfence_path *p)
{
	if (!hlist_unhashed(&p->armed_node))
		hash_del_rcu(&p->armed_node);
}

static struct resfence_dev *find_devt(dev_t devt)
{
	struct resfence_dev *rd, *found = NULL;

	lockdep_assert_held(&registry_lock);
	list_for_each_entry(rd, &registry_list, node) {
		if (rd->devt != devt || rd->life == RESFENCE_LIFE_ACQUIRING)
			continue;
		/* A removed disk's number may already name a new one. */
		if (!found || (found->removed && !rd->removed))
			found = rd;
	}
	return found;
}

/**
 * resfence_registry_claim() - enter a new entry as ACQUIRING
 * @rd: from resfence_dev_alloc(); the registry takes its own reference
 *
 * One entry per scsi_device: a second HOLD of the same disk fails here,
 * before any command is sent. Every entry, from here until it is
 * unclaimed or forgotten, keeps the probe attached (resfence_hook_get()).
 *
 * Return: 0, -EEXIST when the disk is already held, -EALREADY when a
 * hold or release of it is in progress, or the errno of attaching the
 * probe.
 */
int resfence_registry_claim(struct resfence_dev *rd)
{
	struct resfence_dev *other;
	int ret;

	ret = resfence_hook_get();
	if (ret)
		return ret;
	mutex_lock(&registry_lock);
	other = find_any_path(rd);
	if (other) {
		ret = other->life == RESFENCE_LIFE_LIVE ? -EEXIST : -EALREADY;
	} else {
		rd->life = RESFENCE_LIFE_ACQUIRING;
		kref_get(&rd->kref);
		list_add_tail(&rd->node, &registry_list);
	}
	mutex_unlock(&registry_lock);
	if (ret)
		resfence_hook_put();
	return ret;
}

/**
 * resfence_registry_unclaim() - take a failed acquire out again
 * @rd: an ACQUIRING entry; never armed, so no grace period is needed
 */
void resfence_registry_unclaim(struct resfence_dev *rd)
{
	mutex_lock(&registry_lock);
	WARN_ON(rd->life != RESFENCE_LIFE_ACQUIRING || rd->armed);
	list_del_init(&rd->node);
	mutex_unlock(&registry_lock);
	resfence_hook_put();
	resfence_dev_put(rd);
}

/**
 * resfence_registry_arm() - the reservation is ours: arm and start refreshing
 * @rd: an ACQUIRING entry whose acquire succeeded
 *
 * From here on a RESERVATION CONFLICT on the device fences.
 *
 * Return: 0, or -ENODEV when the disk was removed while acquiring (the
 * entry stays ACQUIRING for the caller to unclaim).
 */
int resfence_registry_arm(struct resfence_dev *rd)
{
	int ret = 0;

	mutex_lock(&registry_lock);
	if (rd->removed) {
		ret = -ENODEV;
	} else {
		rd->life = RESFENCE_LIFE_LIVE;
		WRITE_ONCE(rd->armed, true);
		/* A multipath hold is found through its paths only. */
		if (!rd->npaths)
			hash_add_rcu(armed_hash, &rd->armed_node,
				     (unsigned long)rd->sdev);
		arm_paths_locked(rd);
		resfence_refresh_start(rd);
	}
	mutex_unlock(&registry_lock);
	return ret;
}

/* Caller holds registry_lock; a grace period must pass before teardown. */
static void disarm_locked(struct resfence_dev *rd)
{
	u8 i;

	rd->life = RESFENCE_LIFE_TEARDOWN;
	WRITE_ONCE(rd->armed, false);
	if (!hlist_unhashed(&rd->armed_node))
		hash_del_rcu(&rd->armed_node);
	for (i = 0; i < rd->npaths; i++)
		disarm_path_locked(&rd->paths[i]);
}

/**
 * resfence_registry_begin_release() - disarm a held device for RELEASE
 * @devt: the device number
 * @out: the entry, with a reference for the caller
 *
 * Disarming comes first so that nothing the release does, or anything
 * else that completes from now on, can fence. Returns after an RCU grace
 * period: no probe still sees the entry as armed.
 *
 * Return: 0, -ENOENT when the device is not held, -EALREADY when a hold,
 * release or removal of it is in progress.
 */
int resfence_registry_begin_release(dev_t devt, struct resfence_dev **out)
{
	struct resfence_dev *rd;
	int ret = 0;

	mutex_lock(&registry_lock);
	rd = find_devt(devt);
	if (!rd)
		ret = -ENOENT;
	else if (rd->life != RESFENCE_LIFE_LIVE)
		ret = -EALREADY;
	else
		disarm_locked(rd);
	if (!ret)
		kref_get(&rd->kref);
	mutex_unlock(&registry_lock);
	if (ret)
		return ret;

	synchronize_rcu();
	*out = rd;
	return 0;
}

/**
 * resfence_registry_forget() - remove a torn-down entry from the registry
 * @rd: an entry in TEARDOWN; the registry's reference is dropped
 */
void resfence_registry_forget(struct resfence_dev *rd)
{
	mutex_lock(&registry_lock);
	WARN_ON(rd->life != RESFENCE_LIFE_TEARDOWN);
	list_del_init(&rd->node);
	mutex_unlock(&registry_lock);
	resfence_hook_put();
	resfence_dev_put(rd);
}

/**
 * resfence_registry_removed() - the scsi_device is going away
 * @sdev: the device being removed
 *
 * Marks its entry removed. A live entry is disarmed at once: nothing this
 * node sends to a disk it no longer has can corrupt it, and the flush sd
 * sends on its way out must not fence. An entry in the middle of a hold
 * or release is left to that operation, which sees @removed.
 *
 * A path of a multipath hold, the first one included, is only disarmed and
 * marked removed, with a PATH_REMOVED event, while another path is left:
 * the hold goes on through the others. The removal of its last path
 * removes the hold as a single disk's removal does.
 *
 * Return: a live entry now in TEARDOWN with a reference for the caller,
 * after an RCU grace period; else NULL.
 */
struct resfence_dev *resfence_registry_removed(struct scsi_device *sdev)
{
	struct resfence_path *gone = NULL;
	char why[48], name[DISK_NAME_LEN];
	struct resfence_dev *rd;
	u8 i;

	mutex_lock(&registry_lock);
	rd = find_sdev(sdev);
	for (i = 0; rd && i < rd->npaths; i++) {
		if (rd->paths[i].sdev != sdev ||
		    rd->paths[i].state == RESFENCE_PATH_STATE_REMOVED)
			continue;
		disarm_path_locked(&rd->paths[i]);
		WRITE_ONCE(rd->paths[i].state, RESFENCE_PATH_STATE_REMOVED);
		gone = &rd->paths[i];
		break;
	}
	if (gone)
		resfence_path_disk(gone, name, sizeof(name));
	if (gone && live_paths_locked(rd)) {
		pr_info("%s: path %s removed; the hold goes on through the others\n",
			rd->disk_name, name);
		kref_get(&rd->kref);
		mutex_unlock(&registry_lock);
		synchronize_rcu();
		snprintf(why, sizeof(why), "path %s removed", name);
		resfence_nl_event(rd, RESFENCE_EVENT_PATH_REMOVED, -ENODEV, why,
				  GFP_KERNEL);
		resfence_dev_put(rd);
		return NULL;
	}
	if (gone)
		pr_info("%s: path %s removed: it was the last one\n",
			rd->disk_name, name);
	else if (rd && rd->npaths)
		rd = NULL;	/* a path already removed: nothing more to do */
	if (rd) {
		WRITE_ONCE(rd->removed, true);
		if (rd->life == RESFENCE_LIFE_LIVE) {
			disarm_locked(rd);
			kref_get(&rd->kref);
		} else {
			rd = NULL;
		}
	}
	mutex_unlock(&registry_lock);
	if (rd)
		synchronize_rcu();
	return rd;
}

/**
 * resfence_registry_find_lu() - the live multipath hold a new path belongs to
 * @lu_id: the new device's VPD page 83 identity, sanitized as the hold's
 * @sdev: the new device
 * @full: set when the hold has no free path slot left (the entry is
 *	returned all the same, for the caller to log and tell)
 *
 * Only a live, not removed, pr-mode multipath hold with the same LU
 * identity takes a new path; a device some entry already uses does not.
 *
 * Return: the entry with a reference, or NULL.
 */
struct resfence_dev *resfence_registry_find_lu(const char *lu_id,
					       const struct scsi_device *sdev,
					       bool *full)
{
	struct resfence_dev *rd, *found = NULL;

	mutex_lock(&registry_lock);
	if (find_sdev(sdev))
		goto out;
	list_for_each_entry(rd, &registry_list, node) {
		if (rd->life != RESFENCE_LIFE_LIVE || rd->removed ||
		    !rd->npaths || rd->mode != RESFENCE_MODE_PR ||
		    !rd->lu_id[0] || strcmp(rd->lu_id, lu_id))
			continue;
		found = rd;
		kref_get(&rd->kref);
		*full = rd->npaths >= RESFENCE_PATHS_MAX;
		break;
	}
out:
	mutex_unlock(&registry_lock);
	return found;
}

/**
 * resfence_registry_add_path() - publish and arm a new, registered path
 * @rd: from resfence_registry_find_lu()
 * @sdev: the path's device; on success the entry owns this reference
 * @devt: its whole-disk device number, 0 when sd has not attached yet
 * @name: its disk name, or its SCSI address until sd has attached
 *
 * Lockless readers (the probe through the armed path hash, the refresh,
 * verify, GET_DEVICE) see the new entry fully written: it is written
 * first, then @rd->npaths is raised with a release store (readers load it
 * with acquire), then it is hashed with rcu_assign_pointer().
 *
 * Return: the new path's index; -ESHUTDOWN when the hold is no longer
 * live (released, fenced away or removed meanwhile); -ENOSPC when no
 * path slot is left.
 */
int resfence_registry_add_path(struct resfence_dev *rd,
			       struct scsi_device *sdev, dev_t devt,
			       const char *name)
{
	struct resfence_path *p;
	int ret;
	u8 n;

	mutex_lock(&registry_lock);
	n = rd->npaths;
	if (rd->life != RESFENCE_LIFE_LIVE || rd->removed) {
		ret = -ESHUTDOWN;
	} else if (n >= RESFENCE_PATHS_MAX) {
		ret = -ENOSPC;
	} else {
		p = &rd->paths[n];
		INIT_HLIST_NODE(&p->armed_node);
		p->rd = rd;
		p->sdev = sdev;
		p->devt = devt;
		strscpy(p->disk_name, name, sizeof(p->disk_name));
		p->state = RESFENCE_PATH_STATE_UNSPEC;
		clear_bit(n, &rd->lost_paths);
		/* Pairs with the readers' smp_load_acquire(): entry first. */
		smp_store_release(&rd->npaths, n + 1);
		arm_path_locked(p);
		ret = n;
	}
	mutex_unlock(&registry_lock);
	return ret;
}

/**
 * resfence_registry_verify_live() - verify a hold now, if it is still live
 * @rd: an entry with a reference
 *
 * For process context that is not the probe: queues the refresh as a
 * verification only while the entry is live, so that a release or removal
 * (which disarm under the registry mutex before they stop the refresh)
 * always cancels it.
 */
void resfence_registry_verify_live(struct resfence_dev *rd)
{
	mutex_lock(&registry_lock);
	if (rd->life == RESFENCE_LIFE_LIVE && READ_ONCE(rd->armed))
		resfence_refresh_verify_now(rd);
	mutex_unlock(&registry_lock);
}

/**
 * resfence_registry_get() - the held device with this number
 * @devt: the device number
 *
 * Return: a live or torn-down entry with a reference, or NULL.
 */
struct resfence_dev *resfence_registry_get(dev_t devt)
{
	struct resfence_dev *rd;

	mutex_lock(&registry_lock);
	rd = find_devt(devt);
	if (rd)
		kref_get(&rd->kref);
	mutex_unlock(&registry_lock);
	return rd;
}

/**
 * resfence_registry_get_nth() - the @n-th visible entry, for dumps
 * @n: index, from 0
 *
 * Return: an entry with a reference, or NULL past the end.
 */
struct resfence_dev *resfence_registry_get_nth(unsigned long n)
{
	struct resfence_dev *rd;

	mutex_lock(&registry_lock);
	list_for_each_entry(rd, &registry_list, node) {
		if (rd->life == RESFENCE_LIFE_ACQUIRING)
			continue;
		if (!n--) {
			kref_get(&rd->kref);
			mutex_unlock(&registry_lock);
			return rd;
		}
	}
	mutex_unlock(&registry_lock);
	return NULL;
}

/**
 * resfence_armed_lookup() - the armed entry of @sdev
 * @sdev: the device a command completed on: a disk held by itself or any
 *	armed path of a multipath hold
 *
 * Any context; the caller holds rcu_read_lock() (or runs with preemption
 * disabled, as tracepoint probes do) for as long as it uses the result.
 *
 * Return: the entry or NULL.
 */
struct resfence_dev *resfence_armed_lookup(const struct scsi_device *sdev)
{
	struct resfence_dev *rd;
	struct resfence_path *p;

	hash_for_each_possible_rcu(armed_hash, rd, armed_node,
				   (unsigned long)sdev)
		if (rd->sdev == sdev)
			return rd;
	hash_for_each_possible_rcu(armed_path_hash, p, armed_node,
				   (unsigned long)sdev)
		if (p->sdev == sdev)
			return p->rd;
	return NULL;
}

/**
 * resfence_registry_count() - devices held (live entries)
 *
 * Return: the number.
 */
u32 resfence_registry_count(void)
{
	struct resfence_dev *rd;
	u32 n = 0;

	mutex_lock(&registry_lock);
	list_for_each_entry(rd, &registry_list, node)
		if (rd->life == RESFENCE_LIFE_LIVE)
			n++;
	mutex_unlock(&registry_lock);
	return n;
}

/**
 * resfence_registry_empty() - nothing held, acquiring or being torn down
 *
 * Return: true when the registry is empty.
 */
bool resfence_registry_empty(void)
{
	bool empty;

	mutex_lock(&registry_lock);
	empty = list_empty(&registry_list);
	mutex_unlock(&registry_lock);
	return empty;
}
