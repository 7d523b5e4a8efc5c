// SPDX-License-Identifier: GPL-2.0
/*
 * Lab-only: the probe-cost microbenchmark of issue 15. It calls the probes
 * attached to the scsi:scsi_dispatch_cmd_done tracepoint the way the
 * tracepoint's iterator does (__traceiter_*: read tp->funcs, call each
 * func with its data, under preempt_disable_notrace() as __DO_TRACE does),
 * many million times on a fake command, and reports nanoseconds per call.
 *
 * At load it attaches an empty probe of its own, so that the iteration
 * always has one probe to call: with scsi_resfence's probe attached too (a
 * device held) the difference per call is that probe's cost. The fake
 * command's device is a zeroed scsi_device that nobody holds.
 *
 * Only the empty probe and scsi_resfence's resfence_probe may be attached:
 * any other (the event enabled in ftrace or perf) would dereference the
 * fake command's device, host and request, so the run refuses (-EBUSY).
 * Every call checks that tp->funcs is still the array checked.
 *
 * /sys/module/resfence_probe_cost/parameters/:
 *   calls    calls per repetition (default 4000000)
 *   reps     repetitions per run (default 5, at most 15)
 *   status   the fake completion's SAM status: 0 GOOD, 2 CHECK CONDITION
 *   run      write a label ([a-z0-9_-], at most 31 characters) to run
 *   last     the last run: LABEL PROBES STATUS CALLS REPS MEDIAN_PS MIN_PS
 *            MAX_PS PS... (picoseconds per call, one per repetition)
 * Each run is also printed to the kernel log. Never part of scsi_resfence.ko.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitops.h>
#include <linux/ctype.h>
#include <linux/kallsyms.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/notifier.h>
#include <linux/preempt.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/tracepoint.h>
#include <scsi/scsi_cmnd.h>
#include <scsi/scsi_device.h>
#include <scsi/scsi_proto.h>

#define PC_TP_NAME	"scsi_dispatch_cmd_done"
#define PC_RESFENCE	"resfence_probe [scsi_resfence]"
#define PC_MAX_REPS	15
#define PC_BATCH	256

static unsigned int calls = 4000000;
module_param(calls, uint, 0644);
MODULE_PARM_DESC(calls, "calls per repetition");

static unsigned int reps = 5;
module_param(reps, uint, 0644);
MODULE_PARM_DESC(reps, "repetitions per run (at most 15)");

static unsigned int status;
module_param(status, uint, 0644);
MODULE_PARM_DESC(status, "SAM status of the fake completion: 0 GOOD, 2 CHECK CONDITION");

static char last[512];
module_param_string(last, last, sizeof(last), 0444);
MODULE_PARM_DESC(last, "the last run: LABEL PROBES STATUS CALLS REPS MEDIAN_PS MIN_PS MAX_PS PS...");

/* Under pc_lock: the tracepoint, and whether the empty probe is on it. */
static struct tracepoint *pc_tp;
static bool pc_attached;
static DEFINE_MUTEX(pc_lock);

static struct scsi_device pc_sdev;
static struct scsi_cmnd pc_cmd;

typedef void (*pc_probe_fn)(void *data, struct scsi_cmnd *cmd);

/* Matches TP_PROTO(struct scsi_cmnd *cmd); does nothing. */
static void pc_empty_probe(void *data, struct scsi_cmnd *cmd)
{
}

/*
 * scsi_resfence's resfence_probe, once kallsyms has named it in this run
 * (pc_run() clears it): later checks compare pointers only. The lab's
 * script does not unload scsi_resfence during a run.
 */
static void *pc_resfence_fn;

/*
 * Check every probe of @funcs: only ours and scsi_resfence's may be there.
 * Return: the probes as a bit string in order (1 resfence, 0 ours) with a
 * leading 1 (so that the count shows), or a negative errno. Preemption
 * disabled: the array stays valid.
 */
static long pc_check(struct tracepoint_func *funcs)
{
	char sym[KSYM_SYMBOL_LEN];
	long sig = 1;
	int n = 0;

	if (!funcs)
		return -ENOENT;
	for (; funcs->func; funcs++) {
		if (++n > 8)
			return -EBUSY;
		sig <<= 1;
		if (funcs->func == (void *)pc_empty_probe)
			continue;
		if (!pc_resfence_fn) {
			sprint_symbol_no_offset(sym, (unsigned long)funcs->func);
			if (!strcmp(sym, PC_RESFENCE))
				pc_resfence_fn = funcs->func;
		}
		if (funcs->func != pc_resfence_fn)
			return -EBUSY;
		sig |= 1;
	}
	return sig;
}

/* The probes of @sig (pc_check()) by name, comma-separated, into @names. */
static void pc_names(long sig, char *names, size_t len)
{
	size_t used = 0;
	int bit;

	names[0] = '\0';
	for (bit = fls_long(sig) - 2; bit >= 0; bit--)
		used += scnprintf(names + used, len - used, "%s%s",
				  used ? "," : "",
				  sig & (1L << bit) ? "resfence" : "empty");
}

/*
 * One repetition: @n calls, each as __DO_TRACE and __traceiter_* make it,
 * in batches of PC_BATCH with preemption disabled, so that the array
 * checked at the batch's start cannot be freed and reused under it. Every
 * batch must see the probes the first one saw, into *@sig.
 * Return: the nanoseconds the calls took, or a negative errno.
 */
static s64 pc_rep(struct tracepoint *tp, unsigned int n, long *sig)
{
	struct tracepoint_func *checked, *it;
	unsigned int i, b;
	u64 t0, t1;
	long s;

	preempt_disable();
	*sig = pc_check(rcu_dereference_sched(tp->funcs));
	preempt_enable();
	if (*sig < 0)
		return *sig;

	t0 = ktime_get_ns();
	for (i = 0; i < n; i += b) {
		preempt_disable();
		checked = rcu_dereference_sched(tp->funcs);
		s = pc_check(checked);
		if (s != *sig) {
			preempt_enable();
			return s < 0 ? s : -EAGAIN;
		}
		for (b = 0; b < PC_BATCH && i + b < n; b++) {
			preempt_disable_notrace();
			it = rcu_dereference_raw(tp->funcs);
			if (unlikely(it != checked)) {
				preempt_enable_notrace();
				preempt_enable();
				return -EAGAIN;
			}
			do {
				pc_probe_fn fn = READ_ONCE(it->func);

				fn(it->data, &pc_cmd);
			} while ((++it)->func);
			preempt_enable_notrace();
		}
		preempt_enable();
		cond_resched();
	}
	t1 = ktime_get_ns();
	return t1 - t0;
}

static int pc_cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

static bool pc_label_ok(const char *s)
{
	size_t n = strlen(s);

	if (!n || n > 31)
		return false;
	for (; *s; s++)
		if (!islower(*s) && !isdigit(*s) && *s != '-' && *s != '_')
			return false;
	return true;
}

static int pc_run(const char *label)
{
	u64 ps[PC_MAX_REPS], sorted[PC_MAX_REPS];
	unsigned int n = calls, r = reps, i;
	long sig = 0, first = 0;
	char names[80];
	size_t used;
	int ret = 0;

	if (!n || n > 100000000 || !r || r > PC_MAX_REPS) {
		pr_err("calls must be 1 to 100000000 (is %u), reps 1 to %d (is %u)\n",
		       n, PC_MAX_REPS, r);
		return -EINVAL;
	}
	if (status != SAM_STAT_GOOD && status != SAM_STAT_CHECK_CONDITION) {
		pr_err("status must be 0 (GOOD) or 2 (CHECK CONDITION), is %u\n",
		       status);
		return -EINVAL;
	}
	pc_cmd.result = status;

	mutex_lock(&pc_lock);
	if (!pc_tp || !pc_attached) {
		pr_err("tracepoint scsi:%s not found or empty probe not attached\n",
		       PC_TP_NAME);
		ret = -ENOENT;
		goto out;
	}
	pc_resfence_fn = NULL;
	for (i = 0; i < r; i++) {
		s64 ns = pc_rep(pc_tp, n, &sig);

		if (ns < 0) {
			ret = ns;
			if (ret == -EBUSY)
				pr_err("a probe other than ours and scsi_resfence's is on scsi:%s: refusing to call it with a fake command\n",
				       PC_TP_NAME);
			else if (ret == -EAGAIN)
				pr_err("the probes of scsi:%s changed during the run\n",
				       PC_TP_NAME);
			goto out;
		}
		ps[i] = div_u64((u64)ns * 1000, n);
		if (i && sig != first) {
			pr_err("the probes of scsi:%s changed between repetitions\n",
			       PC_TP_NAME);
			ret = -EAGAIN;
			goto out;
		}
		first = sig;
	}
	pc_names(sig, names, sizeof(names));
	memcpy(sorted, ps, r * sizeof(ps[0]));
	sort(sorted, r, sizeof(sorted[0]), pc_cmp_u64, NULL);
	used = scnprintf(last, sizeof(last), "%s %s %u %u %u %llu %llu %llu",
			 label, names, status, n, r, sorted[r / 2], sorted[0],
			 sorted[r - 1]);
	for (i = 0; i < r; i++)
		used += scnprintf(last + used, sizeof(last) - used, " %llu",
				  ps[i]);
	pr_info("%s: probes %s, status %u, %u calls x %u: median %llu.%03llu ns per call (min %llu.%03llu, max %llu.%03llu)\n",
		label, names, status, n, r, sorted[r / 2] / 1000,
		sorted[r / 2] % 1000, sorted[0] / 1000, sorted[0] % 1000,
		sorted[r - 1] / 1000, sorted[r - 1] % 1000);
out:
	mutex_unlock(&pc_lock);
	return ret;
}

/* Called with the module's kernel_param_lock held: one run at a time. */
static int pc_run_set(const char *val, const struct kernel_param *kp)
{
	char buf[34], *label = buf;

	/* strscpy() would cut a longer one short: 31 and a newline fit. */
	if (strscpy(buf, val, sizeof(buf)) >= 0)
		label = strim(buf);
	else
		buf[0] = '\0';
	if (!pc_label_ok(label)) {
		pr_err("run: the label must be 1 to 31 of [a-z0-9_-]\n");
		return -EINVAL;
	}
	return pc_run(label);
}

static const struct kernel_param_ops pc_run_ops = {
	.set = pc_run_set,
};
module_param_cb(run, &pc_run_ops, NULL, 0200);
MODULE_PARM_DESC(run, "write a label to run the benchmark");

static void pc_attach(struct tracepoint *tp)
{
	int ret;

	lockdep_assert_held(&pc_lock);
	pc_tp = tp;
	ret = tracepoint_probe_register(tp, pc_empty_probe, NULL);
	if (ret)
		pr_err("tracepoint_probe_register(scsi:%s): %d\n", PC_TP_NAME,
		       ret);
	pc_attached = !ret;
}

static void pc_detach(void)
{
	lockdep_assert_held(&pc_lock);
	if (pc_attached)
		tracepoint_probe_unregister(pc_tp, pc_empty_probe, NULL);
	pc_attached = false;
	pc_tp = NULL;
}

static void pc_find_builtin(struct tracepoint *tp, void *priv)
{
	if (!strcmp(tp->name, PC_TP_NAME))
		*(struct tracepoint **)priv = tp;
}

static int pc_module_notify(struct notifier_block *nb, unsigned long val,
			    void *data)
{
	struct tp_module *tp_mod = data;
	struct module *mod = tp_mod->mod;
	unsigned int i;

	mutex_lock(&pc_lock);
	for (i = 0; i < mod->num_tracepoints; i++) {
		struct tracepoint *tp =
			tracepoint_ptr_deref(&mod->tracepoints_ptrs[i]);

		if (strcmp(tp->name, PC_TP_NAME))
			continue;
		if (val == MODULE_STATE_COMING && !pc_tp)
			pc_attach(tp);
		else if (val == MODULE_STATE_GOING && pc_tp == tp)
			pc_detach();
	}
	mutex_unlock(&pc_lock);
	return NOTIFY_OK;
}

static struct notifier_block pc_module_nb = {
	.notifier_call = pc_module_notify,
};

static int __init pc_init(void)
{
	struct tracepoint *builtin = NULL;
	int ret;

	pc_cmd.device = &pc_sdev;
	for_each_kernel_tracepoint(pc_find_builtin, &builtin);
	if (builtin) {
		mutex_lock(&pc_lock);
		pc_attach(builtin);
		mutex_unlock(&pc_lock);
	}
	ret = register_tracepoint_module_notifier(&pc_module_nb);
	if (ret)
		goto err;
	mutex_lock(&pc_lock);
	ret = pc_attached ? 0 : -ENOENT;
	mutex_unlock(&pc_lock);
	if (ret) {
		pr_err("tracepoint scsi:%s not found (is scsi_mod loaded?)\n",
		       PC_TP_NAME);
		unregister_tracepoint_module_notifier(&pc_module_nb);
		goto err;
	}
	return 0;
err:
	mutex_lock(&pc_lock);
	pc_detach();
	mutex_unlock(&pc_lock);
	tracepoint_synchronize_unregister();
	return ret;
}

static void __exit pc_exit(void)
{
	unregister_tracepoint_module_notifier(&pc_module_nb);
	mutex_lock(&pc_lock);
	pc_detach();
	mutex_unlock(&pc_lock);
	tracepoint_synchronize_unregister();
}

module_init(pc_init);
module_exit(pc_exit);
MODULE_DESCRIPTION("Lab-only: the cost per call of the probes on scsi:scsi_dispatch_cmd_done");
MODULE_LICENSE("GPL");
