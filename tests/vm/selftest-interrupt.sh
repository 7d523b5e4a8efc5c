#!/bin/bash
# The lab must clean up when interrupted: Ctrl-C on `make check` sends SIGINT
# to the terminal's foreground process group (a CI job's cancel, SIGTERM to
# its group), and every QEMU guest and tgtd of the run must then go, not run
# on to their timeouts. Each case starts a runner in a process group of its
# own (as the terminal would), waits until its guests are up, signals the
# group, and checks that the runner ended
# and that no process of the run is left: QEMU is found by the run's
# directory on its command line (TMPDIR is private to the case), tgtd by the
# pid the runner announced.
#   tests/vm/selftest-interrupt.sh     prints PASS/FAIL selftest/interrupt
# Needs the lab's kernel and base image (cached) but not the project's build.
set -eu
VM_DIR=$(cd "$(dirname "$0")" && pwd)
. "$VM_DIR/common.sh"

top=$(mktemp -d "${TMPDIR:-/tmp}/resfence-interrupt.XXXXXX")
# Whatever a failed case left behind goes too.
tgtd_pids=
cleanup() {
	local p
	pkill -KILL -f "$top" 2>/dev/null || :
	for p in $tgtd_pids; do
		! grep -qs tgtd "/proc/$p/cmdline" || kill -KILL "$p" 2>/dev/null || :
	done
	rm -rf "$top"
}
trap cleanup EXIT
start=$(date +%s)

fail() {
	echo "FAIL selftest/interrupt: $*"
	exit 1
}

# interrupt CASE SIGNAL SCENARIO READY_RE: run SCENARIO, send SIGNAL to its
# process group once its output matches READY_RE, and check what is left.
interrupt() {
	local case=$1 sig=$2 scen=$3 ready=$4 dir=$top/$1 pid n left tgtd
	mkdir -p "$dir/tmp"
	# setsid: the runner leads a process group, as a shell job would.
	TMPDIR=$dir/tmp RESFENCE_LOG_DIR=$dir/logs setsid "$VM_DIR/run-scenario.sh" "$scen" \
		>"$dir/out" 2>&1 </dev/null &
	pid=$!
	n=600
	until grep -Eq -- "$ready" "$dir/out" "$dir"/tmp/*/*.console.log 2>/dev/null; do
		kill -0 "$pid" 2>/dev/null || fail "$case: the run ended before it was interrupted: $(tail -n 5 "$dir/out")"
		[ "$n" -gt 0 ] || fail "$case: not ready within 60 s"
		sleep 0.1
		n=$((n - 1))
	done
	pgrep -f "$dir/tmp" >/dev/null || fail "$case: no process of the run found before the interrupt"
	tgtd=$(sed -n 's/.*tgtd pid \([0-9]*\) serves.*/\1/p' "$dir/out" | head -n 1)
	tgtd_pids="$tgtd_pids $tgtd"
	kill -"$sig" -- "-$pid"
	n=600
	while kill -0 "$pid" 2>/dev/null; do
		[ "$n" -gt 0 ] || fail "$case: the runner still runs 60 s after SIG$sig"
		sleep 0.1
		n=$((n - 1))
	done
	wait "$pid" 2>/dev/null || :
	# What the runner started may take a moment to go after it.
	n=100
	while left=$(pgrep -af "$dir/tmp"); do
		[ "$n" -gt 0 ] || fail "$case: still running 10 s after the runner ended: $left"
		sleep 0.1
		n=$((n - 1))
	done
	if [ -n "$tgtd" ] && grep -qs tgtd "/proc/$tgtd/cmdline"; then
		fail "$case: tgtd (pid $tgtd) still runs after the runner ended"
	fi
}

# One guest that would sleep for minutes.
cat >"$top/interrupt-one.sh" <<'EOF'
# lab-timeout: 300
klog "interrupt-me: ready"
sleep 280
EOF
interrupt one-guest-int INT "$top/interrupt-one.sh" 'interrupt-me: ready'

# Two guests and tgtd, the host script sleeping.
cat >"$top/interrupt-two.host.sh" <<'EOF'
# lab-timeout: 300
guest_start A B
lab_log "interrupt-me: ready"
sleep 280
EOF
interrupt two-guests-int INT "$top/interrupt-two.host.sh" 'interrupt-me: ready'
interrupt two-guests-term TERM "$top/interrupt-two.host.sh" 'interrupt-me: ready'

echo "PASS selftest/interrupt ($(($(date +%s) - start))s)"
