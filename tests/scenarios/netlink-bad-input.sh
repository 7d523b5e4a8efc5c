# The module's own input checks, reached with resfence-nlraw (a test-only raw
# genl client: resfencectl validates first, so these requests never come from
# it). Each malformed request must be refused with its exact errno and an
# extended ACK whose message says what was wrong and, where one attribute is
# to blame, points at it (NLMSGERR_ATTR_OFFS) or names the one that is
# missing (NLMSGERR_ATTR_MISS_TYPE). Every number outside its UAPI bound
# (interval, lease, epoch block, device numbers) is refused by the policy
# with -ERANGE and the bound in the extended ACK; the bounds themselves are
# accepted. Afterwards the module is unharmed:
# GET_INFO answers with unchanged defaults, nothing is held or registered on
# the disk, no splat in the kernel log, and it unloads.
# lab-needs: module tool
# lab-timeout: 300
command -v resfence-nlraw >/dev/null || fail "resfence-nlraw is not in the image (make userspace)"
lio_shared_lun 16
load_resfence

# refused ERRNO MESSAGE ATTR ARGS...: resfence-nlraw ARGS exits ERRNO, the
# extack message is exactly MESSAGE, and the blamed attribute is ATTR
# ("-": none; "missing:NAME": NAME reported missing).
# Matched with the shell's own case, whole lines, no grep: a process costs
# about a second on the debug kernel under TCG, and this runs 60 times.
NL='
'
refused() {
	_errno=$1 _msg=$2 _attr=$3
	shift 3
	expect_fail "$_errno" resfence-nlraw "$@"
	case "$NL$OUT$NL" in
	*"${NL}extack: $_msg$NL"*) ;;
	*) fail "expected extack '$_msg' for: $*" ;;
	esac
	case $_attr in
	-) _line="${NL}extack-attr: " ;;
	missing:*) _line="${NL}extack-missing: ${_attr#missing:}$NL" ;;
	*) _line="${NL}extack-attr: $_attr$NL" ;;
	esac
	case "$NL$OUT$NL" in
	*"$_line"*) [ "$_attr" != - ] || fail "unexpected blamed attribute for: $*" ;;
	*) [ "$_attr" = - ] || fail "expected the attribute $_attr blamed for: $*" ;;
	esac
}

n=$(stat -c '%t:%T' "$DISK_A")
MAJ=$((0x${n%:*}))
MIN=$((0x${n#*:}))
D="dev_major=$MAJ dev_minor=$MIN"
# Errnos (the client exits with the errno the kernel returned).
ENODEV=19 EINVAL=22 ERANGE=34 EOPNOTSUPP=95

# Control: the raw client's well-formed requests work, so what follows is
# the module judging the input, not a broken client.
expect_ok resfence-nlraw get_info
out_match '^reply get_info: version="[^"]+" held_count=0 interval_ms=2000 lease_ms=4000 lease_auto=true action=1 mode=2$'
# shellcheck disable=SC2086
expect_ok resfence-nlraw hold $D mode=1 interval_ms=1000 action=3
out_match "^reply hold: dev_major=$MAJ dev_minor=$MIN disk_name=\"${DISK_A#/dev/}\" mode=1 state=1 interval_ms=1000 lease_ms=2000 action=3 cdb_len="
# shellcheck disable=SC2086
expect_ok resfence-nlraw release $D
out_match '^ok: 0 reply messages$'
# The bounds themselves are accepted: the longest interval, whose automatic
# lease is the longest lease (the longest fixed one: the round trip at the end).
# shellcheck disable=SC2086
expect_ok resfence-nlraw hold $D mode=1 interval_ms=3600000 action=3
out_match ' interval_ms=3600000 lease_ms=7200000 action=3 '
# shellcheck disable=SC2086
expect_ok resfence-nlraw release $D

# shellcheck disable=SC2086
{
	# The bounds in the policies (UAPI RESFENCE_*_MIN/MAX): the core
	# refuses with "integer out of range", blames the attribute, and puts
	# the bound in NLMSGERR_ATTR_POLICY (printed after the message).
	# Interval: 0, 99, above 3600 s; in HOLD, PREEMPT and SET_DEFAULTS.
	IV='integer out of range (100..3600000)'
	refused $ERANGE "$IV" interval_ms hold $D mode=1 interval_ms=99
	refused $ERANGE "$IV" interval_ms preempt $D mode=2 key=0xa1 victim_key=0xb1 interval_ms=3600001
	refused $ERANGE "$IV" interval_ms set_defaults interval_ms=0
	# Lease: above twice the longest interval (the first fuzz run's
	# 2122240000 ms, 24 days, included).
	LV='integer out of range (0..7200000)'
	refused $ERANGE "$LV" lease_ms hold $D mode=1 lease_ms=7200001
	refused $ERANGE "$LV" lease_ms set_defaults lease_ms=2122240000
	# The epoch block: 32 bits (READ(10)).
	refused $ERANGE 'integer out of range (0..4294967295)' epoch_lba \
		hold $D mode=1 epoch_lba=0x100000000
	# Device numbers: what a dev_t carries, in every operation that names one.
	refused $ERANGE 'integer out of range (0..4095)' dev_major hold dev_major=4096 dev_minor=0 mode=1
	refused $ERANGE 'integer out of range (0..1048575)' dev_minor \
		read_keys dev_major=$MAJ dev_minor=0xffffffff

	# A lease no longer than the interval (given, or the default 2 s).
	refused $ERANGE 'lease_ms must be 0 (no lease) or longer than interval_ms' lease_ms \
		hold $D mode=1 interval_ms=1000 lease_ms=1000
	refused $ERANGE 'lease_ms must be 0 (no lease) or longer than interval_ms' lease_ms \
		hold $D mode=1 lease_ms=2000
	refused $ERANGE 'lease_ms must be 0 (no lease) or longer than interval_ms' lease_ms \
		set_defaults lease_ms=1500
	# The automatic lease and a fixed one at once; LEASE_AUTO is a flag,
	# and SET_DEFAULTS is the only operation that takes it.
	refused $EINVAL 'lease_auto and lease_ms exclude each other: the default lease is either twice the interval or fixed' \
		lease_auto set_defaults lease_auto lease_ms=5000
	refused $ERANGE 'Attribute failed policy validation' lease_auto set_defaults lease_auto:u8=1
	refused $EINVAL 'Unsupported attribute' lease_auto hold $D mode=1 lease_auto

	# Unknown mode, action, PR type.
	refused $EINVAL 'mode: unknown (scsi2 or pr)' mode hold $D mode=3
	refused $EINVAL 'mode: unknown (scsi2 or pr)' mode hold $D mode=0
	refused $EINVAL 'mode: unknown (scsi2 or pr)' mode set_defaults mode=7
	refused $EINVAL 'action: unknown (restart, panic or log)' action hold $D mode=1 action=4
	refused $EINVAL 'action: unknown (restart, panic or log)' action hold $D mode=1 action=0
	refused $EINVAL 'action: unknown (restart, panic or log)' action set_defaults action=9
	refused $EINVAL 'pr_type: unknown (1 we, 3 ea, 5 we-ro, 6 ea-ro, 7 we-ar, 8 ea-ar)' pr_type \
		hold $D mode=2 key=0xa1 pr_type=9
	refused $EINVAL 'pr_type: unknown (1 we, 3 ea, 5 we-ro, 6 ea-ro, 7 we-ar, 8 ea-ar)' pr_type \
		hold $D mode=2 key=0xa1 pr_type=2

	# Keys: 0, absent in pr mode, a victim of 0 or of our own key, or none.
	refused $EINVAL 'key must not be 0 (0 means unregistered)' key hold $D mode=2 key=0
	refused $EINVAL 'pr mode needs a key (key)' - hold $D mode=2
	refused $EINVAL 'victim_key must be non-zero and differ from key' victim_key \
		preempt $D mode=2 key=0xa1 victim_key=0
	refused $EINVAL 'victim_key must be non-zero and differ from key' victim_key \
		preempt $D mode=2 key=0xa1 victim_key=0xa1
	refused $EINVAL "pr preempt needs the victim's key (victim_key)" - preempt $D mode=2 key=0xa1

	# CDB length: 7, and any in pr mode; pr-only attributes in scsi2 mode.
	refused $EINVAL 'cdb_len must be 0 (auto), 6 or 10' cdb_len hold $D mode=1 cdb_len=7
	refused $EINVAL 'cdb_len applies to scsi2 mode only' cdb_len hold $D mode=2 key=0xa1 cdb_len=6
	refused $EINVAL 'key and pr_type apply to pr mode only' key hold $D mode=1 key=0xa1
	refused $EINVAL 'key and pr_type apply to pr mode only' pr_type hold $D mode=1 pr_type=1
	refused $EINVAL 'victim_key and abort apply to pr mode only (a scsi2 preempt is a reset, then a reserve)' \
		victim_key preempt $D mode=1 victim_key=0xb1

	# The device: missing, nonexistent (major 240 is for
	# local use; nothing registers it).
	refused $EINVAL 'the device is required: dev_major and dev_minor' missing:dev_major \
		hold dev_minor=$MIN mode=1
	refused $EINVAL 'the device is required: dev_major and dev_minor' missing:dev_minor \
		get_device dev_major=$MAJ
	refused $EINVAL 'the device is required: dev_major and dev_minor' missing:dev_major release
	refused $ENODEV 'no block device with this major:minor' dev_major \
		hold dev_major=240 dev_minor=7 mode=1
	refused $ENODEV 'no block device with this major:minor' dev_major \
		read_keys dev_major=240 dev_minor=7

	# Malformed attributes, caught by the policy before any handler runs:
	# a u8 where a u32 is expected, a u32 where a u64 is, an empty u32, a
	# flag with a payload.
	refused $EINVAL 'invalid attribute length' dev_major hold dev_major:u8=$MAJ dev_minor=$MIN mode=1
	refused $EINVAL 'invalid attribute length' key hold $D mode=2 key:u32=161
	refused $EINVAL 'invalid attribute length' interval_ms set_defaults interval_ms:empty
	refused $ERANGE 'Attribute failed policy validation' abort \
		preempt $D mode=2 key=0xa1 victim_key=0xb1 abort:u8=1

	# Strict validation: an attribute the operation does not take, and an
	# attribute type the family does not have.
	refused $EINVAL 'Unsupported attribute' key release $D key=0xa1
	refused $EINVAL 'Unsupported attribute' abort hold $D mode=2 key=0xa1 abort
	refused $EINVAL 'Unsupported attribute' interval_ms get_info interval_ms=2000
	refused $EINVAL 'Unsupported attribute' key set_defaults key=5
	refused $EINVAL 'Unknown attribute type' 'type 200' get_info 200:u32=1
	refused $EINVAL 'Unknown attribute type' 'type 200' hold $D mode=1 200:u32=1
}

# NLM_F_DUMP: only GET_DEVICE dumps; its dump is strictly validated too.
expect_ok resfence-nlraw --dump get_device
out_match '^ok: 0 reply messages$'
# shellcheck disable=SC2086
expect_fail $EOPNOTSUPP resfence-nlraw --dump hold $D mode=1
refused $EINVAL 'Unsupported attribute' key --dump get_device key=1
# Commands the family does not serve: the event (multicast only), and 99.
expect_fail $EOPNOTSUPP resfence-nlraw event
expect_fail $EOPNOTSUPP resfence-nlraw 99

# The module is fine: GET_INFO answers with the defaults as they were (the
# refused SET_DEFAULTS changed nothing), nothing is held, no key was
# registered on the disk, no splat, and it unloads.
expect_ok resfence-nlraw get_info
out_match '^reply get_info: version="[^"]+" held_count=0 interval_ms=2000 lease_ms=4000 lease_auto=true action=1 mode=2$'
expect_ok resfence-nlraw --dump get_device
out_match '^ok: 0 reply messages$'
expect_output_match '"held_count": 0' resfencectl status --json
expect_ok sg_persist --in --read-keys "$DISK_B"
out_match 'there are NO registered reservation keys'

# LEASE_AUTO round trip: a fixed default lease (the longest) clears the
# flag, the flag brings the lease that follows the interval back.
expect_ok resfence-nlraw set_defaults lease_ms=7200000
expect_ok resfence-nlraw get_info
out_match ' interval_ms=2000 lease_ms=7200000 action=1 mode=2$'
expect_ok resfence-nlraw set_defaults lease_auto
expect_ok resfence-nlraw get_info
out_match ' interval_ms=2000 lease_ms=4000 lease_auto=true action=1 mode=2$'

# The markers tests/vm/vm.sh judges a console by ("BUG" alone would match "DEBUG").
dmesg | grep -E 'BUG: |WARNING: |kernel BUG at|Oops|general protection fault|Call Trace:|UBSAN:' &&
	fail "kernel splat in dmesg"
unload_resfence
pass
