# The scsi2 takeover epoch (issue 17) on one LIO LUN through two tcm_loop
# nexuses: A (sda) is this node, B (sdb) the other one.
#  1. The area is checked before anything is written: a block holding
#     anything but zeros or a resfence epoch is refused and left as it was,
#     an LBA past the end of the disk is refused, and neither failed hold
#     keeps the reservation.
#  2. Every acquire bumps the epoch, on the disk, with FUA.
#  3. The window, in log mode: B takes the disk (reset + reserve, epoch
#     bumped), then a third party resets the LUN, releasing B's reservation.
#     A's next command meets the reset: A reads the epoch, finds it moved,
#     and fences ("would fence" in log mode) instead of re-reserving; B
#     re-reserves and is not fenced; A's writes conflict.
# lab-needs: module tool
# lab-timeout: 240
lio_shared_lun 16
load_resfence

expect_msg() {
	printf '%s\n' "$OUT" | grep -Eq -- "$1" || fail "expected /$1/ in: $OUT"
}
expect_ok dd if=/dev/zero of=/tmp/block bs=512 count=1
write_lba0() { sg_raw -s 512 -i /tmp/block "$1" 2a 00 00 00 00 00 00 00 01 00; }
# epoch_block: the 512 bytes at LBA 8, read through B, as hex.
epoch_block() { dd if="$DISK_B" bs=512 skip=8 count=1 iflag=direct 2>/dev/null | od -An -tx1 -v | tr -d ' \n'; }

# 1. Foreign data in the area: refused, untouched, no reservation kept.
printf 'not an epoch' | dd of="$DISK_B" bs=512 seek=8 count=1 conv=sync oflag=direct 2>/dev/null
before=$(epoch_block)
expect_fail 1 resfencectl hold "$DISK_A" --mode scsi2 --epoch-lba 8 --action log
expect_msg 'the epoch block holds data that is not a resfence epoch: refusing to overwrite it'
[ "$(epoch_block)" = "$before" ] || fail "a refused hold changed the epoch block"
expect_ok write_lba0 "$SG_B"
expect_output_match '"held_count": *0' resfencectl status --json
# Past the end (16 MiB = 32768 blocks).
expect_fail 1 resfencectl hold "$DISK_A" --mode scsi2 --epoch-lba 40000 --action log
expect_msg 'epoch_lba is beyond the end of the disk'
expect_ok write_lba0 "$SG_B"

# 2. Zeroed, the area is taken; each acquire bumps the epoch.
expect_ok dd if=/dev/zero of="$DISK_B" bs=512 seek=8 count=1 oflag=direct
expect_ok resfencectl hold "$DISK_A" --mode scsi2 --epoch-lba 8 --interval 60 --lease 0 --action log
expect_msg ', epoch 1 at LBA 8, '
expect_fail 24 write_lba0 "$SG_B"
expect_ok resfencectl release "$DISK_A"
b=$(epoch_block)
# "RESFENCE", version 1, reserved 0, epoch 1 (big endian).
case $b in
52455346454e434500000001000000000000000000000001*) ;;
*) fail "the epoch block after the first hold is $b" ;;
esac
expect_ok resfencectl hold "$DISK_A" --mode scsi2 --epoch-lba 8 --interval 60 --lease 0 --action log
expect_msg ', epoch 2 at LBA 8, '
expect_output_match '"epoch": *2[,}]?$' resfencectl status "$DISK_A" --json
expect_output_match '"epoch_lba": *8[,}]?$' resfencectl status "$DISK_A" --json

# 3. B takes over (a scsi2 preempt: LUN reset, RESERVE, epoch 3), with no
# refresh of its own for a minute.
expect_ok resfencectl preempt "$DISK_B" --mode scsi2 --epoch-lba 8 --interval 60 --lease 0 --action log
expect_msg ', epoch 3 at LBA 8, '
klog "scsi2-epoch: third-party reset"
expect_ok sg_reset -d "$SG_B"
# A's next command meets the reset's unit attention: the probe has A's
# refresh verify at once.
sg_turs "$SG_A" >/dev/null 2>&1 || :
wait_klog 'scsi_resfence: would fence sda \(8:0\) key 0x0: the takeover epoch on the disk moved \(another node took over\)' 30
wait_klog 'scsi_resfence: sda: takeover epoch is 3 \(written by [^)]*\), ours is 2' 5
if dmesg | sed -n '/scsi2-epoch: third-party reset/,$p' | grep -q 'scsi_resfence: sda: reserved again after a reset'; then
	fail "A re-reserved the disk after the reset that followed B's takeover"
fi
# B's next command meets the reset too: B checks its epoch (3: its own) and
# re-reserves.
sg_turs "$SG_B" >/dev/null 2>&1 || :
wait_klog 'scsi_resfence: sdb: reserved again after a reset' 30
n=100
while :; do
	_run write_lba0 "$SG_A"
	[ "$RC" -eq 24 ] && break
	[ "$n" -gt 0 ] || fail "A can still write after B re-reserved"
	sleep 0.1
	n=$((n - 1))
done
expect_ok write_lba0 "$SG_B"
if dmesg | grep -q 'scsi_resfence: would fence sdb'; then
	fail "B, the rightful owner, was fenced"
fi
expect_output_match '"state": *"armed"' resfencectl status "$DISK_B" --json
expect_output_match '"state": *"fenced"' resfencectl status "$DISK_A" --json
expect_ok resfencectl release "$DISK_A"
expect_ok resfencectl release "$DISK_B"
unload_resfence
pass
