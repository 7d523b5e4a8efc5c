# The single-guest lab's shared LUN: one LIO fileio backstore reached through
# two tcm_loop nexuses must be one LUN (data and registrations written
# through one path are seen through the other) behind two distinct initiator
# ports (each path registers its own key, and a SCSI-2 reservation taken
# through one path conflicts on the other).
lio_shared_lun 16
[ "$DISK_A" != "$DISK_B" ] || fail "both nexuses gave the same block device $DISK_A"

# Same LUN: a block written through A is read back through B.
expect_ok dd if=/dev/urandom of=/tmp/pattern bs=4096 count=1
expect_ok dd if=/tmp/pattern of="$DISK_A" bs=4096 count=1 seek=7 oflag=direct
expect_ok dd if="$DISK_B" of=/tmp/readback bs=4096 count=1 skip=7 iflag=direct
expect_ok cmp /tmp/pattern /tmp/readback

# Distinct initiator ports: two keys registered, one per path, both visible
# from either path.
expect_ok sg_persist --out --register --param-sark=0xa1 "$DISK_A"
expect_ok sg_persist --out --register --param-sark=0xb1 "$DISK_B"
expect_output_match '0xa1' sg_persist --in --read-keys "$DISK_B"
expect_output_match '0xb1' sg_persist --in --read-keys "$DISK_A"
expect_output_match "$INITIATOR_A|${INITIATOR_A#naa.}" sg_persist --in --read-full-status "$DISK_B"

# A persistent reservation taken through A conflicts with B's writes.
expect_ok sg_persist --out --reserve --param-rk=0xa1 --prout-type=1 "$DISK_A"
expect_output_match 'Key=0xa1' sg_persist --in --read-reservation "$DISK_B"
expect_fail 24 sg_raw -s 512 -i /tmp/pattern "$SG_B" 2a 00 00 00 00 07 00 00 01 00
expect_ok sg_raw -s 512 -i /tmp/pattern "$SG_A" 2a 00 00 00 00 07 00 00 01 00
expect_ok sg_persist --out --release --param-rk=0xa1 --prout-type=1 "$DISK_A"
expect_ok sg_persist --out --clear --param-rk=0xa1 "$DISK_A"
# CLEAR leaves B a "reservations preempted" unit attention; consume it, then
# B writes freely again.
sg_turs "$SG_B" >/dev/null 2>&1 || :
expect_ok sg_raw -s 512 -i /tmp/pattern "$SG_B" 2a 00 00 00 00 07 00 00 01 00
