#!/bin/bash
# Measure how the refresh scales with the number of held devices (issue 15,
# part 2): 1, 16, 256 and 1024 scsi_debug LUNs held in scsi2 mode at the
# default interval in one lab guest (one TCG vCPU), each step followed by a
# window with nothing held as its baseline (tests/bench/scale.guest.sh).
#     tests/bench/scale.sh                          the four steps, 30 s windows, no lease
#     BENCH_STEPS='1 16 256 1024' BENCH_WINDOW=60 tests/bench/scale.sh
# A benchmark, not a test: make check does not run it. The report is
# build/bench/scale.md (raw lines: scale.tsv, console:
# build/test-logs/scale.console.log), printed at the end. Exit status 1 only
# if the run failed.
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD_DIR=${RESFENCE_BUILD:-$ROOT/build}
LOG_DIR=${RESFENCE_LOG_DIR:-$BUILD_DIR/test-logs}
OUT_DIR=$BUILD_DIR/bench
STEPS=${BENCH_STEPS:-1 16 256 1024}
WINDOW=${BENCH_WINDOW:-30}
REPS=${BENCH_STATUS_REPS:-3}
LEASE=${BENCH_LEASE:-0}
mkdir -p "$OUT_DIR"
data=$OUT_DIR/scale.tsv
report=$OUT_DIR/scale.md
guest=$OUT_DIR/scale.sh
total=0
for n in $STEPS; do total=$((total + n)); done
timeout=$((900 + total + $(echo "$STEPS" | wc -w) * (2 * WINDOW + 60)))
sed -e "s/^BENCH_STEPS=.*/BENCH_STEPS=\"$STEPS\"/" -e "s/^BENCH_WINDOW=.*/BENCH_WINDOW=$WINDOW/" \
	-e "s/^BENCH_STATUS_REPS=.*/BENCH_STATUS_REPS=$REPS/" -e "s/^BENCH_LEASE=.*/BENCH_LEASE=$LEASE/" \
	-e "s/^# lab-timeout:.*/# lab-timeout: $timeout/" "$ROOT/tests/bench/scale.guest.sh" >"$guest"

started=$(date -u +%Y-%m-%dT%H:%M:%SZ)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
t0=$(date +%s)
rc=0
# 2 GiB: 1024 SCSI disks' queues and tags.
RESFENCE_MEM=${RESFENCE_MEM:-2048} "$ROOT/tests/vm/run-scenario.sh" "$guest" || rc=$?
secs=$(($(date +%s) - t0))
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
console=$LOG_DIR/scale.console.log
grep -a '^BENCH-SCALE [0-9]' "$console" | awk 'NF == 19' | cut -d' ' -f2- | tr ' ' '\t' >"$data" || :
info=$(grep -a '^BENCH-SCALE-INFO' "$console" | head -n 1 || :)
cpus=$(echo "$info" | awk '{ print $3 }')
interval=2

{
	echo "# Scale: held devices, measured"
	echo
	echo "Run $started, $secs s, commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?'),"
	echo "host $(nproc) CPUs (load average $load_before at the start, $load_after at the end: the host is shared),"
	echo "$(qemu-system-x86_64 --version | head -n 1)."
	echo "Command: \`BENCH_STEPS='$STEPS' BENCH_WINDOW=$WINDOW BENCH_STATUS_REPS=$REPS BENCH_LEASE=$LEASE tests/bench/scale.sh\`"
	echo
	echo "One QEMU TCG guest (${cpus:-?} vCPU, 2 GiB, Debian's kernel; ${info#BENCH-SCALE-INFO }), scsi_debug"
	echo "(4 hosts x 256 LUNs, no delay) held in **scsi2** mode (RESERVE(10) every refresh; scsi_debug keeps"
	echo "no reservation state and answers GOOD), the default interval $interval s, lease $LEASE s (0: none)."
	echo "Per step: hold N one \`resfencectl hold\` at a time, a $WINDOW s window, \`status --json\`"
	echo "($REPS times), release all, then a $WINDOW s window with nothing held (the step's baseline)."
	echo "CPU: guest /proc/stat busy time (user+nice+system+irq+softirq+steal) in the held window minus"
	echo "the baseline window; per device per interval = that / N x $interval s. On a loaded host a"
	echo "TCG guest's CPU time also grows when the host slows it, so this is an upper bound."
	echo
	echo "| N | hold all | per hold | release all | per release | status --json | CPU held - base | per device per interval | Slab per device | MemAvailable per device |"
	echo "|---|---|---|---|---|---|---|---|---|---|"
	awk -F'\t' -v iv="$interval" '{
		n = $1; d = ($6 - $7) / 100
		printf "| %d | %.2f s | %.1f ms | %.2f s | %.1f ms | %.3f s | %.3f CPU (%.2f - %.2f %%) | %.1f us | %.2f KiB | %.2f KiB |\n",
			n, $2, $2 / n * 1000, $3, $3 / n * 1000, $4, d, $6, $7, d / n * iv * 1e6, $8 / n, $9 / n }' "$data"
	echo
	echo "| N | refreshes ok (all devices, by the status) | failed | worst lateness p50 / p99 / max over devices | last latency p50 / p99 / max | worst latency max |"
	echo "|---|---|---|---|---|---|"
	awk -F'\t' '{ printf "| %d | %d | %d | %s / %s / %s us | %s / %s / %s us | %s us |\n", $1, $10, $11, $12, $13, $14, $15, $16, $17, $18 }' "$data"
	echo
	echo "## Raw lines (N HOLD_S RELEASE_S STATUS_S WINDOW_S BUSY_HELD BUSY_BASE SLAB_KB MEMAVAIL_KB OK FAILED LATE_P50 LATE_P99 LATE_MAX LAT_P50 LAT_P99 LAT_MAX WLAT_MAX)"
	echo
	echo '```'
	cat "$data"
	echo '```'
	[ "$rc" -eq 0 ] || echo "The lab run FAILED (exit $rc): see $console; the figures above are partial."
} >"$report"
cat "$report"
exit "$rc"
