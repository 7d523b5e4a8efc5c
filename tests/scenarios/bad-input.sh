# Requests the module must refuse, each with its errno (the tool's exit code)
# and the kernel's words, without holding anything: a device number with no
# device, a disk that is not SCSI, a partition, a lease the module's default
# interval would outlive, a second hold of a held disk, a release of a disk
# not held, a preempt of an unregistered key. Values the tool itself refuses
# (key 0, interval 0 or absurd, an unknown type) never reach the kernel: they
# are checked at the end for the tool's usage exit code only.
# The tool's own checks and output: the module paths it reaches are run on
# the debug kernel by netlink-bad-input, pr-*, acquire-conflict and the
# failover scenarios, so the debug kernel's pass over this one (1 to 1.5
# minutes of the CI budget) is left out.
# lab-kernel: debian
# lab-needs: module tool
# lab-timeout: 180
lio_shared_lun 16
load_resfence

expect_msg() {
	printf '%s\n' "$OUT" | grep -q -- "$1" || fail "expected '$1' in: $OUT"
}

# resfencectl checks the device in sysfs before it asks the module, so these
# requests would never reach the kernel. To prove the module's own checks,
# show the tool a sysfs where every device below looks like a whole SCSI
# disk: a tmpfs bind-mounted over /sys/dev/block for the duration.
fake_sysfs() {
	mkdir -p /tmp/fakeblock
	for n in "$@"; do
		mkdir -p "/tmp/fakeblock/$n/device/scsi_disk"
	done
	mount --bind /tmp/fakeblock /sys/dev/block
}

# No such device (major 240 is reserved for local use; nothing registers it).
mknod /tmp/ghost b 240 7
# Not a SCSI disk: a RAM disk.
expect_ok modprobe brd rd_nr=1 rd_size=1024
wait_path /dev/ram0
# A partition of a SCSI disk: one primary partition from sector 2048.
printf 'o\nn\np\n1\n2048\n\nw\n' | fdisk "$DISK_A" >/dev/null 2>&1 || :
blockdev --rereadpt "$DISK_A" || :
wait_path "${DISK_A}1"

# First as the tool sees them normally: refused before any request.
expect_fail 3 resfencectl hold /tmp/ghost --mode pr --key 0xa1
expect_fail 3 resfencectl hold /dev/ram0 --mode pr --key 0xa1
expect_fail 3 resfencectl hold "${DISK_A}1" --mode pr --key 0xa1

# Then through the fake sysfs: the module refuses them itself.
ram=$(stat -c '%t:%T' /dev/ram0)
part=$(stat -c '%t:%T' "${DISK_A}1")
fake_sysfs 240:7 "$((0x${ram%:*})):$((0x${ram#*:}))" "$((0x${part%:*})):$((0x${part#*:}))"
expect_fail 3 resfencectl hold /tmp/ghost --mode pr --key 0xa1
expect_msg 'no block device with this major:minor'
expect_fail 3 resfencectl keys /tmp/ghost
expect_msg 'no block device with this major:minor'
expect_fail 3 resfencectl hold /dev/ram0 --mode pr --key 0xa1
expect_msg 'not a SCSI disk'
expect_fail 3 resfencectl hold /dev/ram0 --mode scsi2 --allow-reset-window
expect_msg 'not a SCSI disk'
expect_fail 3 resfencectl hold "${DISK_A}1" --mode pr --key 0xa1
expect_msg 'a partition: name the whole disk'
umount /sys/dev/block
expect_output_match '"held_count": *0' resfencectl status --json

# A lease no longer than the (default, 2 s) interval.
expect_fail 1 resfencectl hold "$DISK_A" --mode pr --key 0xa1 --lease 1
expect_msg 'lease_ms must be 0 (no lease) or longer than interval_ms'

# Held twice; released when not held.
expect_ok resfencectl hold "$DISK_A" --mode pr --key 0xa1 --action log
# (-EEXIST: the tool's exit code for it is its own business; refused it is.)
_run resfencectl hold "$DISK_A" --mode pr --key 0xa1 --action log
[ "$RC" -ne 0 ] || fail "a second hold of a held disk succeeded"
expect_msg 'device already held by this node'
expect_ok resfencectl release "$DISK_A"
expect_fail 8 resfencectl release "$DISK_A"
expect_msg 'device not held by this node'

# Preempting a key nobody registered.
expect_fail 1 resfencectl preempt "$DISK_A" --mode pr --key 0xa1 --victim 0xdead --action log
expect_msg 'the victim key is not registered'
_run sg_persist --in --read-keys "$DISK_B"
printf '%s\n' "$OUT" | grep -q '0xa1' && fail "A's key stayed registered after the failed preempt"

# Refused by the tool before any request: usage errors.
expect_fail 2 resfencectl hold "$DISK_A" --mode pr --key 0
expect_fail 2 resfencectl hold "$DISK_A" --mode pr --key 0xa1 --interval 0
expect_fail 2 resfencectl hold "$DISK_A" --mode pr --key 0xa1 --interval 100000
expect_fail 2 resfencectl hold "$DISK_A" --mode pr --key 0xa1 --type wx

expect_output_match '"held_count": *0' resfencectl status --json
unload_resfence
pass
