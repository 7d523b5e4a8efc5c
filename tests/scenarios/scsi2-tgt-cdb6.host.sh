# SCSI-2 on tgt, which knows only RESERVE(6)/RELEASE(6): node A's hold with
# the default CDB length tries RESERVE(10), is told the opcode is invalid,
# and falls back to RESERVE(6) (reported as cdb_len 6); the reservation is
# real (node B's writes conflict, and B is not fenced by them: B holds
# nothing), the refresh keeps it with the 6-byte command, and the release
# uses RELEASE(6), after which B writes freely.
# lab-needs: module tool
# lab-timeout: 240

guest_start A B
guest_ok A 'load_resfence'
guest_ok B 'load_resfence'
write9='dd if=/dev/zero bs=512 count=1 2>/dev/null | sg_raw -s 512 -i /dev/stdin $SG 2a 00 00 00 00 09 00 00 01 00'

# With a takeover epoch at LBA 8: READ(10)/WRITE(10) FUA on tgt.
guest_ok A 'resfencectl hold $DISK --mode scsi2 --epoch-lba 8 --interval 0.5 --lease 0 --action restart'
guest_ok A 'resfencectl status $DISK --json | grep -Eq "\"epoch\": *1[,}]?$"'
guest_ok A 'resfencectl status $DISK --json | grep -Eq "\"cdb_len\": *6[,}]?$"'
guest_klog_wait A 'resfence: RESERVE\(10\): command not supported by the device' 10 >/dev/null
guest_fails B 24 "$write9"
# Several refreshes later A still holds it, with no failure.
guest_ok A 'n=300; until resfencectl status $DISK --json | grep -Eq "\"refresh_ok\": *([3-9]|[1-9][0-9]+)"; do [ $n -gt 0 ] || exit 1; sleep 0.1; n=$((n-1)); done'
guest_ok A 'resfencectl status $DISK --json | grep -Eq "\"refresh_failed\": *0[,}]?$"'
guest_fails B 24 "$write9"

guest_ok A 'resfencectl release $DISK'
guest_ok B "$write9"
guest_ok A 'unload_resfence'
