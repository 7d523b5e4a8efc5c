# Hot removal of a held disk: the module notices (SCSI class interface),
# logs it, sends a device-removed event, forgets the device without a
# restart (the action is restart: a false fence fails the run), and then
# unloads cleanly.
# lab-needs: module tool
# lab-timeout: 180
lio_shared_lun 16
load_resfence
resfencectl monitor --json >/tmp/events 2>/tmp/monitor.err &
mon=$!
n=100
until grep -q listening /tmp/monitor.err; do
	[ "$n" -gt 0 ] || fail "resfencectl monitor did not start"
	sleep 0.1
	n=$((n - 1))
done

# No lease: a stalled emulated guest must not fence for the wrong reason.
expect_ok resfencectl hold "$DISK_A" --mode pr --key 0xa1 --type we --interval 0.2 --lease 0 --action restart
expect_output_match '"held_count": *1' resfencectl status --json
klog "hot-removal: deleting $DISK_A"
echo 1 >/sys/block/sda/device/delete
wait_klog 'scsi_resfence: sda \(8:0\) was removed while held'
[ ! -e /sys/block/sda ] || fail "sda still exists after delete"
expect_output_match '"held_count": *0' resfencectl status --json
n=100
until grep -q '"event": *"device-removed"' /tmp/events; do
	[ "$n" -gt 0 ] || fail "no device-removed event; got: $(cat /tmp/events)"
	sleep 0.1
	n=$((n - 1))
done
kill "$mon"
# Nothing pins the module any more.
unload_resfence
pass
