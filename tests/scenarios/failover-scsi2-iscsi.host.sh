# Issue 6, scenario 5: the 2001 SCSI-2 flow itself, on two machines. Node A
# and node B log in to the host's tgtd with the kernel's own initiator
# (iscsi_tcp, iscsistart at boot), so a LUN reset travels to tgtd as an iSCSI
# task management request, and tgtd releases the SCSI-2 reservation (QEMU's
# initiator would answer the reset itself: failover-scsi2-lio.sh is the
# one-guest variant). tgt knows RESERVE(6)/RELEASE(6) only: the module falls
# back to them.
#  1. A holds with RESERVE (scsi2, interval 1 s, no lease, action restart)
#     and writes sequence-numbered blocks. B's write conflicts.
#  2. B resets the LUN: A's reservation is gone. A re-reserves (the reset's
#     unit attention on A's next command makes it re-reserve at once, the
#     refresh would within one interval) and B's writes conflict again.
#  3. B's takeover (LUN reset, wait max(2 x interval, lease) + 1 s = 3 s,
#     RESERVE) finds the master alive: exit 5; A is untouched.
#  4. A's guest is frozen (a hung master). B's takeover now succeeds and B
#     holds the disk.
#  5. B writes over A's region; A is thawed with its writes queued: A's first
#     command meets B's reservation and A restarts. None of the writes A
#     attempted after B's takeover reached the disk (tgtd's backing file).
# The times (reset -> A re-reserved, takeover, thaw -> fence) go to the host
# log; tests/bench/fence-latency.sh is where timings are judged.
# lab-needs: module tool
# lab-timeout: 300
. "$VM_DIR/../failover/lib.sh"

lab_initiator kernel
guest_start A B
fo_load A B
# The disk is on an iscsi_tcp host, not QEMU's virtio-scsi.
for n in A B; do
	guest_ok "$n" 'h=$(readlink -f /sys/class/block/${DISK#/dev/}/device); h=${h##*/}; grep -qx iscsi_tcp /sys/class/scsi_host/host${h%%:*}/proc_name'
done

# The guests' network is closed but for the portal: tgtd's real port on the
# host is not reachable through the user network's host address.
guest_fails A 1 "echo | nc -w 3 10.0.2.2 $TGT_PORT"

# B's probe write: WRITE(10) of one block at LBA 9 (outside A's region). A
# TEST UNIT READY first takes any unit attention a reset left for B.
write9='sg_turs $SG >/dev/null 2>&1; dd if=/dev/zero bs=512 count=1 2>/dev/null | sg_raw -s 512 -i /dev/stdin $SG 2a 00 00 00 00 09 00 00 01 00'

# reserved_again_count: A's "reserved again after a reset" lines so far.
reserved_again_count() {
	grep -c 'scsi_resfence: [a-z]*: reserved again after a reset' "$(fo_ts_log A)" || :
}

# wait_reserved_again N: A's N-th such line; prints its host timestamp.
wait_reserved_again() {
	local left=300
	while [ "$(reserved_again_count)" -lt "$1" ]; do
		[ "$left" -gt 0 ] || host_fail "A did not say it reserved again after reset $1 within 30 s"
		sleep 0.1
		left=$((left - 1))
	done
	fo_line_ts A 'scsi_resfence: [a-z]*: reserved again after a reset'
}

# 1. A holds and writes.
guest_ok A "resfencectl hold \$DISK --mode scsi2 --epoch-lba 8 --interval $FO_INTERVAL --lease 0 --action restart"
guest_ok A 'resfencectl status $DISK --json | grep -Eq "\"cdb_len\": *6[,}]?$"'
dev=$(fo_dev A)
fo_writer_start A
fo_wait_landed A 10
guest_fails B 24 "$write9"

# 2. B resets the LUN; A reserves again.
out=$(guest_run B 'resfencectl reset $DISK --level lun && klog "failover-scsi2-iscsi: B LUN reset done"') ||
	host_fail "B's LUN reset failed: $out"
t_reset=$(guest_klog_wait B 'failover-scsi2-iscsi: B LUN reset done$' 10)
t_again=$(wait_reserved_again 1)
guest_fails B 24 "$write9"
guest_ok A 'resfencectl status $DISK --json | grep -Eq "\"conflicts\": *0[,}]?$"'
lab_log "step 2: B's LUN reset done at $t_reset; A reserved again at $t_again ($(fo_sub "$t_again" "$t_reset") s later; interval $FO_INTERVAL s)"

# 3. A live master: B's takeover is refused.
rc=0
out=$(guest_run B "rc=0; resfencectl takeover \$DISK --mode scsi2 --epoch-lba 8 --interval $FO_INTERVAL --lease 0 --action restart || rc=\$?; klog \"failover-scsi2-iscsi: B takeover 1 exit \$rc\"; exit \$rc") || rc=$?
[ "$rc" -eq 5 ] || host_fail "B's takeover of a live master exited $rc, expected 5 (master alive): $out"
printf '%s\n' "$out" | grep -Eq 'LUN reset; waiting 3 s \(max\(2 x interval 1 s, lease off\) \+ margin 1 s\) for a live master to re-reserve' ||
	host_fail "B's takeover did not announce the documented 3 s wait: $out"
printf '%s\n' "$out" | grep -q 'master alive: it re-reserved the disk after the reset' ||
	host_fail "B's takeover did not say the master is alive: $out"
t_again2=$(wait_reserved_again 2)
guest_ok A 'resfencectl status $DISK --json | grep -Eq "\"state\": *\"armed\""'
guest_ok A 'resfencectl status $DISK --json | grep -Eq "\"conflicts\": *0[,}]?$"'
guest_fails B 8 'resfencectl status $DISK'
guest_fails B 24 "$write9"
lab_log "step 3: B's takeover found A alive (exit 5); A reserved again after B's reset at $t_again2"

# 4. A hangs: B's takeover succeeds.
fo_freeze A
t_freeze=$FO_T_FREEZE
t_start=$(host_now)
rc=0
out=$(guest_run B "rc=0; resfencectl takeover \$DISK --mode scsi2 --epoch-lba 8 --interval $FO_INTERVAL --lease 0 --action restart || rc=\$?; klog \"failover-scsi2-iscsi: B takeover 2 exit \$rc\"; exit \$rc") || rc=$?
[ "$rc" -eq 0 ] || host_fail "B's takeover of a frozen master exited $rc: $out"
printf '%s\n' "$out" | grep -Eq '^held /dev/sd[a-z]+ \(sd[a-z]+ [0-9]+:[0-9]+\): mode scsi2' ||
	host_fail "B's takeover did not report B's hold: $out"
t_taken=$(guest_klog_wait B 'failover-scsi2-iscsi: B takeover 2 exit 0$' 10)
awk -v a="$t_taken" -v b="$t_start" 'BEGIN { exit !(a - b >= 3) }' ||
	host_fail "B held the disk $(fo_sub "$t_taken" "$t_start") s after its takeover began, before the 3 s wait"
guest_ok B 'resfencectl status $DISK --json | grep -Eq "\"state\": *\"armed\""'
guest_ok B "$write9"
lab_log "step 4: A frozen at $t_freeze; B's takeover began $t_start, done at $t_taken ($(fo_sub "$t_taken" "$t_freeze") s after the freeze)"

# 5. B writes where A's writer was and goes next; A thawed, fenced, none of
# its late writes on the disk.
fo_stale_master A B "$FO_FROZEN_LAST" "scsi_resfence: FENCED ${dev//[()]/.} key 0x[0-9a-f]+: .*: restarting now" "step 5"
lab_log "step 5: A attempted $FO_ATTEMPTED write(s) after B's takeover (seq $(echo $(cat "$LAB_RUN/A-attempted"))), 0 landed; B's 32 blocks intact"
guest_ok B 'resfencectl status $DISK --json | grep -Eq "\"conflicts\": *0[,}]?$"'
guest_ok B 'resfencectl release $DISK'
