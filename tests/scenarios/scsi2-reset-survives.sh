# A SCSI-2 hold survives a LUN reset issued through the other nexus: the
# reset releases A's reservation, and A's in-kernel refresh takes it again,
# after which B's writes conflict again. The guest must not restart (the
# action is restart: a false fence would end the run as a failure).
# lab-needs: module tool
# lab-timeout: 180
lio_shared_lun 16
load_resfence
expect_ok dd if=/dev/zero of=/tmp/block bs=512 count=1

# No lease: a stalled emulated guest must not fence for the wrong reason.
# With a takeover epoch (LBA 8): the epoch read before each RESERVE must not
# keep a live master from re-reserving after a reset.
expect_ok resfencectl hold "$DISK_A" --mode scsi2 --epoch-lba 8 --interval 0.5 --lease 0 --action restart
expect_output_match '"cdb_len": *10' resfencectl status "$DISK_A" --json
expect_output_match '"epoch": *1[,}]?$' resfencectl status "$DISK_A" --json
# WRITE(10) of one block through B: RESERVATION CONFLICT is sg_raw's exit 24.
expect_fail 24 sg_raw -s 512 -i /tmp/block "$SG_B" 2a 00 00 00 00 00 00 00 01 00

klog "scsi2-reset-survives: LUN reset through $SG_B"
expect_ok sg_reset -d "$SG_B"
# The next refresh through A meets the reset's unit attention, retries, and
# reserves again.
wait_klog 'scsi_resfence: sda: reserved again after a reset' 60
n=300
while :; do
	sg_turs "$SG_B" >/dev/null 2>&1 || :
	_run sg_raw -s 512 -i /tmp/block "$SG_B" 2a 00 00 00 00 00 00 00 01 00
	[ "$RC" -eq 24 ] && break
	[ "$n" -gt 0 ] || fail "B's writes no longer conflict: A did not reserve again"
	sleep 0.1
	n=$((n - 1))
done
expect_output_match '"state": *"armed"' resfencectl status "$DISK_A" --json
expect_output_match '"conflicts": *0[,}]' resfencectl status "$DISK_A" --json
expect_output_match '"epoch": *1[,}]?$' resfencectl status "$DISK_A" --json
expect_ok resfencectl release "$DISK_A"
expect_ok sg_raw -s 512 -i /tmp/block "$SG_B" 2a 00 00 00 00 00 00 00 01 00
unload_resfence
pass
