# Issue 18, the soak: a lab session driven by tests/bench/soak.sh (not a
# test: make check never runs it). For BENCH_SOAK_SECS (default 1800) A
# holds the LUN (pr, interval 1 s, no lease, action restart) and writes; B
# runs `takeover` against A again and again. In about half the rounds A is
# frozen, at a random moment of the first 1.5 s of B's 3 s wait, for a random 0.3 to 6 s: a
# freeze that ends in time lets A refresh within the wait (B must find A
# alive: exit 5), a longer one lets B take over (A must be fenced when it is
# thawed, and none of its writes issued after B held the disk may land).
# One line per round to BENCH_DATA:
#   soak  ROUND  FREEZE_S  TAKEOVER_RC  A_FENCED  VERDICT  LATE_ISSUED  LATE_LANDED  A_WORST_LATENESS_US
#     FREEZE_S: 0 when A was not frozen. A_FENCED: 1 if A restarted with
#     its FENCED line. VERDICT: ok, false-fence (B found A alive, or A was
#     never frozen, yet A restarted or B took the disk), missed-fence (B
#     took over and A did not restart within 60 s of its thaw), or
#     late-write (a write of A's issued after B held the disk landed).
#     A_WORST_LATENESS_US: A's refresh worst lateness so far in its current
#     hold (its status), read before the round.
# lab-needs: module tool
# lab-timeout: 5400
. "$VM_DIR/../failover/lib.sh"
secs=${BENCH_SOAK_SECS:-1800}
data=${BENCH_DATA:?BENCH_DATA: where the results go}
fenced_re="scsi_resfence: FENCED .* key $FO_KEY_A: .*: restarting now"

# a_ready: A alive, holding, writing (after a fence: booted again).
a_ready() {
	fo_fresh_master A B
	fo_hold A "$FO_KEY_A" restart
	fo_writer_start A
	fo_wait_landed A 5
}
# worst_lateness: A's worst refresh lateness of this hold, in us.
worst_lateness() {
	guest_run A 'resfencectl status $DISK --json' 2>/dev/null |
		sed -n 's/.*"worst_lateness_us": *\([0-9]*\).*/\1/p' | head -n 1
}

guest_start A B
fo_load B
a_ready
end=$(($(date +%s) + secs))
round=0
while [ "$(date +%s)" -lt "$end" ]; do
	round=$((round + 1))
	_guest_alive A || a_ready
	lat=$(worst_lateness)
	freeze=0
	[ $((RANDOM % 2)) -eq 0 ] ||
		freeze=$(awk -v r="$RANDOM" 'BEGIN { printf "%.1f", 0.3 + 5.7 * r / 32768 }')
	out=$LAB_RUN/takeover.$round
	(
		rc=0
		guest_run B "$(fo_takeover_cmd "$FO_KEY_B" "round=$round")" >"$out" || rc=$?
		echo "$rc" >"$out.rc"
	) &
	tk=$!
	if [ "$freeze" != 0 ]; then
		# A random moment of the first 1.5 s of B's 3 s wait, then the freeze.
		sleep "$(awk -v r="$RANDOM" 'BEGIN { printf "%.2f", 1.5 * r / 32768 }')"
		guest_freeze A
		sleep "$freeze"
		t_thaw=$(host_now)
		guest_thaw A
	fi
	wait "$tk" || :
	rc=$(cat "$out.rc")
	t_held=
	[ "$rc" -ne 0 ] || t_held=$(fo_held_ts B "$FO_KEY_B")
	fenced=0 verdict=ok issued=0 landed=0
	if [ "$rc" -eq 0 ]; then
		# B holds the disk: A must restart (at once if it was thawed;
		# an A that was never frozen was alive: B took a live node's disk).
		[ "$freeze" != 0 ] || verdict=false-fence
		printf '%s\n' "$fenced_re" >"${G_DIR[A]}/expect-restart"
		if guest_wait_exit A 60; then
			grep -Eq -- "$fenced_re" "${G_LOGB[A]}.console.log" && fenced=1
		else
			verdict=missed-fence
			# Stop the round's survivor by hand so that the soak goes on.
			_monitor A quit >/dev/null
			guest_wait_exit A 30 || :
		fi
		fo_issued_after A "$t_held" | sort >"$LAB_RUN/late.$round"
		issued=$(wc -l <"$LAB_RUN/late.$round")
		landed=$(fo_landed A | sort | comm -12 - "$LAB_RUN/late.$round" | wc -l)
		[ "$landed" -eq 0 ] || verdict=late-write
		guest_ok B 'resfencectl release $DISK'
	elif [ "$rc" -eq 5 ]; then
		# A alive by B's check: it must still be alive and holding.
		sleep 1
		if ! _guest_alive A; then
			verdict=false-fence
			grep -Eq -- "$fenced_re" "${G_LOGB[A]}.console.log" && fenced=1
		fi
	else
		host_fail "round $round: B's takeover exited $rc: $(cat "$out")"
	fi
	printf 'soak\t%d\t%s\t%d\t%d\t%s\t%d\t%d\t%s\n' "$round" "$freeze" "$rc" "$fenced" "$verdict" \
		"$issued" "$landed" "${lat:--}" >>"$data"
	lab_log "round $round: freeze ${freeze}s, takeover exit $rc, A fenced $fenced, $verdict; $issued of A's writes issued after B held, $landed landed"
done
_guest_alive A && guest_run A 'resfencectl release $DISK' >/dev/null 2>&1 || :
