# Issue 10: an administrator's reservation command that conflicts on a held
# device is verified, not fenced on. Node A holds the LIO LUN through nexus
# A (pr, action restart, interval 60 s, no lease: only a verification can
# clear a conflict here, and a missing one would fence when its deadline
# fires). Each command below is sent by sg_persist/sg_raw through nexus A,
# conflicts by rule, and must leave A armed and writing; the module logs
# the verification, counts the conflict and sends a conflict-verify event
# naming the command. Then the same for a SCSI-2 hold, where LIO refuses
# every PERSISTENT RESERVE IN and OUT, the holder's own included.
# lab-needs: module tool
# lab-timeout: 300
lio_shared_lun 16
load_resfence
monitor_start /tmp/events --json
expect_ok dd if=/dev/urandom of=/tmp/block bs=4096 count=1

# wait_verified N: the Nth "still ours" line of the module.
wait_verified() {
	_n=300
	until [ "$(dmesg | grep -c 'scsi_resfence: sda: reservation verified after a conflict on .*: still ours')" -ge "$1" ]; do
		[ "$_n" -gt 0 ] || fail "no verification number $1 in the kernel log"
		sleep 0.1
		_n=$((_n - 1))
	done
}

# still_held N: armed, N conflicts verified, none fenced on; A still writes.
still_held() {
	expect_output_match '"state": *"armed"' resfencectl status "$DISK_A" --json
	out_match "\"verify_conflicts\": *$1[,}]?\$"
	out_match '"conflicts": *0[,}]?$'
	expect_ok dd if=/tmp/block of="$DISK_A" bs=4096 count=1 seek=3 oflag=direct
}

# conflicts N C CMD...: CMD must end in RESERVATION CONFLICT (sg3_utils'
# exit 24), be verified (the Nth verification of the run), and leave the
# hold as it was, with C such conflicts counted (the counter is the hold's).
conflicts() {
	_cvn=$1
	_cvc=$2
	shift 2
	klog "conflict-verify: $*"
	expect_fail 24 "$@"
	wait_verified "$_cvn"
	still_held "$_cvc"
}

expect_ok resfencectl hold "$DISK_A" --mode pr --key 0xa --type we --interval 60 --lease 0 --action restart
# The issue's typo: REGISTER with a reservation key that is not ours.
conflicts 1 1 sg_persist --out --register --param-rk=0x999 --param-sark=0x5 "$DISK_A"
# A RESERVE of another type (exclusive access) by the holder.
conflicts 2 2 sg_persist --out --reserve --param-rk=0xa --prout-type=3 "$DISK_A"
# A RELEASE with a wrong key.
conflicts 3 3 sg_persist --out --release --param-rk=0x999 --prout-type=1 "$DISK_A"
# Our key is still the one registered, and the reservation still ours.
expect_output_match '0xa$' sg_persist --in --read-keys "$DISK_A"
expect_output_match 'Key=0xa$' sg_persist --in --read-reservation "$DISK_A"
# SCSI-2 RESERVE(6) and RESERVE(10) from the persistent reservation holder:
# SPC-4 5.9.3 (LIO follows it) completes them GOOD and changes nothing, so
# nothing conflicts and nothing is counted. Conflicting SCSI-2 commands on
# a PR-held unit come from a nexus that is not the holder:
# conflict-verify-preempt.sh sends one after a real preempt.
expect_ok sg_raw "$SG_A" 16 00 00 00 00 00
expect_ok sg_raw "$SG_A" 56 00 00 00 00 00 00 00 00 00
still_held 3
wait_line /tmp/events '"event": *"conflict-verify".*PERSISTENT RESERVE OUT \(opcode 0x5f\)'
[ "$(grep -c '"event": *"conflict-verify"' /tmp/events)" -ge 3 ] ||
	fail "fewer than 3 conflict-verify events: $(cat /tmp/events)"
grep '"event": *"conflict-verify"' /tmp/events | grep -q '"name": *"sda"' ||
	fail "the conflict-verify event does not name sda: $(cat /tmp/events)"
expect_output_match 'VERIFIED-CONFLICTS' resfencectl status
expect_ok resfencectl release "$DISK_A"

# SCSI-2 hold: PERSISTENT RESERVE IN and OUT from the holder conflict
# (SPC-2 5.5.1); the verification is the refresh's RESERVE.
expect_ok resfencectl hold "$DISK_A" --mode scsi2 --allow-reset-window --interval 60 --lease 0 --action restart
conflicts 4 1 sg_persist --out --register --param-sark=0x5 "$DISK_A"
conflicts 5 2 sg_persist --in --read-keys "$DISK_A"
wait_line /tmp/events '"event": *"conflict-verify".*PERSISTENT RESERVE IN \(opcode 0x5e\)'
# Another node's write still conflicts: A holds the unit.
sg_turs "$SG_B" >/dev/null 2>&1 || :
expect_fail 24 sg_raw -s 512 -i /tmp/block "$SG_B" 2a 00 00 00 00 00 00 00 01 00
expect_ok resfencectl release "$DISK_A"
kill "$MON"
unload_resfence
pass
