// SPDX-License-Identifier: GPL-2.0
/*
 * Trip each checker of the debug kernel once, on purpose, so that the lab
 * can prove its console checks are not blind: UBSAN, KASAN, debug objects,
 * might_sleep() in atomic context, WARN_ON, lockdep, kmemleak. Only ever
 * loaded by tests/vm/debug-kernel/selftest-checkers.sh, in a throw-away
 * guest. Every trigger is harmless to the running kernel: the bad access
 * stays inside a slab redzone, the active timer is fixed up by debug
 * objects, the lock inversion is sequential and cannot deadlock.
 */
#include <linux/compiler.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/preempt.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/timer.h>

static noinline void trip_ubsan(void)
{
	int shift = 40, one = 1;

	/* Hidden from the compiler, so the shift happens at run time. */
	OPTIMIZER_HIDE_VAR(shift);
	pr_info("checker-selftest: UBSAN shift %d\n", one << shift);
}

static noinline void trip_kasan(void)
{
	char *p = kmalloc(16, GFP_KERNEL);
	size_t past = 16;

	if (!p)
		return;
	OPTIMIZER_HIDE_VAR(past);
	/* One byte past a 16-byte object: inside the redzone. */
	pr_info("checker-selftest: KASAN read %d\n", READ_ONCE(p[past]));
	kfree(p);
}

struct timed {
	struct timer_list timer;
};

static void timed_fn(struct timer_list *t)
{
}

static noinline void trip_debug_objects(void)
{
	struct timed *t = kzalloc(sizeof(*t), GFP_KERNEL);

	if (!t)
		return;
	timer_setup(&t->timer, timed_fn, 0);
	mod_timer(&t->timer, jiffies + 60 * HZ);
	/* Freed while active: ODEBUG reports it and deactivates the timer. */
	kfree(t);
}

static noinline void trip_atomic_sleep(void)
{
	preempt_disable();
	might_sleep();
	preempt_enable();
}

static DEFINE_MUTEX(lock_a);
static DEFINE_MUTEX(lock_b);

static noinline void trip_lockdep(void)
{
	mutex_lock(&lock_a);
	mutex_lock(&lock_b);
	mutex_unlock(&lock_b);
	mutex_unlock(&lock_a);
	/* The other order: a possible circular dependency, never a real one. */
	mutex_lock(&lock_b);
	mutex_lock(&lock_a);
	mutex_unlock(&lock_a);
	mutex_unlock(&lock_b);
}

static noinline void trip_kmemleak(void)
{
	size_t n, bytes = 0;

	/*
	 * Lost on return; kmemleak reports them once they are 5 s old. Many,
	 * because a pointer left in a stale stack slot (a cached kernel stack
	 * is scanned like any vmalloc area) hides an object from kmemleak.
	 */
	for (n = 0; n < 16; n++) {
		void *p = kmalloc(96 + 8 * n, GFP_KERNEL);

		if (p)
			bytes += ksize(p);
	}
	pr_info("checker-selftest: leaked %zu bytes\n", bytes);
}

/* Overwrite the stack slots the leaking frames used. */
static noinline void scrub_stack(void)
{
	char buf[512];

	memzero_explicit(buf, sizeof(buf));
}

static int __init checker_selftest_init(void)
{
	/*
	 * Lockdep first: a KASAN report or a WARN taints the kernel in a way
	 * that turns lockdep off (LOCKDEP_NOW_UNRELIABLE).
	 */
	trip_lockdep();
	trip_ubsan();
	trip_kasan();
	trip_debug_objects();
	trip_atomic_sleep();
	WARN_ON(1);
	trip_kmemleak();
	scrub_stack();
	return 0;
}

static void __exit checker_selftest_exit(void)
{
}

module_init(checker_selftest_init);
module_exit(checker_selftest_exit);
MODULE_DESCRIPTION("Trips every debug-kernel checker once (lab self-test)");
MODULE_LICENSE("GPL");
