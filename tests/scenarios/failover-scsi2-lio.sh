# Issue 6, scenario 5, the quick variant: the 2001 SCSI-2 flow on one guest,
# node A = tcm_loop nexus A ($DISK_A), node B = nexus B ($DISK_B) of one LIO
# LUN, one scsi_resfence serving both "nodes".
#  1. A holds with RESERVE (scsi2, interval 1 s, action restart). B resets
#     the LUN, which releases A's reservation; A re-reserves within one
#     interval and B's writes conflict again.
#  2. B's `takeover` (LUN reset, wait 3 s, RESERVE) finds A alive: exit 5.
#  3. A hung: one guest cannot freeze half of itself (a SIGSTOP does not
#     stop the module's timer), so A's *path* hangs instead. Nexus A's target
#     port is moved to ALUA state Unavailable: every RESERVE A's refresh
#     sends fails with NOT READY, as if its HBA had stopped answering; A
#     keeps its hold and does not fence (no lease). B's takeover now succeeds
#     and B holds the disk.
#  4. A's path comes back (Active/Optimized): A's next refresh meets B's
#     reservation, and A restarts, the fence line naming A's disk.
# What this does not cover: a hung *machine*, and a reset travelling over a
# real transport to a separate target: failover-scsi2-iscsi.host.sh does
# both (two guests, the kernel's iSCSI initiator, tgtd on the host).
# lab-needs: module tool
# lab-timeout: 300
lio_shared_lun 16
load_resfence
expect_ok dd if=/dev/zero of=/tmp/block bs=512 count=1
# WRITE(10) of LBA 0 through nexus B; a TEST UNIT READY first takes the
# unit attention a reset or ALUA change leaves for the nexus.
write_b() {
	sg_turs "$SG_B" >/dev/null 2>&1 || :
	_run sg_raw -s 512 -i /tmp/block "$SG_B" 2a 00 00 00 00 00 00 00 01 00
}
name_a=${DISK_A#/dev/}
dev_a="$name_a ($(cat "/sys/class/block/$name_a/dev"))"

# 1. A holds; a LUN reset from B; A reserves again.
expect_ok resfencectl hold "$DISK_A" --mode scsi2 --epoch-lba 8 --interval 1 --lease 0 --action restart
write_b
[ "$RC" -eq 24 ] || fail "B's write while A holds: exit $RC, expected 24 (reservation conflict)"
klog "failover-scsi2-lio: B resets the LUN"
expect_output_match 'lun reset done' resfencectl reset "$DISK_B" --level lun
wait_klog "scsi_resfence: $name_a: reserved again after a reset" 30
write_b
[ "$RC" -eq 24 ] || fail "B's write after A re-reserved: exit $RC, expected 24"

# 2. Live master: B's takeover is refused.
expect_fail 5 resfencectl takeover "$DISK_B" --mode scsi2 --epoch-lba 8 --interval 1 --lease 0 --action restart
out_match 'LUN reset; waiting 3 s \(max\(2 x interval 1 s, lease off\) \+ margin 1 s\) for a live master to re-reserve'
out_match 'master alive: it re-reserved the disk after the reset'
expect_output_match '"state": *"armed"' resfencectl status "$DISK_A" --json
expect_fail 8 resfencectl status "$DISK_B"

# 3. A's path hangs: nexus A's port alone in an ALUA group, made Unavailable.
alua=/sys/kernel/config/target/core/fileio_0/lun0/alua/nexus_a
mkdir "$alua"
echo 2 >"$alua/tg_pt_gp_id"
echo 1 >"$alua/alua_access_type"
echo nexus_a >/sys/kernel/config/target/loopback/naa.50014050000000a1/tpgt_1/lun/lun_0/alua_tg_pt_gp
klog "failover-scsi2-lio: nexus A's port goes Unavailable"
echo 3 >"$alua/alua_access_state"
_run dd if="$DISK_A" of=/dev/null bs=512 count=1 iflag=direct
[ "$RC" -ne 0 ] || fail "a read through nexus A still works with its port Unavailable"
expect_ok resfencectl takeover "$DISK_B" --mode scsi2 --epoch-lba 8 --interval 1 --lease 0 --action restart
out_match '^held /dev/sd[a-z]+ \(sd[a-z]+ [0-9]+:[0-9]+\): mode scsi2'
expect_output_match '"state": *"armed"' resfencectl status "$DISK_B" --json
# A did not fence itself: its refreshes failed, none met a conflict.
expect_output_match '"conflicts": *0[,}]?$' resfencectl status "$DISK_A" --json
expect_output_match '"refresh_failed": *[1-9]' resfencectl status "$DISK_A" --json
write_b
[ "$RC" -eq 0 ] || fail "B's write after its takeover: exit $RC"

# 4. A's path comes back: its next refresh meets B's reservation.
expect_restart "scsi_resfence: FENCED $(echo "$dev_a" | sed 's/[()]/\\&/g') key 0x[0-9a-f]+: reservation conflict: restarting now"
klog "failover-scsi2-lio: nexus A's port back to Active/Optimized"
echo 0 >"$alua/alua_access_state"
wait_restart 30
