# A conflict while acquiring is an answer, not a fence: with the LUN held by
# the other nexus (a persistent reservation, then a SCSI-2 one), a hold
# through A fails with "held elsewhere" (exit 4) and the kernel's words, the
# guest keeps running, nothing stays held, and A's key is not left registered.
# lab-needs: module tool
# lab-timeout: 180
lio_shared_lun 16
load_resfence

# Persistent reservation held by B.
expect_ok sg_persist --out --register --param-sark=0xb1 "$DISK_B"
expect_ok sg_persist --out --reserve --param-rk=0xb1 --prout-type=1 "$DISK_B"
expect_fail 4 resfencectl hold "$DISK_A" --mode pr --key 0xa1 --type we --action restart
printf '%s\n' "$OUT" | grep -q 'reservation held by another node' ||
	fail "no kernel message in: $OUT"
_run sg_persist --in --read-keys "$DISK_B"
printf '%s\n' "$OUT" | grep -q '0xa1' && fail "A's key stayed registered after the failed hold"
expect_output_match '"held_count": *0' resfencectl status --json
expect_ok sg_persist --out --release --param-rk=0xb1 --prout-type=1 "$DISK_B"
expect_ok sg_persist --out --register --param-rk=0xb1 --param-sark=0 "$DISK_B"

# SCSI-2 reservation held by B (RESERVE(10) through B's sg node).
expect_ok sg_raw "$SG_B" 56 00 00 00 00 00 00 00 00 00
expect_fail 4 resfencectl hold "$DISK_A" --mode scsi2 --allow-reset-window --action restart
printf '%s\n' "$OUT" | grep -q 'reservation held by another node' ||
	fail "no kernel message in: $OUT"
# PR IN through A is refused while B holds the SCSI-2 reservation.
expect_fail 4 resfencectl keys "$DISK_A"
expect_output_match '"held_count": *0' resfencectl status --json
expect_ok sg_raw "$SG_B" 57 00 00 00 00 00 00 00 00 00

# And once B let go, the same hold succeeds.
expect_ok resfencectl hold "$DISK_A" --mode scsi2 --allow-reset-window --lease 0 --action restart
expect_ok resfencectl release "$DISK_A"
unload_resfence
pass
