// SPDX-License-Identifier: GPL-2.0
/*
 * EVICT: fence another node from a disk this node holds.
 *
 * In a cluster every node holds the shared disk (Pacemaker's unfencing
 * runs `fence_resfence on` on each node), so the survivor that fences a
 * peer already holds the disk through the module. PREEMPT would claim a
 * second entry and is refused; EVICT instead sends PREEMPT (AND ABORT) of
 * the victim's key with the hold's own key and type through the held
 * device, and the hold stays as it was.
 *
 * The refresh needs no warning: it judges our key and the holder, not the
 * PR generation, and removing another registrant changes neither. Should
 * our own key be gone (we were preempted first), the PREEMPT completes with
 * RESERVATION CONFLICT, the probe verifies it like any conflict of a
 * reservation command (conflict.c) and this node fences, which is right:
 * it no longer owns the disk.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/printk.h>
#include <linux/slab.h>
#include <net/netlink.h>
#include <linux/resfence.h>

#include "cdb.h"
#include "device.h"
#include "evict.h"
#include "registry.h"
#include "reserve.h"
#include "scsi_exec.h"

/* 0 when the held entry can evict, else why not (an errno and a message). */
static int evict_check(const struct resfence_dev *rd, u64 victim,
		       const struct nlattr *dev_attr,
		       const struct nlattr *victim_attr,
		       struct netlink_ext_ack *extack)
{
	if (READ_ONCE(rd->life) != RESFENCE_LIFE_LIVE) {
		NL_SET_ERR_MSG_ATTR(extack, dev_attr,
				    "a hold, release or removal of this device is in progress");
		return -EALREADY;
	}
	if (resfence_dev_state(rd) != RESFENCE_STATE_ARMED) {
		NL_SET_ERR_MSG_ATTR(extack, dev_attr,
				    "this node's hold of the device is no longer armed (fenced or removed)");
		return -EINVAL;
	}
	if (rd->mode != RESFENCE_MODE_PR) {
		NL_SET_ERR_MSG_ATTR(extack, dev_attr,
				    "the device is held in scsi2 mode: SCSI-2 has no keys to preempt");
		return -EINVAL;
	}
	if (victim == rd->key) {
		NL_SET_ERR_MSG_ATTR(extack, victim_attr,
				    "victim_key is this node's own key");
		return -EINVAL;
	}
	return 0;
}

/**
 * resfence_evict() - preempt another node's key through a held disk
 * @devt: the disk, held by this node in pr mode
 * @dev_attr: the attribute to blame when it is not held
 * @victim_key: the key to remove, non-zero
 * @victim_attr: the attribute to blame for it
 * @abort: PREEMPT AND ABORT rather than PREEMPT
 * @extack: where a failure is explained
 * @out: the entry, with a reference for the caller's reply
 *
 * The hold is unchanged whatever the outcome. Sleeps.
 *
 * Return: 0; -ENOENT when this node does not hold the disk; -EALREADY when
 * a hold, release or removal of it is in progress; -EINVAL when the hold
 * cannot evict (scsi2, not armed, the victim is our own key); -ESRCH when
 * the victim's key is not registered; -EOPNOTSUPP when the device rejects
 * the command; -ENOMEM; or an errno of the command.
 */
int resfence_evict(dev_t devt, const struct nlattr *dev_attr, u64 victim_key,
		   const struct nlattr *victim_attr, bool abort,
		   struct netlink_ext_ack *extack, struct resfence_dev **out)
{
	struct resfence_dev *rd;
	struct resfence_io io = {};
	u8 *buf;
	int ret;

	rd = resfence_registry_get(devt);
	if (!rd) {
		NL_SET_ERR_MSG_ATTR(extack, dev_attr,
				    "device not held by this node (PREEMPT takes a disk that is not held)");
		return -ENOENT;
	}
	ret = evict_check(rd, victim_key, dev_attr, victim_attr, extack);
	if (ret)
		goto out_put;
	/* Its own buffer: the refresh may be using rd->iobuf right now. */
	buf = kzalloc(RESFENCE_PR_OUT_PARAM_LEN, GFP_KERNEL);
	if (!buf) {
		ret = -ENOMEM;
		goto out_put;
	}
	ret = resfence_pr_out(resfence_dev_cmd_sdev(rd), buf,
			      abort ? RESFENCE_PR_OUT_PREEMPT_AND_ABORT :
				      RESFENCE_PR_OUT_PREEMPT,
			      rd->pr_type, rd->key, victim_key, &io);
	kfree(buf);
	if (ret == -EBUSY) {
		/*
		 * A registered nexus's PREEMPT conflicts only for a victim key
		 * the target does not know. Ours was registered at the last
		 * refresh; if it has gone since, the probe verifies this
		 * conflict and this node fences.
		 */
		NL_SET_ERR_MSG_ATTR(extack, victim_attr,
				    "preempt refused: the victim key is not registered (or this node's own registration is gone)");
		ret = -ESRCH;
	} else if (ret && abort && io.outcome == RESFENCE_OUT_INVALID_FIELD) {
		NL_SET_ERR_MSG(extack,
			       "device rejected PREEMPT AND ABORT (not implemented, or not for this type); plain PREEMPT may work");
	} else if (ret) {
		resfence_extack_outcome(extack, io.outcome);
	}
	if (ret)
		goto out_put;

	pr_info("%s (%u:%u): evicted key 0x%llx by %s with key 0x%llx; still holding\n",
		rd->disk_name, MAJOR(rd->devt), MINOR(rd->devt), victim_key,
		abort ? "PREEMPT AND ABORT" : "PREEMPT", rd->key);
	*out = rd;
	return 0;

out_put:
	resfence_dev_put(rd);
	return ret;
}
