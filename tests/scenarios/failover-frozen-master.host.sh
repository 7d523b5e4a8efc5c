# Issue 6, scenarios 2 and 3: a hung master, then its stale writes.
# 2. A holds the LUN (pr, key 0xa1, action restart) and writes continuously;
#    A's guest is frozen (QEMU "stop": no CPU runs, its in-flight I/O is
#    drained first). B's takeover waits the documented max(2 x interval,
#    lease) + margin = 3 s, sees no heartbeat, preempts A's key and holds.
# 3. B writes its own blocks where A's writer would write next. A is thawed
#    with its writes still queued: its first command meets the new
#    reservation, and A restarts at once. On the disk afterwards (the host
#    reads tgtd's backing file): no block of A's that was not already there
#    while A was frozen (the snapshot taken after B's takeover), and every
#    block of B's intact. The count of writes A attempted after the takeover
#    (issued after B's takeover completed on the host's clock, plus the one
#    queued when A froze) is reported; the count that landed must be 0.
# lab-needs: module tool
# lab-timeout: 240
. "$VM_DIR/../failover/lib.sh"

guest_start A B
fo_load A B
fo_hold A "$FO_KEY_A" restart
fo_writer_start A
fo_wait_landed A 20
dev=$(fo_dev A)

# 2. The hung master.
fo_freeze A
t_freeze=$FO_T_FREEZE
t_start=$(host_now)
rc=0
out=$(guest_run B "$(fo_takeover_cmd "$FO_KEY_B")") || rc=$?
[ "$rc" -eq 0 ] || host_fail "B's takeover of a frozen master exited $rc: $out"
guest_klog_wait B 'resfence-failover: B takeover exit 0$' 10 >/dev/null
t_taken=$(fo_held_ts B "$FO_KEY_B")
printf '%s\n' "$out" | grep -Eq 'held by 0x0*a1, PR generation [0-9]+; waiting 3 s \(max\(2 x interval 1 s, lease off\) \+ margin 1 s\)' ||
	host_fail "B's takeover did not announce the documented 3 s wait for 0xa1: $out"
printf '%s\n' "$out" | grep -Eq 'master 0x0*a1 silent for 3 s; preempted' ||
	host_fail "B's takeover did not preempt the silent master: $out"
printf '%s\n' "$out" | grep -Eq '^held /dev/sd[a-z]+ \(sd[a-z]+ [0-9]+:[0-9]+\): mode pr, key 0x0*b1, type we' ||
	host_fail "B's takeover did not report B's hold: $out"
# The tool must not have taken the disk before its documented wait.
awk -v a="$t_taken" -v b="$t_start" 'BEGIN { exit !(a - b >= 3) }' ||
	host_fail "B held the disk $(fo_sub "$t_taken" "$t_start") s after its takeover began, before the 3 s wait"
holder=$(fo_holder B)
[ "$holder" = "$FO_KEY_B" ] || host_fail "after the takeover the holder is $holder, expected $FO_KEY_B"
guest_run B 'resfencectl keys $DISK' | grep -q '0x0*a1$' && host_fail "A's key is still registered after the takeover"
guest_ok B 'resfencectl status $DISK --json | grep -Eq "\"state\": *\"armed\""'
lab_log "scenario 2: A frozen at $t_freeze; B's takeover began $t_start, B held the disk at $t_taken ($(fo_sub "$t_taken" "$t_freeze") s after the freeze)"

# 3. B writes where A's writers were and go next; A thawed, fenced, none of
# its late writes on the disk (fo_stale_master).
fo_stale_master A B "$FO_FROZEN_LAST" "scsi_resfence: FENCED ${dev//[()]/.} key $FO_KEY_A: .*: restarting now" "scenario 3"
after=$(fo_issued_after A "$t_taken" | wc -l)
lab_log "scenario 3: A attempted $FO_ATTEMPTED write(s) after B's takeover ($after issued after it on the host clock, $((FO_ATTEMPTED - after)) queued when A froze; seq $(echo $(cat "$LAB_RUN/A-attempted"))), 0 landed; $(wc -l <"$LAB_RUN/A-before") of A's blocks from before the freeze, B's 32 blocks intact"
holder=$(fo_holder B)
[ "$holder" = "$FO_KEY_B" ] || host_fail "after A's restart the holder is $holder, expected $FO_KEY_B"
guest_ok B 'resfencectl status $DISK --json | grep -Eq "\"conflicts\": *0[,}]?$"'
