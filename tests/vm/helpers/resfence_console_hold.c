// SPDX-License-Identifier: GPL-2.0
/*
 * Lab-only: hold the console lock for hold_ms milliseconds from a kernel
 * thread, as a task printing to a slow console would. While it is held,
 * printk() stores lines in the ring buffer and no console prints them:
 * a fence in that window restarts the machine with its fence line unseen,
 * which is the case the fence record in pstore exists for.
 *
 * /sys/module/resfence_console_hold/parameters/held reads Y while the lock
 * is held. Never part of scsi_resfence.ko; see tests/vm/README.md.
 */
#include <linux/console.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/module.h>

static unsigned int hold_ms = 20000;
module_param(hold_ms, uint, 0444);
MODULE_PARM_DESC(hold_ms, "how long to hold the console lock (ms)");

static bool held;
module_param(held, bool, 0444);
MODULE_PARM_DESC(held, "Y while the console lock is held");

static struct task_struct *holder;

static int hold_fn(void *unused)
{
	unsigned int left = hold_ms;

	pr_info("resfence_console_hold: holding the console lock for %u ms\n",
		hold_ms);
	console_lock();
	WRITE_ONCE(held, true);
	while (left && !kthread_should_stop()) {
		unsigned int step = min(left, 100U);

		msleep(step);
		left -= step;
	}
	WRITE_ONCE(held, false);
	console_unlock();
	pr_info("resfence_console_hold: console lock released\n");
	while (!kthread_should_stop())
		schedule_timeout_interruptible(HZ);
	return 0;
}

static int __init console_hold_init(void)
{
	holder = kthread_run(hold_fn, NULL, "console_hold");
	return PTR_ERR_OR_ZERO(holder);
}

static void __exit console_hold_exit(void)
{
	kthread_stop(holder);
}

module_init(console_hold_init);
module_exit(console_hold_exit);
MODULE_DESCRIPTION("resfence lab helper: hold the console lock for a while");
MODULE_LICENSE("GPL");
