# The other node (nexus B) preempts A's persistent reservation; A's next
# write completes with RESERVATION CONFLICT (or a unit attention makes the
# module verify at once and find its key gone), and the module restarts the
# guest: QEMU exits, and the module's KERN_EMERG fence line is among the last
# kernel lines.
# lab-needs: module tool
# lab-timeout: 180
lio_shared_lun 16
load_resfence
# A long interval and no lease: what fences is the write, not the timer.
expect_ok resfencectl hold "$DISK_A" --mode pr --key 0xa1 --type we --interval 60 --lease 0 --action restart
b_preempts 0xa1

expect_restart 'scsi_resfence: FENCED sda \(8:0\) key 0xa1: .*restarting now'
klog "pr-preempt-restart: writing to $DISK_A after the preempt"
dd if=/dev/zero of="$DISK_A" bs=4096 count=1 oflag=direct 2>/dev/null || :
wait_restart 30
