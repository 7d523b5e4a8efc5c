# Issue 6, scenario 6: the dry run. A holds the LUN with --action log
# (pr, key 0xa1) and follows the module's events with `resfencectl monitor`;
# B preempts. A logs that it would have fenced, the monitor sees the
# "preempted" event for A's disk, the hold reports "fenced", and A does not
# restart (the lab fails the run if it does). Every later write from A fails
# with RESERVATION CONFLICT, and none of them reaches the disk.
# On Debian's kernel only: two-guest scenarios run one at a time, and the
# debug kernel's pass over this one (about a minute of the CI budget) pays for
# issue 16's scenarios there; the dry run's module paths (a pr hold in log
# mode, the probe's conflict, the deferred event) run on the debug kernel in
# pr-preempt-log and ctl-monitor.
# lab-kernel: debian
# lab-needs: module tool
# lab-timeout: 240
. "$VM_DIR/../failover/lib.sh"

guest_start A B
fo_load A B
dev=$(fo_dev A)
disk_name=${dev%% *}
guest_ok A 'monitor_start /tmp/events --json'
fo_hold A "$FO_KEY_A" log

guest_ok B "$(fo_preempt_cmd "$FO_KEY_B" run=1)"
t_preempt=$(guest_klog_wait B 'resfence-failover: B preempt exit 0 run=1$' 10)
t_logged=$(guest_klog_wait A "scsi_resfence: would fence ${dev//[()]/.} key $FO_KEY_A: .* \(action log: not restarting\)" 30)
lab_log "scenario 6: B's preempt done at $t_preempt; A logged instead of restarting at $t_logged ($(fo_sub "$t_logged" "$t_preempt") s): $(grep -Eo 'would fence .*' "$(fo_ts_log A)" | head -n 1)"

guest_ok A "wait_line /tmp/events '\"event\": *\"preempted\"'"
event=$(guest_run A 'grep "\"event\": *\"preempted\"" /tmp/events | head -n 1')
printf '%s\n' "$event" | grep -q "\"name\": *\"$disk_name\"" || host_fail "the preempted event does not name $disk_name: $event"
printf '%s\n' "$event" | grep -q '"key": *"0x0*a1"' || host_fail "the preempted event does not carry key 0xa1: $event"
lab_log "A's monitor: $event"
guest_ok A 'resfencectl status $DISK --json | grep -Eq "\"state\": *\"fenced\""'

# Every later write from A: RESERVATION CONFLICT (sg_raw's exit 24) through
# SG_IO, an I/O error through the block layer; A is still up after each.
for s in 1 2 3 4 5; do
	guest_ok A "printf 'RESFENCE-BLOCK node=A seq=$s\n' | dd of=/tmp/a.blk bs=512 count=1 conv=sync 2>/dev/null"
	guest_fails A 24 "sg_raw -s 512 -i /tmp/a.blk \$SG 2a 00 00 00 $(printf '%02x %02x' $(((FO_BASE + s) >> 8)) $(((FO_BASE + s) & 255))) 00 00 01 00"
	guest_fails A 1 "dd if=/tmp/a.blk of=\$DISK bs=512 count=1 seek=$((FO_BASE + s)) oflag=direct 2>/dev/null"
done
guest_klog_wait A 'reservation conflict' 10 >/dev/null
[ -z "$(fo_landed A)" ] || host_fail "a write of A's reached the disk after the preempt: seq $(echo $(fo_landed A))"
guest_ok A 'resfencectl status $DISK --json | grep -Eq "\"conflicts\": *[1-9][0-9]*[,}]?$"'
# Two refresh intervals on, A is still running, still only logging.
sleep $((2 * FO_INTERVAL))
guest_ok A 'resfencectl status $DISK --json | grep -Eq "\"state\": *\"fenced\""'
holder=$(fo_holder B)
[ "$holder" = "$FO_KEY_B" ] || host_fail "the holder is $holder, expected $FO_KEY_B"
lab_log "scenario 6: A is up; its 10 writes after the preempt all failed (5 x sg_raw: reservation conflict, 5 x dd: I/O error); none landed"
guest_ok A 'resfencectl release $DISK'
