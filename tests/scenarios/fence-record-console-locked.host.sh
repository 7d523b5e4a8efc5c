# Issue 14: the fence line can be lost, the record in pstore is not. Guest A
# (RAM backed by a file, ramoops with max_reason 3: emergency restarts kept)
# holds the LUN; a lab-only helper module (tests/vm/helpers/
# resfence_console_hold.c) takes console_lock() for a minute from a kernel
# thread, as a task printing to a slow console would; B preempts, and A
# fences while the lock is held: neither the FENCED line nor the record line
# reaches the console before the restart. A's next boot on the same RAM
# file: last-fence --json reports the fence (device, key, holder, reason)
# from pstore, and hold refuses with exit 11 until ack-fence.
# lab-needs: module tool
# lab-timeout: 480
# lab-pstore: ramoops
. "$VM_DIR/../failover/lib.sh"

hold_a="resfencectl hold \$DISK --mode pr --key $FO_KEY_A --type we --interval $FO_INTERVAL --lease 0 --action restart"
json_has() {
	printf '%s\n' "$1" | grep -Eq "^ *\"$2\": $3,?\$"
}

lab_helper_module resfence_console_hold
guest_start A B
fo_load A B
guest_ok A "$hold_a"
dev=$(fo_dev A)
disk=${dev%% *}
boot1=${G_LOGB[A]}.console.log

guest_ok A 'modprobe resfence_console_hold hold_ms=60000 &&
	for i in $(seq 100); do
		[ "$(cat /sys/module/resfence_console_hold/parameters/held)" = Y ] && exit 0
		sleep 0.1
	done; exit 1'
guest_ok B "$(fo_preempt_cmd "$FO_KEY_B")"
# Any last line: the fence's own lines are the ones that must be missing.
guest_expect_restart A '.' 90 >/dev/null
grep -q 'resfence_console_hold: holding the console lock' "$boot1" ||
	host_fail "the helper never said it takes the console lock"
if grep -Eq 'FENCED|FENCE-RECORD' "$boot1"; then
	host_fail "the fence reached the console although the console lock was held: $(grep -E 'FENCED|FENCE-RECORD' "$boot1")"
fi
lab_log "A restarted with no fence line on its console"

guest_start A
out=$(guest_run A 'resfencectl last-fence --json') || host_fail "last-fence failed: $out"
json_has "$out" last_restart_fenced true || host_fail "pstore did not keep the fence: $out"
json_has "$out" disk "\"$disk\"" || host_fail "last-fence: wrong disk: $out"
json_has "$out" key "\"$FO_KEY_A\"" || host_fail "last-fence: wrong key: $out"
json_has "$out" holder '"0xb1"' || host_fail "last-fence: wrong holder: $out"
json_has "$out" reason '"key-gone"' || host_fail "last-fence: wrong reason: $out"
lab_log "pstore kept: $(printf '%s\n' "$out" | sed -n 's/^ *"record": "\(.*\)",$/\1/p' | head -n 1)"
fo_load A
guest_ok B 'resfencectl release $DISK'
guest_fails A 11 "$hold_a"
guest_ok A 'resfencectl ack-fence $DISK'
guest_ok A "$hold_a"
guest_ok A 'resfencectl release $DISK'
