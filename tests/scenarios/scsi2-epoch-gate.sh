# The I/O gate of a scsi2 hold with a takeover epoch (kmod/gate.c): after a
# reset has released our reservation, no new write of this node reaches the
# disk until the refresh has read our own epoch back and reserved again.
# One LIO LUN through two tcm_loop nexuses (A = sda, this node; B = sdb),
# exported from a device-mapper map so that the epoch block's reads can be
# made to fail at the backing store: the epoch check then cannot answer,
# and the gate must stay closed for as long as that lasts.
#  1. A holds (scsi2, epoch at LBA 8, interval 1 s, no lease, action
#     restart). The epoch block's page is made unreadable, the LUN reset
#     through B. A's refresh meets the reset, its epoch read fails: no
#     fence, the refresh fails. A write A issues now waits: after two more
#     failed refreshes it has not completed and is not on the disk. The
#     block is made readable again: the next refresh re-reserves, the gate
#     opens, the write completes and is on the disk; A is armed, not fenced.
#  2. The same with the gate closed, then a release: the release opens it,
#     the write completes.
#  3. The same, then the disk is removed: the write ends, nothing hangs,
#     the module unloads.
# lab-needs: module tool
# lab-timeout: 300
modprobe brd rd_nr=1 rd_size=16384 || fail "cannot load brd"
SECTORS=$(cat /sys/class/block/ram0/size)
map() { # map ok|broken: the table of /dev/mapper/gate, swapped in place
	case $1 in
	ok) _t="0 $SECTORS linear /dev/ram0 0" ;;
	broken) _t="0 8 linear /dev/ram0 0
8 8 error
16 $((SECTORS - 16)) linear /dev/ram0 16" ;;
	esac
	printf '%s\n' "$_t" | DM_DISABLE_UDEV=1 dmsetup load gate --noudevsync ||
		fail "dmsetup load gate ($1) failed"
	DM_DISABLE_UDEV=1 dmsetup suspend gate --noudevsync &&
		DM_DISABLE_UDEV=1 dmsetup resume gate --noudevsync ||
		fail "dmsetup could not switch gate to $1"
	# LIO's fileio reads through the page cache of the map: drop what is
	# cached, or the epoch block is read from memory.
	sync
	echo 3 >/proc/sys/vm/drop_caches
}
DM_DISABLE_UDEV=1 dmsetup create gate --noudevsync --table "0 $SECTORS linear /dev/ram0 0" ||
	fail "dmsetup create gate failed"
wait_path /dev/mapper/gate
LIO_BACKING=/dev/mapper/gate lio_shared_lun 16
load_resfence

# on_disk TEXT: is TEXT in LBA 0 of the LU, read from its backing store (through
# the page cache that LIO writes to; through B the reservation would refuse)?
on_disk() { dd if=/dev/mapper/gate bs=512 count=1 2>/dev/null | grep -q "$1"; }
# count_after MARKER RE: kernel log lines matching RE after the line MARKER.
count_after() { dmesg | sed -n "/$1/,\$p" | grep -Ec -- "$2"; }
# wait_count MARKER RE N: until N such lines (a bound for a stuck run only).
wait_count() {
	_w=300
	until [ "$(count_after "$1" "$2")" -ge "$3" ]; do
		[ "$_w" -gt 0 ] || fail "fewer than $3 lines /$2/ after '$1' in 30 s"
		sleep 0.1
		_w=$((_w - 1))
	done
}
FAILED='scsi_resfence: sda: refresh failed'
CLOSED='scsi_resfence: sda: a reset released the reservation: holding back I/O until the epoch check answers'
# close_gate N: epoch unreadable, the LUN reset through B, A's refresh
# fails on the epoch read; then a write of "gate-N" on A in the background
# (WRITER its pid, /tmp/wrote-N its exit status when it ends).
close_gate() {
	map broken
	klog "scsi2-epoch-gate: reset $1"
	sg_reset -d "$SG_B" >/dev/null || fail "sg_reset through B failed"
	# A's next command takes the reset's unit attention (its next refresh
	# at the latest): the probe closes the gate; then a refresh fails.
	wait_count "scsi2-epoch-gate: reset $1" "$CLOSED" 1
	klog "scsi2-epoch-gate: gate $1 closed"
	wait_count "scsi2-epoch-gate: gate $1 closed" "$FAILED" 1
	printf 'gate-%s' "$1" | dd of="/tmp/gate-$1" bs=512 count=1 conv=sync 2>/dev/null
	rm -f "/tmp/wrote-$1"
	klog "scsi2-epoch-gate: write $1 issued"
	( _rc=0
	  dd if="/tmp/gate-$1" of="$DISK_A" bs=512 count=1 oflag=direct 2>/dev/null || _rc=$?
	  echo "$_rc" >"/tmp/wrote-$1" ) &
	WRITER=$!
	# Two refreshes that fail after the write was issued: it still waits.
	wait_count "scsi2-epoch-gate: write $1 issued" "$FAILED" 2
	[ ! -e "/tmp/wrote-$1" ] || fail "write $1 completed (status $(cat "/tmp/wrote-$1")) while the epoch could not be read"
	kill -0 "$WRITER" 2>/dev/null || fail "write $1 is not waiting"
	if on_disk "gate-$1"; then fail "write $1 reached the disk while the epoch could not be read"; fi
	if dmesg | grep -q 'scsi_resfence: FENCED'; then
		fail "A fenced itself on a failed epoch read"
	fi
	expect_output_match '"state": *"armed"' resfencectl status "$DISK_A" --json
}
# writer_done N STATUS: the background write ended with STATUS (ok | error).
writer_done() {
	wait "$WRITER" 2>/dev/null || :
	[ -e "/tmp/wrote-$1" ] || fail "write $1 left no status"
	case $2 in
	ok) [ "$(cat "/tmp/wrote-$1")" = 0 ] || fail "write $1 failed: status $(cat "/tmp/wrote-$1")" ;;
	error) [ "$(cat "/tmp/wrote-$1")" != 0 ] || fail "write $1 succeeded on a removed disk" ;;
	esac
}

hold_a() {
	expect_ok resfencectl hold "$DISK_A" --mode scsi2 --epoch-lba 8 --interval 1 --lease 0 --action restart
}
expect_ok dd if=/dev/zero of="$DISK_B" bs=512 seek=8 count=1 oflag=direct
hold_a

# 1. Held back until the epoch is readable again, then through.
close_gate 1
map ok
wait_klog 'scsi_resfence: sda: I/O held back for [0-9]+ us after a reset, until the epoch check answered' 30
writer_done 1 ok
on_disk gate-1 || fail "write 1 is not on the disk after the gate opened"
[ "$(count_after 'scsi2-epoch-gate: write 1 issued' 'scsi_resfence: sda: reserved again after a reset')" -ge 1 ] ||
	fail "A did not re-reserve before its write went through"
expect_output_match '"state": *"armed"' resfencectl status "$DISK_A" --json
# B is locked out again: A holds the unit (B's first command takes the
# reset's unit attention).
sg_turs "$SG_B" >/dev/null 2>&1 || :
expect_fail 24 sg_raw -s 512 -i /tmp/gate-1 "$SG_B" 2a 00 00 00 00 00 00 00 01 00

# 2. A release opens it.
close_gate 2
expect_ok resfencectl release "$DISK_A"
writer_done 2 ok
on_disk gate-2 || fail "write 2 is not on the disk after the release"
map ok

# 3. So does the removal of the disk.
hold_a
close_gate 3
echo 1 >"/sys/block/${DISK_A#/dev/}/device/delete"
writer_done 3 error
wait_klog 'scsi_resfence: sda \([0-9]+:[0-9]+\) was removed while held' 30
expect_output_match '"held_count": *0' resfencectl status --json
map ok
unload_resfence
pass
