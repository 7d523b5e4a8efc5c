# Issue 18: hold --aptpl on a target that persists registrations (LIO, which
# writes them to /var/target/pr/aptpl_<unit serial> on every change), and
# what the module does when that target restarts.
#  1. REPORT CAPABILITIES says PTPL_C; hold --mode pr --aptpl registers with
#     APTPL: the file holds A's key as the reservation holder and PTPL_A is
#     set. Three heartbeats later (each a REGISTER) it still does: every
#     heartbeat carries the bit (a REGISTER without it would turn the
#     persistence off and empty the file).
#  2. A LUN reset through B: A's next command meets the reset's unit
#     attention and the module checks its reservation at once; it is still
#     A's (a persistent reservation survives resets): no fence.
#  3. The target restarts: the LUN and its backstore are deleted (the
#     initiator's disks go with them; the module drops the hold as a hot
#     removal, no fence) and configured again from the same file, the saved
#     registrations written back into res_aptpl_metadata before the LUN is
#     exported, as targetcli's restore does. A's key still holds the
#     reservation; B's write conflicts; A holds again with the same key.
#  4. Without --aptpl the file has no registration, and a target restart
#     leaves none: what a hold with tgt (registrations in memory only) gets,
#     where the module fences at its next refresh (faults-target, step 3).
# lab-needs: module tool
# lab-timeout: 240
lio_shared_lun 16
load_resfence
cfg=/sys/kernel/config/target
bs=$cfg/core/fileio_0/lun0
serial=$(cat "$bs/wwn/vpd_unit_serial" | sed 's/.*: *//')
aptpl_file=/var/target/pr/aptpl_$serial

# aptpl_has_a: the file names key 0xa1 (161) as the reservation holder. LIO
# rewrites it on every registration change (each heartbeat): a read can
# meet it half written, so a few reads 0.1 s apart.
aptpl_has_a() {
	_t=0
	while [ "$_t" -lt 20 ]; do
		if grep -q '^sa_res_key=161$' "$aptpl_file" 2>/dev/null &&
			grep -q '^res_holder=1$' "$aptpl_file" 2>/dev/null; then
			return 0
		fi
		sleep 0.1
		_t=$((_t + 1))
	done
	return 1
}

expect_output_match 'PTPL_C\): *1' sg_persist --in --report-capabilities "$DISK_A"

# 1. The hold with APTPL, kept by its heartbeats.
expect_ok resfencectl hold "$DISK_A" --mode pr --key 0xa1 --type we --interval 0.5 --lease 0 --action restart --aptpl
out_match 'key 0x0*a1, type we, aptpl,'
expect_output_match '"aptpl": *true' resfencectl status "$DISK_A" --json
wait_path "$aptpl_file" 5
aptpl_has_a || fail "the APTPL file does not hold key 0xa1's registration and reservation: $(cat "$aptpl_file")"
n0=$(resfencectl status "$DISK_A" --json | sed -n 's/.*"refresh_ok": *\([0-9]*\).*/\1/p')
n=$n0
t=0
while [ "$n" -lt $((n0 + 3)) ]; do
	[ "$t" -lt 100 ] || fail "three refreshes did not happen within 10 s"
	sleep 0.1
	t=$((t + 1))
	n=$(resfencectl status "$DISK_A" --json | sed -n 's/.*"refresh_ok": *\([0-9]*\).*/\1/p')
done
aptpl_has_a || fail "after the heartbeats the APTPL file lost key 0xa1: $(cat "$aptpl_file")"
expect_output_match 'PTPL_A\): *1' sg_persist --in --report-capabilities "$DISK_B"

# 2. A LUN reset: checked at once, still ours.
expect_ok resfencectl reset "$DISK_B"
sg_turs "$SG_B" >/dev/null 2>&1 || :
dd if="$DISK_A" of=/dev/null bs=512 count=1 iflag=direct 2>/dev/null || :
sleep 1
expect_output_match '"state": *"armed"' resfencectl status "$DISK_A" --json
expect_output_match '"conflicts": *0[,}]?$' resfencectl status "$DISK_A" --json

# 3. The target restarts with its saved registrations.
saved=/tmp/aptpl.saved
# A whole copy (not one met half written).
_t=0
until cp "$aptpl_file" "$saved" && grep -q '^PR_REG_END' "$saved" && grep -q '^sa_res_key=161$' "$saved"; do
	[ "$_t" -lt 20 ] || fail "no whole copy of the APTPL file with key 0xa1: $(cat "$aptpl_file")"
	sleep 0.1
	_t=$((_t + 1))
done
klog "pr-aptpl: the target goes down"
for tpg in "$cfg"/loopback/naa.*/tpgt_1; do
	rm "$tpg/lun/lun_0/lun0"
	rmdir "$tpg/lun/lun_0"
done
wait_klog 'scsi_resfence: sda \(8:0\) was removed while held'
rmdir "$bs"
mkdir "$bs"
echo "fd_dev_name=/var/lib/lio/lun0.img,fd_dev_size=$((16 * 1048576))" >"$bs/control"
echo 1 >"$bs/enable"
echo "$serial" >"$bs/wwn/vpd_unit_serial"
# One line per registration, its fields comma-separated (rtslib's restore).
sed -n '/^PR_REG_START/,/^PR_REG_END/p' "$saved" | grep -v '^PR_REG_' | paste -s -d, - >/tmp/aptpl.line
echo "pr-aptpl: restoring $(cat /tmp/aptpl.line)" >/dev/kmsg
cat /tmp/aptpl.line >"$bs/pr/res_aptpl_metadata"
for tpg in "$cfg"/loopback/naa.*/tpgt_1; do
	mkdir "$tpg/lun/lun_0"
	ln -s "$bs" "$tpg/lun/lun_0/lun0"
done
klog "pr-aptpl: the target is back"
# The disks come back, under new names.
_scsi_dev "$(cat "$cfg/loopback/naa.50014050000000a1/tpgt_1/address"):0"
DISK_A=$_blk
_scsi_dev "$(cat "$cfg/loopback/naa.50014050000000b1/tpgt_1/address"):0"
DISK_B=$_blk SG_B=$_sg
klog "pr-aptpl: back as DISK_A=$DISK_A DISK_B=$DISK_B"
expect_output_match '0x0*a1' sg_persist --in --read-keys "$DISK_B"
expect_output_match 'Key=0x0*a1' sg_persist --in --read-reservation "$DISK_B"
expect_fail 24 sh -c "dd if=/dev/zero bs=512 count=1 2>/dev/null | sg_raw -s 512 -i /dev/stdin $SG_B 2a 00 00 00 00 09 00 00 01 00 >/dev/null 2>&1"
expect_ok resfencectl hold "$DISK_A" --mode pr --key 0xa1 --type we --interval 0.5 --lease 0 --action restart --aptpl
expect_output_match 'Key=0x0*a1' sg_persist --in --read-reservation "$DISK_B"
expect_ok resfencectl release "$DISK_A"

# 4. Without --aptpl, nothing is saved.
expect_ok resfencectl hold "$DISK_A" --mode pr --key 0xa1 --type we --interval 0.5 --lease 0 --action restart
if grep -q '^sa_res_key=' "$aptpl_file" 2>/dev/null; then
	fail "a hold without --aptpl left a saved registration: $(cat "$aptpl_file")"
fi
expect_output_match 'PTPL_A\): *0' sg_persist --in --report-capabilities "$DISK_B"
expect_ok resfencectl release "$DISK_A"

# Bad combinations are refused by the tool before the module sees them.
expect_fail 2 resfencectl hold "$DISK_A" --mode scsi2 --epoch-lba 8 --aptpl
out_match 'aptpl needs --mode pr'
pass
