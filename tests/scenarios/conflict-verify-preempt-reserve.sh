# Issue 10: as conflict-verify-preempt, with a SCSI-2 RESERVE(6) as the
# command. Nexus A is no longer registered and B's registration exists, so
# the RESERVE conflicts by rule (SPC-3 5.5.1); the verification finds A's
# key gone and the module restarts the guest.
# lab-needs: module tool
# lab-timeout: 180
lio_shared_lun 16
load_resfence
expect_ok resfencectl hold "$DISK_A" --mode pr --key 0xa1 --type we --interval 60 --lease 0 --action restart
b_preempts 0xa1
expect_output_match 'Registrations preempted' sg_requests "$SG_A"
expect_output_match '"state": *"armed"' resfencectl status "$DISK_A" --json

expect_restart 'scsi_resfence: FENCED sda \(8:0\) key 0xa1: our key is no longer registered \(preempted\): restarting now'
klog "conflict-verify-preempt-reserve: RESERVE(6) through $SG_A after the preempt"
sg_raw "$SG_A" 16 00 00 00 00 00 || :
wait_restart 30
