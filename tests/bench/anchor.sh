#!/bin/bash
# The anchor side by side (issue 15, part 3): the CPU that Debian's
# fence_scsi_check costs per check, run once a second as a child process the
# way the watchdog daemon runs it, against the CPU of resfence's in-kernel
# refresh (interval 1 s), on the same N LUs in one lab guest, for each N of
# BENCH_DEVICES, alternated with idle windows (tests/bench/anchor.guest.sh).
#     tests/bench/anchor.sh           BENCH_DEVICES="1 4 16" BENCH_ROUNDS=3 BENCH_WINDOW=20
#     BENCH_DEVICES="1 8" BENCH_ROUNDS=5 BENCH_WINDOW=30 tests/bench/anchor.sh
# CPU is the host CPU time of the guest's QEMU (tests/bench/qemu-cpu.pl)
# between the window's markers, less the same round's (and N's) idle
# window's CPU per second times the window's length: the emulated work, which
# the host's load does not stretch. A benchmark, not a test: make check does
# not run it. The report is build/bench/anchor.md (raw: anchor.tsv), printed
# at the end. Exit status 1 only if the run failed.
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD_DIR=${RESFENCE_BUILD:-$ROOT/build}
LOG_DIR=${RESFENCE_LOG_DIR:-$BUILD_DIR/test-logs}
OUT_DIR=$BUILD_DIR/bench
ROUNDS=${BENCH_ROUNDS:-3}
WINDOW=${BENCH_WINDOW:-20}
DEVICES=${BENCH_DEVICES:-1 4 16}
for n in $DEVICES; do
	case $n in
	'' | *[!0-9]* | 0) echo "anchor.sh: BENCH_DEVICES='$DEVICES': device counts of 1 or more" >&2; exit 1 ;;
	esac
done
mkdir -p "$OUT_DIR"
data=$OUT_DIR/anchor.tsv
report=$OUT_DIR/anchor.md
guest=$OUT_DIR/anchor.sh
cpu=$OUT_DIR/anchor.cpu
# A check is ~2.5 s of wall clock on a loaded host plus ~0.3 s per device it
# reads; four windows a round and device count.
timeout=900
for n in $DEVICES; do timeout=$((timeout + ROUNDS * WINDOW * (10 + n))); done
sed -e "s/^BENCH_ROUNDS=.*/BENCH_ROUNDS=$ROUNDS/" -e "s/^BENCH_WINDOW=.*/BENCH_WINDOW=$WINDOW/" \
	-e "s/^BENCH_DEVICES=.*/BENCH_DEVICES=\"$DEVICES\"/" \
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
# One line per window: ROUND N KIND SECONDS CPU_MS COUNT (host clock, QEMU CPU).
awk 'FNR == NR { t[++n] = $1; c[n] = $2; next }
	function cpu_at(x) {
		while (k < n && t[k + 1] <= x) k++
		if (k == 0) return c[1]
		if (k == n) return c[n]
		return c[k] + (c[k + 1] - c[k]) * (x - t[k]) / (t[k + 1] - t[k])
	}
	/\] BENCH-ANCHOR-START / { r = $(NF - 2) " " $(NF - 1) " " $NF; bt[r] = $1; bc[r] = cpu_at($1); next }
	/\] BENCH-ANCHOR-STOP / { r = $(NF - 3) " " $(NF - 2) " " $(NF - 1); et[r] = $1; ec[r] = cpu_at($1); if ($NF != "-") cnt[r] = $NF; next }
	/\] BENCH-ANCHOR-COUNT / { r = $(NF - 3) " " $(NF - 2) " " $(NF - 1); cnt[r] = $NF; next }
	END { for (r in et) if (r in bt && r in cnt) { split(r, f, " ")
		printf "%s\t%s\t%s\t%.3f\t%.3f\t%s\n", f[1], f[2], f[3], et[r] - bt[r], (ec[r] - bc[r]) / 1e6, cnt[r] } }' \
	"$cpu" "$console" | sort -k1,1n -k2,2n -k3,3 >"$data" || :
info=$(grep -a 'BENCH-ANCHOR-INFO' "$LOG_DIR/anchor.console.log" | head -n 1 || :)
cpus=$(echo "$info" | awk '{ print $3 }')

# Per round and device count N, the idle rate subtracted: ROUND N IDLE_MS_PER_S
# REFRESH_ROUND_MS REFRESH_DEV_MS CHECK_MS CHECK_DEV_MS RATIO SCAN_MS
# SCAN_DEV_MS SCAN_RATIO REFRESHES CHECKS SCANS. A refresh round is one
# refresh of each of the N devices (refreshes / N of them in the window); the
# ratios are a check's CPU over a refresh round's, i.e. per device over per
# device. SCAN: the check with the key on the last device only ("-" for N = 1).
per=$(awk -F'\t' '{ s[$1, $2, $3] = $4; c[$1, $2, $3] = $5; m[$1, $2, $3] = $6; r[$1 " " $2] = 1 }
	function net(i, n, kind) { return c[i, n, kind] - idle * s[i, n, kind] }
	END { for (x in r) { split(x, f, " "); i = f[1]; n = f[2]
		if (!((i, n, "idle") in s && (i, n, "resfence") in s && (i, n, "anchor") in s)) continue
		if (m[i, n, "resfence"] <= 0 || m[i, n, "anchor"] <= 0) continue
		idle = c[i, n, "idle"] / s[i, n, "idle"]
		fd = net(i, n, "resfence") / m[i, n, "resfence"]
		fr = fd * n
		fa = net(i, n, "anchor") / m[i, n, "anchor"]
		sc = "-"; scd = "-"; scr = "-"; scn = "-"
		if ((i, n, "scan") in s && m[i, n, "scan"] > 0) {
			v = net(i, n, "scan") / m[i, n, "scan"]
			sc = sprintf("%.3f", v); scd = sprintf("%.3f", v / n)
			scr = sprintf("%.1f", fr > 0 ? v / fr : -1); scn = m[i, n, "scan"]
		}
		printf "%s %s %.4f %.3f %.3f %.3f %.3f %.1f %s %s %s %d %d %s\n", i, n, idle, fr, fd, fa, fa / n,
			(fr > 0 ? fa / fr : -1), sc, scd, scr, m[i, n, "resfence"], m[i, n, "anchor"], scn } }' "$data" |
	sort -k2,2n -k1,1n)
# col N K: column K of device count N's rounds, a value a line ("-" left out).
col() { awk -v n="$1" -v k="$2" '$2 == n && $k != "-" { print $k }' <<<"$per"; }
med() { col "$1" "$2" | sort -g | awk '{ v[NR] = $1 } END { if (!NR) { print "-"; exit }
	print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
rng() { col "$1" "$2" | sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END { if (NR) print lo " .. " hi; else print "-" }'; }
cell() { [ "$(med "$1" "$2")" = - ] && echo "-" || echo "$(med "$1" "$2") ($(rng "$1" "$2"))"; }
# grow N K: the median at N over the median at the first device count.
first=$(echo "$DEVICES" | awk '{ print $1 }')
grow() { awk -v a="$(med "$1" "$2")" -v b="$(med "$first" "$2")" 'BEGIN {
	if (a == "-" || b == "-" || b + 0 == 0) print "-"; else printf "%.2f", a / b }'; }

{
	echo "# The anchor side by side: CPU per check against CPU per refresh, N devices, measured"
	echo
	echo "Run $started, $secs s, commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?'),"
	echo "host $(nproc) CPUs (load average $load_before at the start, $load_after at the end: the host is shared),"
	echo "$(qemu-system-x86_64 --version | head -n 1)."
	echo "Command: \`BENCH_DEVICES=\"$DEVICES\" BENCH_ROUNDS=$ROUNDS BENCH_WINDOW=$WINDOW tests/bench/anchor.sh\`"
	echo
	echo "One QEMU TCG guest (${cpus:-?} vCPU, 1 GiB, Debian's kernel), $(echo "$DEVICES" | awk '{ m = 0; for (i = 1; i <= NF; i++) if ($i > m) m = $i; print m }') LIO fileio LUs of 16 MiB, each"
	echo "a LUN of the same two tcm_loop nexuses; for each N of \`$DEVICES\`, the first N of them."
	echo "*anchor*: Debian's \`fence_scsi_check\` (fence-agents $(basename "$(ls -d "${RESFENCE_CACHE:-$HOME/.cache/resfence}"/fence-agents/*/ | tail -n 1)"),"
	echo "python3 $(python3.11 -c 'import platform; print(platform.python_version())' 2>/dev/null)) as a child once a second on nexus A, its devices file"
	echo "listing the N devices and key 0xa1 registered on all of them; each check runs \`sg_turs\` and"
	echo "\`sg_persist -n -i -k\` on the first device, finds the key and passes (it reads further devices"
	echo "only while the key is missing). *scan* (N > 1): the same with 0xa1 registered on the last"
	echo "listed device only, so that each check reads all N. *resfence*: the module holding the N LUs"
	echo "on nexus B (pr, type we, interval 1 s): READ KEYS, READ RESERVATION and a heartbeat REGISTER"
	echo "per device per refresh, in the kernel; a refresh round is one refresh of each of the N."
	echo "$ROUNDS rounds; in each, for each N, windows of $WINDOW s (idle, resfence) or $WINDOW checks"
	echo "(anchor, scan), their order rotating. CPU: QEMU's host CPU time between the window's markers"
	echo "minus that round's (and N's) idle CPU per second times the window's length."
	echo
	echo "Median over rounds (range in brackets); ms of QEMU host CPU:"
	echo
	echo "| N | idle guest, ms per s | resfence: per refresh round | per device | fence_scsi_check: per check | per device | ratio check / refresh round | scan: per check | per device | ratio scan / refresh round |"
	echo "|---|---|---|---|---|---|---|---|---|---|"
	for n in $DEVICES; do
		echo "| $n | $(cell "$n" 3) | $(cell "$n" 4) | $(cell "$n" 5) | $(cell "$n" 6) | $(cell "$n" 7) | $(cell "$n" 8) | $(cell "$n" 9) | $(cell "$n" 10) | $(cell "$n" 11) |"
	done
	echo
	echo "Growth with N: each median over its median at N = $first (scan: over the check's at N = $first):"
	echo
	echo "| N | resfence per refresh round | resfence per device | check per check | check per device | scan per check | scan per device |"
	echo "|---|---|---|---|---|---|---|"
	for n in $DEVICES; do
		sg=$(awk -v a="$(med "$n" 9)" -v b="$(med "$first" 6)" 'BEGIN {
			if (a == "-" || b == "-" || b + 0 == 0) print "-"; else printf "%.2f", a / b }')
		sd=$(awk -v a="$(med "$n" 10)" -v b="$(med "$first" 7)" 'BEGIN {
			if (a == "-" || b == "-" || b + 0 == 0) print "-"; else printf "%.2f", a / b }')
		echo "| $n | $(grow "$n" 4) | $(grow "$n" 5) | $(grow "$n" 6) | $(grow "$n" 7) | $sg | $sd |"
	done
	echo
	echo "## Per round (ROUND N IDLE_MS_PER_S REFRESH_ROUND_MS REFRESH_DEV_MS CHECK_MS CHECK_DEV_MS RATIO SCAN_MS SCAN_DEV_MS SCAN_RATIO REFRESHES CHECKS SCANS)"
	echo
	echo '```'
	echo "$per"
	echo '```'
	echo
	echo "## Every window (ROUND N KIND SECONDS CPU_MS COUNT)"
	echo
	echo '```'
	cat "$data"
	echo '```'
	[ "$rc" -eq 0 ] || echo "The lab run FAILED (exit $rc): see $LOG_DIR/anchor.console.log; the figures above are partial."
} >"$report"
cat "$report"
exit "$rc"
