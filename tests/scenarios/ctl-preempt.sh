# resfencectl preempt: take the disk by force. pr: PREEMPT of the current
# holder's key by default, of --victim when given; the preempted hold (log
# mode here) sees its key gone and reports itself fenced. (PREEMPT AND ABORT,
# --abort, is not exercised here: on Debian 6.1 LIO behind tcm_loop it never
# completes, even from sg_persist with the nexus idle, and leaves the caller
# in D state. Its message encoding is covered by the unit tests.) scsi2: LUN reset, then reserve at once. Refusals: --victim
# in scsi2 mode, the own key as victim (2), an unregistered victim (1).
# lab-needs: module tool
# lab-timeout: 240
lio_shared_lun 16
load_resfence

expect_msg() {
	printf '%s\n' "$OUT" | grep -Eq -- "$1" || fail "expected /$1/ in: $OUT"
}
holder() {
	sg_persist --in --read-reservation "$DISK_B" 2>/dev/null | sed -n 's/.*Key=\(0x[0-9a-f]*\).*/\1/p'
}
wait_fenced() {
	n=300
	until resfencectl status "$1" --json | grep -q '"state": "fenced"'; do
		[ "$n" -gt 0 ] || fail "$1 not reported fenced after the preempt"
		sleep 0.1
		n=$((n - 1))
	done
}

# pr, default victim = the holder (A, refreshing, log mode).
expect_ok resfencectl hold "$DISK_A" --mode pr --key 0xa1 --interval 0.5 --action log
expect_ok resfencectl preempt "$DISK_B" --mode pr --key 0xb1 --action log
expect_msg '^preempted /dev/sdb \(sdb 8:16\): mode pr, key 0x00000000000000b1, .*, victim 0x00000000000000a1$'
[ "$(holder)" = 0xb1 ] || fail "B does not hold after preempt: $(holder)"
wait_fenced "$DISK_A"
expect_output_match '"state": "armed"' resfencectl status "$DISK_B" --json
expect_ok resfencectl release "$DISK_A"
expect_ok resfencectl release "$DISK_B"

# pr, explicit victim.
expect_ok resfencectl hold "$DISK_A" --mode pr --key 0xa2 --interval 0.5 --action log
expect_ok resfencectl preempt "$DISK_B" --mode pr --key 0xb2 --victim 0xa2 --action log
expect_msg 'victim 0x00000000000000a2$'
[ "$(holder)" = 0xb2 ] || fail "B does not hold after preempt --victim: $(holder)"
wait_fenced "$DISK_A"
expect_ok resfencectl release "$DISK_A"
expect_ok resfencectl release "$DISK_B"

# pr, nothing to preempt: hold.
expect_ok resfencectl preempt "$DISK_B" --mode pr --key 0xb3 --action log
expect_msg 'no reservation to preempt; holding'
[ "$(holder)" = 0xb3 ] || fail "B does not hold the free disk: $(holder)"
expect_ok resfencectl release "$DISK_B"

# Refusals.
expect_fail 2 resfencectl preempt "$DISK_B" --mode scsi2 --victim 0xa1
expect_msg '^resfencectl: preempt: --victim and --abort need --mode pr$'
expect_fail 2 resfencectl preempt "$DISK_B" --mode pr --key 0xb1 --victim 0xb1
expect_msg 'is this node.s own key'
expect_fail 1 resfencectl preempt "$DISK_B" --mode pr --key 0xb1 --victim 0xdead --action log
expect_msg 'preempt refused: the victim key is not registered'

# scsi2: A holds (re-reserving every 60 s: nothing re-reserves in between),
# B resets and reserves at once.
expect_ok resfencectl hold "$DISK_A" --mode scsi2 --allow-reset-window --interval 60 --lease 0 --action log
expect_ok resfencectl preempt "$DISK_B" --mode scsi2 --allow-reset-window --interval 60 --lease 0 --action log
expect_msg '^preempted /dev/sdb \(sdb 8:16\): mode scsi2'
expect_ok dd if=/dev/zero of=/tmp/block bs=512 count=1
sg_turs "$SG_A" >/dev/null 2>&1 || : # the reset's unit attention
expect_fail 24 sg_raw -s 512 -i /tmp/block "$SG_A" 2a 00 00 00 00 00 00 00 01 00
expect_ok resfencectl release "$DISK_B"
# A's module has not refreshed yet (60 s): its entry is still armed; release it.
expect_ok resfencectl release "$DISK_A"
expect_output_match '"held_count": 0' resfencectl status --json
unload_resfence
pass
