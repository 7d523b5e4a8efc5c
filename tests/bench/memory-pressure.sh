#!/bin/bash
# Issue 18, memory pressure: the refresh's schedule on a node short of
# memory with heavy writeback, against the same node quiet, alternated in
# one boot (tests/bench/memory-pressure.guest.sh has the set-up).
#     tests/bench/memory-pressure.sh                  3 rounds of 60 s phases
#     BENCH_ROUNDS=5 BENCH_SECS=120 tests/bench/memory-pressure.sh
# A benchmark, not a test: make check does not run it. Figures are the
# module's own counters of each phase (resfencectl status --json).
# The report is build/bench/memory-pressure.md (console:
# build/test-logs/memory-pressure.console.log). Exit status 1 only if the
# run failed.
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD_DIR=${RESFENCE_BUILD:-$ROOT/build}
LOG_DIR=${RESFENCE_LOG_DIR:-$BUILD_DIR/test-logs}
OUT_DIR=$BUILD_DIR/bench
ROUNDS=${BENCH_ROUNDS:-3}
SECS=${BENCH_SECS:-60}
mkdir -p "$OUT_DIR"
report=$OUT_DIR/memory-pressure.md
guest=$OUT_DIR/memory-pressure.sh
sed -e "s/^BENCH_ROUNDS=.*/BENCH_ROUNDS=$ROUNDS/" -e "s/^BENCH_SECS=.*/BENCH_SECS=$SECS/" \
	-e "s/^# lab-timeout:.*/# lab-timeout: $((600 + ROUNDS * SECS * 4))/" \
	"$ROOT/tests/bench/memory-pressure.guest.sh" >"$guest"
started=$(date -u +%Y-%m-%dT%H:%M:%SZ)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
t0=$(date +%s)
rc=0
"$ROOT/tests/vm/run-scenario.sh" "$guest" || rc=$?
secs=$(($(date +%s) - t0))
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
console=$LOG_DIR/memory-pressure.console.log
info=$(grep -a '^BENCH-MEM-INFO' "$console" | head -n 1 || :)

# dist PHASE COLUMN: "median max" of a column over the phase's rounds.
dist() {
	grep -a "^BENCH-MEM-PHASE $1 " "$console" | awk -v c="$2" '{ print $c }' | sort -g |
		awk '{ v[NR] = $1 } END { if (NR == 0) { print "- -"; exit }
			m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
			printf "%d %d\n", m, v[NR] }'
}
{
	echo "# Memory pressure and the refresh"
	echo
	echo "Run $started, $secs s, commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?'),"
	echo "host $(nproc) CPUs (load average $load_before at the start, $load_after at the end: the host is shared),"
	echo "$(qemu-system-x86_64 --version | head -n 1). Guest: ${info#BENCH-MEM-INFO }."
	echo "Command: \`BENCH_ROUNDS=$ROUNDS BENCH_SECS=$SECS tests/bench/memory-pressure.sh\`"
	echo
	echo "Per phase of $SECS s (interval 1 s: about $SECS refreshes are due), over $ROUNDS rounds:"
	echo
	echo "| phase | good refreshes (sum) | failed | lease expiries | worst lateness: median of the rounds | max | worst refresh latency: median | max | MemFree minimum |"
	echo "|---|---|---|---|---|---|---|---|---|"
	for ph in quiet pressure; do
		agg=$(grep -a "^BENCH-MEM-PHASE $ph " "$console" | awk '
			{ ok += $4; f += $5; e += $8; if (mf == "" || $9 < mf) mf = $9 }
			END { printf "%d %d %d %d", ok, f, e, mf }')
		read -r ok f e mf <<<"$agg"
		read -r lm lx <<<"$(dist "$ph" 6)"
		read -r tm tx <<<"$(dist "$ph" 7)"
		echo "| $ph | $ok | $f | $e | $((lm / 1000)) ms | $((lx / 1000)) ms | $((tm / 1000)) ms | $((tx / 1000)) ms | $((mf / 1024)) MiB |"
	done
	echo
	echo "## Every phase (PHASE ROUND REFRESH_OK REFRESH_FAILED WORST_LATENESS_US WORST_LATENCY_US LEASE_EXPIRIES MEMFREE_MIN_KB)"
	echo
	grep -a '^BENCH-MEM-PHASE' "$console" | sed 's/^BENCH-MEM-PHASE /    /'
} >"$report"
cat "$report"
exit "$rc"
