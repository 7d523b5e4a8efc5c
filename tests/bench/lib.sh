# The host side shared by the benchmarks' drivers (tests/bench/NAME.sh):
# run the lab session tests/bench/NAME.host.sh once, then summarise the TSV
# it wrote, one line per run: KIND LOAD RUN COLUMNS... Sourced by bash.
#
#   bench_run NAME     run the session with BENCH_RUNS runs per series; sets
#                      data (the TSV), report (the .md to write), rc (the
#                      session's exit status), started, secs, load_before,
#                      load_after (host load averages), cpus (per guest),
#                      bench_header (the report's opening lines)
#   column KIND LOAD C one column of a series, a value a line
#   stats KIND LOAD C  "n median worst best" of a column
#   total KIND LOAD C  the sum of a column
#   tally KIND LOAD C  "N x value; ..." for each value seen in a column
#   count KIND LOAD C V  the runs whose column C is V

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD_DIR=${RESFENCE_BUILD:-$ROOT/build}
LOG_DIR=${RESFENCE_LOG_DIR:-$BUILD_DIR/test-logs}
OUT_DIR=$BUILD_DIR/bench
RUNS=${BENCH_RUNS:-10}

bench_run() {
	mkdir -p "$OUT_DIR"
	data=$OUT_DIR/$1.tsv
	report=$OUT_DIR/$1.md
	: >"$data"
	started=$(date -u +%Y-%m-%dT%H:%M:%SZ)
	load_before=$(cut -d' ' -f1-3 /proc/loadavg)
	local t0
	t0=$(date +%s)
	rc=0
	BENCH_RUNS=$RUNS BENCH_DATA=$data "$ROOT/tests/vm/run-host-scenario.sh" \
		"$ROOT/tests/bench/$1.host.sh" || rc=$?
	secs=$(($(date +%s) - t0))
	load_after=$(cut -d' ' -f1-3 /proc/loadavg)
	cpus=$(grep -ho 'Brought up [0-9]* nodes\?, [0-9]* CPUs\?' "$LOG_DIR/$1.A.console.log" 2>/dev/null |
		head -n 1 | sed 's/.*, //')
	bench_header="Run $started, $secs s, commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?'),
host $(nproc) CPUs (load average $load_before at the start, $load_after at the end: the host is shared),
$(qemu-system-x86_64 --version | head -n 1), $(tgtd --version 2>/dev/null | head -n 1 | sed 's/^/tgt /').
Command: \`BENCH_RUNS=$RUNS tests/bench/$1.sh\`"
}

column() {
	awk -F'\t' -v k="$1" -v l="$2" -v c="$3" '$1 == k && $2 == l { print $c }' "$data"
}

stats() {
	column "$@" | sort -g | awk '{ v[NR] = $1 } END {
		if (NR == 0) { print "0 - - -"; exit }
		m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		printf "%d %.3f %.3f %.3f\n", NR, m, v[NR], v[1] }'
}

total() {
	column "$@" | awk '{ s += $1 } END { print s + 0 }'
}

tally() {
	column "$@" | sort | uniq -c | awk '{ n = $1; $1 = ""; printf "%s%d x%s", sep, n, $0; sep = "; " }'
}

count() {
	column "$1" "$2" "$3" | grep -cx -- "$4" || :
}
