# Issue 14: why was this node fenced, from evidence that survives the
# restart, and no rejoining until someone says so. Guest A's RAM is a file
# that its next boot reuses, with ramoops in a memmap= reserved region of it
# (lab-pstore; max_reason 4 keeps emergency restarts and also plain reboots,
# so that the reboot at the end leaves a dump that must not be read as a
# fence).
# Boot 1: pstore holds nothing yet; A holds (pr, key 0xa1, restart), B
# preempts, A fences: the record line and the FENCED line on the console,
# QEMU exits through -no-reboot.
# Boot 2, same RAM file: last-fence --json reports boot 1's fence (device,
# dev_t, VPD 83 identity, key, holder 0xb1 as the refresh last saw it,
# reason key-gone, action restart); hold refuses with exit 11
# (fence-unacknowledged) naming when, which disk and why, before touching
# the disk; ack-fence; with B released, hold proceeds.
# Then a plain `reboot -f`. Boot 3: pstore holds the reboot's dump, and
# last-fence says the last restart was not a fence; hold is not refused.
# lab-needs: module tool
# lab-timeout: 600
# lab-pstore: ramoops 4
. "$VM_DIR/../failover/lib.sh"

hold_a="resfencectl hold \$DISK --mode pr --key $FO_KEY_A --type we --interval $FO_INTERVAL --lease 0 --action restart"

# json_has OUTPUT FIELD VALUE: OUTPUT (pretty JSON) has "FIELD": VALUE.
json_has() {
	printf '%s\n' "$1" | grep -Eq "^ *\"$2\": $3,?\$"
}

guest_start A B
guest_ok A '[ "$(cat /sys/module/pstore/parameters/backend)" = ramoops ]'
out=$(guest_run A 'resfencectl last-fence --json') || host_fail "last-fence on a fresh RAM file failed: $out"
json_has "$out" last_restart_fenced false || host_fail "a first boot reported a fence: $out"

fo_load A B
# Set up to keep fence records: status has no warning about it.
guest_ok A 'resfencectl status >/dev/null 2>/tmp/status.err; ! grep "fence records:" /tmp/status.err'
guest_ok A "$hold_a"
dev=$(fo_dev A)
disk=${dev%% *}
devt=${dev#* (}
devt=${devt%)}
wwid=$(guest_run A 'cat /sys/block/${DISK#/dev/}/device/wwid' | tr ' ' '_')
[ -n "$wwid" ] || host_fail "A's disk has no wwid (VPD page 83)"
boot1=${G_LOGB[A]}.console.log

guest_ok B "$(fo_preempt_cmd "$FO_KEY_B")"
fence_re="scsi_resfence: FENCED ${dev//[()]/.} key $FO_KEY_A: .*: restarting now"
guest_expect_restart A "$fence_re" 60 >/dev/null
record=$(grep -Eo 'FENCE-RECORD v1 .*' "$boot1" | tail -n 1)
printf '%s\n' "$record" | grep -Eq "^FENCE-RECORD v1 disk=$disk devt=$devt id=$wwid mode=pr key=$FO_KEY_A holder=0xb1 generation=[0-9]+ reason=key-gone action=restart time=[0-9]+\.[0-9]{9}\$" ||
	host_fail "boot 1's console has no fence record of the expected form: '$record'"
lab_log "boot 1 fenced: $record"

guest_start A
out=$(guest_run A 'resfencectl last-fence --json') || host_fail "last-fence after the fence failed: $out"
json_has "$out" last_restart_fenced true || host_fail "last-fence did not report boot 1's fence: $out"
json_has "$out" disk "\"$disk\"" || host_fail "last-fence: wrong disk: $out"
json_has "$out" devt "\"$devt\"" || host_fail "last-fence: wrong dev_t: $out"
json_has "$out" id "\"$wwid\"" || host_fail "last-fence: wrong identity: $out"
json_has "$out" key "\"$FO_KEY_A\"" || host_fail "last-fence: wrong key: $out"
json_has "$out" holder '"0xb1"' || host_fail "last-fence: wrong holder: $out"
json_has "$out" reason '"key-gone"' || host_fail "last-fence: wrong reason: $out"
json_has "$out" action '"restart"' || host_fail "last-fence: wrong action: $out"
json_has "$out" acknowledged false || host_fail "last-fence: the fence is acknowledged already: $out"
json_has "$out" record "\"$record\"" || host_fail "last-fence: the record differs from the console's: $out"
# Kept under the state directory, gone from pstore (as systemd-pstore does).
guest_ok A 'ls /var/lib/resfence/fences/*.dump && ! grep -l FENCE-RECORD /sys/fs/pstore/* 2>/dev/null'
text=$(guest_run A 'resfencectl last-fence')
printf '%s\n' "$text" | grep -q '^The last restart was a fence' || host_fail "last-fence text: $text"

fo_load A
rc=0
refusal=$(guest_run A "$hold_a 2>&1") || rc=$?
[ "$rc" -eq 11 ] || host_fail "hold after the fence: expected exit 11 (fence-unacknowledged), got $rc: $refusal"
when=$(printf '%s\n' "$out" | sed -n 's/^ *"time": "\(.*\)",$/\1/p' | head -n 1)
printf '%s\n' "$refusal" | grep -F "resfencectl: hold: /dev/$disk: this node was fenced from this disk at $when ($disk $devt, $wwid): our key is no longer registered (preempted)" >/dev/null ||
	host_fail "the refusal does not name when, which disk and why: $refusal"
# Refused before anything reached the disk: still B's, and A's key absent.
[ "$(fo_holder A)" = "$FO_KEY_B" ] || host_fail "the refused hold changed the holder"
guest_run A 'resfencectl keys $DISK' | grep -q '0x0*a1$' && host_fail "the refused hold registered A's key"
guest_fails A 11 "resfencectl takeover \$DISK --mode pr --key $FO_KEY_A --type we --interval $FO_INTERVAL --lease 0"

out=$(guest_run A 'resfencectl ack-fence $DISK') || host_fail "ack-fence failed: $out"
printf '%s\n' "$out" | grep -q "^acknowledged the fence of $when ($disk: our key is no longer registered (preempted))\$" ||
	host_fail "ack-fence said: $out"
guest_ok B 'resfencectl release $DISK'
guest_ok A "$hold_a"
[ "$(fo_holder A)" = "$FO_KEY_A" ] || host_fail "after ack-fence, A's hold did not take the disk"
guest_ok A 'resfencectl release $DISK'
out=$(guest_run A 'resfencectl last-fence --json')
json_has "$out" acknowledged true || host_fail "last-fence does not show the acknowledgement: $out"

# A restart that is not a fence.
guest_bg A 'sleep 1; reboot -f'
guest_expect_restart A 'reboot: Restarting system' 60 >/dev/null
guest_start A
guest_ok A 'ls /sys/fs/pstore/dmesg-ramoops-*'
out=$(guest_run A 'resfencectl last-fence --json') || host_fail "last-fence after a reboot failed: $out"
json_has "$out" last_restart_fenced false || host_fail "a plain reboot was reported as a fence: $out"
json_has "$out" fence null || host_fail "a plain reboot came with a fence: $out"
fo_load A
guest_ok A "$hold_a"
guest_ok A 'resfencectl release $DISK'
