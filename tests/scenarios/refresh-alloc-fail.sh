# Allocations that fail inside the refresh (issue 16, part 2, the refresh
# side). A pr hold with --action restart on LIO through tcm_loop, lease 8.5 s,
# interval 1 s:
#   1a. every allocation of the tasks that run the refresh fails, six of
#       them (three refreshes, well inside the lease): refresh_failed rises,
#       the kernel log says "refresh failed: -12", the REFRESH_FAILED events
#       of those refreshes could not be allocated either (fewer events than
#       failures: dropped, nothing crashed), no fence, and once the
#       injection stops refresh_ok rises again;
#   1b. only the first allocation the refresh reaches fails (fail-nth 1):
#       the refresh fails with -ENOMEM and its event, allocated after, is
#       delivered (errno=-12); the next refresh recovers; still no fence;
#   then kmemleak scans twice (the run ends in a restart, which skips the
#   harness's scan at power-off), so a leak on a failure path is reported;
#   2.  every allocation fails again and stays failing: the module fences
#       by the lease ("lease expired without a successful refresh"), and
#       by nothing earlier: a wrong fence would be an unexpected restart, or
#       this restart with another reason.
# Debug kernel only: Debian's kernel has no fault injection.
#
# Why LIO in pr mode: the pr refresh sends READ KEYS, READ RESERVATION and
# REGISTER, each with a data buffer that scsi_execute() maps with
# blk_rq_map_kern(): a bio from kmalloc, GFP_NOIO (no bounce page: the
# buffer is kmalloc'd and 1024 and 24 bytes long, a multiple of the SCSI
# queue's 4-byte DMA alignment on x86). Those three are the allocations a
# good refresh reaches; a failed one adds its event's skb. Failing the
# points of a refresh in turn with fail-nth (an exploratory run, not this
# scenario): points 1, 3 and 5 are the three bios, each failure a refresh
# failed with -ENOMEM and its event sent; 2, 4 and 6 are kmemleak's record
# of each bio (debug kernel only), which falls back to its own pool and
# costs nothing. A scsi2 refresh is RESERVE(6) without
# data and reaches none (scsi_debug in scsi2 mode would have nothing to
# fail), and LIO runs the commands it gets in its own normal-priority
# kworkers (target_submission_wq), so the target itself never sees an
# injected failure and answers honestly. resfence_pr_read_all_keys() is
# reached only with more than RESFENCE_REFRESH_KEYS (127) registrations,
# which two nexuses cannot make: not here.
#
# Which tasks: the resfence workqueue is WQ_HIGHPRI | WQ_MEM_RECLAIM, per
# CPU, so its work runs on the per-CPU high-priority pools' kworkers
# (kworker/N:MH, /proc/PID/comm adds "-wq" or "+wq") or on its rescuer, a
# kernel thread named "resfence". The stack-trace filter does not exist on
# x86_64, so failslab's task-filter plus /proc/PID/make-it-fail on exactly
# those tasks restricts the failures. Others share them: kblockd (queue
# runs, requeues, timeouts: its only allocations are the sg chain beyond
# the command's inline entries, mempool-backed, a failure requeues the
# request), RCU's kvfree page cache refill and net's backlog flush on
# system_highpri_wq (pages, and failslab fails no page allocation; no
# netdev goes away here). None of them sends or answers the module's
# commands, so none can make a refresh fail or succeed; a failure they do
# not absorb would show as a checker report or a hung task, which fails the
# run anyway. A pool's new worker is created by one of its own workers
# (create_worker(): ida_alloc(), kzalloc of the worker, kthread_create's
# request, all failing while that worker is marked), and a new kworker,
# forked from kthreadd, would not be marked: mark_all() marks until a pass
# finds nothing unmarked, after which the pools cannot grow until the
# injection stops (their work still runs: on the existing workers, or on
# the rescuers of WQ_MEM_RECLAIM workqueues, ours marked too).
# lab-needs: module tool
# lab-kernel: debug
# lab-timeout: 240
[ -e /proc/self/make-it-fail ] || fail "no /proc/self/make-it-fail: the kernel lacks CONFIG_FAULT_INJECTION"
lio_shared_lun 16
load_resfence

# failslab: only marked tasks; every allocation of theirs while probability
# is 100, GFP_NOIO ones included (failslab skips those that may sleep unless
# ignore-gfp-wait is N). Quiet: a forced failure otherwise prints a stack
# trace, which the lab would take for a splat. fail_page_alloc stays off
# (probability 0): the refresh reaches a page allocation only after a bio
# that fails first.
FS=/sys/kernel/debug/failslab
[ -d "$FS" ] || mount -t debugfs none /sys/kernel/debug
echo 0 >"$FS/probability"
echo 0 >"$FS/verbose"
echo 0 >/sys/kernel/debug/fail_page_alloc/verbose
echo N >"$FS/ignore-gfp-wait"
echo Y >"$FS/task-filter"
echo 1 >"$FS/interval"
echo 0 >"$FS/space"
echo -1 >"$FS/times"

# refresh_tasks: the PIDs of the tasks that may run the refresh work. Shell
# built-ins only: a fork per /proc entry costs seconds on this kernel.
refresh_tasks() {
	for _d in /proc/[0-9]*; do
		read -r _c <"$_d/comm" 2>/dev/null || continue
		case $_c in
		kworker/[0-9]*:[0-9]H | kworker/[0-9]*:[0-9]H[-+]* | \
			kworker/[0-9]*:[0-9][0-9]H | kworker/[0-9]*:[0-9][0-9]H[-+]*)
			echo "${_d#/proc/}"
			;;
		resfence | resfence[-+]*)
			# The rescuer, a kernel thread: no command line.
			[ -s "$_d/cmdline" ] || echo "${_d#/proc/}"
			;;
		esac
	done
}

# mark_all V: make-it-fail V on every such task, again until a pass finds
# none left to change (a kworker forked meanwhile is not marked).
mark_all() {
	_pass=0
	while :; do
		_changed=0
		for _p in $(refresh_tasks); do
			read -r _v <"/proc/$_p/make-it-fail" 2>/dev/null || continue
			[ "$_v" != "$1" ] || continue
			echo "$1" >"/proc/$_p/make-it-fail" 2>/dev/null || continue
			_changed=$((_changed + 1))
		done
		[ "$_changed" -gt 0 ] || break
		_pass=$((_pass + 1))
		[ "$_pass" -lt 20 ] || fail "mark_all $1: new kworkers kept coming"
	done
}

# unmarked_tasks: those of them not marked (make-it-fail 0).
unmarked_tasks() {
	for _p in $(refresh_tasks); do
		read -r _v <"/proc/$_p/make-it-fail" 2>/dev/null || continue
		[ "$_v" = 1 ] || printf '%s ' "$_p"
	done
}

# fail_nth_all N: fail-nth N on every such task whose fail-nth is 0 (not
# armed, or armed and already spent on another work item's allocation).
fail_nth_all() {
	for _p in $(refresh_tasks); do
		_f=/proc/$_p/task/$_p/fail-nth
		read -r _v <"$_f" 2>/dev/null || continue
		[ "$_v" != 0 ] || echo "$1" >"$_f" 2>/dev/null || :
	done
}
clear_fail_nth() {
	for _p in $(refresh_tasks); do
		echo 0 >"/proc/$_p/task/$_p/fail-nth" 2>/dev/null || :
	done
}

# counter NAME: a counter of the hold (resfencectl status --json).
counter() {
	resfencectl status "$DISK_A" --json | sed -n "s/.*\"$1\": *\([0-9][0-9]*\).*/\1/p"
}
# wait_stat NAME MIN [SECONDS]: until counter NAME >= MIN.
wait_stat() {
	_n=$((${3:-30} * 10))
	until [ "$(counter "$1")" -ge "$2" ]; do
		[ "$_n" -gt 0 ] || fail "$1 did not reach $2 within ${3:-30} s (it is $(counter "$1"))"
		sleep 0.1
		_n=$((_n - 1))
	done
}
# events: REFRESH_FAILED events the monitor has printed so far.
events() { grep -c ' refresh-failed sda 8:0 ' /tmp/events || :; }
# enomem_events: those with errno -12 and the reason the module gives it.
enomem_events() {
	grep -c ' refresh-failed sda 8:0 .* errno=-12 .* reason="out of memory"$' /tmp/events || :
}
held_armed() {
	expect_output_match '"state": *"armed"' resfencectl status "$DISK_A" --json
}

monitor_start /tmp/events
# Lease 8.5 s, not a multiple of the interval. The lease counts from the
# start of the last good refresh, so a lease of whole intervals expires a
# few milliseconds after a scheduled refresh began, on the same CPU: just
# while that refresh, failing at once, prints its warning to the slow
# emulated console. The lease hrtimer then interrupts the console's
# owner; the fence's own lines wait behind it in the log buffer and the
# restart comes before they are printed (seen twice in a row here: the
# lab then cannot find the FENCED line; the fence record in pstore is
# what keeps it, issue 14). Half an interval off, the console is idle.
expect_ok resfencectl hold "$DISK_A" --mode pr --key 0xa1 --type we --interval 1 --lease 8.5 --action restart
wait_stat refresh_ok 1
held_armed

# Phase 1a: every allocation of the refresh's tasks fails, six of them in
# all: failslab's own count ends the window, however slow this shell is,
# well inside the lease. A failed refresh reaches two allocations, both
# failed: its first command's bio, and its REFRESH_FAILED event's skb. So
# three refreshes fail, or fewer if other work on those kworkers took a
# share (none here: this guest has no other block I/O).
f0=$(counter refresh_failed)
e0=$(events)
before=$(refresh_tasks | tr '\n' ' ')
klog "refresh-alloc-fail: 1a: failslab on for 6 failures, every allocation of the refresh's tasks ($before)"
echo 6 >"$FS/times"
echo 100 >"$FS/probability"
mark_all 1
n=300
while read -r left <"$FS/times" && [ "$left" != 0 ]; do
	[ "$n" -gt 0 ] || fail "1a: failslab injected $((6 - left)) of 6 failures within 30 s"
	sleep 0.1
	n=$((n - 1))
done
# Any kworker made while the count was not spent came unmarked: there was
# none (a marked pool cannot create one while its allocations fail).
# After it, one may be (it will not fail: nothing is injected any more).
unmarked=$(unmarked_tasks)
echo 0 >"$FS/probability"
echo -1 >"$FS/times"
mark_all 0
[ -z "$unmarked" ] || klog "refresh-alloc-fail: 1a: kworker(s) $unmarked appeared (unmarked) meanwhile"
klog "refresh-alloc-fail: 1a: failslab off"
# The next good refresh comes after every failed one has sent (or
# dropped) its event: the work item runs one at a time.
ok1=$(counter refresh_ok)
wait_stat refresh_ok $((ok1 + 1))
failed=$(($(counter refresh_failed) - f0))
sent=$(($(events) - e0))
klog "refresh-alloc-fail: 1a: $failed refreshes failed, $sent REFRESH_FAILED events sent"
[ "$failed" -ge 2 ] || fail "1a: 6 allocations failed in the refresh's tasks, but only $failed refreshes"
wait_klog 'scsi_resfence: sda: refresh failed: -12 \(out of memory\)$' 5
# The refreshes' events were allocated in the same failing task: each one
# dropped (one could get out if another work item took the last failure).
[ "$sent" -lt "$failed" ] ||
	fail "1a: $sent REFRESH_FAILED events for $failed failed refreshes: the events' allocations did not fail"
held_armed

# Phase 1b: only the first allocation the refresh reaches fails (its READ
# KEYS bio); the event, allocated after, gets out. A task's fail-nth may be
# spent on other work (kblockd's): fail_nth_all arms it again, until the
# event came.
f0=$(counter refresh_failed)
e0=$(enomem_events)
klog "refresh-alloc-fail: 1b: fail-nth 1 on the refresh's tasks"
n=300
until [ "$(enomem_events)" -gt "$e0" ]; do
	[ "$n" -gt 0 ] || fail "1b: no REFRESH_FAILED event with errno -12: $(cat /tmp/events)"
	fail_nth_all 1
	sleep 0.1
	n=$((n - 1))
done
clear_fail_nth
klog "refresh-alloc-fail: 1b: fail-nth cleared"
[ "$(counter refresh_failed)" -gt "$f0" ] || fail "1b: an ENOMEM event, but refresh_failed did not rise"
ok1=$(counter refresh_ok)
wait_stat refresh_ok $((ok1 + 2))
held_armed

# The run ends in a restart, without the harness's kmemleak scan at power
# off: scan now (twice; a report goes to the kernel log, where the
# harness's check finds it). The last injected failure was at least a
# refresh interval plus the first scan ago: older than kmemleak's 5 s.
sh /lib/resfence/debug-checks.sh end

# Phase 2: every allocation fails until the lease fences.
expect_restart 'scsi_resfence: FENCED sda \(8:0\) key 0xa1: lease expired without a successful refresh: restarting now'
klog "refresh-alloc-fail: 2: failslab on until the lease expires"
echo 100 >"$FS/probability"
mark_all 1
wait_restart 60
