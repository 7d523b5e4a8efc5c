/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _RESFENCE_HOLD_H
#define _RESFENCE_HOLD_H

#include <linux/types.h>
#include <linux/resfence.h>

struct netlink_ext_ack;
struct nlattr;
struct resfence_dev;

/**
 * struct resfence_hold_req - a validated HOLD or PREEMPT request
 * @devt: the whole disk
 * @dev_attr: the attribute to blame for device errors
 * @mode: enum resfence_mode
 * @pr_type: enum resfence_pr_type (pr)
 * @action: enum resfence_action
 * @cdb_len: 0, 6 or 10 (scsi2)
 * @key: our key (pr), non-zero
 * @victim_key: the key to preempt (pr PREEMPT), non-zero
 * @interval_ms: refresh interval
 * @lease_ms: lease, 0 for none
 * @has_epoch: (scsi2) @epoch_lba is given
 * @epoch_lba: (scsi2) the takeover epoch block
 * @epoch_attr: the attribute to blame for it
 * @preempt: PREEMPT rather than HOLD
 * @abort: PREEMPT AND ABORT
 * @npaths: a multipath hold's paths (0: @devt is the disk itself)
 * @paths: their whole-disk device numbers; @devt then names the map
 * @paths_attr: the attribute to blame for them
 * @aptpl: (pr) register with APTPL, after checking the target's PTPL_C
 */
struct resfence_hold_req {
	dev_t devt;
	const struct nlattr *dev_attr;
	u8 mode;
	u8 pr_type;
	u8 action;
	u8 cdb_len;
	u64 key;
	u64 victim_key;
	u32 interval_ms;
	u32 lease_ms;
	bool has_epoch;
	u32 epoch_lba;
	const struct nlattr *epoch_attr;
	bool preempt;
	bool abort;
	u8 npaths;
	dev_t paths[RESFENCE_PATHS_MAX];
	const struct nlattr *paths_attr;
	bool aptpl;
};

int resfence_hold(const struct resfence_hold_req *req,
		  struct netlink_ext_ack *extack, struct resfence_dev **out);
int resfence_release(dev_t devt, const struct nlattr *dev_attr,
		     struct netlink_ext_ack *extack);

#endif /* _RESFENCE_HOLD_H */
