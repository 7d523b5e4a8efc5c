#!/bin/bash
# The anchor side by side (issue 15, part 3): the CPU that Debian's
# fence_scsi_check costs per check, run once a second as a child process the
# way the watchdog daemon runs it, against the CPU of resfence's in-kernel
# refresh per refresh (interval 1 s), on the same LUN in one lab guest,
# alternated with idle windows (tests/bench/anchor.guest.sh).
#     tests/bench/anchor.sh                         BENCH_ROUNDS=5 rounds, BENCH_WINDOW=20 s
#     BENCH_ROUNDS=10 BENCH_WINDOW=30 tests/bench/anchor.sh
# CPU is the host CPU time of the guest's QEMU (tests/bench/qemu-cpu.pl)
# between the window's markers, less the same round's idle window's CPU per
# second times the window's length: the emulated work, which the host's load
# does not stretch. A benchmark, not a test: make check does not run it. The
# report is build/bench/anchor.md (raw: anchor.tsv), printed at the end.
# Exit status 1 only if the run failed.
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD_DIR=${RESFENCE_BUILD:-$ROOT/build}
LOG_DIR=${RESFENCE_LOG_DIR:-$BUILD_DIR/test-logs}
OUT_DIR=$BUILD_DIR/bench
ROUNDS=${BENCH_ROUNDS:-5}
WINDOW=${BENCH_WINDOW:-20}
mkdir -p "$OUT_DIR"
data=$OUT_DIR/anchor.tsv
report=$OUT_DIR/anchor.md
guest=$OUT_DIR/anchor.sh
cpu=$OUT_DIR/anchor.cpu
# The anchor's window is ~2 s per check on a loaded host; 3 windows a round.
timeout=$((600 + ROUNDS * WINDOW * 8))
sed -e "s/^BENCH_ROUNDS=.*/BENCH_ROUNDS=$ROUNDS/" -e "s/^BENCH_WINDOW=.*/BENCH_WINDOW=$WINDOW/" \
	-e "s/^# lab-timeout:.*/# lab-timeout: $timeout/" "$ROOT/tests/bench/anchor.guest.sh" >"$guest"

started=$(date -u +%Y-%m-%dT%H:%M:%SZ)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
t0=$(date +%s)
rc=0
RESFENCE_MEM=${RESFENCE_MEM:-1024} "$ROOT/tests/vm/run-scenario.sh" "$guest" &
lab=$!
"$ROOT/tests/bench/qemu-cpu.pl" "$lab" "$cpu" &
sampler=$!
wait "$lab" || rc=$?
wait "$sampler" || :
secs=$(($(date +%s) - t0))
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
console=$LOG_DIR/anchor.console.ts.log
# One line per window: ROUND KIND SECONDS CPU_MS COUNT (host clock, QEMU CPU).
awk 'FNR == NR { t[++n] = $1; c[n] = $2; next }
	function cpu_at(x) {
		while (k < n && t[k + 1] <= x) k++
		if (k == 0) return c[1]
		if (k == n) return c[n]
		return c[k] + (c[k + 1] - c[k]) * (x - t[k]) / (t[k + 1] - t[k])
	}
	/\] BENCH-ANCHOR-START / { r = $(NF - 1) " " $NF; bt[r] = $1; bc[r] = cpu_at($1); next }
	/\] BENCH-ANCHOR-STOP / { r = $(NF - 2) " " $(NF - 1); et[r] = $1; ec[r] = cpu_at($1); if ($NF != "-") cnt[r] = $NF; next }
	/\] BENCH-ANCHOR-COUNT / { r = $(NF - 2) " " $(NF - 1); cnt[r] = $NF; next }
	END { for (r in et) if (r in bt) { split(r, f, " ")
		printf "%s\t%s\t%.3f\t%.3f\t%s\n", f[1], f[2], et[r] - bt[r], (ec[r] - bc[r]) / 1e6, cnt[r] } }' \
	"$cpu" "$console" | sort -n >"$data" || :
info=$(grep -a 'BENCH-ANCHOR-INFO' "$LOG_DIR/anchor.console.log" | head -n 1 || :)
cpus=$(echo "$info" | awk '{ print $3 }')

# Per round: CPU ms per refresh / per check, the idle rate subtracted.
per=$(awk -F'\t' '{ s[$1, $2] = $3; c[$1, $2] = $4; n[$1, $2] = $5; r[$1] = 1 }
	END { for (i in r) if ((i, "idle") in s && (i, "resfence") in s && (i, "anchor") in s) {
		idle = c[i, "idle"] / s[i, "idle"]
		fr = (c[i, "resfence"] - idle * s[i, "resfence"]) / n[i, "resfence"]
		fa = (c[i, "anchor"] - idle * s[i, "anchor"]) / n[i, "anchor"]
		printf "%s %.4f %.3f %.3f %.1f %d %d\n", i, idle, fr, fa, (fr > 0 ? fa / fr : -1), n[i, "resfence"], n[i, "anchor"] } }' "$data" | sort -n)
med() { awk -v k="$1" '{ print $k }' <<<"$per" | sort -g | awk '{ v[NR] = $1 } END { if (!NR) { print "-"; exit }
	print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
rng() { awk -v k="$1" '{ print $k }' <<<"$per" | sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END { print lo " .. " hi }'; }

{
	echo "# The anchor side by side: CPU per check, measured"
	echo
	echo "Run $started, $secs s, commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?'),"
	echo "host $(nproc) CPUs (load average $load_before at the start, $load_after at the end: the host is shared),"
	echo "$(qemu-system-x86_64 --version | head -n 1)."
	echo "Command: \`BENCH_ROUNDS=$ROUNDS BENCH_WINDOW=$WINDOW tests/bench/anchor.sh\`"
	echo
	echo "One QEMU TCG guest (${cpus:-?} vCPU, 1 GiB, Debian's kernel), one 16 MiB LIO fileio LUN through"
	echo "two tcm_loop nexuses. *anchor*: Debian's \`fence_scsi_check\` (fence-agents $(basename "$(ls -d "${RESFENCE_CACHE:-$HOME/.cache/resfence}"/fence-agents/*/ | tail -n 1)"),"
	echo "python3 $(python3.11 -c 'import platform; print(platform.python_version())' 2>/dev/null)) as a child once a second on nexus A (key 0xa1 registered); each check runs"
	echo "\`sg_turs\` and \`sg_persist -n -i -k\`. *resfence*: the module holding the LUN on nexus B (pr, type we,"
	echo "interval 1 s): READ KEYS, READ RESERVATION and a heartbeat REGISTER per refresh, in the kernel."
	echo "$ROUNDS rounds of three $WINDOW s windows (idle, resfence, anchor; the order rotates). CPU: QEMU's"
	echo "host CPU time between the window's markers minus that round's idle CPU per second times the"
	echo "window's length (the idle guest's timer ticks, the console)."
	echo
	echo "| | median over rounds | range |"
	echo "|---|---|---|"
	echo "| idle guest | $(med 2) ms CPU per s | $(rng 2) |"
	echo "| resfence: per refresh (1 device) | $(med 3) ms | $(rng 3) |"
	echo "| fence_scsi_check: per check (1 device) | $(med 4) ms | $(rng 4) |"
	echo "| ratio check / refresh | $(med 5) | $(rng 5) |"
	echo
	echo "## Per round (ROUND IDLE_MS_PER_S REFRESH_MS CHECK_MS RATIO REFRESHES CHECKS)"
	echo
	echo '```'
	echo "$per"
	echo '```'
	echo
	echo "## Every window (ROUND KIND SECONDS CPU_MS COUNT)"
	echo
	echo '```'
	cat "$data"
	echo '```'
	[ "$rc" -eq 0 ] || echo "The lab run FAILED (exit $rc): see $LOG_DIR/anchor.console.log; the figures above are partial."
} >"$report"
cat "$report"
exit "$rc"
