# The netlink fuzzer (resfence-fuzz, userspace/tests/tools/): a short run of
# random and mutated messages to every command of the family and unknown
# ones, on the raw socket, as root and as an unprivileged user, naming the
# devices of a real shared LUN (both paths), a SCSI disk without persistent
# reservations (scsi_debug), a removed SCSI disk, a RAM disk (not SCSI),
# and numbers nothing has. Asserted: the module answers after every message
# (the fuzzer's GET_INFO ping), the held set is exactly what the successful
# requests imply, no unprivileged request succeeds, nothing stays held or
# registered on the disk, the module unloads, and (the debug kernel's
# harness) no KASAN, UBSAN, lockdep, debug-objects or kmemleak report.
# Debug kernel only: on Debian's kernel the same run finds nothing the
# checkers would (tests/bench/netlink-fuzz.sh runs 100,000 messages there).
# A failure prints the seed and the message as hex: replay it with
#   resfence-fuzz --replay HEX   (or --seed S --skip I --count 1).
# lab-needs: module tool
# lab-kernel: debug
# lab-timeout: 300
command -v resfence-fuzz >/dev/null || fail "resfence-fuzz is not in the image (make userspace)"
lio_shared_lun 16
SEED=${FUZZ_SEED:-16016}
COUNT=${FUZZ_COUNT:-600}

# devnum DEV: MAJ:MIN of a block device node.
devnum() {
	_n=$(stat -c '%t:%T' "$1")
	echo "$((0x${_n%:*})):$((0x${_n#*:}))"
}

# Two scsi_debug disks (no persistent reservations): one stays, one is
# deleted so that its numbers name a removed disk.
expect_ok modprobe scsi_debug dev_size_mb=8 num_tgts=2
scsi_debug_disks 2
# shellcheck disable=SC2086
set -- $DBG_SDEVS
DBG=/dev/$(ls "$1/block")
GONE=/dev/$(ls "$2/block")
wait_path "$DBG"
wait_path "$GONE"
GONE_NUM=$(devnum "$GONE")
echo 1 >"$2/delete"
[ ! -e "/sys/block/${GONE#/dev/}" ] || fail "$GONE still exists after delete"
expect_ok modprobe brd rd_nr=1 rd_size=1024
wait_path /dev/ram0

DEVS="--dev $(devnum "$DISK_A") --dev $(devnum "$DISK_B") --dev $(devnum "$DBG") --dev $GONE_NUM --dev $(devnum /dev/ram0) --dev 240:7"
klog "netlink-fuzz: seed $SEED, $COUNT messages, devices: $DEVS"

load_resfence
# Holds that succeed must never restart the guest (resfence-fuzz rewrites
# every ACTION to log; the default is log before it starts).
expect_ok resfence-nlraw set_defaults action=3

# shellcheck disable=SC2086
expect_ok resfence-fuzz --seed "$SEED" --count "$COUNT" $DEVS
printf '%s\n' "$OUT"
out_match '^ok: the module answered every message; held set as modelled; released$'
# Something was held and released on the way (the run exercised the paths
# that change state, not only the refusals).
out_match '^  errno 0 success: [1-9]'
# shellcheck disable=SC2086
expect_ok as_user resfence-fuzz --seed "$((SEED + 1))" --count 300 --unprivileged $DEVS
printf '%s\n' "$OUT"
out_match '^ok: no unprivileged request succeeded$'
out_match '^  errno 1 EPERM: [1-9]'

# The module is consistent: it answers, holds nothing, and nothing the
# fuzzer did stays registered or reserved on the LUN.
expect_ok resfence-nlraw set_defaults lease_auto interval_ms=2000 action=1 mode=2
expect_ok resfence-nlraw get_info
out_match '^reply get_info: version="[^"]+" held_count=0 interval_ms=2000 lease_ms=4000 lease_auto=true action=1 mode=2$'
expect_ok resfence-nlraw --dump get_device
out_match '^ok: 0 reply messages$'
expect_ok sg_persist --in --read-keys "$DISK_B"
out_match 'there are NO registered reservation keys'
expect_ok sg_persist --in --read-reservation "$DISK_B"
out_match 'NO reservation'
dmesg | grep -E 'BUG: |WARNING: |kernel BUG at|Oops|general protection fault|Call Trace:|UBSAN:' &&
	fail "kernel splat in dmesg"
unload_resfence
pass
