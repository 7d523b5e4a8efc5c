// SPDX-License-Identifier: GPL-2.0
/*
 * New paths of a multipath hold. The SCSI class interface (removal.c)
 * calls resfence_path_added() for every scsi_device that appears, during
 * the scan, before any map can send I/O through it. When its VPD page 83
 * identity is that of a live pr-mode multipath hold, our key is registered
 * through the new I_T nexus (REGISTER AND IGNORE EXISTING KEY, with the
 * hold's APTPL), and only then is the path published in the entry and
 * armed. Nothing here fences: what cannot be proven sound leaves the path
 * unregistered and unarmed (an event says why), and where our key looks
 * preempted the refresh is asked to verify, and fences from there.
 *
 * Never bring back a preempted key: the REGISTER sits between two READ
 * KEYS, judged as the refresh judges a lost path's re-registration
 * (resfence_rereg_preempted(), Documentation/cluster.md "Never bringing
 * back a preempted key"); a registration found unsound is withdrawn.
 *
 * sd may attach to the new device asynchronously, after this runs: until
 * then the path is named by its SCSI address ("3:0:0:0") and has no
 * device number; resfence_path_disk() finds its disk when it has one.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/device.h>
#include <linux/printk.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <scsi/scsi_device.h>
#include <linux/resfence.h>

#include "decide.h"
#include "device.h"
#include "netlink.h"
#include "path_add.h"
#include "prin.h"
#include "record.h"
#include "registry.h"
#include "reserve.h"
#include "sense.h"

struct disk_match {
	char *name;
	size_t len;
	dev_t devt;
};

/* The whole disk sd made of a scsi_device is a child of it in "block". */
static int match_disk(struct device *dev, void *data)
{
	struct disk_match *m = data;

	if (!dev->class || strcmp(dev->class->name, "block") || !dev->devt)
		return 0;
	strscpy(m->name, dev_name(dev), m->len);
	m->devt = dev->devt;
	return 1;
}

/* @sdev's disk ("sdc") and its number, or 0 when sd has none (yet). */
static dev_t sdev_disk(struct scsi_device *sdev, char *name, size_t len)
{
	struct disk_match m = { .name = name, .len = len };

	device_for_each_child(&sdev->sdev_gendev, &m, match_disk);
	return m.devt;
}

/**
 * resfence_path_disk() - a path's disk name and number
 * @p: a published path
 * @name: where the name goes
 * @len: size of @name
 *
 * A path added before sd attached has no number of its own: its disk is
 * looked up now, and until there is one the path goes by its SCSI
 * address. Process context.
 *
 * Return: the whole-disk device number, or 0 when it has no disk.
 */
dev_t resfence_path_disk(const struct resfence_path *p, char *name,
			 size_t len)
{
	dev_t devt;

	if (!p->devt) {
		devt = sdev_disk(p->sdev, name, len);
		if (devt)
			return devt;
	}
	strscpy(name, p->disk_name, len);
	return p->devt;
}

/* How often our key is registered, and the PR generation, via @sdev. */
static int count_ours(struct resfence_dev *rd, struct scsi_device *sdev,
		      u32 *n, u32 *generation, struct resfence_io *io)
{
	struct resfence_pr_keys k;
	u64 *keys;
	int ret;

	ret = resfence_pr_read_all_keys(sdev, &k, &keys, io, GFP_KERNEL);
	if (ret)
		return ret;
	*n = resfence_keys_count(keys, k.count, rd->key);
	*generation = k.generation;
	kfree(keys);
	return k.truncated ? -EPROTO : 0;
}

/*
 * Withdraw our registration through @sdev (REGISTER with a zero service
 * action key) with @buf, RESFENCE_PR_OUT_PARAM_LEN bytes; a conflict
 * means it was not there. True when it is gone.
 */
static bool withdraw_ours(struct resfence_dev *rd, struct scsi_device *sdev,
			  u8 *buf, const char *name)
{
	struct resfence_io io = {};
	int ret;

	ret = resfence_pr_out(sdev, buf, RESFENCE_PR_OUT_REGISTER, 0, rd->key,
			      0, &io);
	if (ret && io.outcome != RESFENCE_OUT_CONFLICT) {
		pr_warn("%s: path %s: could not withdraw our registration: %s\n",
			rd->disk_name, name, resfence_outcome_str(io.outcome));
		return false;
	}
	return true;
}

static const char *io_failure(int ret, const struct resfence_io *io)
{
	if (ret == -EPROTO)
		return "key list cut short";
	if (ret == -ENOMEM)
		return "out of memory";
	return resfence_outcome_str(io->outcome);
}

/*
 * Register our key through the new path @sdev, between two READ KEYS
 * (through that path: PR IN needs no registration). On failure @why says
 * what happened and the path has no registration of ours (as far as the
 * target answers).
 */
static int register_new_path(struct resfence_dev *rd,
			     struct scsi_device *sdev, const char *name,
			     char *why, size_t len)
{
	struct resfence_io io = {};
	u32 before, after, n;
	u8 *buf;
	int ret;

	buf = kzalloc(RESFENCE_PR_OUT_PARAM_LEN, GFP_KERNEL);
	if (!buf) {
		snprintf(why, len, "path %s: out of memory: not registered",
			 name);
		return -ENOMEM;
	}
	ret = count_ours(rd, sdev, &n, &before, &io);
	if (ret) {
		snprintf(why, len,
			 "path %s: READ KEYS failed (%s): not registered",
			 name, io_failure(ret, &io));
		goto out;
	}
	if (!n) {
		snprintf(why, len,
			 "path %s: our key is not registered through any path: not registered; verifying",
			 name);
		resfence_registry_verify_live(rd);
		ret = -ENOLINK;
		goto out;
	}
	ret = resfence_pr_register(sdev, buf, RESFENCE_PR_OUT_REGISTER_IGNORE,
				   0, rd->key, rd->aptpl, &io);
	if (ret) {
		snprintf(why, len,
			 "path %s: REGISTER failed (%s): not registered",
			 name, resfence_outcome_str(io.outcome));
		goto out;
	}
	ret = count_ours(rd, sdev, &n, &after, &io);
	if (!ret && !resfence_rereg_preempted(before, after, n))
		goto out;
	/* Unsound, or unknown: withdraw the registration just made. */
	withdraw_ours(rd, sdev, buf, name);
	if (ret) {
		snprintf(why, len,
			 "path %s: READ KEYS after REGISTER failed (%s): registration withdrawn",
			 name, io_failure(ret, &io));
		goto out;
	}
	snprintf(why, len,
		 "path %s: our key was preempted meanwhile (PR generation %u -> %u, registered %u times): registration withdrawn; verifying",
		 name, before, after, n);
	resfence_registry_verify_live(rd);
	ret = -ENOLINK;
out:
	kfree(buf);
	return ret;
}

/**
 * resfence_path_added() - a scsi_device appeared: a new path of a hold?
 * @sdev: the new device, during its scan (the class interface's add_dev)
 *
 * Registers and arms it when it is one more path of a live multipath
 * hold's LU (see the top of this file); else does nothing. Sleeps: sends
 * up to four commands to @sdev.
 */
void resfence_path_added(struct scsi_device *sdev)
{
	char id[RESFENCE_ID_LEN], name[DISK_NAME_LEN], why[160];
	struct resfence_dev *rd;
	bool full = false;
	dev_t devt;
	int ret;

	if (resfence_registry_empty())
		return;
	if (scsi_vpd_lun_id(sdev, id, sizeof(id)) < 0)
		return;
	resfence_record_sanitize_id(id);
	rd = resfence_registry_find_lu(id, sdev, &full);
	if (!rd)
		return;
	devt = sdev_disk(sdev, name, sizeof(name));
	if (!devt)
		strscpy(name, dev_name(&sdev->sdev_gendev), sizeof(name));
	if (full) {
		ret = -ENOSPC;
		snprintf(why, sizeof(why),
			 "path %s: the hold has no path slot left (%u): not registered",
			 name, RESFENCE_PATHS_MAX);
		goto out_event;
	}
	if (scsi_device_get(sdev))
		goto out_put;
	ret = register_new_path(rd, sdev, name, why, sizeof(why));
	if (ret) {
		scsi_device_put(sdev);
		goto out_event;
	}
	ret = resfence_registry_add_path(rd, sdev, devt, name);
	if (ret < 0) {
		u8 *buf = kzalloc(RESFENCE_PR_OUT_PARAM_LEN, GFP_KERNEL);

		/* Released or removed meanwhile, or the slots ran out. */
		if (buf)
			withdraw_ours(rd, sdev, buf, name);
		kfree(buf);
		scsi_device_put(sdev);
		if (ret == -ESHUTDOWN)
			goto out_put;
		snprintf(why, sizeof(why),
			 "path %s: the hold has no path slot left (%u): registration withdrawn",
			 name, RESFENCE_PATHS_MAX);
		goto out_event;
	}
	pr_info("%s: new path %s (%s): key 0x%llx registered, path %d armed\n",
		rd->disk_name, name, dev_name(&sdev->sdev_gendev), rd->key,
		ret);
	snprintf(why, sizeof(why), "path %s added", name);
	resfence_nl_event(rd, RESFENCE_EVENT_PATH_ADDED, 0, why, GFP_KERNEL);
	goto out_put;
out_event:
	pr_warn("%s: new path of the held LU, not armed: %s\n", rd->disk_name,
		why);
	resfence_nl_event(rd, RESFENCE_EVENT_PATH_ADDED, ret, why, GFP_KERNEL);
out_put:
	resfence_dev_put(rd);
}
