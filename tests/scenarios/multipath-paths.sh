# Issue 11: the paths of a held dm-multipath map change. One LIO LU,
# reached by node A through tcm_loop nexuses sda and (a second target
# port) sdc, and by node B through sdb. Checked: a third path of A that
# appears while the map is held is registered (our key three times) and
# armed during its scan, with a path-added event; added to the map
# (dmsetup load/suspend/resume, no multipathd) it carries writes without a
# conflict or a fence, and status lists it; then the map's first path is
# deleted: only that path is dropped (path-removed event, status shows it
# removed), the hold goes on (writes, the refresh through another path,
# past the lease); the deleted path comes back (host rescan) and is
# registered and armed again; release leaves no registration of our key.
# lab-needs: module tool
# lab-timeout: 420
# Unit serial: LIO gives an LU a VPD page 83 identity only with one.
LIO_SERIAL=11111111-aaaa-4000-8000-000000000001 lio_shared_lun 16
lio_path naa.50014050000000a2 "$INITIATOR_A"
DISK_A2=$PATH_BLK
load_resfence
expect_ok dd if=/dev/urandom of=/tmp/block bs=4096 count=1

# keys_a1 N: our key is registered N times (asked through B's nexus).
keys_a1() {
	expect_ok sg_persist --in --read-keys "$DISK_B"
	[ "$(printf '%s\n' "$OUT" | grep -c '^ *0xa1$')" -eq "$1" ] ||
		fail "key 0xa1 is not registered $1 times: $OUT"
}

# refresh_ok: the hold's good refreshes so far.
refresh_ok() {
	resfencectl status "$MAP" --json | sed -n 's/.*"refresh_ok": \([0-9]*\).*/\1/p'
}

mpath_create mpatha "$DISK_A" "$DISK_A2"
MAP=$MAP_DEV
monitor_start /tmp/events
expect_output_match "held /dev/mapper/mpatha" resfencectl hold /dev/mapper/mpatha --mode pr --key 0xa1 --type we-ro --interval 1 --lease 4 --action restart
keys_a1 2

# A third path of A appears while held: registered during its scan, armed.
lio_path naa.50014050000000a3 "$INITIATOR_A"
DISK_A3=$PATH_BLK
wait_klog "${MAP#/dev/}: new path .*: key 0xa1 registered, path 2 armed" 20
keys_a1 3
wait_line /tmp/events "path-added ${MAP#/dev/} .*path [^ ]+ added"
expect_output_match "^${DISK_A3#/dev/} +[0-9]+:[0-9]+ +armed$" resfencectl status "$MAP"
out_match "^${MAP#/dev/}: multipath, 3 paths$"
# Into the map (round-robin, one I/O per path in turn), as multipathd would.
_sz=$(cat "/sys/class/block/${DISK_A#/dev/}/size")
_tbl="0 $_sz multipath 0 0 1 1 round-robin 0 3 1"
for _p in "$DISK_A" "$DISK_A2" "$DISK_A3"; do
	_tbl="$_tbl $(cat "/sys/class/block/${_p#/dev/}/dev") 1"
done
expect_ok dmsetup load mpatha --table "$_tbl"
expect_ok dmsetup suspend mpatha
expect_ok dmsetup resume mpatha
expect_output_match "round-robin 0 3 1 .* $(cat "/sys/class/block/${DISK_A3#/dev/}/dev") 1 ?$" dmsetup table mpatha
# 100 writes, a third of them down the new path: all succeed, no conflict.
expect_ok dd if=/tmp/block of=/dev/mapper/mpatha bs=4096 count=100 oflag=direct
expect_output_match '"state": "armed"' resfencectl status "$MAP" --json
out_match '"conflicts": 0'
out_match '"verify_conflicts": 0'

# The map's first path goes away: only that path is dropped.
_hctl=$(ls "/sys/block/${DISK_A#/dev/}/device/scsi_device")
klog "multipath-paths: deleting ${DISK_A#/dev/} ($_hctl), path 0"
echo 1 >"/sys/block/${DISK_A#/dev/}/device/delete"
wait_klog "${MAP#/dev/}: path ${DISK_A#/dev/} removed; the hold goes on through the others" 20
wait_line /tmp/events "path-removed ${MAP#/dev/} .*path ${DISK_A#/dev/} removed"
expect_output_match "^${DISK_A#/dev/} +[0-9]+:[0-9]+ +removed$" resfencectl status "$MAP"
out_match "^${DISK_A3#/dev/} +[0-9]+:[0-9]+ +armed$"
expect_ok dd if=/tmp/block of=/dev/mapper/mpatha bs=4096 count=100 oflag=direct
# The target keeps the deleted nexus's registration: nothing can be sent
# through it any more.
keys_a1 3
# The refresh goes on through another path: five more good refreshes
# (past the 4 s lease; an expiry would have restarted the guest).
_want=$(($(refresh_ok) + 5))
_n=300
until [ "$(refresh_ok)" -ge "$_want" ]; do
	[ "$_n" -gt 0 ] || fail "refreshes stopped after the first path went away: $(resfencectl status "$MAP" --json)"
	sleep 0.1
	_n=$((_n - 1))
done
expect_output_match '"state": "armed"' resfencectl status "$MAP" --json
out_match '"conflicts": 0'
expect_ok dd if=/tmp/block of=/dev/mapper/mpatha bs=4096 count=10 oflag=direct
if grep -q 'device-removed\|lease-expired\|preempted' /tmp/events; then
	fail "the hold ended or fenced: $(cat /tmp/events)"
fi

# The deleted path comes back (a rescan of its host): a new scsi_device
# on the same nexus, registered again (it still was: REGISTER AND IGNORE)
# and armed as the hold's fourth path.
# (Wildcards: tcm_loop's max_lun is 0, it finds its LUNs by REPORT LUNS.)
echo "- - -" >"/sys/class/scsi_host/host${_hctl%%:*}/scan"
wait_klog "${MAP#/dev/}: new path .* \\($_hctl\\): key 0xa1 registered, path 3 armed" 20
keys_a1 3
expect_output_match "^${MAP#/dev/}: multipath, 4 paths$" resfencectl status "$MAP"

# Release goes through a path that is left and unregisters every path
# not removed: no registration of ours stays.
expect_ok resfencectl release /dev/mapper/mpatha
keys_a1 0
expect_output_match 'there are NO registered reservation keys' sg_persist --in --read-keys "$DISK_B"
