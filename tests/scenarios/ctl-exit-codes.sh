# Every documented exit code of resfencectl(8) that a single guest can
# produce, each with its one-line "resfencectl: <verb>: ..." message:
# 2 usage, 3 device, 4 held elsewhere, 6 module missing, 7 permission,
# 8 not held, 9 unsupported, 1 failure. (5 master alive and 10 interrupted
# are proven in ctl-takeover-pr/-scsi2.)
# The tool's own checks and output: the module paths it reaches are run on
# the debug kernel by netlink-bad-input, pr-*, acquire-conflict and the
# failover scenarios, so the debug kernel's pass over this one (1 to 1.5
# minutes of the CI budget) is left out.
# lab-kernel: debian
# lab-needs: module tool
# lab-timeout: 180
lio_shared_lun 16

expect_msg() {
	printf '%s\n' "$OUT" | grep -Eq -- "$1" || fail "expected /$1/ in: $OUT"
}
one_line() { # the error is exactly one line on stderr, in the documented shape
	[ "$(printf '%s\n' "$OUT" | grep -c '^resfencectl: ')" -eq 1 ] || fail "not one error line: $OUT"
}

# 6: module missing (and the kernel may not load it).
modprobe_path=$(cat /proc/sys/kernel/modprobe)
echo /nonexistent/modprobe >/proc/sys/kernel/modprobe
for cmd in "status" "status --json" "version" "monitor" "keys $DISK_A" "release $DISK_A" \
	"hold $DISK_A --mode pr --key 0xa1" "takeover $DISK_A --mode pr --key 0xa1"; do
	# shellcheck disable=SC2086 # word splitting intended
	expect_fail 6 resfencectl $cmd
	expect_msg '^resfencectl: [a-z]+: resfence module not loaded \(genl family "resfence" not found\)$'
done
echo "$modprobe_path" >/proc/sys/kernel/modprobe
load_resfence

# 2: usage, before anything else happens.
for args in "" "frobnicate" "hold" "hold $DISK_A --interval 0.05" "hold $DISK_A --interval 1.0001" \
	"hold $DISK_A --lease 0.01" "hold $DISK_A --key 0" "hold $DISK_A --key 0x" \
	"hold $DISK_A --key 18446744073709551616" "hold $DISK_A --key -1" "hold $DISK_A --mode scsi3" \
	"hold $DISK_A --type wx" "hold $DISK_A --action reboot" "hold $DISK_A --cdb 12" \
	"hold $DISK_A --mode scsi2 --key 5" "hold $DISK_A --mode pr --cdb 6" \
	"hold $DISK_A --mode scsi2" "hold $DISK_A --mode pr --epoch-lba 8" \
	"hold $DISK_A --mode scsi2 --epoch-lba 8 --allow-reset-window" \
	"hold $DISK_A --mode scsi2 --epoch-lba 4294967296" "hold $DISK_A --mode scsi2 --epoch-lba 8x" \
	"takeover $DISK_A --mode scsi2" \
	"hold $DISK_A --interval 2 --lease 1" "preempt $DISK_A --victim 0" \
	"preempt $DISK_A --mode scsi2 --abort" "reset $DISK_A --level world" "status --bogus"; do
	# shellcheck disable=SC2086
	expect_fail 2 resfencectl $args
	one_line
done
expect_fail 2 resfencectl hold "$DISK_A" --interval 0.05
expect_msg "^resfencectl: hold: --interval: '0.05' is out of range: must be between 0.1 s and 3600 s$"
expect_output_match '"held_count": 0' resfencectl status --json

# 3: device.
expect_fail 3 resfencectl hold /dev/nonexistent --mode pr --key 0xa1
expect_msg '^resfencectl: hold: /dev/nonexistent: No such file or directory$'
expect_fail 3 resfencectl keys /dev/null
expect_msg '^resfencectl: keys: /dev/null: not a block device$'
expect_ok modprobe brd rd_nr=1 rd_size=1024
wait_path /dev/ram0
expect_fail 3 resfencectl status /dev/ram0
expect_msg '^resfencectl: status: /dev/ram0: not a SCSI disk \(ram0 has no scsi_disk in sysfs\)$'
printf 'o\nn\np\n1\n2048\n\nw\n' | fdisk "$DISK_A" >/dev/null 2>&1 || :
blockdev --rereadpt "$DISK_A" || :
wait_path "${DISK_A}1"
expect_fail 3 resfencectl hold "${DISK_A}1" --mode pr --key 0xa1
expect_msg "^resfencectl: hold: ${DISK_A}1: is a partition of ${DISK_A#/dev/}; reservations apply to the whole disk: use $DISK_A$"

# 4: held elsewhere: B holds a persistent reservation.
expect_ok sg_persist --out --register --param-sark=0xb1 "$DISK_B"
expect_ok sg_persist --out --reserve --param-rk=0xb1 --prout-type=1 "$DISK_B"
expect_fail 4 resfencectl hold "$DISK_A" --mode pr --key 0xa1 --action log
expect_msg '^resfencectl: hold: /dev/sda: Device or resource busy: reservation held by another node$'
one_line
expect_ok sg_persist --out --release --param-rk=0xb1 --prout-type=1 "$DISK_B"
expect_ok sg_persist --out --register --param-rk=0xb1 --param-sark=0 "$DISK_B"

# 7: permission.
expect_fail 7 as_user resfencectl hold "$DISK_A" --mode pr --key 0xa1
expect_msg 'Operation not permitted'
one_line
expect_fail 7 as_user resfencectl status
expect_fail 7 as_user resfencectl reset "$DISK_A"

# 8: not held.
expect_fail 8 resfencectl release "$DISK_A"
expect_msg '^resfencectl: release: /dev/sda: No such file or directory: device not held by this node$'
expect_fail 8 resfencectl status "$DISK_A"

# 9: unsupported: scsi_debug has no persistent reservations.
expect_ok modprobe scsi_debug dev_size_mb=8
scsi_debug_disk
dbg=$DBG_DISK
expect_fail 9 resfencectl hold "$dbg" --mode pr --key 0xa1 --action log
expect_msg 'Operation not supported: device does not support persistent reservations$'
expect_fail 9 resfencectl keys "$dbg"
expect_msg 'device does not support persistent reservations$'

# 1: failure: a kernel refusal without a more specific code (a preempt of a
# key nobody registered), and --key auto without a machine-id.
expect_fail 1 resfencectl preempt "$DISK_A" --mode pr --key 0xa1 --victim 0xdead --action log
expect_msg '^resfencectl: preempt: /dev/sda: No such process: preempt refused: the victim key is not registered$'
rm -f /etc/machine-id
expect_fail 1 resfencectl hold "$DISK_A" --mode pr --action log
expect_msg '^resfencectl: hold: --key auto: /etc/machine-id: cannot read \(needed for --key auto\)$'

expect_output_match '"held_count": 0' resfencectl status --json
unload_resfence
pass
