# An all-registrants reservation (exclusive access, all registrants): READ
# RESERVATION reports its holder key as 0, which the refresh must read as
# "ours" while our key is registered (heartbeats continue, nothing fails,
# nothing fences; the action is restart). B, not registered, is shut out.
# Release only unregisters (a RELEASE would end the reservation for every
# registrant); with A the last registrant, the reservation goes with it.
# lab-needs: module tool
# lab-timeout: 180
lio_shared_lun 16
load_resfence
expect_ok dd if=/dev/zero of=/tmp/block bs=512 count=1

expect_ok resfencectl hold "$DISK_A" --mode pr --key 0xa1 --type ea-ar --interval 0.3 --lease 0 --action restart
expect_output_match 'Exclusive Access, all registrants' sg_persist --in --read-reservation "$DISK_B"
expect_fail 24 sg_raw -s 512 -i /tmp/block "$SG_B" 2a 00 00 00 00 00 00 00 01 00
n=300
until resfencectl status "$DISK_A" --json | grep -Eq '"refresh_ok": *([3-9]|[1-9][0-9]+)'; do
	[ "$n" -gt 0 ] || fail "fewer than 3 refreshes of an all-registrants hold"
	sleep 0.1
	n=$((n - 1))
done
expect_output_match '"refresh_failed": *0[,}]' resfencectl status "$DISK_A" --json
expect_output_match '"state": *"armed"' resfencectl status "$DISK_A" --json

expect_ok resfencectl release "$DISK_A"
expect_output_match 'NO reservation' sg_persist --in --read-reservation "$DISK_B"
_run sg_persist --in --read-keys "$DISK_B"
printf '%s\n' "$OUT" | grep -q '0xa1' && fail "key 0xa1 still registered after release"
expect_ok sg_raw -s 512 -i /tmp/block "$SG_B" 2a 00 00 00 00 00 00 00 01 00
unload_resfence
pass
