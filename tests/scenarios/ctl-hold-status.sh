# resfencectl hold/status/keys/release on an LIO LUN, in both modes, with
# the human output checked for alignment and the --json output for its
# documented fields; devices named through a symlink; --key auto derived from
# /etc/machine-id exactly as resfencectl(8) documents it.
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
	printf '%s\n' "$OUT" | grep -Eq -- "$1" || fail "expected /$1/ in: $OUT"
}

# Empty state.
expect_output_match '^held: +0 devices$' resfencectl status
expect_output_match '"devices": \[\]' resfencectl status --json

# pr hold through a symlink, the way /dev/disk/by-id names a disk.
ln -s "$DISK_A" /tmp/shared-disk
expect_ok resfencectl hold /tmp/shared-disk --mode pr --key 0xa1 --type we-ro --interval 0.5 --lease 2 --action log
expect_msg '^held /tmp/shared-disk \(sda 8:0\): mode pr, key 0x00000000000000a1, type we-ro, interval 0.5 s, lease 2 s, action log$'

# status: summary lines, then a table whose columns line up: each value
# starts where its header starts.
expect_ok resfencectl status
expect_msg '^held: +1 device$'
hdr=$(printf '%s\n' "$OUT" | grep '^DEVICE ')
row=$(printf '%s\n' "$OUT" | grep '^sda ')
[ -n "$hdr" ] && [ -n "$row" ] || fail "no table in: $OUT"
for col in MODE STATE KEY TYPE INTERVAL LEASE ACTION; do
	prefix=${hdr%%" $col "*}
	at=$((${#prefix} + 1))
	val=$(printf '%s\n' "$row" | cut -c$((at + 1))-)
	case $col in
	MODE) want=pr ;; STATE) want=armed ;; KEY) want=0x00000000000000a1 ;;
	TYPE) want=we-ro ;; INTERVAL) want='0.5 s' ;; LEASE) want='2 s' ;; ACTION) want=log ;;
	esac
	case $val in
	"$want"*) ;;
	*) fail "column $col: expected '$want' at offset $at, row is: $row" ;;
	esac
done

# status DEV --json: the documented fields.
expect_ok resfencectl status "$DISK_A" --json
for re in '"name": "sda"' '"major": 8' '"minor": 0' '"mode": "pr"' '"state": "armed"' \
	'"key": "0x00000000000000a1"' '"pr_type": "we-ro"' '"interval_ms": 500' \
	'"lease_ms": 2000' '"action": "log"' '"refresh_ok": [0-9]+' '"refresh_failed": 0' \
	'"held_count": 1' '"genl_family": "resfence"'; do
	expect_msg "$re"
done

# keys, from the other nexus: A's key registered and holding.
expect_ok resfencectl keys "$DISK_B"
expect_msg '^/dev/sdb \(8:16\): PR generation [0-9]+, reserved by 0x00000000000000a1, type we-ro'
expect_msg '^KEY +HOLDER$'
expect_msg '^0x00000000000000a1  yes$'
expect_ok resfencectl keys "$DISK_B" --json
expect_msg '"holder": "0x00000000000000a1"'
expect_msg '"type": "we-ro"'
expect_msg '"keys": \['
expect_msg '"device": "/dev/sdb"'

# A second hold of the same disk is the module's EEXIST: failure (1).
expect_fail 1 resfencectl hold "$DISK_A" --mode pr --key 0xa1
expect_msg 'device already held by this node'

expect_ok resfencectl release /tmp/shared-disk
expect_msg '^released /tmp/shared-disk$'
expect_fail 8 resfencectl release "$DISK_A"
expect_msg '^resfencectl: release: /dev/sda: No such file or directory: device not held by this node$'
expect_fail 8 resfencectl status "$DISK_A"
expect_ok resfencectl keys "$DISK_B" --json
expect_msg '"reservation": null'
expect_msg '"keys": \[\]'

# scsi2 hold with forced 6-byte CDBs.
expect_ok resfencectl hold "$DISK_A" --mode scsi2 --allow-reset-window --cdb 6 --interval 1 --action log
expect_msg '^held /dev/sda \(sda 8:0\): mode scsi2, cdb 6, interval 1 s, lease 2 s, action log$'
expect_ok resfencectl status "$DISK_A" --json
expect_msg '"cdb_len": 6'
expect_msg '"key": null'
expect_ok resfencectl release "$DISK_A"

# --key auto (the default in pr mode): FNV-1a 64 of "resfence-key-v1:" and
# the machine-id; this machine-id's key is pinned in the unit tests too.
echo 0123456789abcdef0123456789abcdef >/etc/machine-id
expect_ok resfencectl hold "$DISK_A" --mode pr --action log
expect_msg 'key 0x9ab46370d7d59688'
expect_ok resfencectl keys "$DISK_B"
expect_msg '^0x9ab46370d7d59688  yes$'
expect_ok resfencectl release "$DISK_A"
# No machine-id: --key auto cannot work, and says why.
rm /etc/machine-id
expect_fail 1 resfencectl hold "$DISK_A" --mode pr --key auto
expect_msg '^resfencectl: hold: --key auto: /etc/machine-id: cannot read'

expect_output_match '"held_count": 0' resfencectl status --json
unload_resfence
pass
