# The lease: A's disk goes offline under a held reservation, so no refresh
# can succeed; once lease_ms has passed since the last good one the module
# applies the action (restart) although no conflict was ever seen.
# lab-needs: module tool
# lab-timeout: 180
lio_shared_lun 16
load_resfence
# A lease long enough that a stalled emulated guest does not expire it before
# the disk goes offline: the module must have refreshed at least once. Not a
# whole number of intervals: the lease counts from the start of the last good
# refresh, so a lease on the refresh grid expires just as a refresh starts,
# fails at once on the offline disk and prints to the slow emulated console,
# and the fence's line, printed while that console is busy, can be cut off by
# the restart (it stays in the kernel's buffer, and in pstore where there is
# one; Documentation/timing.md). A quarter interval off the grid, the
# console is idle when the lease runs out.
expect_ok resfencectl hold "$DISK_A" --mode pr --key 0xa1 --type we --interval 0.5 --lease 5.25 --action restart
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
