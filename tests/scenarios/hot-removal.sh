# Hot removal of a held disk: the module notices (SCSI class interface),
# logs it, sends a device-removed event, forgets the device without a
# restart (the action is restart: a false fence fails the run), and then
# unloads cleanly.
# lab-needs: module tool
# lab-timeout: 180
lio_shared_lun 16
load_resfence
monitor_start /tmp/events --json

# No lease: a stalled emulated guest must not fence for the wrong reason.
expect_ok resfencectl hold "$DISK_A" --mode pr --key 0xa1 --type we --interval 0.2 --lease 0 --action restart
expect_output_match '"held_count": *1' resfencectl status --json
klog "hot-removal: deleting $DISK_A"
echo 1 >/sys/block/sda/device/delete
wait_klog 'scsi_resfence: sda \(8:0\) was removed while held'
[ ! -e /sys/block/sda ] || fail "sda still exists after delete"
expect_output_match '"held_count": *0' resfencectl status --json
wait_line /tmp/events '"event": *"device-removed"'
kill "$MON"
# Nothing pins the module any more.
unload_resfence
pass
