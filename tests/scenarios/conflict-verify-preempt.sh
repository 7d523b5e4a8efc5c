# Issue 10, the other half: after a real preempt by the other node (nexus
# B), a conflict on an administrator's reservation command through nexus A
# is verified at once, the verification finds A's key gone, and the module
# restarts the guest with that reason (not the deadline's). The interval is
# 60 s and there is no lease: nothing but the verification can fence here.
# LIO leaves A a REGISTRATIONS PREEMPTED unit attention, which would make
# the module verify by itself; REQUEST SENSE takes it with GOOD status
# (the probe sees nothing), so the conflict below is what starts the check.
# lab-needs: module tool
# lab-timeout: 180
lio_shared_lun 16
load_resfence
expect_ok resfencectl hold "$DISK_A" --mode pr --key 0xa1 --type we --interval 60 --lease 0 --action restart
b_preempts 0xa1
expect_output_match 'Registrations preempted' sg_requests "$SG_A"
expect_output_match '"state": *"armed"' resfencectl status "$DISK_A" --json

expect_restart 'scsi_resfence: FENCED sda \(8:0\) key 0xa1: our key is no longer registered \(preempted\): restarting now'
klog "conflict-verify-preempt: a mistyped REGISTER through $DISK_A after the preempt"
sg_persist --out --register --param-rk=0x999 --param-sark=0x5 "$DISK_A" || :
wait_restart 30
