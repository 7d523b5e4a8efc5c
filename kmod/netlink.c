// SPDX-License-Identifier: GPL-2.0
/*
 * The "resfence" generic netlink family: the only way in from userspace.
 *
 * Every operation needs CAP_NET_ADMIN in the initial network namespace
 * (GENL_ADMIN_PERM, netnsok = 0). Operations run in parallel
 * (parallel_ops): the registry has its own locking and no handler holds a
 * global lock across SCSI I/O. Each operation has its own policy listing
 * only the attributes it accepts; anything else is rejected by the strict
 * parser, and every value check here answers with a negative errno and an
 * extended-ACK message that names the attribute.
 */
#include <linux/module.h>
#include <net/genetlink.h>
#include <linux/resfence.h>

#include "compat.h"
#include "defaults.h"
#include "netlink.h"
#include "registry.h"
#include "version.h"

static struct genl_family resfence_genl_family;

static const struct nla_policy get_info_policy[RESFENCE_A_MAX + 1] = {
};

static const struct nla_policy set_defaults_policy[RESFENCE_A_MAX + 1] = {
	[RESFENCE_A_INTERVAL_MS]	= { .type = NLA_U32 },
	[RESFENCE_A_LEASE_MS]		= { .type = NLA_U32 },
	[RESFENCE_A_ACTION]		= { .type = NLA_U8 },
	[RESFENCE_A_MODE]		= { .type = NLA_U8 },
};

static int put_defaults(struct sk_buff *msg, const struct resfence_defaults *d)
{
	if (nla_put_u32(msg, RESFENCE_A_INTERVAL_MS, d->interval_ms) ||
	    nla_put_u32(msg, RESFENCE_A_LEASE_MS,
			resfence_defaults_lease_for(d, d->interval_ms)) ||
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

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
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

/**
 * resfence_nl_check_interval() - validate RESFENCE_A_INTERVAL_MS
 * @attr: the attribute
 * @extack: where the reason goes
 *
 * Return: 0 or -ERANGE with an extended-ACK message.
 */
int resfence_nl_check_interval(const struct nlattr *attr,
			       struct netlink_ext_ack *extack)
{
	u32 v = nla_get_u32(attr);

	if (v < RESFENCE_INTERVAL_MIN_MS || v > RESFENCE_INTERVAL_MAX_MS) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "interval_ms out of range (100..3600000)");
		return -ERANGE;
	}
	return 0;
}

/**
 * resfence_nl_check_lease() - validate a lease against its interval
 * @attr: RESFENCE_A_LEASE_MS, or NULL when the lease was not given
 * @lease_ms: the lease that would apply
 * @interval_ms: the interval it must exceed
 * @extack: where the reason goes
 *
 * A lease no longer than the interval would expire between two healthy
 * refreshes and fence a node that is doing nothing wrong.
 *
 * Return: 0 or -ERANGE with an extended-ACK message.
 */
int resfence_nl_check_lease(const struct nlattr *attr, u32 lease_ms,
			    u32 interval_ms, struct netlink_ext_ack *extack)
{
	if (lease_ms && lease_ms <= interval_ms) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "lease_ms must be 0 (no lease) or longer than interval_ms");
		return -ERANGE;
	}
	return 0;
}

/**
 * resfence_nl_check_action() - validate RESFENCE_A_ACTION
 * @attr: the attribute
 * @extack: where the reason goes
 *
 * Return: 0 or -EINVAL with an extended-ACK message.
 */
int resfence_nl_check_action(const struct nlattr *attr,
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

/**
 * resfence_nl_check_mode() - validate RESFENCE_A_MODE
 * @attr: the attribute
 * @extack: where the reason goes
 *
 * Return: 0 or -EINVAL with an extended-ACK message.
 */
int resfence_nl_check_mode(const struct nlattr *attr,
			   struct netlink_ext_ack *extack)
{
	u8 v = nla_get_u8(attr);

	if (v == RESFENCE_MODE_UNSPEC || v >= __RESFENCE_MODE_MAX) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "mode: unknown (scsi2 or pr)");
		return -EINVAL;
	}
	return 0;
}

static int set_defaults_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **a = info->attrs;
	struct netlink_ext_ack *extack = info->extack;
	struct resfence_defaults d;
	int ret;

	resfence_defaults_get(&d);

	if (a[RESFENCE_A_INTERVAL_MS]) {
		ret = resfence_nl_check_interval(a[RESFENCE_A_INTERVAL_MS],
						 extack);
		if (ret)
			return ret;
		d.interval_ms = nla_get_u32(a[RESFENCE_A_INTERVAL_MS]);
	}
	if (a[RESFENCE_A_LEASE_MS]) {
		d.lease_ms = nla_get_u32(a[RESFENCE_A_LEASE_MS]);
		d.lease_auto = false;
	}
	if (!d.lease_auto) {
		ret = resfence_nl_check_lease(a[RESFENCE_A_LEASE_MS] ?:
					      a[RESFENCE_A_INTERVAL_MS],
					      d.lease_ms, d.interval_ms,
					      extack);
		if (ret)
			return ret;
	}
	if (a[RESFENCE_A_ACTION]) {
		ret = resfence_nl_check_action(a[RESFENCE_A_ACTION], extack);
		if (ret)
			return ret;
		d.action = nla_get_u8(a[RESFENCE_A_ACTION]);
	}
	if (a[RESFENCE_A_MODE]) {
		ret = resfence_nl_check_mode(a[RESFENCE_A_MODE], extack);
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
