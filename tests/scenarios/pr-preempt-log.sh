# log mode (dry run): the same preempt from nexus B and write through A as in
# pr-preempt-restart, but the guest keeps running; the module logs that it
# would have fenced, counts the conflict, reports the device fenced and sends
# a "preempted" event. Release and unload still work afterwards.
# lab-needs: module tool
# lab-timeout: 180
lio_shared_lun 16
load_resfence
monitor_start /tmp/events --json

expect_ok resfencectl hold "$DISK_A" --mode pr --key 0xa1 --type we --interval 60 --lease 0 --action log
b_preempts 0xa1
klog "pr-preempt-log: writing to $DISK_A after the preempt"
# The write itself must fail: the target refuses it, log mode only spares
# the node.
_run dd if=/dev/zero of="$DISK_A" bs=4096 count=1 oflag=direct
[ "$RC" -ne 0 ] || fail "a write through the preempted nexus succeeded"
wait_klog 'scsi_resfence: would fence sda \(8:0\) key 0xa1: .* \(action log: not restarting\)'
expect_output_match '"state": *"fenced"' resfencectl status "$DISK_A" --json
# SG_IO from any tool is seen too: a WRITE(10) through A's sg node conflicts
# (sg_raw's exit 24) and is counted, without a second report.
expect_ok dd if=/dev/zero of=/tmp/block bs=512 count=1
expect_fail 24 sg_raw -s 512 -i /tmp/block "$SG_A" 2a 00 00 00 00 00 00 00 01 00
expect_output_match '"conflicts": *([2-9]|[1-9][0-9]+)[,}]?$' resfencectl status "$DISK_A" --json
wait_line /tmp/events '"event": *"preempted"'
grep '"event": *"preempted"' /tmp/events | grep -q '"name": *"sda"' ||
	fail "the preempted event does not name sda: $(cat /tmp/events)"

expect_ok resfencectl release "$DISK_A"
kill "$MON"
unload_resfence
pass
