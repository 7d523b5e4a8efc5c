// SPDX-License-Identifier: GPL-2.0
/*
 * The "resfence" generic netlink family: the only way in from userspace.
 *
 * Every operation needs CAP_NET_ADMIN in the initial network namespace
 * (GENL_ADMIN_PERM, netnsok = 0). Operations run in parallel
 * (parallel_ops): the registry has its own locking and no handler holds a
 * global lock across SCSI I/O. Each operation has its own policy listing
 * only the attributes it accepts; anything else is rejected by the strict
 * parser. The value checks here answer with a negative errno and an
 * extended-ACK message that names the attribute.
 */
#include <linux/module.h>
#include <linux/kdev_t.h>
#include <linux/slab.h>
#include <net/genetlink.h>
#include <scsi/scsi_device.h>
#include <linux/resfence.h>

#include "cdb.h"
#include "compat.h"
#include "defaults.h"
#include "device.h"
#include "evict.h"
#include "hold.h"
#include "lookup.h"
#include "netlink.h"
#include "path_add.h"
#include "prin.h"
#include "refresh.h"
#include "registry.h"
#include "reserve.h"
#include "version.h"

/* The UAPI's dev_t bounds are the kernel's (MINORBITS = 20). */
static_assert(RESFENCE_DEV_MAJOR_MAX == (1U << (32 - MINORBITS)) - 1);
static_assert(RESFENCE_DEV_MINOR_MAX == MINORMASK);

static struct genl_family resfence_genl_family;

/*
 * The bounds of every number the ABI takes (include/uapi/linux/resfence.h),
 * enforced by the policies below: the netlink core refuses a value outside
 * them with -ERANGE and reports the bound in the extended ACK
 * (NLMSGERR_ATTR_POLICY), before any handler runs. Not const: 6.1's
 * struct nla_policy points at them through a non-const pointer.
 */
static struct netlink_range_validation interval_range = {
	.min = RESFENCE_INTERVAL_MIN_MS,
	.max = RESFENCE_INTERVAL_MAX_MS,
};

static struct netlink_range_validation lease_range = {
	.max = RESFENCE_LEASE_MAX_MS,
};

static struct netlink_range_validation epoch_lba_range = {
	.max = RESFENCE_EPOCH_LBA_MAX,
};

static struct netlink_range_validation major_range = {
	.max = RESFENCE_DEV_MAJOR_MAX,
};

static struct netlink_range_validation minor_range = {
	.max = RESFENCE_DEV_MINOR_MAX,
};

#define RESFENCE_POLICY_DEV						\
	[RESFENCE_A_DEV_MAJOR] = NLA_POLICY_FULL_RANGE(NLA_U32, &major_range), \
	[RESFENCE_A_DEV_MINOR] = NLA_POLICY_FULL_RANGE(NLA_U32, &minor_range)
#define RESFENCE_POLICY_INTERVAL					\
	[RESFENCE_A_INTERVAL_MS] = NLA_POLICY_FULL_RANGE(NLA_U32, &interval_range)
#define RESFENCE_POLICY_LEASE						\
	[RESFENCE_A_LEASE_MS] = NLA_POLICY_FULL_RANGE(NLA_U32, &lease_range)
#define RESFENCE_POLICY_EPOCH_LBA					\
	[RESFENCE_A_EPOCH_LBA] = NLA_POLICY_FULL_RANGE(NLA_U64, &epoch_lba_range)

static const struct nla_policy get_info_policy[RESFENCE_A_MAX + 1] = {
};

static const struct nla_policy set_defaults_policy[RESFENCE_A_MAX + 1] = {
	RESFENCE_POLICY_INTERVAL,
	RESFENCE_POLICY_LEASE,
	[RESFENCE_A_LEASE_AUTO]		= { .type = NLA_FLAG },
	[RESFENCE_A_ACTION]		= { .type = NLA_U8 },
	[RESFENCE_A_MODE]		= { .type = NLA_U8 },
};

static const struct nla_policy dev_policy[RESFENCE_A_MAX + 1] = {
	RESFENCE_POLICY_DEV,
};

static const struct nla_policy hold_policy[RESFENCE_A_MAX + 1] = {
	RESFENCE_POLICY_DEV,
	[RESFENCE_A_MODE]		= { .type = NLA_U8 },
	[RESFENCE_A_KEY]		= { .type = NLA_U64 },
	[RESFENCE_A_PR_TYPE]		= { .type = NLA_U8 },
	RESFENCE_POLICY_INTERVAL,
	RESFENCE_POLICY_LEASE,
	[RESFENCE_A_ACTION]		= { .type = NLA_U8 },
	[RESFENCE_A_CDB_LEN]		= { .type = NLA_U8 },
	RESFENCE_POLICY_EPOCH_LBA,
	[RESFENCE_A_PATHS]		= { .type = NLA_NESTED },
	[RESFENCE_A_APTPL]		= { .type = NLA_FLAG },
};

static const struct nla_policy path_policy[RESFENCE_A_PATH_MAX + 1] = {
	[RESFENCE_A_PATH_DEV_MAJOR] = NLA_POLICY_FULL_RANGE(NLA_U32, &major_range),
	[RESFENCE_A_PATH_DEV_MINOR] = NLA_POLICY_FULL_RANGE(NLA_U32, &minor_range),
};

static const struct nla_policy preempt_policy[RESFENCE_A_MAX + 1] = {
	RESFENCE_POLICY_DEV,
	[RESFENCE_A_MODE]		= { .type = NLA_U8 },
	[RESFENCE_A_KEY]		= { .type = NLA_U64 },
	[RESFENCE_A_PR_TYPE]		= { .type = NLA_U8 },
	RESFENCE_POLICY_INTERVAL,
	RESFENCE_POLICY_LEASE,
	[RESFENCE_A_ACTION]		= { .type = NLA_U8 },
	[RESFENCE_A_CDB_LEN]		= { .type = NLA_U8 },
	[RESFENCE_A_VICTIM_KEY]		= { .type = NLA_U64 },
	[RESFENCE_A_ABORT]		= { .type = NLA_FLAG },
	[RESFENCE_A_APTPL]		= { .type = NLA_FLAG },
	RESFENCE_POLICY_EPOCH_LBA,
	[RESFENCE_A_PATHS]		= { .type = NLA_NESTED },
};

static const struct nla_policy evict_policy[RESFENCE_A_MAX + 1] = {
	RESFENCE_POLICY_DEV,
	[RESFENCE_A_VICTIM_KEY]		= { .type = NLA_U64 },
	[RESFENCE_A_ABORT]		= { .type = NLA_FLAG },
};

/* ---- value checks ---------------------------------------------------- */

/*
 * A lease no longer than the interval would expire between two healthy
 * refreshes and fence a node that is doing nothing wrong.
 */
static int check_lease(const struct nlattr *attr, u32 lease_ms,
		       u32 interval_ms, struct netlink_ext_ack *extack)
{
	if (lease_ms && lease_ms <= interval_ms) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "lease_ms must be 0 (no lease) or longer than interval_ms");
		return -ERANGE;
	}
	return 0;
}

static int check_action(const struct nlattr *attr,
			struct netlink_ext_ack *extack)
{
	u8 v = nla_get_u8(attr);

	if (v == RESFENCE_ACTION_UNSPEC || v >= __RESFENCE_ACTION_MAX) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "action: unknown (restart, panic or log)");
		return -EINVAL;
	}
	return 0;
}

static int check_mode(const struct nlattr *attr, struct netlink_ext_ack *extack)
{
	u8 v = nla_get_u8(attr);

	if (v == RESFENCE_MODE_UNSPEC || v >= __RESFENCE_MODE_MAX) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "mode: unknown (scsi2 or pr)");
		return -EINVAL;
	}
	return 0;
}

static int parse_devt(struct genl_info *info, dev_t *devt)
{
	struct nlattr **a = info->attrs;
	u32 major, minor;

	if (GENL_REQ_ATTR_CHECK(info, RESFENCE_A_DEV_MAJOR) ||
	    GENL_REQ_ATTR_CHECK(info, RESFENCE_A_DEV_MINOR)) {
		NL_SET_ERR_MSG(info->extack,
			       "the device is required: dev_major and dev_minor");
		return -EINVAL;
	}
	/* The policy bounds both to what a dev_t carries. */
	major = nla_get_u32(a[RESFENCE_A_DEV_MAJOR]);
	minor = nla_get_u32(a[RESFENCE_A_DEV_MINOR]);
	*devt = MKDEV(major, minor);
	return 0;
}

/* One PATHS_PATH: its whole-disk device number. */
static int parse_one_path(const struct nlattr *nest, dev_t *devt,
			  struct netlink_ext_ack *extack)
{
	struct nlattr *tb[RESFENCE_A_PATH_MAX + 1];
	u32 major, minor;
	int ret;

	if (nla_type(nest) != RESFENCE_A_PATHS_PATH) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "paths: only paths_path entries belong here");
		return -EINVAL;
	}
	ret = nla_parse_nested(tb, RESFENCE_A_PATH_MAX, nest, path_policy,
			       extack);
	if (ret)
		return ret;
	if (!tb[RESFENCE_A_PATH_DEV_MAJOR] || !tb[RESFENCE_A_PATH_DEV_MINOR]) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "a path needs path_dev_major and path_dev_minor");
		return -EINVAL;
	}
	/* path_policy bounds both to what a dev_t holds (-ERANGE). */
	major = nla_get_u32(tb[RESFENCE_A_PATH_DEV_MAJOR]);
	minor = nla_get_u32(tb[RESFENCE_A_PATH_DEV_MINOR]);
	*devt = MKDEV(major, minor);
	return 0;
}

/*
 * PATHS: 1 to RESFENCE_PATHS_MAX distinct paths, pr mode only, and a type
 * that lets every registered nexus write: under WE or EA only the nexus
 * that reserved may, and dm-mpath sends writes down every path.
 */
static int parse_paths(struct genl_info *info, struct resfence_hold_req *req)
{
	struct netlink_ext_ack *extack = info->extack;
	const struct nlattr *paths = info->attrs[RESFENCE_A_PATHS];
	const struct nlattr *nest;
	int rem, ret;
	u8 i;

	if (!paths)
		return 0;
	req->paths_attr = paths;
	if (req->mode != RESFENCE_MODE_PR) {
		NL_SET_ERR_MSG_ATTR(extack, paths,
				    "a multipath hold needs pr mode (a scsi2 reservation belongs to one path)");
		return -EINVAL;
	}
	if (req->pr_type == RESFENCE_PR_WRITE_EXCLUSIVE ||
	    req->pr_type == RESFENCE_PR_EXCLUSIVE_ACCESS) {
		NL_SET_ERR_MSG_ATTR(extack, paths,
				    "a multipath hold needs a registrants-only or all-registrants type (under we and ea only the reserving path may write)");
		return -EINVAL;
	}
	nla_for_each_nested(nest, paths, rem) {
		if (req->npaths == RESFENCE_PATHS_MAX) {
			NL_SET_ERR_MSG_ATTR(extack, nest,
					    "too many paths (at most 8)");
			return -E2BIG;
		}
		ret = parse_one_path(nest, &req->paths[req->npaths], extack);
		if (ret)
			return ret;
		for (i = 0; i < req->npaths; i++) {
			if (req->paths[i] == req->paths[req->npaths]) {
				NL_SET_ERR_MSG_ATTR(extack, nest,
						    "the same path twice");
				return -EINVAL;
			}
		}
		req->npaths++;
	}
	if (!req->npaths) {
		NL_SET_ERR_MSG_ATTR(extack, paths, "paths is empty");
		return -EINVAL;
	}
	return 0;
}

static int parse_pr_fields(struct genl_info *info,
			   struct resfence_hold_req *req)
{
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr **a = info->attrs;

	if (!a[RESFENCE_A_KEY]) {
		NL_SET_ERR_MSG(extack, "pr mode needs a key (key)");
		return -EINVAL;
	}
	req->key = nla_get_u64(a[RESFENCE_A_KEY]);
	if (!req->key) {
		NL_SET_ERR_MSG_ATTR(extack, a[RESFENCE_A_KEY],
				    "key must not be 0 (0 means unregistered)");
		return -EINVAL;
	}
	req->pr_type = RESFENCE_PR_WRITE_EXCLUSIVE;
	if (a[RESFENCE_A_PR_TYPE]) {
		req->pr_type = nla_get_u8(a[RESFENCE_A_PR_TYPE]);
		if (!resfence_pr_type_valid(req->pr_type)) {
			NL_SET_ERR_MSG_ATTR(extack, a[RESFENCE_A_PR_TYPE],
					    "pr_type: unknown (1 we, 3 ea, 5 we-ro, 6 ea-ro, 7 we-ar, 8 ea-ar)");
			return -EINVAL;
		}
	}
	if (a[RESFENCE_A_CDB_LEN] && nla_get_u8(a[RESFENCE_A_CDB_LEN])) {
		NL_SET_ERR_MSG_ATTR(extack, a[RESFENCE_A_CDB_LEN],
				    "cdb_len applies to scsi2 mode only");
		return -EINVAL;
	}
	if (a[RESFENCE_A_EPOCH_LBA]) {
		NL_SET_ERR_MSG_ATTR(extack, a[RESFENCE_A_EPOCH_LBA],
				    "epoch_lba applies to scsi2 mode only (a persistent reservation survives resets)");
		return -EINVAL;
	}
	req->aptpl = nla_get_flag(a[RESFENCE_A_APTPL]);
	if (!req->preempt)
		return 0;

	if (!a[RESFENCE_A_VICTIM_KEY]) {
		NL_SET_ERR_MSG(extack, "pr preempt needs the victim's key (victim_key)");
		return -EINVAL;
	}
	req->victim_key = nla_get_u64(a[RESFENCE_A_VICTIM_KEY]);
	if (!req->victim_key || req->victim_key == req->key) {
		NL_SET_ERR_MSG_ATTR(extack, a[RESFENCE_A_VICTIM_KEY],
				    "victim_key must be non-zero and differ from key");
		return -EINVAL;
	}
	req->abort = nla_get_flag(a[RESFENCE_A_ABORT]);
	return 0;
}

static int parse_scsi2_fields(struct genl_info *info,
			      struct resfence_hold_req *req)
{
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr **a = info->attrs;
	struct nlattr *bad;

	bad = a[RESFENCE_A_KEY] ?: a[RESFENCE_A_PR_TYPE];
	if (bad) {
		NL_SET_ERR_MSG_ATTR(extack, bad,
				    "key and pr_type apply to pr mode only");
		return -EINVAL;
	}
	bad = a[RESFENCE_A_VICTIM_KEY] ?: a[RESFENCE_A_ABORT];
	if (bad) {
		NL_SET_ERR_MSG_ATTR(extack, bad,
				    "victim_key and abort apply to pr mode only (a scsi2 preempt is a reset, then a reserve)");
		return -EINVAL;
	}
	if (a[RESFENCE_A_APTPL]) {
		NL_SET_ERR_MSG_ATTR(extack, a[RESFENCE_A_APTPL],
				    "aptpl applies to pr mode only (no target keeps a SCSI-2 reservation through its restart)");
		return -EINVAL;
	}
	if (a[RESFENCE_A_CDB_LEN]) {
		req->cdb_len = nla_get_u8(a[RESFENCE_A_CDB_LEN]);
		if (req->cdb_len != 0 && req->cdb_len != 6 &&
		    req->cdb_len != 10) {
			NL_SET_ERR_MSG_ATTR(extack, a[RESFENCE_A_CDB_LEN],
					    "cdb_len must be 0 (auto), 6 or 10");
			return -EINVAL;
		}
	}
	if (a[RESFENCE_A_EPOCH_LBA]) {
		/* The policy bounds it to RESFENCE_EPOCH_LBA_MAX. */
		req->has_epoch = true;
		req->epoch_lba = nla_get_u64(a[RESFENCE_A_EPOCH_LBA]);
		req->epoch_attr = a[RESFENCE_A_EPOCH_LBA];
	}
	return 0;
}

static int parse_hold(struct genl_info *info, bool preempt,
		      struct resfence_hold_req *req)
{
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr **a = info->attrs;
	struct resfence_defaults d;
	int ret;

	memset(req, 0, sizeof(*req));
	req->preempt = preempt;
	req->dev_attr = a[RESFENCE_A_DEV_MAJOR];
	ret = parse_devt(info, &req->devt);
	if (ret)
		return ret;

	resfence_defaults_get(&d);
	req->mode = d.mode;
	if (a[RESFENCE_A_MODE]) {
		ret = check_mode(a[RESFENCE_A_MODE], extack);
		if (ret)
			return ret;
		req->mode = nla_get_u8(a[RESFENCE_A_MODE]);
	}
	if (req->mode == RESFENCE_MODE_PR)
		ret = parse_pr_fields(info, req);
	else
		ret = parse_scsi2_fields(info, req);
	if (ret)
		return ret;
	ret = parse_paths(info, req);
	if (ret)
		return ret;

	req->interval_ms = d.interval_ms;
	if (a[RESFENCE_A_INTERVAL_MS])
		req->interval_ms = nla_get_u32(a[RESFENCE_A_INTERVAL_MS]);
	if (a[RESFENCE_A_LEASE_MS])
		req->lease_ms = nla_get_u32(a[RESFENCE_A_LEASE_MS]);
	else
		req->lease_ms = resfence_defaults_lease_for(&d, req->interval_ms);
	ret = check_lease(a[RESFENCE_A_LEASE_MS] ?: a[RESFENCE_A_INTERVAL_MS],
			  req->lease_ms, req->interval_ms, extack);
	if (ret)
		return ret;

	req->action = d.action;
	if (a[RESFENCE_A_ACTION]) {
		ret = check_action(a[RESFENCE_A_ACTION], extack);
		if (ret)
			return ret;
		req->action = nla_get_u8(a[RESFENCE_A_ACTION]);
	}
	return 0;
}

/* ---- messages -------------------------------------------------------- */

static int put_dev_id(struct sk_buff *msg, dev_t devt)
{
	if (nla_put_u32(msg, RESFENCE_A_DEV_MAJOR, MAJOR(devt)) ||
	    nla_put_u32(msg, RESFENCE_A_DEV_MINOR, MINOR(devt)))
		return -EMSGSIZE;
	return 0;
}

static int put_stats(struct sk_buff *msg, struct resfence_dev *rd)
{
	struct resfence_stats s;
	struct nlattr *nest;
	u64 age_ms;

	resfence_refresh_stats(rd, &s);
	age_ms = ktime_to_ms(ktime_sub(ktime_get(), s.last_ok));

	nest = nla_nest_start(msg, RESFENCE_A_STATS);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u64_64bit(msg, RESFENCE_STAT_REFRESH_OK, s.refresh_ok,
			      RESFENCE_STAT_PAD) ||
	    nla_put_u64_64bit(msg, RESFENCE_STAT_REFRESH_FAILED,
			      s.refresh_failed, RESFENCE_STAT_PAD) ||
	    nla_put_u64_64bit(msg, RESFENCE_STAT_CONFLICTS,
			      atomic64_read(&rd->conflicts),
			      RESFENCE_STAT_PAD) ||
	    nla_put_u64_64bit(msg, RESFENCE_STAT_LAST_LATENCY_US,
			      div_u64(s.last_latency_ns, NSEC_PER_USEC),
			      RESFENCE_STAT_PAD) ||
	    nla_put_u64_64bit(msg, RESFENCE_STAT_WORST_LATENCY_US,
			      div_u64(s.worst_latency_ns, NSEC_PER_USEC),
			      RESFENCE_STAT_PAD) ||
	    nla_put_u64_64bit(msg, RESFENCE_STAT_WORST_LATENESS_US,
			      div_u64(s.worst_lateness_ns, NSEC_PER_USEC),
			      RESFENCE_STAT_PAD) ||
	    nla_put_u64_64bit(msg, RESFENCE_STAT_LAST_OK_AGE_MS, age_ms,
			      RESFENCE_STAT_PAD) ||
	    nla_put_u64_64bit(msg, RESFENCE_STAT_VERIFY_CONFLICTS,
			      atomic64_read(&rd->verify_conflicts),
			      RESFENCE_STAT_PAD)) {
		nla_nest_cancel(msg, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(msg, nest);
	return 0;
}

static int put_paths(struct sk_buff *msg, struct resfence_dev *rd)
{
	struct nlattr *nest, *one;
	char name[DISK_NAME_LEN];
	u8 i, npaths;
	dev_t devt;

	/* Pairs with resfence_registry_add_path(): paths below it are whole. */
	npaths = smp_load_acquire(&rd->npaths);
	if (!npaths)
		return 0;
	nest = nla_nest_start(msg, RESFENCE_A_PATHS);
	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < npaths; i++) {
		const struct resfence_path *p = &rd->paths[i];

		/* A path added before sd attached: its disk, if it has one now. */
		devt = resfence_path_disk(p, name, sizeof(name));
		one = nla_nest_start(msg, RESFENCE_A_PATHS_PATH);
		if (!one ||
		    nla_put_u32(msg, RESFENCE_A_PATH_DEV_MAJOR, MAJOR(devt)) ||
		    nla_put_u32(msg, RESFENCE_A_PATH_DEV_MINOR, MINOR(devt)) ||
		    nla_put_string(msg, RESFENCE_A_PATH_DISK_NAME, name) ||
		    nla_put_u8(msg, RESFENCE_A_PATH_STATE,
			       READ_ONCE(p->state))) {
			nla_nest_cancel(msg, nest);
			return -EMSGSIZE;
		}
		nla_nest_end(msg, one);
	}
	nla_nest_end(msg, nest);
	return 0;
}

static int fill_dev(struct sk_buff *msg, struct resfence_dev *rd, u32 portid,
		    u32 seq, int flags, u8 cmd)
{
	void *hdr;

	hdr = genlmsg_put(msg, portid, seq, &resfence_genl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (put_dev_id(msg, rd->devt) ||
	    nla_put_string(msg, RESFENCE_A_DISK_NAME, rd->disk_name) ||
	    nla_put_u8(msg, RESFENCE_A_MODE, rd->mode) ||
	    nla_put_u8(msg, RESFENCE_A_STATE, resfence_dev_state(rd)) ||
	    nla_put_u32(msg, RESFENCE_A_INTERVAL_MS, rd->interval_ms) ||
	    nla_put_u32(msg, RESFENCE_A_LEASE_MS, rd->lease_ms) ||
	    nla_put_u8(msg, RESFENCE_A_ACTION, rd->action))
		goto nospace;
	if (rd->mode == RESFENCE_MODE_PR) {
		if (nla_put_u64_64bit(msg, RESFENCE_A_KEY, rd->key,
				      RESFENCE_A_PAD) ||
		    nla_put_u8(msg, RESFENCE_A_PR_TYPE, rd->pr_type) ||
		    (rd->aptpl && nla_put_flag(msg, RESFENCE_A_APTPL)))
			goto nospace;
	} else if (nla_put_u8(msg, RESFENCE_A_CDB_LEN, rd->cdb_len) ||
		   (rd->has_epoch &&
		    (nla_put_u64_64bit(msg, RESFENCE_A_EPOCH_LBA, rd->epoch_lba,
				       RESFENCE_A_PAD) ||
		     nla_put_u64_64bit(msg, RESFENCE_A_EPOCH, rd->epoch,
				       RESFENCE_A_PAD)))) {
		goto nospace;
	}
	if (put_stats(msg, rd) || put_paths(msg, rd))
		goto nospace;
	genlmsg_end(msg, hdr);
	return 0;

nospace:
	genlmsg_cancel(msg, hdr);
	return -EMSGSIZE;
}

/*
 * A device reply is allocated before the request changes anything: a hold,
 * preempt or evict that has reached the disk must not then be reported as
 * refused for want of memory for its answer (the caller would believe
 * nothing is held while the module fences on the disk's next conflict).
 */
static struct sk_buff *reply_alloc(struct genl_info *info)
{
	struct sk_buff *msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);

	if (!msg)
		NL_SET_ERR_MSG(info->extack,
			       "out of memory for the reply: nothing was changed");
	return msg;
}

/* Consumes @msg. After a change, only a full socket buffer can fail it. */
static int reply_send(struct sk_buff *msg, struct genl_info *info,
		      struct resfence_dev *rd, u8 cmd)
{
	int ret;

	ret = fill_dev(msg, rd, info->snd_portid, info->snd_seq, 0, cmd);
	if (ret) {
		nlmsg_free(msg);
		return ret;
	}
	return genlmsg_reply(msg, info);
}

/**
 * resfence_nl_event() - multicast an event on the "events" group
 * @rd: the device it concerns
 * @event: enum resfence_event
 * @err: negative errno of a failure, or 0 for none
 * @reason: words, or NULL
 * @gfp: GFP_NOIO from the refresh path, else GFP_KERNEL
 *
 * Best effort: an event nobody listens to, or that cannot be allocated,
 * is dropped. Process context.
 */
void resfence_nl_event(struct resfence_dev *rd, u8 event, int err,
		       const char *reason, gfp_t gfp)
{
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(NLMSG_GOODSIZE, gfp);
	if (!msg)
		return;
	hdr = genlmsg_put(msg, 0, 0, &resfence_genl_family, 0,
			  RESFENCE_CMD_EVENT);
	if (!hdr)
		goto nospace;
	if (nla_put_u8(msg, RESFENCE_A_EVENT, event) ||
	    put_dev_id(msg, rd->devt) ||
	    nla_put_string(msg, RESFENCE_A_DISK_NAME, rd->disk_name))
		goto nospace;
	if (rd->mode == RESFENCE_MODE_PR &&
	    nla_put_u64_64bit(msg, RESFENCE_A_KEY, rd->key, RESFENCE_A_PAD))
		goto nospace;
	if (err && nla_put_s32(msg, RESFENCE_A_ERRNO, err))
		goto nospace;
	if (reason && nla_put_string(msg, RESFENCE_A_REASON, reason))
		goto nospace;
	genlmsg_end(msg, hdr);
	genlmsg_multicast(&resfence_genl_family, msg, 0, 0, gfp);
	return;

nospace:
	nlmsg_free(msg);
}

/* ---- operations ------------------------------------------------------ */

static int put_defaults(struct sk_buff *msg, const struct resfence_defaults *d)
{
	if (nla_put_u32(msg, RESFENCE_A_INTERVAL_MS, d->interval_ms) ||
	    nla_put_u32(msg, RESFENCE_A_LEASE_MS,
			resfence_defaults_lease_for(d, d->interval_ms)) ||
	    (d->lease_auto && nla_put_flag(msg, RESFENCE_A_LEASE_AUTO)) ||
	    nla_put_u8(msg, RESFENCE_A_ACTION, d->action) ||
	    nla_put_u8(msg, RESFENCE_A_MODE, d->mode))
		return -EMSGSIZE;
	return 0;
}

static int get_info_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct resfence_defaults d;
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg) {
		NL_SET_ERR_MSG(info->extack, "out of memory for the reply");
		return -ENOMEM;
	}
	hdr = genlmsg_put_reply(msg, info, &resfence_genl_family, 0,
				RESFENCE_CMD_GET_INFO);
	if (!hdr)
		goto nospace;

	resfence_defaults_get(&d);
	if (nla_put_string(msg, RESFENCE_A_VERSION, RESFENCE_MODULE_VERSION) ||
	    nla_put_u32(msg, RESFENCE_A_HELD_COUNT, resfence_registry_count()) ||
	    put_defaults(msg, &d))
		goto nospace;

	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

nospace:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

static int set_defaults_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr **a = info->attrs;
	struct resfence_defaults d;
	int ret;

	if (a[RESFENCE_A_LEASE_AUTO] && a[RESFENCE_A_LEASE_MS]) {
		NL_SET_ERR_MSG_ATTR(extack, a[RESFENCE_A_LEASE_AUTO],
				    "lease_auto and lease_ms exclude each other: the default lease is either twice the interval or fixed");
		return -EINVAL;
	}

	resfence_defaults_get(&d);

	if (a[RESFENCE_A_INTERVAL_MS])
		d.interval_ms = nla_get_u32(a[RESFENCE_A_INTERVAL_MS]);
	if (a[RESFENCE_A_LEASE_MS]) {
		d.lease_ms = nla_get_u32(a[RESFENCE_A_LEASE_MS]);
		d.lease_auto = false;
	}
	if (a[RESFENCE_A_LEASE_AUTO]) {
		/* Back to the lease that follows each hold's interval. */
		d.lease_ms = 0;
		d.lease_auto = true;
	}
	if (!d.lease_auto) {
		ret = check_lease(a[RESFENCE_A_LEASE_MS] ?:
				  a[RESFENCE_A_INTERVAL_MS],
				  d.lease_ms, d.interval_ms, extack);
		if (ret)
			return ret;
	}
	if (a[RESFENCE_A_ACTION]) {
		ret = check_action(a[RESFENCE_A_ACTION], extack);
		if (ret)
			return ret;
		d.action = nla_get_u8(a[RESFENCE_A_ACTION]);
	}
	if (a[RESFENCE_A_MODE]) {
		ret = check_mode(a[RESFENCE_A_MODE], extack);
		if (ret)
			return ret;
		d.mode = nla_get_u8(a[RESFENCE_A_MODE]);
	}

	/*
	 * Two concurrent SET_DEFAULTS each validate their own snapshot; the
	 * last writer wins as a whole, which is what a "set" means.
	 */
	resfence_defaults_set(&d);
	return 0;
}

static int hold_common(struct genl_info *info, bool preempt, u8 cmd)
{
	struct resfence_hold_req req;
	struct resfence_dev *rd;
	int ret;

	struct sk_buff *msg;

	ret = parse_hold(info, preempt, &req);
	if (ret)
		return ret;
	msg = reply_alloc(info);
	if (!msg)
		return -ENOMEM;
	ret = resfence_hold(&req, info->extack, &rd);
	if (ret) {
		nlmsg_free(msg);
		return ret;
	}
	ret = reply_send(msg, info, rd, cmd);
	resfence_dev_put(rd);
	return ret;
}

static int hold_doit(struct sk_buff *skb, struct genl_info *info)
{
	return hold_common(info, false, RESFENCE_CMD_HOLD);
}

static int preempt_doit(struct sk_buff *skb, struct genl_info *info)
{
	return hold_common(info, true, RESFENCE_CMD_PREEMPT);
}

static int evict_doit(struct sk_buff *skb, struct genl_info *info)
{
	const struct nlattr *victim = info->attrs[RESFENCE_A_VICTIM_KEY];
	struct resfence_dev *rd;
	struct sk_buff *msg;
	dev_t devt;
	int ret;

	ret = parse_devt(info, &devt);
	if (ret)
		return ret;
	if (!victim) {
		NL_SET_ERR_MSG(info->extack,
			       "evict needs the victim's key (victim_key)");
		return -EINVAL;
	}
	if (!nla_get_u64(victim)) {
		NL_SET_ERR_MSG_ATTR(info->extack, victim,
				    "victim_key must be non-zero (a zero key would preempt every other registration)");
		return -EINVAL;
	}
	msg = reply_alloc(info);
	if (!msg)
		return -ENOMEM;
	ret = resfence_evict(devt, info->attrs[RESFENCE_A_DEV_MAJOR],
			     nla_get_u64(victim), victim,
			     nla_get_flag(info->attrs[RESFENCE_A_ABORT]),
			     info->extack, &rd);
	if (ret) {
		nlmsg_free(msg);
		return ret;
	}
	ret = reply_send(msg, info, rd, RESFENCE_CMD_EVICT);
	resfence_dev_put(rd);
	return ret;
}

static int release_doit(struct sk_buff *skb, struct genl_info *info)
{
	dev_t devt;
	int ret;

	ret = parse_devt(info, &devt);
	if (ret)
		return ret;
	return resfence_release(devt, info->attrs[RESFENCE_A_DEV_MAJOR],
				info->extack);
}

static int get_device_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct resfence_dev *rd;
	struct sk_buff *msg;
	dev_t devt;
	int ret;

	ret = parse_devt(info, &devt);
	if (ret)
		return ret;
	rd = resfence_registry_get(devt);
	if (!rd) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    info->attrs[RESFENCE_A_DEV_MAJOR],
				    "device not held by this node");
		return -ENOENT;
	}
	msg = reply_alloc(info);
	ret = msg ? reply_send(msg, info, rd, RESFENCE_CMD_GET_DEVICE) : -ENOMEM;
	resfence_dev_put(rd);
	return ret;
}

static int get_device_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	unsigned long idx = cb->args[0];
	struct resfence_dev *rd;
	int ret;

	for (;; idx++) {
		rd = resfence_registry_get_nth(idx);
		if (!rd)
			break;
		ret = fill_dev(skb, rd, NETLINK_CB(cb->skb).portid,
			       cb->nlh->nlmsg_seq, NLM_F_MULTI,
			       RESFENCE_CMD_GET_DEVICE);
		resfence_dev_put(rd);
		if (ret)
			break;
	}
	cb->args[0] = idx;
	return skb->len;
}

/* The extended ACK for a failed PR IN query. */
static void query_msg(struct netlink_ext_ack *extack, int ret,
		      const struct resfence_io *io)
{
	if (ret == -EBUSY)
		NL_SET_ERR_MSG(extack,
			       "reservation conflict: the device is reserved (SCSI-2) by another node");
	else if (ret == -EPROTO)
		NL_SET_ERR_MSG(extack,
			       "the device returned malformed PERSISTENT RESERVE IN data");
	else if (io->outcome == RESFENCE_OUT_INVALID_OPCODE ||
		 io->outcome == RESFENCE_OUT_INVALID_FIELD)
		NL_SET_ERR_MSG(extack,
			       "device does not support persistent reservations");
	else if (ret == -ENOMEM)
		NL_SET_ERR_MSG(extack, "out of memory");
	else
		resfence_extack_outcome(extack, io->outcome);
}

static int read_keys_doit(struct sk_buff *skb, struct genl_info *info)
{
	char name[DISK_NAME_LEN];
	struct resfence_pr_keys k;
	struct scsi_device *sdev;
	struct resfence_io io = {};
	struct nlattr *nest;
	struct sk_buff *msg;
	u64 *keys = NULL;
	dev_t devt;
	void *hdr;
	u32 i;
	int ret;

	ret = parse_devt(info, &devt);
	if (ret)
		return ret;
	ret = resfence_lookup(devt, &sdev, name, sizeof(name),
			      info->attrs[RESFENCE_A_DEV_MAJOR], info->extack);
	if (ret)
		return ret;
	ret = resfence_pr_read_all_keys(sdev, &k, &keys, &io, GFP_KERNEL);
	scsi_device_put(sdev);
	if (ret) {
		query_msg(info->extack, ret, &io);
		return ret;
	}

	ret = -EMSGSIZE;
	msg = genlmsg_new(NLMSG_GOODSIZE + (size_t)k.count * nla_total_size_64bit(8),
			  GFP_KERNEL);
	if (!msg) {
		NL_SET_ERR_MSG(info->extack, "out of memory for the reply");
		ret = -ENOMEM;
		goto out;
	}
	hdr = genlmsg_put_reply(msg, info, &resfence_genl_family, 0,
				RESFENCE_CMD_READ_KEYS);
	if (!hdr)
		goto nospace;
	if (put_dev_id(msg, devt) ||
	    nla_put_u32(msg, RESFENCE_A_PR_GENERATION, k.generation))
		goto nospace;
	nest = nla_nest_start(msg, RESFENCE_A_KEYS);
	if (!nest)
		goto nospace;
	for (i = 0; i < k.count; i++)
		/* x86 and arm64 never pad; the nest has no pad type of its own. */
		if (nla_put_u64_64bit(msg, RESFENCE_A_KEYS_KEY, keys[i],
				      RESFENCE_A_KEYS_UNSPEC))
			goto nospace;
	nla_nest_end(msg, nest);
	genlmsg_end(msg, hdr);
	kfree(keys);
	return genlmsg_reply(msg, info);

nospace:
	nlmsg_free(msg);
out:
	kfree(keys);
	return ret;
}

static int read_reservation_doit(struct sk_buff *skb, struct genl_info *info)
{
	char name[DISK_NAME_LEN];
	struct resfence_pr_resv r;
	struct scsi_device *sdev;
	struct resfence_io io = {};
	struct sk_buff *msg;
	void *hdr;
	dev_t devt;
	u8 *buf;
	int ret;

	ret = parse_devt(info, &devt);
	if (ret)
		return ret;
	ret = resfence_lookup(devt, &sdev, name, sizeof(name),
			      info->attrs[RESFENCE_A_DEV_MAJOR], info->extack);
	if (ret)
		return ret;
	buf = kmalloc(RESFENCE_IOBUF_LEN, GFP_KERNEL);
	if (buf)
		ret = resfence_pr_read_resv(sdev, buf, &r, &io);
	else
		ret = -ENOMEM;
	kfree(buf);
	scsi_device_put(sdev);
	if (ret) {
		query_msg(info->extack, ret, &io);
		return ret;
	}

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg) {
		NL_SET_ERR_MSG(info->extack, "out of memory for the reply");
		return -ENOMEM;
	}
	hdr = genlmsg_put_reply(msg, info, &resfence_genl_family, 0,
				RESFENCE_CMD_READ_RESERVATION);
	if (!hdr)
		goto nospace;
	if (put_dev_id(msg, devt) ||
	    nla_put_u32(msg, RESFENCE_A_PR_GENERATION, r.generation))
		goto nospace;
	if (r.reserved &&
	    (nla_put_u64_64bit(msg, RESFENCE_A_HOLDER_KEY, r.holder_key,
			       RESFENCE_A_PAD) ||
	     nla_put_u8(msg, RESFENCE_A_PR_TYPE, r.type)))
		goto nospace;
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

nospace:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

static const struct genl_ops resfence_genl_ops[] = {
	{
		.cmd = RESFENCE_CMD_GET_INFO,
		.flags = GENL_ADMIN_PERM,
		.policy = get_info_policy,
		.maxattr = RESFENCE_A_MAX,
		.doit = get_info_doit,
	},
	{
		.cmd = RESFENCE_CMD_SET_DEFAULTS,
		.flags = GENL_ADMIN_PERM,
		.policy = set_defaults_policy,
		.maxattr = RESFENCE_A_MAX,
		.doit = set_defaults_doit,
	},
	{
		.cmd = RESFENCE_CMD_HOLD,
		.flags = GENL_ADMIN_PERM,
		.policy = hold_policy,
		.maxattr = RESFENCE_A_MAX,
		.doit = hold_doit,
	},
	{
		.cmd = RESFENCE_CMD_PREEMPT,
		.flags = GENL_ADMIN_PERM,
		.policy = preempt_policy,
		.maxattr = RESFENCE_A_MAX,
		.doit = preempt_doit,
	},
	{
		.cmd = RESFENCE_CMD_RELEASE,
		.flags = GENL_ADMIN_PERM,
		.policy = dev_policy,
		.maxattr = RESFENCE_A_MAX,
		.doit = release_doit,
	},
	{
		.cmd = RESFENCE_CMD_GET_DEVICE,
		.flags = GENL_ADMIN_PERM,
		.policy = dev_policy,
		.maxattr = RESFENCE_A_MAX,
		.doit = get_device_doit,
		.dumpit = get_device_dumpit,
	},
	{
		.cmd = RESFENCE_CMD_READ_KEYS,
		.flags = GENL_ADMIN_PERM,
		.policy = dev_policy,
		.maxattr = RESFENCE_A_MAX,
		.doit = read_keys_doit,
	},
	{
		.cmd = RESFENCE_CMD_READ_RESERVATION,
		.flags = GENL_ADMIN_PERM,
		.policy = dev_policy,
		.maxattr = RESFENCE_A_MAX,
		.doit = read_reservation_doit,
	},
	{
		.cmd = RESFENCE_CMD_EVICT,
		.flags = GENL_ADMIN_PERM,
		.policy = evict_policy,
		.maxattr = RESFENCE_A_MAX,
		.doit = evict_doit,
	},
};

static const struct genl_multicast_group resfence_genl_mcgrps[] = {
	{ .name = RESFENCE_MCGRP_EVENTS, .flags = RESFENCE_MCGRP_FLAGS },
};

static struct genl_family resfence_genl_family __ro_after_init = {
	.name = RESFENCE_GENL_NAME,
	.version = RESFENCE_GENL_VERSION,
	.maxattr = RESFENCE_A_MAX,
	.netnsok = false,
	.parallel_ops = true,
	/* Validate the header's reserved fields of every command. */
	.resv_start_op = 0,
	.ops = resfence_genl_ops,
	.n_ops = ARRAY_SIZE(resfence_genl_ops),
	.mcgrps = resfence_genl_mcgrps,
	.n_mcgrps = ARRAY_SIZE(resfence_genl_mcgrps),
	.module = THIS_MODULE,
};

/**
 * resfence_genl_init() - register the generic netlink family
 *
 * Return: 0 or a negative errno from genl_register_family().
 */
int __init resfence_genl_init(void)
{
	return genl_register_family(&resfence_genl_family);
}

/**
 * resfence_genl_exit() - unregister the family; waits for running handlers
 */
void resfence_genl_exit(void)
{
	genl_unregister_family(&resfence_genl_family);
}
