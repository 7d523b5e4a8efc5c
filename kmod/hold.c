// SPDX-License-Identifier: GPL-2.0
/*
 * HOLD, PREEMPT and RELEASE.
 *
 * Acquire, then arm: the entry is claimed in the registry (so a second
 * HOLD of the disk fails at once), the reservation commands run with no
 * lock held, and only when the reservation is ours does the entry become
 * armed. A RESERVATION CONFLICT while acquiring is an ordinary failure,
 * -EBUSY, which is how a takeover learns that the master is alive.
 *
 * Release disarms first: after the entry is out of the armed hash and a
 * grace period has passed, and the refresh has stopped, nothing that
 * completes on the disk can fence, and only then are RELEASE (and, in pr
 * mode, the unregistration) sent.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/blkdev.h>
#include <linux/err.h>
#include <linux/ktime.h>
#include <linux/printk.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/utsname.h>
#include <net/netlink.h>
#include <scsi/scsi_device.h>
#include <scsi/scsi_proto.h>
#include <linux/resfence.h>

#include "cdb.h"
#include "decide.h"
#include "device.h"
#include "epoch_io.h"
#include "gate.h"
#include "hold.h"
#include "lookup.h"
#include "netlink.h"
#include "record.h"
#include "refresh.h"
#include "registry.h"
#include "reserve.h"

static const char *const action_names[] = {
	[RESFENCE_ACTION_RESTART] = "restart",
	[RESFENCE_ACTION_PANIC] = "panic",
	[RESFENCE_ACTION_LOG] = "log",
};

/* The extended ACK for a failed reservation command while acquiring. */
static void acquire_msg(struct netlink_ext_ack *extack, int ret,
			const struct resfence_io *io, bool pr)
{
	if (ret == -EBUSY)
		NL_SET_ERR_MSG(extack, "reservation held by another node");
	else if (io->outcome == RESFENCE_OUT_INVALID_OPCODE)
		if (pr)
			NL_SET_ERR_MSG(extack,
				       "device does not support persistent reservations");
		else
			NL_SET_ERR_MSG(extack,
				       "device does not support RESERVE(6) or RESERVE(10)");
	else if (io->outcome == RESFENCE_OUT_INVALID_FIELD)
		NL_SET_ERR_MSG(extack,
			       "device rejected the command (reservation type not supported?)");
	else
		resfence_extack_outcome(extack, io->outcome);
}

/* Why the epoch block could not be read or written, for the extended ACK. */
static void epoch_io_msg(struct netlink_ext_ack *extack,
			 const struct nlattr *attr, const struct resfence_io *io,
			 bool write)
{
	if (io->comp.sense_valid && io->comp.key == ILLEGAL_REQUEST &&
	    io->comp.asc == 0x21)
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "epoch_lba is beyond the end of the disk");
	else if (write)
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "cannot write the takeover epoch block");
	else
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "cannot read the takeover epoch block");
}

/*
 * Under the reservation just taken: read the epoch block and write it back
 * one higher. From here on, a node that held the disk before this acquire
 * finds the epoch moved when it next looks, before it can re-reserve.
 */
static int acquire_epoch(struct resfence_dev *rd,
			 const struct resfence_hold_req *req,
			 struct netlink_ext_ack *extack)
{
	enum resfence_epoch_parse parse;
	struct resfence_epoch e;
	struct resfence_io io = {};
	int ret;

	ret = resfence_epoch_read(rd->sdev, rd->epoch_buf, rd->epoch_lba, &e,
				  &parse, &io);
	if (ret) {
		epoch_io_msg(extack, req->epoch_attr, &io, false);
		return ret;
	}
	if (parse == RESFENCE_EPOCH_FOREIGN) {
		NL_SET_ERR_MSG_ATTR(extack, req->epoch_attr,
				    "the epoch block holds data that is not a resfence epoch: refusing to overwrite it (zero the block to dedicate it)");
		return -ENOTEMPTY;
	}
	if (e.epoch == U64_MAX) {
		NL_SET_ERR_MSG_ATTR(extack, req->epoch_attr,
				    "the takeover epoch cannot grow any further (zero the block)");
		return -EOVERFLOW;
	}
	e.epoch++;
	memset(e.owner, 0, sizeof(e.owner));
	strscpy(e.owner, utsname()->nodename, sizeof(e.owner));
	e.when_ns = ktime_get_real_ns();
	ret = resfence_epoch_write(rd->sdev, rd->epoch_buf, rd->epoch_lba, &e,
				   &io);
	if (ret) {
		epoch_io_msg(extack, req->epoch_attr, &io, true);
		return ret;
	}
	rd->epoch = e.epoch;
	return 0;
}

static int acquire_scsi2(struct resfence_dev *rd,
			 const struct resfence_hold_req *req,
			 struct netlink_ext_ack *extack)
{
	struct resfence_io io = {}, undo = {};
	int ret;

	ret = resfence_scsi2_reserve(rd->sdev, &rd->cdb_len, &io);
	if (ret) {
		acquire_msg(extack, ret, &io, false);
		return ret;
	}
	if (!rd->has_epoch)
		return 0;
	ret = acquire_epoch(rd, req, extack);
	/* A hold that failed keeps no reservation. */
	if (ret && resfence_scsi2_release(rd->sdev, rd->cdb_len, &undo))
		pr_warn("%s: could not release the reservation after a failed hold\n",
			rd->disk_name);
	return ret;
}

/* After PREEMPT: make sure the reservation is ours, taking it if free. */
static int pr_confirm_holder(struct resfence_dev *rd,
			     struct netlink_ext_ack *extack)
{
	struct resfence_pr_resv r;
	struct resfence_io io = {};
	int ret;

	ret = resfence_pr_read_resv(rd->sdev, rd->iobuf, &r, &io);
	if (ret) {
		acquire_msg(extack, ret, &io, true);
		return ret;
	}
	if (r.reserved &&
	    (r.holder_key == rd->key ||
	     resfence_pr_type_all_registrants(r.type)))
		return 0;
	if (r.reserved) {
		NL_SET_ERR_MSG(extack,
			       "victim preempted, but another key holds the reservation");
		return -EBUSY;
	}
	ret = resfence_pr_out(rd->sdev, rd->iobuf, RESFENCE_PR_OUT_RESERVE,
			      rd->pr_type, rd->key, 0, &io);
	if (ret)
		acquire_msg(extack, ret, &io, true);
	return ret;
}

/*
 * Unregister our key from the first @n paths (the disk itself for a
 * single-disk hold). A path that no longer has the key (-EBUSY) is fine.
 *
 * Return: 0 or the errno of the first path that failed otherwise.
 */
static int unregister_paths(struct resfence_dev *rd, u8 n, const char *why)
{
	struct resfence_io undo = {};
	int ret, first = 0;
	u8 i;

	if (!rd->npaths) {
		ret = resfence_pr_out(rd->sdev, rd->iobuf,
				      RESFENCE_PR_OUT_REGISTER, 0, rd->key, 0,
				      &undo);
		if (ret && ret != -EBUSY)
			pr_warn("%s: could not unregister key 0x%llx %s\n",
				rd->disk_name, rd->key, why);
		return ret == -EBUSY ? 0 : ret;
	}
	for (i = 0; i < n; i++) {
		if (READ_ONCE(rd->paths[i].state) == RESFENCE_PATH_STATE_REMOVED)
			continue;
		ret = resfence_pr_out(rd->paths[i].sdev, rd->iobuf,
				      RESFENCE_PR_OUT_REGISTER, 0, rd->key, 0,
				      &undo);
		if (!ret || ret == -EBUSY)
			continue;
		pr_warn("%s: path %s: could not unregister key 0x%llx %s\n",
			rd->disk_name, rd->paths[i].disk_name, rd->key, why);
		if (!first)
			first = ret;
	}
	return first;
}

/*
 * Register our key through every path (the I_T nexus of each is its own
 * registrant), ignoring whatever key each nexus had. On a failure the
 * paths registered so far are unregistered again.
 */
static int register_paths(struct resfence_dev *rd,
			  struct netlink_ext_ack *extack)
{
	struct resfence_io io = {};
	u8 i, n = rd->npaths ?: 1;
	int ret;

	for (i = 0; i < n; i++) {
		struct scsi_device *sdev = rd->npaths ? rd->paths[i].sdev :
					   rd->sdev;

		ret = resfence_pr_register(sdev, rd->iobuf,
					   RESFENCE_PR_OUT_REGISTER_IGNORE, 0,
					   rd->key, rd->aptpl, &io);
		if (ret) {
			acquire_msg(extack, ret, &io, true);
			if (rd->npaths) {
				pr_info("%s: registering through path %s failed\n",
					rd->disk_name, rd->paths[i].disk_name);
				unregister_paths(rd, i, "after a failed hold");
			}
			return ret;
		}
	}
	return 0;
}

static int acquire_pr(struct resfence_dev *rd,
		      const struct resfence_hold_req *req,
		      struct netlink_ext_ack *extack)
{
	struct resfence_io io = {};
	int ret;

	if (req->aptpl) {
		bool capable = false;

		ret = resfence_pr_ptpl_capable(rd->sdev, rd->iobuf, &capable,
					       &io);
		if (ret) {
			pr_warn("%s: aptpl: PR IN REPORT CAPABILITIES: error %d (%s)\n",
				rd->disk_name, ret,
				resfence_outcome_str(io.outcome));
			NL_SET_ERR_MSG(extack,
				       "aptpl: REPORT CAPABILITIES failed: cannot tell whether the target persists registrations");
			return ret == -EPROTO ? ret : -EOPNOTSUPP;
		}
		if (!capable) {
			NL_SET_ERR_MSG(extack,
				       "aptpl: the target cannot persist registrations through a power loss (REPORT CAPABILITIES: PTPL_C clear)");
			return -EOPNOTSUPP;
		}
	}
	/* The first registration ignores whatever key this nexus had. */
	ret = register_paths(rd, extack);
	if (ret)
		return ret;

	if (req->preempt) {
		ret = resfence_pr_out(rd->sdev, rd->iobuf,
				      req->abort ?
				      RESFENCE_PR_OUT_PREEMPT_AND_ABORT :
				      RESFENCE_PR_OUT_PREEMPT,
				      rd->pr_type, rd->key, req->victim_key,
				      &io);
		if (ret == -EBUSY) {
			/* A registered nexus is refused only this way. */
			NL_SET_ERR_MSG(extack,
				       "preempt refused: the victim key is not registered");
			ret = -ESRCH;
		} else if (ret && req->abort &&
			   io.outcome == RESFENCE_OUT_INVALID_FIELD) {
			/* tgt, for one, has no PREEMPT AND ABORT at all. */
			NL_SET_ERR_MSG(extack,
				       "device rejected PREEMPT AND ABORT (not implemented, or not for this type); plain PREEMPT may work");
		} else if (ret) {
			acquire_msg(extack, ret, &io, true);
		} else {
			ret = pr_confirm_holder(rd, extack);
		}
	} else {
		ret = resfence_pr_out(rd->sdev, rd->iobuf,
				      RESFENCE_PR_OUT_RESERVE, rd->pr_type,
				      rd->key, 0, &io);
		if (ret)
			acquire_msg(extack, ret, &io, true);
	}
	if (!ret)
		return 0;

	/*
	 * Do not stay registered after a failed acquire: with registrants-
	 * only or all-registrants types a registration alone grants access.
	 */
	unregister_paths(rd, rd->npaths, "after a failed hold");
	return ret;
}

/*
 * A multipath hold: every path but the first (which the caller looked up
 * and which is @rd->sdev) is looked up into @rd->paths, each with its own
 * reference, and all must be one LU by their VPD page 83 identity, which
 * becomes @rd->lu_id. Nothing is sent to the disk.
 */
static int lookup_paths(struct resfence_dev *rd,
			const struct resfence_hold_req *req,
			const char *first_name, struct netlink_ext_ack *extack)
{
	char id[RESFENCE_ID_LEN];
	u8 i;
	int ret;

	for (i = 0; i < req->npaths; i++) {
		struct resfence_path *p = &rd->paths[i];

		INIT_HLIST_NODE(&p->armed_node);
		p->rd = rd;
		p->devt = req->paths[i];
		if (!i) {
			if (scsi_device_get(rd->sdev)) {
				NL_SET_ERR_MSG_ATTR(extack, req->paths_attr,
						    "a path is going away");
				return -ENODEV;
			}
			p->sdev = rd->sdev;
			strscpy(p->disk_name, first_name, sizeof(p->disk_name));
		} else {
			ret = resfence_lookup(p->devt, &p->sdev, p->disk_name,
					      sizeof(p->disk_name),
					      req->paths_attr, extack);
			if (ret)
				return ret;
		}
		rd->npaths = i + 1;
		if (scsi_vpd_lun_id(p->sdev, id, sizeof(id)) < 0) {
			NL_SET_ERR_MSG_ATTR(extack, req->paths_attr,
					    "a path has no VPD page 83 identity: cannot tell that the paths are one LU");
			pr_info("refusing a multipath hold of %s: path %s has no VPD page 83 identity\n",
				rd->disk_name, p->disk_name);
			return -EOPNOTSUPP;
		}
		if (!i) {
			strscpy(rd->lu_id, id, sizeof(rd->lu_id));
		} else if (strcmp(id, rd->lu_id)) {
			NL_SET_ERR_MSG_ATTR(extack, req->paths_attr,
					    "the paths are not one LU (their VPD page 83 identities differ)");
			pr_info("refusing a multipath hold of %s: path %s is %s but path %s is %s\n",
				rd->disk_name, rd->paths[0].disk_name,
				rd->lu_id, p->disk_name, id);
			return -EINVAL;
		}
	}
	return 0;
}

/* The first path (or the disk) and the name the hold goes by. */
static int hold_lookup(const struct resfence_hold_req *req,
		       struct scsi_device **sdev, char *name, char *first,
		       struct netlink_ext_ack *extack)
{
	int ret;

	if (!req->npaths)
		return resfence_lookup(req->devt, sdev, name, DISK_NAME_LEN,
				       req->dev_attr, extack);
	ret = resfence_lookup_map(req->devt, name, DISK_NAME_LEN,
				  req->dev_attr, extack);
	if (ret)
		return ret;
	return resfence_lookup(req->paths[0], sdev, first, DISK_NAME_LEN,
			       req->paths_attr, extack);
}

/**
 * resfence_hold() - acquire a reservation on a disk, then arm it
 * @req: the validated request
 * @extack: where a failure is explained
 * @out: the new entry, with a reference for the caller
 *
 * Sleeps for the duration of the reservation commands.
 *
 * Return: 0; -ENODEV, -ENOTBLK from the device lookup; -EEXIST when this
 * node already holds the disk; -EALREADY when a hold or release of it is
 * in progress; -EBUSY when another node holds the reservation; -ESRCH when
 * the victim of a PREEMPT is not registered; -EOPNOTSUPP when the device
 * lacks the commands or the type; -ETIMEDOUT, -EIO, -EAGAIN for command
 * failures; -ENOMEM.
 */
int resfence_hold(const struct resfence_hold_req *req,
		  struct netlink_ext_ack *extack, struct resfence_dev **out)
{
	char name[DISK_NAME_LEN], first[DISK_NAME_LEN];
	struct scsi_device *sdev;
	struct resfence_dev *rd;
	int ret;

	ret = hold_lookup(req, &sdev, name, first, extack);
	if (ret)
		return ret;
	rd = resfence_dev_alloc(sdev, req->devt, name);
	if (IS_ERR(rd)) {
		scsi_device_put(sdev);
		if (PTR_ERR(rd) == -ENODEV)
			NL_SET_ERR_MSG(extack, "the module is being unloaded");
		return PTR_ERR(rd);
	}
	rd->mode = req->mode;
	rd->pr_type = req->pr_type;
	rd->action = req->action;
	rd->cdb_len = req->cdb_len;
	rd->aptpl = req->aptpl;
	rd->key = req->key;
	rd->interval_ms = req->interval_ms;
	rd->lease_ms = req->lease_ms;
	if (req->npaths) {
		ret = lookup_paths(rd, req, first, extack);
		if (ret)
			goto out_put;
	}
	if (req->has_epoch) {
		rd->has_epoch = true;
		rd->epoch_lba = req->epoch_lba;
		rd->epoch_buf = kmalloc(sdev->sector_size, GFP_KERNEL);
		if (!rd->epoch_buf) {
			ret = -ENOMEM;
			goto out_put;
		}
	}

	ret = resfence_registry_claim(rd);
	if (ret) {
		if (ret == -EEXIST && req->npaths)
			NL_SET_ERR_MSG_ATTR(extack, req->paths_attr,
					    "a path of this map is already held by this node");
		else if (ret == -EEXIST)
			NL_SET_ERR_MSG_ATTR(extack, req->dev_attr,
					    "device already held by this node");
		else if (ret == -EALREADY)
			NL_SET_ERR_MSG_ATTR(extack, req->dev_attr,
					    "a hold or release of this device is in progress");
		else
			NL_SET_ERR_MSG(extack,
				       "cannot attach the probe to scsi:scsi_dispatch_cmd_done");
		goto out_put;
	}

	/* The fence record names the LU by its identity, not just "sdc". */
	if (!rd->npaths &&
	    scsi_vpd_lun_id(rd->sdev, rd->lu_id, sizeof(rd->lu_id)) < 0)
		rd->lu_id[0] = '\0';
	resfence_record_sanitize_id(rd->lu_id);

	/* The lease and the first refresh count from the acquire's start. */
	rd->stats.last_ok = ktime_get();
	if (rd->mode == RESFENCE_MODE_SCSI2)
		ret = acquire_scsi2(rd, req, extack);
	else
		ret = acquire_pr(rd, req, extack);
	if (ret)
		goto out_unclaim;

	ret = resfence_registry_arm(rd);
	if (ret) {
		NL_SET_ERR_MSG_ATTR(extack, req->dev_attr,
				    "device removed while acquiring");
		goto out_unclaim;
	}

	if (rd->npaths)
		pr_info("holding %s (%u:%u): multipath, %u paths (%s first), pr%s key 0x%llx type %u, interval %u ms, lease %u ms, action %s\n",
			rd->disk_name, MAJOR(rd->devt), MINOR(rd->devt),
			rd->npaths, rd->paths[0].disk_name,
			req->preempt ? " (preempted)" : "", rd->key,
			rd->pr_type, rd->interval_ms, rd->lease_ms,
			action_names[rd->action]);
	else if (rd->mode == RESFENCE_MODE_PR)
		pr_info("holding %s (%u:%u): pr%s key 0x%llx type %u, interval %u ms, lease %u ms, action %s\n",
			rd->disk_name, MAJOR(rd->devt), MINOR(rd->devt),
			req->preempt ? " (preempted)" : "", rd->key,
			rd->pr_type, rd->interval_ms, rd->lease_ms,
			action_names[rd->action]);
	else if (rd->has_epoch)
		pr_info("holding %s (%u:%u): scsi2 RESERVE(%u), epoch %llu at LBA %u, interval %u ms, lease %u ms, action %s\n",
			rd->disk_name, MAJOR(rd->devt), MINOR(rd->devt),
			rd->cdb_len, rd->epoch, rd->epoch_lba,
			rd->interval_ms, rd->lease_ms,
			action_names[rd->action]);
	else
		pr_info("holding %s (%u:%u): scsi2 RESERVE(%u), interval %u ms, lease %u ms, action %s; no takeover epoch: a reset after a takeover can hand the disk back to this node if it was stalled\n",
			rd->disk_name, MAJOR(rd->devt), MINOR(rd->devt),
			rd->cdb_len, rd->interval_ms, rd->lease_ms,
			action_names[rd->action]);
	/* gate.c: without it, writes issued during the epoch read can land. */
	if (rd->has_epoch && !resfence_gate_exists())
		pr_warn("%s: this kernel has no CONFIG_PM, so no I/O gate: after a reset, writes issued before the epoch check answers are not held back\n",
			rd->disk_name);
	resfence_nl_event(rd, RESFENCE_EVENT_HELD, 0, NULL, GFP_KERNEL);
	*out = rd;
	return 0;

out_unclaim:
	resfence_registry_unclaim(rd);
out_put:
	resfence_dev_put(rd);
	return ret;
}

static int release_pr(struct resfence_dev *rd, struct netlink_ext_ack *extack)
{
	struct resfence_io io = {};
	int ret = 0;

	/*
	 * RELEASE of an all-registrants reservation would release it for
	 * every registrant; unregistering alone takes us out of it.
	 */
	if (!resfence_pr_type_all_registrants(rd->pr_type)) {
		/* A multipath hold's path 0 may be gone: a path that is not. */
		ret = resfence_pr_out(resfence_dev_cmd_sdev(rd), rd->iobuf,
				      RESFENCE_PR_OUT_RELEASE, rd->pr_type,
				      rd->key, 0, &io);
		if (ret == -EBUSY) {
			pr_info("%s: key 0x%llx was no longer registered\n",
				rd->disk_name, rd->key);
			/* Other paths may still carry it. */
			if (rd->npaths)
				unregister_paths(rd, rd->npaths, "on release");
			return 0;
		}
		if (ret)
			goto fail;
	}
	if (rd->npaths) {
		/* Every path's nexus is a registrant of its own. */
		ret = unregister_paths(rd, rd->npaths, "on release");
		if (ret)
			goto fail;
		return 0;
	}
	ret = resfence_pr_out(rd->sdev, rd->iobuf, RESFENCE_PR_OUT_REGISTER, 0,
			      rd->key, 0, &io);
	if (ret == -EBUSY)
		return 0;
	if (!ret)
		return 0;
fail:
	NL_SET_ERR_MSG(extack,
		       "disarmed, but the release command failed: the target may still show the reservation");
	return ret;
}

static int release_scsi2(struct resfence_dev *rd,
			 struct netlink_ext_ack *extack)
{
	struct resfence_io io = {};
	int ret;

	ret = resfence_scsi2_release(rd->sdev, rd->cdb_len, &io);
	if (ret)
		NL_SET_ERR_MSG(extack,
			       "disarmed, but RELEASE failed: the target may still show the reservation");
	return ret;
}

/**
 * resfence_release() - disarm a held disk, then release its reservation
 * @devt: the disk
 * @dev_attr: the attribute to blame when it is not held
 * @extack: where a failure is explained
 *
 * The device is no longer held when this returns, even when the release
 * command itself failed (that failure is returned). Sleeps.
 *
 * Return: 0; -ENOENT when this node does not hold the disk; -EALREADY when
 * a hold, release or removal is in progress; or the errno of the failed
 * release command.
 */
int resfence_release(dev_t devt, const struct nlattr *dev_attr,
		     struct netlink_ext_ack *extack)
{
	struct resfence_dev *rd;
	int ret;

	ret = resfence_registry_begin_release(devt, &rd);
	if (ret) {
		if (ret == -ENOENT)
			NL_SET_ERR_MSG_ATTR(extack, dev_attr,
					    "device not held by this node");
		else
			NL_SET_ERR_MSG_ATTR(extack, dev_attr,
					    "a hold, release or removal of this device is in progress");
		return ret;
	}

	resfence_refresh_stop(rd);
	if (READ_ONCE(rd->removed))
		ret = 0;
	else if (rd->mode == RESFENCE_MODE_SCSI2)
		ret = release_scsi2(rd, extack);
	else
		ret = release_pr(rd, extack);

	pr_info("released %s (%u:%u)%s\n", rd->disk_name, MAJOR(rd->devt),
		MINOR(rd->devt), ret ? " (release command failed)" : "");
	resfence_nl_event(rd, RESFENCE_EVENT_RELEASED, ret, NULL, GFP_KERNEL);
	resfence_registry_forget(rd);
	resfence_dev_put(rd);
	return ret;
}
