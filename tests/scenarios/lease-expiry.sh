# The lease: A's disk goes offline under a held reservation, so no refresh
# can succeed; once lease_ms has passed since the last good one the module
# applies the action (restart) although no conflict was ever seen.
# lab-needs: module tool
# lab-timeout: 180
lio_shared_lun 16
load_resfence
# A lease long enough that a stalled emulated guest does not expire it before
# the disk goes offline: the module must have refreshed at least once.
expect_ok resfencectl hold "$DISK_A" --mode pr --key 0xa1 --type we --interval 0.5 --lease 5 --action restart
n=600
until resfencectl status "$DISK_A" --json | grep -Eq '"refresh_ok": *[1-9]'; do
	[ "$n" -gt 0 ] || fail "no successful refresh while the disk was online"
	sleep 0.1
	n=$((n - 1))
done
expect_restart 'scsi_resfence: FENCED sda \(8:0\) key 0xa1: lease expired without a successful refresh: restarting now'
klog "lease-expiry: taking $DISK_A offline"
echo offline >/sys/block/sda/device/state
wait_restart 30
