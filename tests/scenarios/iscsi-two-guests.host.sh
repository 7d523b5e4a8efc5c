# The two-guest lab: guests A and B reach one LUN of the host's tgtd through
# their own iSCSI sessions. Both see the same data (A writes, B and the host
# read), and a SCSI-2 RESERVE(6) from A makes B's commands fail with
# RESERVATION CONFLICT until A releases it: the behaviour a fence stands on.
# lab-timeout: 240

guest_start A B

block='resfence-lab block 9 from A'
guest_ok A "printf '$block' | dd of=/tmp/blk bs=512 count=1 conv=sync && dd if=/tmp/blk of=\$DISK bs=512 count=1 seek=9 oflag=direct"
guest_ok B "dd if=\$DISK bs=512 count=1 skip=9 iflag=direct 2>/dev/null | grep -q '$block'"
dd if="$LUN_FILE" bs=512 skip=9 count=1 2>/dev/null | grep -q "$block" ||
	host_fail "the host's copy of the LUN lacks A's block"

# RESERVE(6) = 16 00 00 00 00 00, RELEASE(6) = 17 ...; sg_raw exits 24 on a
# RESERVATION CONFLICT status. WRITE(10) of one block at LBA 9.
write9='sg_raw -s 512 -i /tmp/blk $SG 2a 00 00 00 00 09 00 00 01 00'
guest_ok B "printf 'from B' | dd of=/tmp/blk bs=512 count=1 conv=sync"
guest_ok A 'sg_raw $SG 16 00 00 00 00 00'
guest_fails B 24 "$write9"
guest_fails B 24 'sg_raw -r 512 $SG 28 00 00 00 00 09 00 00 01 00'
# Through the block layer too: the kernel logs the conflict, dd fails.
guest_fails B 1 "dd if=/tmp/blk of=\$DISK bs=512 count=1 seek=9 oflag=direct"
guest_klog_wait B 'reservation conflict' 10 >/dev/null
guest_ok A "$write9"
guest_ok A 'sg_raw $SG 17 00 00 00 00 00'
guest_ok B "$write9"
dd if="$LUN_FILE" bs=512 skip=9 count=1 2>/dev/null | grep -q "from B" ||
	host_fail "B's write after the release did not reach the LUN"
