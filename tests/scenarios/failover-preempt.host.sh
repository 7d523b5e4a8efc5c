# Issue 6, scenario 4: the forced failover. A is alive and healthy, holding
# the LUN (pr, key 0xa1, interval 2 s, action restart) and idle; B runs
# `resfencectl preempt`. A restarts with the fence line naming its disk and
# key, and B holds the disk. The time from B's preempt completing (B's
# module's "holding ... (preempted)" line) to A's fence line is measured on
# the host's clock (both consoles carry host
# timestamps) and reported; the benchmark tests/bench/fence-latency.sh
# repeats this for the figures. No timing threshold here.
# lab-needs: module tool
# lab-timeout: 240
. "$VM_DIR/../failover/lib.sh"
FO_INTERVAL=2

guest_start A B
fo_load A B
fo_hold A "$FO_KEY_A" restart
dev=$(fo_dev A)

rc=0
out=$(guest_run B "$(fo_preempt_cmd "$FO_KEY_B" run=1)") || rc=$?
[ "$rc" -eq 0 ] || host_fail "B's preempt exited $rc: $out"
printf '%s\n' "$out" | grep -Eq '^preempted /dev/sd[a-z]+ \(sd[a-z]+ [0-9]+:[0-9]+\): mode pr, key 0x0*b1, type we, .*, victim 0x0*a1$' ||
	host_fail "B's preempt did not report taking the disk from 0xa1: $out"
guest_klog_wait B 'resfence-failover: B preempt exit 0 run=1$' 10 >/dev/null
t_preempt=$(fo_held_ts B "$FO_KEY_B")
fence_re="scsi_resfence: FENCED ${dev//[()]/.} key $FO_KEY_A: .*: restarting now"
guest_expect_restart A "$fence_re" 60 >/dev/null
t_fenced=$(fo_line_ts A "$fence_re")
[ -n "$t_fenced" ] || host_fail "A's fence line has no host timestamp"
lab_log "scenario 4: B's preempt done at $t_preempt, A fenced at $t_fenced: $(fo_sub "$t_fenced" "$t_preempt") s ($(grep -Eo 'FENCED .*' "$(fo_ts_log A)" | tail -n 1))"

holder=$(fo_holder B)
[ "$holder" = "$FO_KEY_B" ] || host_fail "after the preempt the holder is $holder, expected $FO_KEY_B"
guest_run B 'resfencectl keys $DISK' | grep -q '0x0*a1$' && host_fail "A's key is still registered after the preempt"
guest_ok B 'resfencectl status $DISK --json | grep -Eq "\"state\": *\"armed\""'
