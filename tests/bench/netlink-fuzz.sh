#!/bin/bash
# The long netlink fuzz run (issue 16): tests/scenarios/netlink-fuzz.sh with
# BENCH_COUNT messages (default 100,000) as root, then its 300 unprivileged
# ones, in one guest on Debian's kernel (BENCH_KERNEL=debug: the debug
# kernel, whose checkers then judge the console too).
#     tests/bench/netlink-fuzz.sh                  BENCH_COUNT=100000 BENCH_SEED=16016
# A benchmark, not a test: make check runs the scenario with 600 messages on
# the debug kernel only. The report is build/bench/netlink-fuzz.md, printed
# at the end; the guest's console is build/test-logs/netlink-fuzz-bench.console.log
# (build/test-logs/debug-kernel/ for the debug kernel).
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD_DIR=${RESFENCE_BUILD:-$ROOT/build}
LOG_DIR=${RESFENCE_LOG_DIR:-$BUILD_DIR/test-logs}
OUT_DIR=$BUILD_DIR/bench
COUNT=${BENCH_COUNT:-100000}
SEED=${BENCH_SEED:-16016}
KERNEL=${BENCH_KERNEL:-debian}
mkdir -p "$OUT_DIR"
# The scenario with the count and seed written in, on either kernel, with
# time for the run (a message and its ping take about 3 ms under TCG).
scenario=$OUT_DIR/netlink-fuzz-bench.sh
sed -e "s/FUZZ_COUNT:-600/FUZZ_COUNT:-$COUNT/" -e "s/FUZZ_SEED:-16016/FUZZ_SEED:-$SEED/" \
	-e '/^# lab-kernel:/d' -e "s/^# lab-timeout: .*/# lab-timeout: $((600 + COUNT / 50))/" \
	"$ROOT/tests/scenarios/netlink-fuzz.sh" >"$scenario"
started=$(date -u +%Y-%m-%dT%H:%M:%SZ)
commit=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
t0=$(date +%s)
rc=0
case $KERNEL in
debian) "$ROOT/tests/vm/run-scenario.sh" "$scenario" || rc=$? ; log=$LOG_DIR/netlink-fuzz-bench.console.log ;;
debug) "$ROOT/tests/vm/debug-kernel/run-scenario.sh" "$scenario" || rc=$? ; log=$LOG_DIR/debug-kernel/netlink-fuzz-bench.console.log ;;
*) echo "BENCH_KERNEL=$KERNEL: debian or debug" >&2; exit 2 ;;
esac
secs=$(($(date +%s) - t0))
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
report=$OUT_DIR/netlink-fuzz.md
{
	echo "# The netlink fuzz run, measured"
	echo
	echo "Run $started, $secs s for the whole boot, commit $commit (at the start),"
	echo "host $(nproc) CPUs (load average $load_before at the start, $load_after at the end: the host is shared),"
	echo "$(qemu-system-x86_64 --version | head -n 1), $KERNEL kernel, seed $SEED, $COUNT messages as root."
	echo
	echo '```'
	# The fuzzer's own lines from the console (its summaries).
	grep -aE '^resfence-fuzz: seed|^(sent|held after|ok:|BROKEN|  errno|  extack|  sendto|  held|  modelled|  replay|  message)' "$log" 2>/dev/null | sed 's/\r$//' || :
	echo '```'
	[ "$rc" -eq 0 ] && echo "Verdict: PASS." || echo "Verdict: FAILED (exit $rc): see $log."
} >"$report"
cat "$report"
exit "$rc"
