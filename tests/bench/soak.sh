#!/bin/bash
# Issue 18, the soak: B's takeover against A again and again for 30
# minutes, A frozen at random moments for random times shorter or longer
# than the takeover's wait (tests/bench/soak.host.sh has the rules).
#     tests/bench/soak.sh                     30 minutes
#     BENCH_SOAK_SECS=600 tests/bench/soak.sh
# A benchmark, not a test: make check does not run it. The report is
# build/bench/soak.md (raw rounds: soak.tsv); exit status 1 if the session
# failed or any round's verdict is not "ok".
set -eu
. "$(dirname "$0")/lib.sh"
export BENCH_SOAK_SECS=${BENCH_SOAK_SECS:-1800}
bench_run soak
bench_header=${bench_header/BENCH_RUNS=$RUNS/BENCH_SOAK_SECS=$BENCH_SOAK_SECS}
n() { awk -F'\t' -v c="$1" -v v="$2" '$c == v' "$data" | wc -l; }
{
	echo "# Soak: takeovers against a live, a briefly frozen and a long frozen master"
	echo
	echo "$bench_header"
	echo "Duration: $BENCH_SOAK_SECS s of rounds (BENCH_SOAK_SECS)."
	echo
	rounds=$(wc -l <"$data")
	live=$(n 3 0)
	taken=$(n 4 0)
	alive=$(n 4 5)
	echo "| rounds | A not frozen | B found A alive (exit 5) | B took over (exit 0) | A fenced | false fences | missed fences | late writes landed |"
	echo "|---|---|---|---|---|---|---|---|"
	echo "| $rounds | $live | $alive | $taken | $(n 5 1) | $(n 6 false-fence) | $(n 6 missed-fence) | $(awk -F'\t' '{ s += $8 } END { print s + 0 }' "$data") |"
	echo
	echo "Freeze length against the outcome (B's wait is 3 s: max(2 x interval 1 s, lease off) + margin 1 s):"
	echo
	echo "| freeze | rounds | B found A alive | B took over |"
	echo "|---|---|---|---|"
	awk -F'\t' '$3 != 0 { b = int($3); k = b "-" b + 1 " s"; r[k]++; if ($4 == 5) a[k]++; else t[k]++ }
		END { for (k in r) printf "| %s | %d | %d | %d |\n", k, r[k], a[k] + 0, t[k] + 0 }' "$data" | sort -t- -k1,1n
	echo
	echo "A's worst refresh lateness per hold, sampled before each round (us): $(awk -F'\t' '$9 != "-" { print $9 }' "$data" | sort -n | awk '{ v[NR] = $1 } END { if (NR) printf "median %d, max %d over %d samples", v[int((NR + 1) / 2)], v[NR], NR; else print "none" }')."
} >"$report"
cat "$report"
bad=$(awk -F'\t' '$6 != "ok"' "$data" | wc -l)
[ "$bad" -eq 0 ] || rc=1
exit "$rc"
