# Issue 11's measurement: fence latency of a multipath hold whose preempt
# is seen on a non-first path (verified, then fenced) next to a single-path
# hold, in ONE lab guest A with LIO through tcm_loop. A lab session driven
# by tests/bench/multipath-latency.sh (outside tests/scenarios/: make check
# never runs it); the guest side is tests/bench/multipath-latency.guest.sh,
# sent with each command. No second guest: run-host-scenario.sh is used for
# its boot-again after a restart (guest_start A); its tgtd LUN is attached
# to A but unused.
#
# Each run is one boot of A: mpl_setup map|single (A holds a map over two of
# its nexuses, first path failed in dm, or the bare disk of one nexus; pr,
# we-ro, interval 60 s, lease 0, action restart; A writing), then B (a third
# nexus in the same guest) preempts A's key with sg_persist and A restarts.
# Two ways, each for both holds:
#   writing   A writes on through the preempt: its next command meets LIO's
#             unit attention REGISTRATIONS PREEMPTED (which queues the
#             refresh at once), then, retried, the conflict
#   conflict  A's writer stopped over the preempt, the unit attentions
#             cleared with REQUEST SENSE, then the writer goes on: the
#             conflict is the first thing A sees (map: verified; single:
#             fenced at once)
# Round i runs the four boots, in an order that turns with i, so that host
# noise is shared. One line per boot to BENCH_DATA (TSV), times in seconds:
#
#   KIND  LOAD  RUN  T0_FENCED  T0_EXIT  SIGN_FENCED  SIGN  START_FENCED  DONE_FENCED  FENCED_EXIT  VERIFYING  REASON
#     T0            writing: LIO's "PREEMPT from Node" line (target_core_pr.c's
#                   pr_debug, turned on through dynamic debug): the target
#                   has applied B's PREEMPT, whose completion is on its way
#                   to B (A can fence before sg_persist has returned: the
#                   same kernel runs both); conflict: "mpl: A writes again"
#                   (just before SIGCONT: A's first write after the preempt)
#     T0_FENCED     T0 -> the module's "FENCED ... restarting now" line,
#                   printk timestamps (the guest's clock)
#     T0_EXIT       T0's host stamp -> QEMU exited (host CLOCK_MONOTONIC)
#     SIGN_FENCED   the first sign on A's side -> FENCED, printk: SIGN ua
#                   (the kernel's "Parameters changed" line of the unit
#                   attention, printed in the completion the module's probe
#                   saw) or conflict (the module's "reservation conflict ...
#                   verifying" line); "-" and SIGN "-" when the FENCED line
#                   is the first sign (single, conflict: fenced in the
#                   conflict's completion)
#     START_FENCED  "mpl: B preempt start" -> FENCED, printk
#     DONE_FENCED   "mpl: B preempt done" (sg_persist returned) -> FENCED,
#                   printk; "-" when A fenced first (writing, often)
#     FENCED_EXIT   FENCED line's host stamp -> QEMU exited
#     VERIFYING     yes if a "verifying" line came before the fence
#     REASON        the FENCED line's reason (the rest of the line)
# lab-needs: module tool
# lab-timeout: 5400
runs=${BENCH_RUNS:-10}
data=${BENCH_DATA:?BENCH_DATA: where the results go}
guest_lib=$(cat "$VM_DIR/../bench/multipath-latency.guest.sh")
fence_re='scsi_resfence: FENCED [a-z0-9-]+ \([0-9]+:[0-9]+\) key 0xa1: .*: restarting now'

# _mpl_times TSLOG RUN LOAD: printk times "start t0 done sign fenced",
# the sign's kind, host stamps "t0 fenced", "verifying" yes/no and the
# reason, "-" for what is absent.
_mpl_times() {
	awk -v run="$2" -v ld="$3" '
		function pk(s) { sub(/^[0-9.]+ \[ */, "", s); sub(/\].*/, "", s); return s }
		function d(v) { return v == "" ? "-" : v }
		!/^[0-9.]+ \[ *[0-9]+\.[0-9]+\] / { next }
		fe != "" { next }
		$0 ~ ("mpl: B preempt start run=" run "$") { st = pk($0); next }
		st == "" { next }
		$0 ~ ("mpl: B preempt done run=" run " ") { ap = pk($0) }
		ld == "writing" && /PREEMPT from Node/ && t0 == "" { t0 = pk($0); t0h = $1 }
		ld == "conflict" && $0 ~ ("mpl: A writes again run=" run "$") { t0 = pk($0); t0h = $1 }
		# A unit attention before A writes again (conflict) was cleared by
		# REQUEST SENSE: only signs after T0 count there.
		ld == "conflict" && t0 == "" { next }
		/: Parameters changed$/ && sg == "" { sg = pk($0); sk = "ua" }
		/reservation conflict on .* sent on this node: verifying/ {
			vf = "yes"
			if (sg == "") { sg = pk($0); sk = "conflict" }
		}
		/scsi_resfence: FENCED .*restarting now/ {
			fe = pk($0); feh = $1
			r = $0; sub(/.*key 0x[0-9a-f]+: /, "", r); sub(/: restarting now.*/, "", r)
		}
		END {
			printf "%s %s %s %s %s %s %s %s %s %s\n", d(st), d(t0), d(ap), d(sg), d(fe), d(sk),
				d(t0h), d(feh), (vf == "" ? "no" : vf), d(r)
		}' "$1"
}

# _mpl_sub A B: A - B, or "-" if either is.
_mpl_sub() {
	if [ "$1" = - ] || [ "$2" = - ]; then echo -; else awk -v a="$1" -v b="$2" 'BEGIN { printf "%.6f\n", a - b }'; fi
}

mpl_run() {
	local kind=$1 load=$2 i=$3 rc=0 out st t0 ap sg fe sk t0h feh vf reason t_exit ts
	guest_start A
	guest_ok A "$guest_lib
mpl_setup $kind"
	out=$(guest_run A "$guest_lib
mpl_preempt $i $load" 90 2>/dev/null) || rc=$?
	[ "$rc" -eq 255 ] || host_fail "$kind $load run $i: the preempt command answered ($rc): A did not restart: $out"
	guest_expect_restart A "$fence_re" 60 >/dev/null
	t_exit=$(guest_exit_time A)
	ts=${G_LOGB[A]}.console.ts.log
	read -r st t0 ap sg fe sk t0h feh vf reason <<<"$(_mpl_times "$ts" "$i" "$load")"
	[ "$fe" != - ] || host_fail "$kind $load run $i: no FENCED line after the preempt in $ts"
	[ "$t0" != - ] || host_fail "$kind $load run $i: no T0 line before the fence (see $ts)"
	if [ "$kind $load" = "map conflict" ] && [ "$sk" != conflict ]; then
		host_fail "map conflict run $i: the first sign was not the verified conflict ($sk)"
	fi
	if [ "$kind $load" = "single conflict" ] && [ "$sk" != - ]; then
		host_fail "single conflict run $i: a sign before the fence ($sk): the unit attention was not cleared?"
	fi
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$kind" "$load" "$i" \
		"$(_mpl_sub "$fe" "$t0")" "$(_mpl_sub "$t_exit" "$t0h")" "$(_mpl_sub "$fe" "$sg")" "$sk" \
		"$(_mpl_sub "$fe" "$st")" "$(_mpl_sub "$fe" "$ap")" "$(_mpl_sub "$t_exit" "$feh")" "$vf" "$reason" >>"$data"
	lab_log "$kind $load run $i: T0 -> FENCED $(_mpl_sub "$fe" "$t0") s (guest clock), -> QEMU exit $(_mpl_sub "$t_exit" "$t0h") s (host); first sign ($sk) -> FENCED $(_mpl_sub "$fe" "$sg") s; verifying line: $vf; $reason"
}

series=("map writing" "single writing" "map conflict" "single conflict")
for i in $(seq 1 "$runs"); do
	# Round i starts at series (i - 1) mod 4 and goes round.
	for k in 0 1 2 3; do
		s=${series[$(((i - 1 + k) % 4))]}
		mpl_run "${s% *}" "${s#* }" "$i"
	done
done
