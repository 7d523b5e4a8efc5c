# resfence-hold@.service's own commands, read from the unit file the resfence
# package ships (systemd/, copied into the image by initramfs-run.sh), run in
# the order systemd runs them for a disk whose filesystem requires the hold
# (fstab x-systemd.requires=): ExecStartPre and ExecStart (the hold), mount,
# write, unmount, ExecStop (the release). Then the LUN has neither a
# reservation nor a registration, and what was written is on the disk.
# The hold's settings come from the instance's environment file, as systemd
# reads it: /etc/resfence/hold/INSTANCE.env, RESFENCE_HOLD_OPTIONS.
# The Debian kernel only: the debug kernel (tests/vm/debug-kernel/config/)
# has no disk filesystem to mount (no ext2/ext4, no FAT); adding one would
# rebuild that kernel for every engineer. The module's hold and release
# themselves run on the debug kernel in pr-hold-refresh.
# lab-kernel: debian
# lab-needs: module tool
# lab-timeout: 180
lio_shared_lun 16
unit=/usr/lib/resfence/resfence-hold@.service
[ -f "$unit" ] || fail "$unit is not in the image"

# The instance, as `systemd-escape --path $DISK_A` names it (a /dev/sdX
# path has nothing to escape but its slashes).
case $DISK_A in
/dev/sd[a-z]) ;;
*) fail "DISK_A is $DISK_A, not a /dev/sdX" ;;
esac
inst=$(printf '%s\n' "${DISK_A#/}" | sed 's|/|-|g')
mkdir -p /etc/resfence/hold
cat >"/etc/resfence/hold/$inst.env" <<ENV
# as /usr/share/doc/resfence/examples/resfence-hold.env.example, with a key
RESFENCE_HOLD_OPTIONS="--mode pr --key 0xa1 --type we --interval 1 --lease 0 --action log"
ENV

# unit_cmds KEY: the unit's KEY= lines, its specifiers expanded as systemd
# does (%f the disk, %i the instance); a specifier this does not know fails.
unit_cmds() {
	sed -n "s/^$1=//p" "$unit" | sed "s|%f|$DISK_A|g; s|%i|$inst|g" >"/tmp/unit.$1"
	[ -s "/tmp/unit.$1" ] || fail "the unit has no $1="
	! grep -q '%' "/tmp/unit.$1" || fail "$1 has a specifier this scenario does not expand: $(cat "/tmp/unit.$1")"
}
# run_unit KEY: each KEY= command, with the EnvironmentFile's variables
# (systemd splits an unquoted $VAR at whitespace, as sh does).
run_unit() {
	unit_cmds "$1"
	while read -r cmd; do
		klog "unit-hold-mount: $1=$cmd"
		# shellcheck disable=SC1090
		(. "/etc/resfence/hold/$inst.env" && eval "expect_ok $cmd") || fail "$1=$cmd failed"
	done <"/tmp/unit.$1"
}
env_file=$(sed -n 's/^EnvironmentFile=-\{0,1\}//p' "$unit" | sed "s|%i|$inst|g")
[ "$env_file" = "/etc/resfence/hold/$inst.env" ] ||
	fail "the unit reads its settings from '$env_file', not /etc/resfence/hold/$inst.env"

run_unit ExecStartPre
run_unit ExecStart
expect_output_match 'Key=0xa1' sg_persist --in --read-reservation "$DISK_B"
expect_output_match '"state": *"armed"' resfencectl status "$DISK_A" --json
expect_output_match '"interval_ms": *1000[,}]' resfencectl status "$DISK_A" --json

expect_ok mke2fs -q "$DISK_A"
mkdir -p /mnt/shared
expect_ok mount -t ext2 "$DISK_A" /mnt/shared
echo "written under the hold" >/mnt/shared/data
expect_ok sync
expect_ok umount /mnt/shared

run_unit ExecStop
expect_output_match 'NO reservation' sg_persist --in --read-reservation "$DISK_B"
expect_output_match 'NO registered reservation keys' sg_persist --in --read-keys "$DISK_B"
expect_fail 8 resfencectl status "$DISK_A"

# What was written under the hold is on the disk (read through the other nexus).
expect_ok mount -t ext2 -o ro "$DISK_B" /mnt/shared
grep -qx "written under the hold" /mnt/shared/data || fail "the file written under the hold is not on the disk"
expect_ok umount /mnt/shared
unload_resfence
pass
