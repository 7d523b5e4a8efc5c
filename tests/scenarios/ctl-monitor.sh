# resfencectl monitor: one line per event in text, one JSON object per line
# with --json, until SIGTERM/SIGINT, which end it with exit 0. Events from a
# hold and a release, with the device named; refresh-failed when the disk
# stops answering under a log-mode hold.
# lab-needs: module tool
# lab-timeout: 180
lio_shared_lun 16
load_resfence

stop_monitor() {
	kill -TERM "$MON"
	rc=0
	wait "$MON" || rc=$?
	[ "$rc" -eq 0 ] || fail "monitor exited $rc after SIGTERM, expected 0"
}

monitor_start /tmp/text
MON_TEXT=$MON
monitor_start /tmp/json --json

expect_ok resfencectl hold "$DISK_A" --mode pr --key 0xa1 --interval 0.5 --action log
expect_ok resfencectl release "$DISK_A"

wait_line /tmp/text '^[0-9T:.+-]+ held sda 8:0 key=0x00000000000000a1$' 30
wait_line /tmp/text '^[0-9T:.+-]+ released sda 8:0' 30
wait_line /tmp/json '"event":"held"' 30
wait_line /tmp/json '"event":"released"' 30
grep '"event":"held"' /tmp/json | grep -q '"key":"0x00000000000000a1"' || fail "held event without key: $(cat /tmp/json)"
grep '"event":"held"' /tmp/json | grep -q '"name":"sda","major":8,"minor":0' ||
	fail "held event does not name sda 8:0: $(cat /tmp/json)"
# Every JSON line is one object with the documented fields.
while read -r line; do
	for f in time event name major minor key errno reason; do
		printf '%s\n' "$line" | grep -q "\"$f\":" || fail "field $f missing in: $line"
	done
done </tmp/json

# A failing refresh: take the disk offline under a log-mode hold with no lease.
expect_ok resfencectl hold "$DISK_A" --mode pr --key 0xa1 --interval 0.5 --lease 0 --action log
echo offline >/sys/block/sda/device/state
wait_line /tmp/json '"event":"refresh-failed"' 30
wait_line /tmp/text ' refresh-failed sda 8:0 .*errno=-[0-9]+ \(' 30
echo running >/sys/block/sda/device/state
expect_ok resfencectl release "$DISK_A"

stop_monitor # the --json one
MON=$MON_TEXT
stop_monitor
unload_resfence
pass
