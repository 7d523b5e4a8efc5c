// SPDX-License-Identifier: GPL-2.0
/*
 * The hook: a probe on the scsi:scsi_dispatch_cmd_done tracepoint sees the
 * completion of every SCSI command on the machine, whoever sent it
 * (filesystem, SG_IO from any tool, our own refresh), before the block
 * layer completes the request.
 *
 * The tracepoint lives in scsi_mod, a module on Debian, and its symbol is
 * not exported: the probe is attached by name, through the tracepoint
 * module notifier (which also replays modules already loaded), or through
 * for_each_kernel_tracepoint() when SCSI is built in.
 *
 * Cost for a GOOD completion: one compare. Only a RESERVATION CONFLICT or
 * a CHECK CONDITION looks the device up in the RCU hash of armed devices.
 *
 * A RESERVATION CONFLICT on an armed device fences at once, unless the
 * command was a reservation-management one (conflict.c): those conflict
 * by rule for a wrong key or type, whoever sent them, so they only start
 * a verification with a deadline (verify.c). The refresh's own commands
 * reach here too; the refresh judges their conflicts itself.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/notifier.h>
#include <linux/rcupdate.h>
#include <linux/string.h>
#include <linux/tracepoint.h>
#include <scsi/scsi_cmnd.h>
#include <scsi/scsi_common.h>
#include <scsi/scsi_device.h>
#include <scsi/scsi_proto.h>
#include <linux/resfence.h>

#include "conflict.h"
#include "device.h"
#include "fence.h"
#include "hook.h"
#include "refresh.h"
#include "registry.h"
#include "sense.h"
#include "verify.h"

#define RESFENCE_TP_NAME	"scsi_dispatch_cmd_done"

/* The tracepoint the probe is attached to; under hook_lock. */
static struct tracepoint *hook_tp;
static DEFINE_MUTEX(hook_lock);

static void resfence_probe_slow(struct scsi_cmnd *cmd, u8 status)
{
	struct scsi_sense_hdr sshdr;
	struct resfence_dev *rd;

	rcu_read_lock();
	rd = resfence_armed_lookup(cmd->device);
	if (!rd)
		goto out;

	if (status == SAM_STAT_RESERVATION_CONFLICT) {
		u8 opcode = cmd->cmd_len ? cmd->cmnd[0] : 0;

		if (resfence_conflict_judge(opcode, RESFENCE_SENDER_OTHER) ==
		    RESFENCE_CONFLICT_VERIFY)
			resfence_verify_conflict(rd, opcode);
		else
			resfence_fence(rd, RESFENCE_WHY_CONFLICT);
		goto out;
	}
	if (status != SAM_STAT_CHECK_CONDITION ||
	    !scsi_normalize_sense(cmd->sense_buffer, SCSI_SENSE_BUFFERSIZE,
				  &sshdr))
		goto out;
	/*
	 * Someone preempted or released reservations on this LU, or a power
	 * on or reset: in scsi2 mode it released ours, in pr mode a target
	 * that came back from a crash or power loss may have forgotten our
	 * registration (one that does not persist them). Do not wait for the
	 * next refresh to find out whether we still hold it.
	 */
	if (resfence_sense_is_reset_ua(sshdr.sense_key, sshdr.asc,
				       sshdr.ascq)) {
		if (rd->mode == RESFENCE_MODE_SCSI2)
			set_bit(0, &rd->reset_ua);
		resfence_refresh_verify_now(rd);
	} else if (resfence_sense_is_preempt_ua(sshdr.sense_key, sshdr.asc,
						sshdr.ascq)) {
		resfence_refresh_verify_now(rd);
	}
out:
	rcu_read_unlock();
}

/* Matches TP_PROTO(struct scsi_cmnd *cmd) of scsi_dispatch_cmd_done. */
static void resfence_probe(void *data, struct scsi_cmnd *cmd)
{
	u8 status = cmd->result & 0xff;

	if (likely(status == SAM_STAT_GOOD))
		return;
	if (status == SAM_STAT_RESERVATION_CONFLICT ||
	    status == SAM_STAT_CHECK_CONDITION)
		resfence_probe_slow(cmd, status);
}

static int attach(struct tracepoint *tp)
{
	int ret;

	lockdep_assert_held(&hook_lock);
	if (hook_tp)
		return 0;
	ret = tracepoint_probe_register(tp, resfence_probe, NULL);
	if (ret) {
		pr_err("tracepoint_probe_register(scsi:%s): %d\n", RESFENCE_TP_NAME,
		       ret);
		return ret;
	}
	hook_tp = tp;
	return 0;
}

static void detach(void)
{
	lockdep_assert_held(&hook_lock);
	if (!hook_tp)
		return;
	tracepoint_probe_unregister(hook_tp, resfence_probe, NULL);
	hook_tp = NULL;
}

static void find_builtin(struct tracepoint *tp, void *priv)
{
	if (!strcmp(tp->name, RESFENCE_TP_NAME))
		*(struct tracepoint **)priv = tp;
}

static int tp_module_notify(struct notifier_block *nb, unsigned long val,
			    void *data)
{
	struct tp_module *tp_mod = data;
	struct module *mod = tp_mod->mod;
	unsigned int i;

	mutex_lock(&hook_lock);
	for (i = 0; i < mod->num_tracepoints; i++) {
		struct tracepoint *tp =
			tracepoint_ptr_deref(&mod->tracepoints_ptrs[i]);

		if (strcmp(tp->name, RESFENCE_TP_NAME))
			continue;
		if (val == MODULE_STATE_COMING)
			attach(tp);
		else if (val == MODULE_STATE_GOING && hook_tp == tp)
			detach();
	}
	mutex_unlock(&hook_lock);
	return NOTIFY_OK;
}

static struct notifier_block tp_module_nb = {
	.notifier_call = tp_module_notify,
};

/**
 * resfence_hook_init() - attach the probe to scsi:scsi_dispatch_cmd_done
 *
 * scsi_mod is loaded before us (we use its symbols), so the notifier's
 * replay of loaded modules finds the tracepoint at once.
 *
 * Return: 0, or -ENOENT when the tracepoint does not exist: without the
 * hook the module could not fence, so it refuses to load.
 */
int resfence_hook_init(void)
{
	struct tracepoint *builtin = NULL;
	int ret;

	for_each_kernel_tracepoint(find_builtin, &builtin);
	if (builtin) {
		mutex_lock(&hook_lock);
		ret = attach(builtin);
		mutex_unlock(&hook_lock);
		if (ret)
			return ret;
	}

	ret = register_tracepoint_module_notifier(&tp_module_nb);
	if (ret)
		goto err_detach;

	mutex_lock(&hook_lock);
	ret = hook_tp ? 0 : -ENOENT;
	mutex_unlock(&hook_lock);
	if (ret) {
		pr_err("tracepoint scsi:%s not found\n", RESFENCE_TP_NAME);
		goto err_notifier;
	}
	return 0;

err_notifier:
	unregister_tracepoint_module_notifier(&tp_module_nb);
err_detach:
	mutex_lock(&hook_lock);
	detach();
	mutex_unlock(&hook_lock);
	tracepoint_synchronize_unregister();
	return ret;
}

/**
 * resfence_hook_exit() - detach the probe and wait until no CPU runs it
 */
void resfence_hook_exit(void)
{
	unregister_tracepoint_module_notifier(&tp_module_nb);
	mutex_lock(&hook_lock);
	detach();
	mutex_unlock(&hook_lock);
	tracepoint_synchronize_unregister();
}
