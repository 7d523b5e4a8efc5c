# resfencectl reset: SG_SCSI_RESET at each level on an LIO (tcm_loop) disk.
# A LUN reset clears a SCSI-2 reservation taken through the other nexus; a
# target reset works too; tcm_loop has no bus or host reset handler, so those
# fail with the kernel's EIO (exit 1). Refusals: a non-SCSI disk (3), an
# unprivileged caller (7). reset does not need the module.
# lab-needs: tool
# lab-timeout: 180
lio_shared_lun 16

expect_msg() {
	printf '%s\n' "$OUT" | grep -Eq -- "$1" || fail "expected /$1/ in: $OUT"
}
expect_ok dd if=/dev/zero of=/tmp/block bs=512 count=1
write_b() { sg_raw -s 512 -i /tmp/block "$SG_B" 2a 00 00 00 00 00 00 00 01 00; }

# RESERVE(10) through A; B conflicts until the LUN reset through B.
expect_ok sg_raw "$SG_A" 56 00 00 00 00 00 00 00 00 00
expect_fail 24 write_b
expect_ok resfencectl reset "$DISK_B"
expect_msg '^reset /dev/sdb: lun reset done$'
sg_turs "$SG_B" >/dev/null 2>&1 || : # consume the reset's unit attention
expect_ok write_b

# Target reset: the same for a reservation (A meets the LUN reset's unit
# attention first).
sg_turs "$SG_A" >/dev/null 2>&1 || :
expect_ok sg_raw "$SG_A" 56 00 00 00 00 00 00 00 00 00
expect_fail 24 write_b
expect_ok resfencectl reset "$DISK_B" --level target
expect_msg '^reset /dev/sdb: target reset done$'
sg_turs "$SG_B" >/dev/null 2>&1 || :
expect_ok write_b

# No bus/host reset in tcm_loop: the ioctl fails, the tool says so.
expect_fail 1 resfencectl reset "$DISK_B" --level bus
expect_msg '^resfencectl: reset: /dev/sdb: bus reset: '
expect_fail 1 resfencectl reset "$DISK_B" --level host
expect_msg '^resfencectl: reset: /dev/sdb: host reset: '

# Refusals.
expect_ok modprobe brd rd_nr=1 rd_size=1024
wait_path /dev/ram0
expect_fail 3 resfencectl reset /dev/ram0
expect_msg 'not a SCSI disk'
expect_fail 2 resfencectl reset "$DISK_B" --level world
expect_fail 7 as_user resfencectl reset "$DISK_B"
expect_msg 'Permission denied'
pass
