# resfencectl defaults: shows the module's defaults (text and --json); sets
# them (SET_DEFAULTS), after which a hold that names no setting gets them
# (status --json shows them on the device); a fixed lease and the automatic
# one again; values only the module can judge (a lease against the interval
# already set) refused with the module's own message and nothing changed;
# values the tool judges refused as usage errors; unprivileged callers
# refused.
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
# device_has RE: the device part of the last status --json output matches RE
# (the module's defaults, earlier in the output, have the same field names).
device_has() {
	printf '%s\n' "$OUT" | sed -n '/"devices"/,$p' | grep -Eq -- "$1" ||
		fail "expected /$1/ in the devices of: $OUT"
}
defaults_have() {
	printf '%s\n' "$OUT" | sed -n '/"defaults"/,/}/p' | grep -Eq -- "$1" ||
		fail "expected /$1/ in the defaults of: $OUT"
}

# The built-in defaults.
expect_output_match '^defaults: mode pr, interval 2 s, lease 4 s \(2 x interval\), action restart$' \
	resfencectl defaults
expect_ok resfencectl defaults --json
for re in '^\{$' '"mode": "pr"' '"interval_ms": 2000' '"lease_ms": 4000' '"lease_auto": true' \
	'"action": "restart"' '^\}$'; do
	expect_msg "$re"
done

# New defaults: scsi2, 0.5 s, log; the lease stays automatic (1 s now).
expect_ok resfencectl defaults --mode scsi2 --interval 0.5 --action log
expect_msg '^defaults: mode scsi2, interval 0.5 s, lease 1 s \(2 x interval\), action log$'
expect_ok resfencectl status --json
defaults_have '"mode": "scsi2"'
defaults_have '"interval_ms": 500'
defaults_have '"lease_ms": 1000'
defaults_have '"lease_auto": true'
defaults_have '"action": "log"'

# A hold that names nothing gets them; in scsi2 mode it must still say how
# the reset window is handled (the module's defaults cannot: it is per disk).
expect_fail 2 resfencectl hold "$DISK_A"
printf '%s\n' "$OUT" | grep -q 'scsi2 without a takeover epoch leaves a window open' ||
	fail "a scsi2 hold without --epoch-lba or --allow-reset-window was not refused with the reason: $OUT"
expect_ok resfencectl hold "$DISK_A" --allow-reset-window
expect_msg '^held /dev/sda \(sda 8:0\): mode scsi2, cdb [0-9]+, interval 0.5 s, lease 1 s, action log$'
wait_klog 'holding sda \(8:0\): scsi2 RESERVE\([0-9]+\), interval 500 ms, lease 1000 ms, action log' 5
expect_ok resfencectl status "$DISK_A" --json
for re in '"name": "sda"' '"mode": "scsi2"' '"state": "armed"' '"interval_ms": 500' \
	'"lease_ms": 1000' '"action": "log"' '"key": null'; do
	device_has "$re"
done
expect_ok resfencectl release "$DISK_A"

# A fixed default lease, then a hold with its own interval keeps that lease.
expect_ok resfencectl defaults --lease 3
expect_msg '^defaults: mode scsi2, interval 0.5 s, lease 3 s, action log$'
expect_ok resfencectl hold "$DISK_A" --allow-reset-window --interval 1
expect_msg ', interval 1 s, lease 3 s, action log$'
expect_ok resfencectl status "$DISK_A" --json
device_has '"lease_ms": 3000'
device_has '"interval_ms": 1000'
expect_ok resfencectl release "$DISK_A"

# Only the module can judge these: an interval the fixed 3 s lease would not
# outlast, a lease no longer than the 0.5 s interval already set. Refused
# with its message; the defaults are unchanged.
expect_fail 1 resfencectl defaults --interval 5
expect_msg '^resfencectl: defaults: cannot set the defaults: Numerical result out of range: lease_ms must be 0 \(no lease\) or longer than interval_ms$'
expect_fail 1 resfencectl defaults --lease 0.5
expect_msg '^resfencectl: defaults: cannot set the defaults: Numerical result out of range: lease_ms must be 0 \(no lease\) or longer than interval_ms$'
expect_output_match '^defaults: mode scsi2, interval 0.5 s, lease 3 s, action log$' resfencectl defaults

# Back to the automatic lease: it follows the interval again.
expect_ok resfencectl defaults --lease auto --interval 5
expect_msg '^defaults: mode scsi2, interval 5 s, lease 10 s \(2 x interval\), action log$'
expect_ok resfencectl defaults --json
expect_msg '"lease_auto": true'
expect_msg '"lease_ms": 10000'
# No lease at all.
expect_ok resfencectl defaults --lease 0 --mode pr --action restart --interval 2
expect_msg '^defaults: mode pr, interval 2 s, lease off, action restart$'

# The tool's own checks: usage errors (2), nothing sent.
expect_fail 2 resfencectl defaults --interval 0
expect_msg "^resfencectl: defaults: --interval: '0' is out of range"
expect_fail 2 resfencectl defaults --lease sometimes
expect_fail 2 resfencectl defaults --mode scsi3
expect_fail 2 resfencectl defaults --action reboot
expect_fail 2 resfencectl defaults --interval 2 --lease 1
expect_msg '^resfencectl: defaults: --lease must be longer than --interval \(or 0, or auto\)$'

# Unprivileged: refused (7), unchanged.
expect_fail 7 as_user resfencectl defaults --interval 1
expect_fail 7 as_user resfencectl defaults
expect_output_match '^defaults: mode pr, interval 2 s, lease off, action restart$' resfencectl defaults

expect_output_match '"held_count": 0' resfencectl status --json
unload_resfence
pass
