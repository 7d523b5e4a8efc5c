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
 * The probe is attached only while the registry has an entry (a hold
 * acquiring, live or being torn down; resfence_hook_get() and _put() from
 * registry.c): with nothing held the tracepoint's static key is off (unless
 * someone else traces it) and the module costs nothing on the I/O path.
 * While attached, a GOOD completion costs one compare. Only a RESERVATION
 * CONFLICT or a CHECK CONDITION looks the device up in the RCU hash of
 * armed devices.
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
#include "gate.h"
#include "hook.h"
#include "refresh.h"
#include "registry.h"
#include "sense.h"
#include "verify.h"

#define RESFENCE_TP_NAME	"scsi_dispatch_cmd_done"

/* Under hook_lock: the tracepoint (found at load), whether the probe is on
 * it, and how many registry entries want it on.
 */
static struct tracepoint *hook_tp;
static bool hook_attached;
static unsigned int hook_users;
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

		/*
		 * Multipath: a path that lost its registration (a LUN
		 * re-created at the target, a new nexus after a re-login)
		 * conflicts while the key is still ours through the others.
		 * Verify before fencing; a preempt takes every path's
		 * registration at once and the verification fences.
		 */
		if (rd->npaths) {
			resfence_verify_path_conflict(rd, cmd->device, opcode);
			goto out;
		}
		/*
		 * A single disk in pr mode after a reset's unit attention:
		 * the nexus may be a new one (an iSCSI re-login; tgt keeps
		 * registrations per session) without our registration, while
		 * our key still holds the reservation. Verify; the refresh
		 * registers this nexus if nobody preempted us (refresh.c).
		 */
		if ((rd->mode == RESFENCE_MODE_PR &&
		     resfence_nexus_suspect(rd)) ||
		    resfence_conflict_judge(opcode, RESFENCE_SENDER_OTHER) ==
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
		if (rd->mode == RESFENCE_MODE_SCSI2) {
			/*
			 * Nobody holds the unit now: no new write of
			 * ours until our epoch has been seen (gate.c).
			 */
			resfence_gate_close(rd);
			set_bit(0, &rd->reset_ua);
		} else if (!rd->npaths) {
			atomic_inc(&rd->nexus_resets);
		}
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

static int attach(void)
{
	int ret;

	lockdep_assert_held(&hook_lock);
	if (hook_attached)
		return 0;
	if (!hook_tp)
		return -ENOENT;
	ret = tracepoint_probe_register(hook_tp, resfence_probe, NULL);
	if (ret) {
		pr_err("tracepoint_probe_register(scsi:%s): %d\n", RESFENCE_TP_NAME,
		       ret);
		return ret;
	}
	hook_attached = true;
	return 0;
}

static void detach(void)
{
	lockdep_assert_held(&hook_lock);
	if (!hook_attached)
		return;
	tracepoint_probe_unregister(hook_tp, resfence_probe, NULL);
	hook_attached = false;
}

/**
 * resfence_hook_get() - a registry entry needs the probe: attach it
 *
 * The first user attaches the probe (which turns the tracepoint's static
 * key on); later ones only count. Call before the entry can be armed.
 *
 * Return: 0, or the negative errno of tracepoint_probe_register()
 * (-ENOENT if the tracepoint is gone), with nothing counted.
 */
int resfence_hook_get(void)
{
	int ret = 0;

	mutex_lock(&hook_lock);
	if (!hook_users)
		ret = attach();
	if (!ret)
		hook_users++;
	mutex_unlock(&hook_lock);
	return ret;
}

/**
 * resfence_hook_put() - a registry entry is gone: the last one detaches
 *
 * The probe may still run on another CPU for a moment after the last
 * put; it only looks at armed entries, and there are none by then.
 * Module exit waits for it (resfence_hook_exit()).
 */
void resfence_hook_put(void)
{
	mutex_lock(&hook_lock);
	if (!WARN_ON(!hook_users) && !--hook_users)
		detach();
	mutex_unlock(&hook_lock);
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
		if (val == MODULE_STATE_COMING) {
			hook_tp = tp;
			if (hook_users)
				attach();
		} else if (val == MODULE_STATE_GOING && hook_tp == tp) {
			detach();
			hook_tp = NULL;
		}
	}
	mutex_unlock(&hook_lock);
	return NOTIFY_OK;
}

static struct notifier_block tp_module_nb = {
	.notifier_call = tp_module_notify,
};

/**
 * resfence_hook_init() - find the scsi:scsi_dispatch_cmd_done tracepoint
 *
 * scsi_mod is loaded before us (we use its symbols), so the notifier's
 * replay of loaded modules finds the tracepoint at once. The probe is
 * attached later, by the first resfence_hook_get().
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
		hook_tp = builtin;
		mutex_unlock(&hook_lock);
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
	hook_tp = NULL;
	mutex_unlock(&hook_lock);
	return ret;
}

/**
 * resfence_hook_exit() - detach the probe and wait until no CPU runs it
 */
void resfence_hook_exit(void)
{
	unregister_tracepoint_module_notifier(&tp_module_nb);
	mutex_lock(&hook_lock);
	WARN_ON(hook_users);
	detach();
	hook_tp = NULL;
	mutex_unlock(&hook_lock);
	tracepoint_synchronize_unregister();
}
