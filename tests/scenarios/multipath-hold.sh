# Issue 11: a dm-multipath map is held through every path. One LIO LU,
# reached by node A through two tcm_loop nexuses (sda and, from a second
# target port, sdc: A's two paths) and by node B through sdb; a second LU
# (sdd) for a map that is not one LU. Maps are built with dmsetup.
# Checked: what is refused is refused before any command reaches the disk
# (a bare path of a map, WE/EA/scsi2 on a map, a map over two LUs); a map
# held with we-ro registers the key through both paths, status lists them;
# writes through the map succeed; with the refresh's path offline the
# refresh goes on through the other one (no lease expiry); release leaves
# no registration; a path that lost its registration while the key stayed
# registered through the other is registered again, without a fence; a
# preempt by B seen first on the map's second path (the first failed in
# dm) is verified there and fences (action log: counted); a path that goes
# away is disarmed and the hold goes on through the other, where B's
# preempt restarts A. Node B reaches the LU through a map of its own too
# (sdb and sde): B takes a silent A's disk over through that map
# (resfencectl takeover: registered through both of B's paths), and at the
# end fences A through it with fence_resfence.
# lab-needs: module tool agent
# lab-timeout: 420
# Unit serials: LIO gives an LU a VPD page 83 identity only with one.
LIO_SERIAL=11111111-aaaa-4000-8000-000000000001 lio_shared_lun 16
lio_path naa.50014050000000a2 "$INITIATOR_A"
DISK_A2=$PATH_BLK
lio_path naa.50014050000000c1 "$INITIATOR_A" "$(lio_other_lu 16 22222222-bbbb-4000-8000-000000000002)"
DISK_C=$PATH_BLK
# B's second path, made before any hold: a path that appears while A holds
# the LU would be taken as one of A's (this lab runs both nodes' paths in
# one kernel).
lio_path naa.50014050000000b2 "$INITIATOR_B"
DISK_B2=$PATH_BLK
load_resfence
expect_ok dd if=/dev/urandom of=/tmp/block bs=4096 count=1

# no_keys: nothing registered on the shared LU (asked through B's nexus)
# nor on the other one.
no_keys() {
	expect_output_match 'there are NO registered reservation keys' sg_persist --in --read-keys "$DISK_B"
	expect_output_match 'there are NO registered reservation keys' sg_persist --in --read-keys "$DISK_C"
}

# A map over two different LUs: the module compares VPD page 83 and
# refuses before registering anything.
mpath_create mpathx "$DISK_A" "$DISK_C"
expect_fail 1 resfencectl hold /dev/mapper/mpathx --mode pr --key 0xa1 --type we-ro --interval 1 --lease 0
out_match 'the paths are not one LU'
wait_klog 'refusing a multipath hold of dm-[0-9]+: path sda is .* but path sdd is '
no_keys
expect_ok dmsetup remove mpathx

mpath_create mpatha "$DISK_A" "$DISK_A2"
MAP=$MAP_DEV
# A bare path of the map: refused, telling to hold the map.
expect_fail 3 resfencectl hold "$DISK_A2" --mode pr --key 0xa1 --type we-ro
out_match "is a path of multipath map mpatha \\(${MAP#/dev/}\\): hold the map, /dev/mapper/mpatha"
# Types that cannot work over several paths, and scsi2.
expect_fail 2 resfencectl hold /dev/mapper/mpatha --mode pr --key 0xa1 --type we
out_match 'type we lets only the reserving path write'
expect_fail 2 resfencectl hold /dev/mapper/mpatha --mode pr --key 0xa1 --type ea
out_match 'type ea lets only the reserving path write'
expect_fail 2 resfencectl hold /dev/mapper/mpatha --mode pr --key 0xa1
out_match 'type we \(the default\)'
expect_fail 2 resfencectl hold "$MAP" --mode scsi2 --epoch-lba 100
out_match 'scsi2 cannot be held through several paths'
no_keys

# The hold: our key through both paths, the reservation ours, both armed.
expect_output_match "held /dev/mapper/mpatha" resfencectl hold /dev/mapper/mpatha --mode pr --key 0xa1 --type we-ro --interval 1 --lease 4 --action restart
wait_klog "holding ${MAP#/dev/} \([0-9]+:[0-9]+\): multipath, 2 paths \(sda first\)"
expect_ok sg_persist --in --read-keys "$DISK_B"
[ "$(printf '%s\n' "$OUT" | grep -c '^ *0xa1$')" -eq 2 ] || fail "key 0xa1 is not registered twice"
expect_output_match 'Key=0xa1$' sg_persist --in --read-reservation "$DISK_B"
expect_output_match '^sda +8:0 +armed$' resfencectl status /dev/mapper/mpatha
out_match '^sdc +8:32 +armed$'
out_match "^${MAP#/dev/}: multipath, 2 paths$"
expect_output_match '"state": "armed"' resfencectl status "$MAP" --json
out_match '"name": "sdc"'
# keys on a map asks its first path.
expect_output_match '^0x0+a1 +yes$' resfencectl keys /dev/mapper/mpatha
# Writes through the map go down both paths.
expect_ok dd if=/tmp/block of=/dev/mapper/mpatha bs=4096 count=100 oflag=direct
expect_output_match '"conflicts": 0' resfencectl status "$MAP" --json

# A path that lost its registration (here: unregistered through its own
# nexus) conflicts while the key is still ours through sda (the refresh's
# path): verified, registered again, no fence, and the map writes on.
expect_ok sg_persist --out --register --param-rk=0xa1 --param-sark=0 "$DISK_A2"
expect_ok sg_persist --in --read-keys "$DISK_B"
[ "$(printf '%s\n' "$OUT" | grep -c '^ *0xa1$')" -eq 1 ] || fail "sdc's registration is not gone"
expect_fail 1 dd if=/tmp/block of="$DISK_A2" bs=4096 count=1 oflag=direct
wait_klog "${MAP#/dev/}: path sdc had lost its registration: registered again" 20
expect_ok sg_persist --in --read-keys "$DISK_B"
[ "$(printf '%s\n' "$OUT" | grep -c '^ *0xa1$')" -eq 2 ] || fail "key 0xa1 is not registered twice again"
expect_ok dd if=/tmp/block of=/dev/mapper/mpatha bs=4096 count=100 oflag=direct
expect_output_match '"state": "armed"' resfencectl status "$MAP" --json
out_match '"conflicts": 0'
out_match '"verify_conflicts": [1-9]'

# The refresh's path (sda) offline: the next refresh goes through sdc,
# and refreshes keep succeeding past the 4 s lease.
klog "multipath-hold: sda offline"
expect_ok dmsetup message mpatha 0 fail_path 8:0
echo offline >/sys/block/sda/device/state
wait_klog "${MAP#/dev/}: refreshing through path sdc now" 20
sleep 6
expect_output_match '^sda +8:0 +failed$' resfencectl status "$MAP"
expect_output_match '"state": "armed"' resfencectl status "$MAP" --json
echo running >/sys/block/sda/device/state
expect_ok dmsetup message mpatha 0 reinstate_path 8:0
expect_ok dd if=/tmp/block of="$MAP" bs=4096 count=10 oflag=direct

# The refresh's own path (sdc now) loses its registration: its heartbeat
# REGISTER conflicts; the refresh goes on through sda and registers sdc
# again, no fence.
expect_ok sg_persist --out --register --param-rk=0xa1 --param-sark=0 "$DISK_A2"
wait_klog "${MAP#/dev/}: path sdc: the refresh met a conflict: going on through another path" 20
_n=100
until sg_persist --in --read-keys "$DISK_B" | grep -c '^ *0xa1$' | grep -qx 2; do
	[ "$_n" -gt 0 ] || fail "sdc was not registered again"
	sleep 0.1
	_n=$((_n - 1))
done
expect_ok dd if=/tmp/block of=/dev/mapper/mpatha bs=4096 count=10 oflag=direct
expect_output_match '"state": "armed"' resfencectl status "$MAP" --json

# Release: no registration left on any path.
expect_ok resfencectl release /dev/mapper/mpatha
expect_output_match 'there are NO registered reservation keys' sg_persist --in --read-keys "$DISK_B"

# Held again, action log, refreshed once a minute: to B, a silent master.
# The map's first path failed in dm, so A's writes go down sdc only. B
# takes the LU over through its own map: the PR generation does not move
# in the wait, so B registers 0xb1 through both of its paths and preempts
# A's key. A's next write conflicts on sdc, is verified, and the
# verification finds the key gone (fenced, in log mode: counted).
expect_ok resfencectl hold /dev/mapper/mpatha --mode pr --key 0xa1 --type we-ro --interval 60 --lease 0 --action log
expect_ok dmsetup message mpatha 0 fail_path 8:0
mpath_create mpathb "$DISK_B" "$DISK_B2"
MAPB=$MAP_DEV
expect_output_match "takeover /dev/mapper/mpathb: master 0x0*a1 silent for .*; preempted" \
	resfencectl takeover /dev/mapper/mpathb --mode pr --key 0xb1 --type we-ro --interval 1 --lease 2 --action log
wait_klog "holding ${MAPB#/dev/} \([0-9]+:[0-9]+\): multipath, 2 paths \(sdb first\)"
expect_ok sg_persist --in --read-keys "$DISK_B"
[ "$(printf '%s\n' "$OUT" | grep -c '^ *0xb1$')" -eq 2 ] || fail "B's key 0xb1 is not registered through both of B's paths: $OUT"
case $OUT in *0xa1*) fail "A's key survived B's takeover: $OUT" ;; esac
expect_output_match '^sde +8:64 +armed$' resfencectl status /dev/mapper/mpathb
expect_fail 1 dd if=/tmp/block of=/dev/mapper/mpatha bs=4096 count=1 oflag=direct
wait_klog "${MAP#/dev/}: reservation conflict on .* \(opcode 0x2a\) sent on this node: verifying" 20
expect_output_match '"state": "fenced"' resfencectl status "$MAP" --json
out_match '"verify_conflicts": [1-9]'
expect_ok resfencectl release /dev/mapper/mpatha
# B's release unregisters both of B's paths.
expect_ok resfencectl release /dev/mapper/mpathb
no_keys

# The same with action restart, after sdc went away (its LUN unlinked at
# the target: the SCSI device is removed): that path is disarmed, the hold
# goes on through sda (reinstated in dm), and B's preempt seen there
# restarts A.
expect_ok resfencectl hold /dev/mapper/mpatha --mode pr --key 0xa1 --type we-ro --interval 60 --lease 0 --action restart
expect_ok dmsetup message mpatha 0 reinstate_path 8:0
rm /sys/kernel/config/target/loopback/naa.50014050000000a2/tpgt_1/lun/lun_0/lun0
wait_klog "${MAP#/dev/}: path sdc removed; the hold goes on through the others" 20
expect_output_match '^sdc +8:32 +removed$' resfencectl status "$MAP"
out_match '^sda +8:0 +armed$'
expect_ok dd if=/tmp/block of=/dev/mapper/mpatha bs=4096 count=10 oflag=direct
# Pacemaker's fence of A, run on B through B's map (this node is nodeB; A's
# key given as key=): B's key registered through both of B's paths, A's
# preempted, verified through a path.
expect_output_match 'mpathb: key 0x0*a1 removed by PREEMPT.*, verified' \
	fence_resfence -o off -n nodeA -k 0xa1 -d /dev/mapper/mpathb --pr-type we-ro --abort=0 --local-node nodeB
expect_restart "scsi_resfence: FENCED ${MAP#/dev/} \\([0-9]+:[0-9]+\\) key 0xa1: .*restarting now"
dd if=/tmp/block of=/dev/mapper/mpatha bs=4096 count=1 oflag=direct 2>/dev/null || :
wait_restart 30
