# resfencectl across two machines: guests A and B on one LUN of the host's
# tgtd, each through QEMU's iSCSI initiator (tgt keeps registrations per
# iSCSI session, so A and B are distinct registrants).
# 1. keys from B shows A's key and reservation, text and JSON.
# 2. takeover from B while A's module refreshes: master alive (5); B leaves
#    no registration behind.
# 3. preempt --abort from B: tgt has no PREEMPT AND ABORT, so the module's
#    EOPNOTSUPP is "unsupported" (9), and A keeps the disk.
# 4. SCSI-2 on this lab: a LUN reset from a guest stays inside QEMU (the
#    guest sees the reset's unit attention, tgt keeps the reservation), so
#    takeover of a dead SCSI-2 master cannot break its reservation and must
#    fail safe: "master alive" (5), never a takeover; preempt likewise finds
#    the disk held elsewhere (4). (tests/scenarios/ctl-takeover-scsi2.sh
#    proves the takeover where the reset reaches the target: LIO; and
#    failover-scsi2-iscsi.host.sh on two guests through the kernel's own
#    iSCSI initiator, whose reset reaches tgtd.)
# lab-needs: module tool
# lab-timeout: 300

guest_start A B
guest_ok A 'load_resfence'
guest_ok B 'load_resfence'

# 1. A holds; B reads.
guest_ok A 'resfencectl hold $DISK --mode pr --key 0xa1 --type we --interval 0.5 --lease 1 --action log'
guest_run B 'resfencectl keys $DISK' >"$LAB_RUN/keys.txt" || host_fail "keys from B failed"
grep -Eq '^/dev/sd[a-z] \(8:[0-9]+\): PR generation [0-9]+, reserved by 0x00000000000000a1, type we \(write exclusive\)$' \
	"$LAB_RUN/keys.txt" || host_fail "keys from B: $(cat "$LAB_RUN/keys.txt")"
grep -q '^0x00000000000000a1  yes$' "$LAB_RUN/keys.txt" || host_fail "no holder row: $(cat "$LAB_RUN/keys.txt")"
guest_ok B 'resfencectl keys $DISK --json | grep -q "\"holder\": \"0x00000000000000a1\""'

# 2. Live master.
guest_run B 'resfencectl takeover $DISK --mode pr --key 0xb1 --interval 0.5 --lease 1 --action log' \
	>"$LAB_RUN/takeover.txt" && rc=0 || rc=$?
[ "$rc" -eq 5 ] || host_fail "takeover of a live master exited $rc: $(cat "$LAB_RUN/takeover.txt")"
grep -q 'waiting 2 s (max(2 x interval 0.5 s, lease 1 s) + margin 1 s)' "$LAB_RUN/takeover.txt" ||
	host_fail "no derived wait in: $(cat "$LAB_RUN/takeover.txt")"
grep -Eq 'master alive: PR generation moved from [0-9]+ to [0-9]+ during the wait$' "$LAB_RUN/takeover.txt" ||
	host_fail "no master-alive message in: $(cat "$LAB_RUN/takeover.txt")"
guest_run B 'resfencectl keys $DISK' | grep -q '0x00000000000000b1' &&
	host_fail "a refused takeover left B's key registered"
guest_ok A 'resfencectl status $DISK --json | grep -q "\"state\": \"armed\""'

# 3. PREEMPT AND ABORT is not in tgt.
rc=0
out=$(guest_run B 'resfencectl preempt $DISK --mode pr --key 0xb1 --abort --action log') || rc=$?
[ "$rc" -eq 9 ] || host_fail "preempt --abort on tgt exited $rc, expected 9: $out"
printf '%s\n' "$out" | grep -q 'device rejected PREEMPT AND ABORT (not implemented, or not for this type); plain PREEMPT may work' ||
	host_fail "preempt --abort on tgt did not name PREEMPT AND ABORT as what was refused: $out"
guest_ok B 'resfencectl keys $DISK --json | grep -q "\"holder\": \"0x00000000000000a1\""'
guest_ok A 'resfencectl status $DISK --json | grep -q "\"state\": \"armed\""'
guest_ok A 'resfencectl release $DISK'

# 4. A dead SCSI-2 master: RESERVE(6) from A, nothing renews it.
write9='dd if=/dev/zero bs=512 count=1 2>/dev/null | sg_raw -s 512 -i /dev/stdin $SG 2a 00 00 00 00 09 00 00 01 00'
guest_ok A 'sg_raw $SG 16 00 00 00 00 00'
guest_fails B 24 "$write9"
guest_ok B 'resfencectl reset $DISK'
guest_run B 'sg_turs $SG' >/dev/null || :
guest_fails B 24 "$write9"
guest_fails B 5 'resfencectl takeover $DISK --mode scsi2 --allow-reset-window --interval 0.5 --lease 0 --action log'
guest_fails B 4 'resfencectl preempt $DISK --mode scsi2 --allow-reset-window --interval 0.5 --lease 0 --action log'
guest_ok B 'resfencectl status --json | grep -q "\"held_count\": 0"'
guest_ok A 'sg_raw $SG 17 00 00 00 00 00'

# Free again: B holds it with SCSI-2 (tgt: the 6-byte commands) and releases.
guest_ok B 'resfencectl hold $DISK --mode scsi2 --allow-reset-window --interval 0.5 --lease 0 --action log | grep -q "mode scsi2, cdb 6,"'
guest_fails A 24 "$write9"
guest_ok B 'resfencectl release $DISK'
guest_ok A "$write9"
guest_ok A 'unload_resfence'
guest_ok B 'unload_resfence'
