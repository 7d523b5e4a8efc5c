# The two-guest lab's controls: a frozen guest (QEMU stopped from its
# monitor, the "hung master") answers nothing but keeps its SCSI-2
# reservation, and works again when thawed; a guest restart (the same
# emergency_restart() a fence calls, via sysrq 'b') is seen by the host with
# the kernel line before it, while the other guest runs on untouched; the
# restarted guest boots again and rejoins the LUN.
# lab-timeout: 240

guest_start A B
write9='dd if=/dev/zero bs=512 count=1 2>/dev/null | sg_raw -s 512 -i /dev/stdin $SG 2a 00 00 00 00 09 00 00 01 00'

guest_ok A 'sg_raw $SG 16 00 00 00 00 00'
guest_freeze A
rc=0
guest_run A true 3 >/dev/null || rc=$?
[ "$rc" -eq 255 ] || host_fail "frozen guest A answered (exit $rc)"
guest_fails B 24 "$write9"
guest_thaw A
guest_ok A 'sg_raw $SG 17 00 00 00 00 00'
guest_ok B "$write9"

guest_bg B 'sleep 1; printf "<0>resfence-lab: fence line stand-in\n" >/dev/kmsg; echo b >/proc/sysrq-trigger'
at=$(guest_expect_restart B 'resfence-lab: fence line stand-in' 60)
lab_log "B restarted at host time $at"
guest_ok A "$write9"
guest_start B
guest_ok B "$write9"
