#!/bin/bash
# Measure what resfence costs on the I/O path (issue 15, part 1): fio 4 KiB
# random writes and reads at queue depth 1 and 32 in one lab guest (one TCG
# vCPU) on a LIO fileio LUN in the guest's RAM through tcm_loop, with
# scsi_resfence not loaded, loaded with nothing held, and holding the LUN
# in pr mode, the three alternated in every round (tests/bench/io-path.guest.sh).
#     tests/bench/io-path.sh                 BENCH_ROUNDS=12 rounds, BENCH_IOS=3000 I/Os per fio run
#     BENCH_ROUNDS=30 BENCH_IOS=5000 tests/bench/io-path.sh
# A benchmark, not a test: make check does not run it. Every figure is a
# ratio to "unloaded" taken within one round (the same minute of the host's
# load), then summarised over the rounds. Besides fio's own figures (wall
# clock: on a loaded host they swing with the host's scheduling), the host
# samples QEMU's CPU time (tests/bench/qemu-cpu.pl) and charges each fio run
# the CPU QEMU spent from its START marker to its figures line: host CPU per I/O, the
# emulated work, which the host's load does not stretch. The report is build/bench/io-path.md
# (raw runs: io-path.tsv, console: build/test-logs/io-path.console.log),
# printed at the end. Exit status 1 only if the run failed.
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD_DIR=${RESFENCE_BUILD:-$ROOT/build}
LOG_DIR=${RESFENCE_LOG_DIR:-$BUILD_DIR/test-logs}
OUT_DIR=$BUILD_DIR/bench
ROUNDS=${BENCH_ROUNDS:-12}
IOS=${BENCH_IOS:-3000}
mkdir -p "$OUT_DIR"
data=$OUT_DIR/io-path.tsv
report=$OUT_DIR/io-path.md
guest=$OUT_DIR/io-path.sh
cpu=$OUT_DIR/io-path.cpu
# Per round: 3 configurations x 4 fio runs, plus a hold and a module load;
# a loaded host gives the guest a sixth of a CPU.
timeout=$((600 + ROUNDS * (12 * IOS / 50 + 120)))
sed -e "s/^BENCH_ROUNDS=.*/BENCH_ROUNDS=$ROUNDS/" -e "s/^BENCH_IOS=.*/BENCH_IOS=$IOS/" \
	-e "s/^# lab-timeout:.*/# lab-timeout: $timeout/" "$ROOT/tests/bench/io-path.guest.sh" >"$guest"

started=$(date -u +%Y-%m-%dT%H:%M:%SZ)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
t0=$(date +%s)
rc=0
# 1 GiB: fio and its libraries (~85 MB) and the 64 MiB LUN live in the guest's RAM.
# The guest's clock counts instructions (vm.sh, RESFENCE_ICOUNT; "" for the
# host's wall clock): fio's figures then measure the emulated work, which
# the shared host's load does not stretch.
ICOUNT=${RESFENCE_ICOUNT-3}
RESFENCE_ICOUNT=$ICOUNT RESFENCE_MEM=${RESFENCE_MEM:-1024} "$ROOT/tests/vm/run-scenario.sh" "$guest" &
lab=$!
"$ROOT/tests/bench/qemu-cpu.pl" "$lab" "$cpu" &
sampler=$!
wait "$lab" || rc=$?
wait "$sampler" || :
secs=$(($(date +%s) - t0))
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
console=$LOG_DIR/io-path.console.log
# "BENCH-IO ROUND CONFIG JOB IOPS P50 P99 IOS", whole lines only, with the
# host CPU time of QEMU from its START marker to it, per I/O in microseconds
# (the sampled CPU time, interpolated at the lines' host timestamps).
awk 'FNR == NR { t[++n] = $1; c[n] = $2; next }
	function cpu_at(x,   i) {
		while (k < n && t[k + 1] <= x) k++
		if (k == 0) return c[1]
		if (k == n) return c[n]
		return c[k] + (c[k + 1] - c[k]) * (x - t[k]) / (t[k + 1] - t[k])
	}
	# "T [ 12.345678] BENCH-IO-START R C J" (a kernel line: the marker from /dev/kmsg)
	/\] BENCH-IO-START / { x = $1; sub(/.*BENCH-IO-START /, ""); b[$0] = cpu_at(x); next }
	$2 == "BENCH-IO" && NF == 9 && $4 ~ /^(unloaded|loaded|held)$/ && $9 ~ /^[0-9]+$/ && $9 > 0 && (($3 " " $4 " " $5) in b) {
		r = $3 " " $4 " " $5
		printf "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%.3f\n", $3, $4, $5, $6, $7, $8, $9, (cpu_at($1) - b[r]) / $9 / 1000
	}' "$cpu" "$LOG_DIR/io-path.console.ts.log" >"$data" || :
info=$(grep -a '^BENCH-IO-INFO' "$console" | head -n 1 || :)
cpus=$(echo "$info" | awk '{ print $3 }')

# ratios JOB CONFIG COLUMN: per round, CONFIG's value / unloaded's, one a line.
ratios() {
	awk -F'\t' -v j="$1" -v c="$2" -v k="$3" '$3 == j { v[$1, $2] = $k; r[$1] = 1 }
		END { for (i in r) if ((i, "unloaded") in v && (i, c) in v && v[i, "unloaded"] > 0)
			print v[i, c] / v[i, "unloaded"] }' "$data"
}
# summary: "n median q1 q3 lo hi" of values on stdin; lo..hi is the
# distribution-free ~95% confidence interval of the median (order statistics
# of the binomial(n, 1/2): ranks n/2 -+ 0.98 sqrt(n)).
summary() {
	sort -g | awk '{ v[NR] = $1 } END {
		n = NR; if (n == 0) { print "0 - - - - -"; exit }
		m = n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
		q1 = v[int((n + 3) / 4)]; q3 = v[n + 1 - int((n + 3) / 4)]
		d = 0.98 * sqrt(n); lo = int(n / 2 - d); hi = int(n / 2 + 1 + d + 0.999)
		if (lo < 1) lo = 1; if (hi > n) hi = n
		printf "%d %.4f %.4f %.4f %.4f %.4f\n", n, m, q1, q3, v[lo], v[hi] }'
}
# median JOB CONFIG COLUMN: the median of the raw values.
median() {
	awk -F'\t' -v j="$1" -v c="$2" -v k="$3" '$3 == j && $2 == c { print $k }' "$data" | summary | awk '{ print $2 }'
}

{
	echo "# The I/O path, measured"
	echo
	echo "Run $started, $secs s, commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?'),"
	echo "host $(nproc) CPUs (load average $load_before at the start, $load_after at the end: the host is shared),"
	echo "$(qemu-system-x86_64 --version | head -n 1), $(fio --version)."
	echo "Command: \`RESFENCE_ICOUNT=$ICOUNT BENCH_ROUNDS=$ROUNDS BENCH_IOS=$IOS tests/bench/io-path.sh\`"
	echo
	echo "One QEMU TCG guest (${cpus:-?} vCPU, 1 GiB, Debian's kernel), a 64 MiB LIO fileio LUN on"
	echo "the guest's RAM-backed root through tcm_loop; fio (libaio, O_DIRECT, 4 KiB, random offsets,"
	echo "$IOS I/Os per run) on it. $ROUNDS rounds; each round runs the three configurations one after"
	echo "the other (the six orders in turn), each with the four jobs. A ratio is taken within a"
	echo "round against that round's *unloaded* figure; the table gives the median of the rounds'"
	echo "ratios, the quartiles, and a ~95% confidence interval of the median (order statistics)."
	echo "p50/p99: fio's completion latency (clat) percentiles; a latency ratio above 1 is slower."
	if [ -n "$ICOUNT" ]; then
		echo "The guest's clock counts instructions (QEMU \`-icount shift=$ICOUNT,sleep=off\`: $((1 << ICOUNT)) ns each), so IOPS"
		echo "and latencies are in instructions executed, whatever the host's load; fio reports its runtime in"
		echo "whole milliseconds and its percentiles in histogram buckets, which bounds their resolution."
	else
		echo "IOPS, p50, p99 are the host's wall clock inside a TCG guest on a loaded host."
	fi
	echo "*host CPU per I/O*"
	echo "is QEMU's CPU time (all its threads, schedstat) from 0.3 s before fio's first I/O (its exec_prerun"
	echo "marker) to 0.3 s after fio exited (the guest idle at both), divided by the I/Os; fio's exit is in."

	echo
	echo "| job | figure | unloaded (median) | loaded / unloaded: median [95% CI] (IQR) | held / unloaded: median [95% CI] (IQR) |"
	echo "|---|---|---|---|---|"
	for job in randwrite-qd1 randread-qd1 randwrite-qd32 randread-qd32; do
		for col in 4:IOPS 5:p50 6:p99 8:host-CPU-per-I/O; do
			k=${col%%:*}
			base=$(median "$job" unloaded "$k")
			line="| $job | ${col#*:} | $base"
			case $k in 5 | 6) line="$line ns" ;; 8) line="$line us" ;; esac
			for cfg in loaded held; do
				read -r n m q1 q3 lo hi <<<"$(ratios "$job" "$cfg" "$k" | summary)"
				line="$line | $m [$lo, $hi] ($q1-$q3, n=$n)"
			done
			echo "$line |"
		done
	done
	echo
	echo "## Every run (ROUND CONFIG JOB IOPS P50_NS P99_NS IOS HOST_CPU_US_PER_IO)"
	echo
	echo '```'
	cat "$data"
	echo '```'
	[ "$rc" -eq 0 ] || echo "The lab run FAILED (exit $rc): see $console; the figures above are partial."
} >"$report"
cat "$report"
exit "$rc"
