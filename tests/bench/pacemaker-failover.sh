#!/bin/bash
# Benchmark (issue 12, part 3): the demo-pacemaker cluster's failover, N
# runs (default 3) of tests/failover/demo-pacemaker.host.sh, each a fresh
# pair of guests. Per run, from the scenario's PCMK-MEASURE line (host
# CLOCK_MONOTONIC stamps of the guests' console lines): A frozen -> B's
# module evicted A's key (fence_resfence off ran), A frozen -> Pacemaker's
# stonith history on B says "off of A successful" (polled every 0.2 s in B),
# and from there -> the writer's first block on B announced. Then the median
# and the worst of each. Not run by make check.
#   tests/bench/pacemaker-failover.sh [RUNS]
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
LOG_DIR=${RESFENCE_LOG_DIR:-${RESFENCE_BUILD:-$ROOT/build}/test-logs}
runs=${1:-3}
export RESFENCE_MEM=${RESFENCE_MEM:-1024}
out=$(mktemp "${TMPDIR:-/tmp}/resfence-pcmk-bench.XXXXXX")
trap 'rm -f "$out"' EXIT
echo "commit $(git -C "$ROOT" rev-parse --short HEAD), ${LAB_SMP:-1} vCPU per guest, ${RESFENCE_MEM} MiB, load at start: $(cut -d' ' -f1-3 /proc/loadavg)"
for i in $(seq 1 "$runs"); do
	"$ROOT/tests/vm/run-host-scenario.sh" "$ROOT/tests/failover/demo-pacemaker.host.sh" >/dev/null 2>&1 ||
		{ echo "run $i: FAIL (see $LOG_DIR/demo-pacemaker.host.log)"; exit 1; }
	line=$(grep -o 'PCMK-MEASURE .*' "$LOG_DIR/demo-pacemaker.host.log" | tail -n 1)
	echo "run $i: ${line#PCMK-MEASURE }"
	echo "${line#PCMK-MEASURE }" >>"$out"
done
echo "load at end: $(cut -d' ' -f1-3 /proc/loadavg)"
for k in freeze_to_evict freeze_to_fenced fenced_to_running; do
	sed -n "s/.*$k=\([0-9.]*\).*/\1/p" "$out" | sort -n |
		awk -v k="$k" '{ v[NR] = $1 } END { m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2;
			printf "%-18s median %.2f s, worst %.2f s (%d runs)\n", k, m, v[NR], NR }'
done
