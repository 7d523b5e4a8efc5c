# resfencectl takeover in scsi2 mode (the 2001 design): LUN reset through the
# standby's nexus, wait max(2 x interval, lease) + 1 s, RESERVE. A live master
# (the module re-reserving A's hold after the reset) makes the reserve
# conflict: "master alive" (exit 5), and the master is not fenced (its action
# is restart: a false fence would restart this guest and fail the run). A
# dead master (a RESERVE nobody renews) loses the disk to the takeover.
# lab-needs: module tool
# lab-timeout: 240
lio_shared_lun 16
load_resfence

expect_msg() {
	printf '%s\n' "$OUT" | grep -Eq -- "$1" || fail "expected /$1/ in: $OUT"
}
expect_ok dd if=/dev/zero of=/tmp/block bs=512 count=1
# WRITE(10) of one block: RESERVATION CONFLICT is sg_raw's exit 24.
write_b() { sg_raw -s 512 -i /tmp/block "$SG_B" 2a 00 00 00 00 00 00 00 01 00; }
write_a() { sg_raw -s 512 -i /tmp/block "$SG_A" 2a 00 00 00 00 00 00 00 01 00; }

# 1. Live master.
# The takeover epoch at LBA 8 (writes below go to LBA 0).
expect_ok resfencectl hold "$DISK_A" --mode scsi2 --epoch-lba 8 --interval 0.5 --lease 0 --action restart
expect_msg ', epoch 1 at LBA 8, interval 0.5 s'
expect_fail 5 resfencectl takeover "$DISK_B" --mode scsi2 --epoch-lba 8 --interval 0.5 --lease 0 --action log
expect_msg '^takeover /dev/sdb: LUN reset; waiting 2 s \(max\(2 x interval 0.5 s, lease off\) \+ margin 1 s\) for a live master to re-reserve$'
expect_msg '^resfencectl: takeover: /dev/sdb: master alive: it re-reserved the disk after the reset: Device or resource busy: reservation held by another node$'
expect_output_match '"state": "armed"' resfencectl status "$DISK_A" --json
expect_output_match '"conflicts": 0' resfencectl status "$DISK_A" --json
expect_output_match '"held_count": 1' resfencectl status --json
# A holds the reservation still: B's writes conflict.
n=100
while :; do
	_run write_b
	[ "$RC" -eq 24 ] && break
	[ "$n" -gt 0 ] || fail "B can write: A lost its reservation"
	sleep 0.1
	n=$((n - 1))
done
expect_ok resfencectl release "$DISK_A"

# 2. Dead master: RESERVE(10) through A's sg node, never renewed.
expect_ok sg_raw "$SG_A" 56 00 00 00 00 00 00 00 00 00
expect_fail 24 write_b
expect_ok resfencectl takeover "$DISK_B" --mode scsi2 --epoch-lba 8 --interval 0.5 --lease 0 --action log
expect_msg 'waiting 2 s'
expect_msg '^held /dev/sdb \(sdb 8:16\): mode scsi2, cdb 10, epoch 2 at LBA 8, interval 0.5 s, lease off, action log$'
# Now A is the one refused.
n=100
while :; do
	_run write_a
	[ "$RC" -eq 24 ] && break
	[ "$n" -gt 0 ] || fail "A can still write after B took the disk over"
	sleep 0.1
	n=$((n - 1))
done
expect_ok resfencectl release "$DISK_B"
expect_output_match '"held_count": 0' resfencectl status --json
unload_resfence
pass
