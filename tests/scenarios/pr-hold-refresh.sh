# A persistent-reservation hold is acquired through nexus A, its in-kernel
# refresh is seen at the target from nexus B (the PR generation advances with
# every REGISTER heartbeat, the reservation stays A's), and a release leaves
# the LUN with neither reservation nor registration, after which the module
# unloads (it refused to while the device was held).
# lab-needs: module tool
# lab-timeout: 240
lio_shared_lun 16
load_resfence

# No lease: its expiry is lease-expiry's subject, and an emulated guest on a
# busy host can stall longer than any lease short enough for a test.
expect_ok resfencectl hold "$DISK_A" --mode pr --key 0xa1 --type we --interval 0.5 --lease 0 --action log
expect_output_match 'Key=0xa1' sg_persist --in --read-reservation "$DISK_B"
expect_output_match 'Write Exclusive' sg_persist --in --read-reservation "$DISK_B"

gen() {
	sg_persist --in --read-keys "$DISK_B" 2>/dev/null |
		sed -n 's/.*PR generation=\(0x[0-9a-fA-F]*\).*/\1/p'
}
g0=$(gen)
[ -n "$g0" ] || fail "no PR generation from sg_persist on $DISK_B"
# Three heartbeats seen from the other nexus (no wall-clock threshold: wait
# up to 60 s for them, whatever the emulation speed).
n=600
while [ $(($(gen) - g0)) -lt 3 ]; do
	[ "$n" -gt 0 ] || fail "PR generation stuck at $(gen) (was $g0) while held"
	sleep 0.1
	n=$((n - 1))
done
klog "pr-hold-refresh: generation $g0 -> $(gen)"
expect_output_match 'Key=0xa1' sg_persist --in --read-reservation "$DISK_B"

# The module's own view: armed, refreshes counted, none failed.
expect_output_match '"state": *"armed"' resfencectl status "$DISK_A" --json
expect_output_match '"refresh_failed": *0[,}]' resfencectl status "$DISK_A" --json

# Unloading is refused while a device is armed.
expect_fail 1 rmmod scsi_resfence
expect_ok resfencectl release "$DISK_A"
expect_output_match 'NO reservation' sg_persist --in --read-reservation "$DISK_B"
_run sg_persist --in --read-keys "$DISK_B"
printf '%s\n' "$OUT" | grep -q '0xa1' && fail "key 0xa1 still registered after release"
unload_resfence
pass
