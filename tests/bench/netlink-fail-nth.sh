#!/bin/bash
# Every allocation of every request failed in turn (issue 16, part 2):
# tests/scenarios/netlink-fail-nth.sh with every point (stride 1) of all
# nine request types, on the debug kernel (Debian's has no fault
# injection), whose checkers then judge the console too.
#     tests/bench/netlink-fail-nth.sh
# A benchmark, not a test: make check runs the scenario with every 4th
# point of the four requests that change state. About 15 minutes under
# TCG (about 200 points, 4 s each). The report is
# build/bench/netlink-fail-nth.md (the scenario's FAIL_NTH lines), printed
# at the end; the console is build/test-logs/debug-kernel/netlink-fail-nth-bench.console.log.
# Exit status non-zero only if the run failed.
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD_DIR=${RESFENCE_BUILD:-$ROOT/build}
LOG_DIR=${RESFENCE_LOG_DIR:-$BUILD_DIR/test-logs}
OUT_DIR=$BUILD_DIR/bench
mkdir -p "$OUT_DIR"
scenario=$OUT_DIR/netlink-fail-nth-bench.sh
sed -e 's/FAIL_NTH_STRIDE:-4}/FAIL_NTH_STRIDE:-1}/' -e 's/FAIL_NTH_REQUESTS:-state}/FAIL_NTH_REQUESTS:-all}/' \
	-e 's/^# lab-timeout: .*/# lab-timeout: 1800/' \
	"$ROOT/tests/scenarios/netlink-fail-nth.sh" >"$scenario"
grep -q 'FAIL_NTH_STRIDE:-1}' "$scenario" && grep -q 'FAIL_NTH_REQUESTS:-all}' "$scenario" || {
	echo "$0: the scenario's FAIL_NTH_ settings were not found to rewrite" >&2
	exit 1
}
started=$(date -u +%Y-%m-%dT%H:%M:%SZ)
commit=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
t0=$(date +%s)
rc=0
"$ROOT/tests/vm/debug-kernel/run-scenario.sh" "$scenario" || rc=$?
log=$LOG_DIR/debug-kernel/netlink-fail-nth-bench.console.log
secs=$(($(date +%s) - t0))
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
report=$OUT_DIR/netlink-fail-nth.md
{
	echo "# Every allocation of every request failed in turn, measured"
	echo
	echo "Run $started, $secs s for the whole boot, commit $commit (at the start),"
	echo "host $(nproc) CPUs (load average $load_before at the start, $load_after at the end: the host is shared),"
	echo "$(qemu-system-x86_64 --version | head -n 1), debug kernel."
	echo
	echo '```'
	grep -ao 'FAIL_NTH .*' "$log" 2>/dev/null | sed 's/\r$//' || :
	echo '```'
	[ "$rc" -eq 0 ] && echo "Verdict: PASS." || echo "Verdict: FAILED (exit $rc): see $log."
} >"$report"
cat "$report"
exit "$rc"
