# The lease: A's disk goes offline under a held reservation, so no refresh
# can succeed; once lease_ms has passed since the last good one the module
# applies the action (restart) although no conflict was ever seen.
# lab-needs: module tool
# lab-timeout: 180
lio_shared_lun 16
load_resfence
expect_ok resfencectl hold "$DISK_A" --mode pr --key 0xa1 --type we --interval 0.5 --lease 1.5 --action restart
expect_restart 'scsi_resfence: FENCED sda \(8:0\) key 0xa1: lease expired without a successful refresh: restarting now'
klog "lease-expiry: taking $DISK_A offline"
echo offline >/sys/block/sda/device/state
wait_restart 30
