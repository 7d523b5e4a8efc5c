#!/bin/bash
# Measure the probe's own cost per completion (issue 15, part 1): the
# lab-only module tests/bench/probe-cost/ drives the probes attached to
# scsi:scsi_dispatch_cmd_done the way the tracepoint's iterator does,
# millions of times, on a fake command, in one lab guest (one TCG vCPU),
# with only its own empty probe attached (nothing held) and with
# scsi_resfence's probe attached too (a LIO LUN held in pr mode), a GOOD
# completion and a CHECK CONDITION one on a device nobody holds, the three
# alternated in every round (tests/bench/probe-cost.guest.sh).
#     tests/bench/probe-cost.sh                   Debian's kernel, BENCH_ROUNDS=10,
#                                                 BENCH_CALLS=4000000, BENCH_REPS=5
#     BENCH_KERNEL=debug tests/bench/probe-cost.sh   the debug kernel (KASAN, lockdep, ...);
#                                                 BENCH_CALLS=500000 there by default
#     RESFENCE_ICOUNT=0 tests/bench/probe-cost.sh    the guest's clock counts instructions
# A benchmark, not a test: make check does not run it. The module is built
# here against the lab's kernel (scripts/kdir.sh, or the debug kernel's
# tree) in build/bench/probe-cost/KERNEL/ and only ever loaded in the guest.
# The report is build/bench/probe-cost.md (probe-cost.debug.md for the debug
# kernel; raw lines: the .tsv beside it), printed at the end. Exit status 1
# only if the run failed.
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD_DIR=${RESFENCE_BUILD:-$ROOT/build}
LOG_DIR=${RESFENCE_LOG_DIR:-$BUILD_DIR/test-logs}
OUT_DIR=$BUILD_DIR/bench
KERNEL=${BENCH_KERNEL:-debian}
ROUNDS=${BENCH_ROUNDS:-10}
CALLS=${BENCH_CALLS:-}
REPS=${BENCH_REPS:-5}
ICOUNT=${RESFENCE_ICOUNT:-}
case $KERNEL in
debian)
	kdir=$("$ROOT/scripts/kdir.sh")
	console=$LOG_DIR/probe-cost.console.log
	suffix=
	CALLS=${CALLS:-4000000}
	us_per_call=1
	;;
debug)
	kdir=$("$ROOT/tests/vm/debug-kernel/build.sh")/linux
	console=${DEBUG_LOG_DIR:-$LOG_DIR/debug-kernel}/probe-cost.console.log
	suffix=.debug
	# A CHECK CONDITION call takes microseconds there (lockdep's RCU).
	CALLS=${CALLS:-500000}
	us_per_call=10
	;;
*)
	echo "probe-cost: BENCH_KERNEL must be debian or debug, not '$KERNEL'" >&2
	exit 2
	;;
esac
mkdir -p "$OUT_DIR"
data=$OUT_DIR/probe-cost$suffix.tsv
report=$OUT_DIR/probe-cost$suffix.md
guest=$OUT_DIR/probe-cost.sh

# The module, against the kernel the guest boots.
mod=$OUT_DIR/probe-cost/$KERNEL
mkdir -p "$mod"
cp "$ROOT/tests/bench/probe-cost/Kbuild" "$ROOT/tests/bench/probe-cost/"*.c "$mod/"
nice -n 19 make -s -C "$kdir" M="$mod" -j2 modules >&2 || {
	echo "probe-cost: building the module against $kdir failed" >&2
	exit 1
}
ko=$mod/resfence_probe_cost.ko

# Allow a microsecond per call (TCG on a loaded host; ten on the debug
# kernel, where a CHECK CONDITION call took 4.6), plus the boot.
timeout=$((600 + ROUNDS * 3 * REPS * CALLS * us_per_call / 1000000))
sed -e "s/^BENCH_ROUNDS=.*/BENCH_ROUNDS=$ROUNDS/" -e "s/^BENCH_CALLS=.*/BENCH_CALLS=$CALLS/" \
	-e "s/^BENCH_REPS=.*/BENCH_REPS=$REPS/" \
	-e "s/^# lab-timeout:.*/# lab-timeout: $timeout/" "$ROOT/tests/bench/probe-cost.guest.sh" >"$guest"

started=$(date -u +%Y-%m-%dT%H:%M:%SZ)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
commit=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')
t0=$(date +%s)
rc=0
rm -f "$console"
if [ "$KERNEL" = debug ]; then
	RESFENCE_ICOUNT=$ICOUNT DEBUG_EXTRA_KO=$ko "$ROOT/tests/vm/debug-kernel/run-scenario.sh" "$guest" || rc=$?
else
	RESFENCE_ICOUNT=$ICOUNT RESFENCE_EXTRA_KO=$ko "$ROOT/tests/vm/run-scenario.sh" "$guest" || rc=$?
fi
secs=$(($(date +%s) - t0))
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
# "BENCH-PROBE ROUND CONFIG PROBES STATUS CALLS REPS MEDIAN MIN MAX PS...",
# whole lines only.
awk -v reps="$REPS" '$1 == "BENCH-PROBE" && NF == 10 + reps && $3 ~ /^(empty|held|cc)$/ {
	$1 = ""; sub(/^ /, ""); gsub(/ /, "\t"); print }' "$console" >"$data" 2>/dev/null || :
info=$(grep -a '^BENCH-PROBE-INFO' "$console" 2>/dev/null | head -n 1 || :)
cpus=$(echo "$info" | awk '{ print $3 }')
krel=$(echo "$info" | awk '{ print $5 }')

# summary: "n median q1 q3 min max" of the values on stdin.
summary() {
	sort -g | awk '{ v[NR] = $1 } END {
		n = NR; if (n == 0) { print "0 - - - - -"; exit }
		m = n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
		q1 = v[int((n + 3) / 4)]; q3 = v[n + 1 - int((n + 3) / 4)]
		printf "%d %.3f %.3f %.3f %.3f %.3f\n", n, m, q1, q3, v[1], v[n] }'
}
# per CONFIG: each round's median, in ns.
per() {
	awk -F'\t' -v c="$1" '$2 == c { print $7 / 1000 }' "$data"
}
# diff CONFIG: per round, CONFIG's median minus empty's, in ns.
diff_ns() {
	awk -F'\t' -v c="$1" '{ v[$1, $2] = $7; r[$1] = 1 }
		END { for (i in r) if ((i, "empty") in v && (i, c) in v)
			print (v[i, c] - v[i, "empty"]) / 1000 }' "$data"
}
# ratio CONFIG: per round, CONFIG's median / empty's.
ratio() {
	awk -F'\t' -v c="$1" '{ v[$1, $2] = $7; r[$1] = 1 }
		END { for (i in r) if ((i, "empty") in v && (i, c) in v && v[i, "empty"] > 0)
			print v[i, c] / v[i, "empty"] }' "$data"
}
# spread CONFIG: per run, (max - min) / median of its repetitions, in %.
spread() {
	awk -F'\t' -v c="$1" '$2 == c && $7 > 0 { print ($9 - $8) / $7 * 100 }' "$data"
}

{
	echo "# The probe's own cost per completion, measured"
	echo
	echo "Run $started, $secs s, commit $commit,"
	echo "host $(nproc) CPUs (load average $load_before at the start, $load_after at the end: the host is shared),"
	echo "$(qemu-system-x86_64 --version | head -n 1)."
	echo "Command: \`${ICOUNT:+RESFENCE_ICOUNT=$ICOUNT }BENCH_KERNEL=$KERNEL BENCH_ROUNDS=$ROUNDS BENCH_CALLS=$CALLS BENCH_REPS=$REPS tests/bench/probe-cost.sh\`"
	echo
	echo "One QEMU TCG guest (${cpus:-?} vCPU, kernel ${krel:-?}). The lab-only module"
	echo "\`resfence_probe_cost\` (tests/bench/probe-cost/) calls the probes attached to"
	echo "\`scsi:scsi_dispatch_cmd_done\` as the tracepoint's iterator does (\`__traceiter_*\`: read"
	echo "\`tp->funcs\`, call each probe, under \`preempt_disable_notrace()\` as \`__DO_TRACE\`), $CALLS"
	echo "times per repetition on a fake \`struct scsi_cmnd\`, $REPS repetitions a run (ktime over the"
	echo "loop; the run's figure is their median), $ROUNDS rounds, the three configurations in every"
	echo "round (the six orders in turn): *empty* (nothing held: only the module's empty probe),"
	echo "*held* (a LIO LUN held in pr mode, no lease: scsi_resfence's probe and the empty one; GOOD), *cc* (held,"
	echo "the fake command completes CHECK CONDITION on a device nobody holds: the RCU lookup misses)."
	echo "*held - empty* is the resfence probe's cost per GOOD completion: one more indirect call"
	echo "through the iterator and its compare."
	if [ -n "$ICOUNT" ]; then
		echo "The guest's clock counts instructions (QEMU \`-icount shift=$ICOUNT,sleep=off\`: $((1 << ICOUNT)) ns each):"
		echo "the figures are instructions executed, whatever the host's load."
	else
		echo "The figures are the host's wall clock inside a TCG guest: emulated, several times a real CPU's time."
	fi
	echo
	echo "| configuration | ns per call: median of the rounds [IQR] (min-max, n) | spread of a run's repetitions (max-min)/median: median (max) |"
	echo "|---|---|---|"
	for cfg in empty held cc; do
		read -r n m q1 q3 lo hi <<<"$(per "$cfg" | summary)"
		read -r _ sm _ _ _ shi <<<"$(spread "$cfg" | summary)"
		echo "| $cfg | $m [$q1-$q3] ($lo-$hi, n=$n) | $sm % ($shi %) |"
	done
	echo
	echo "| per round | difference, ns per call: median [IQR] (min-max, n) | ratio to empty: median [IQR] (min-max) |"
	echo "|---|---|---|"
	for cfg in held cc; do
		read -r n m q1 q3 lo hi <<<"$(diff_ns "$cfg" | summary)"
		read -r _ rm rq1 rq3 rlo rhi <<<"$(ratio "$cfg" | summary)"
		echo "| $cfg - empty | $m [$q1-$q3] ($lo-$hi, n=$n) | $rm [$rq1-$rq3] ($rlo-$rhi) |"
	done
	echo
	echo "## Every run (ROUND CONFIG PROBES STATUS CALLS REPS MEDIAN_PS MIN_PS MAX_PS PS...)"
	echo
	echo '```'
	cat "$data"
	echo '```'
	[ "$rc" -eq 0 ] || echo "The lab run FAILED (exit $rc): see $console; the figures above are partial."
} >"$report"
cat "$report"
[ "$rc" -eq 0 ] || exit 1
