# Issue 17: the 2001 post's own window. A third party's reset right after a
# takeover releases the new owner's SCSI-2 reservation until it re-reserves;
# an old master that was frozen through the takeover and is thawed in that
# moment must not take the disk back. Two guests on the host's tgtd through
# the kernel's iSCSI initiator (a LUN reset reaches tgtd), interval 1 s.
#
# scsi2 with a takeover epoch (--epoch-lba):
#  1. A holds (scsi2, epoch block at LBA 8) and writes sequence-numbered
#     blocks; B's takeover of the live A is refused (exit 5): the epoch does
#     not stop a live master re-reserving after the takeover test's reset.
#  2. A is frozen; B's takeover succeeds and bumps the epoch (2).
#  3. B writes over A's region, then a third party resets the LUN
#     (sg_reset -d through B's nexus), which releases B's reservation.
#  4. A is thawed at once. A must restart, fenced by the moved epoch or by
#     B's reservation, never re-reserving; B must not be fenced and must
#     hold the disk again; B's blocks are intact. Of A's writes after the
#     takeover, only the one that met the reset's unit attention may be on
#     the disk (one queued when A froze, or A's first after the thaw): it is retried by the SCSI mid-layer while nobody holds the
#     reservation, before A's epoch check can answer (SCSI-2 keeps nothing
#     at the target across a reset; Documentation/timing.md, "The reset
#     window"). Without the epoch, A re-reserved and wrote on: 111 and 120
#     blocks in the issue's runs, and B was fenced.
# pr (the regression test): the same four steps with B preempting A's key:
#  A restarts at its first command, B untouched, no late write on the disk.
# lab-needs: module tool
# lab-timeout: 600
. "$VM_DIR/../failover/lib.sh"

EPOCH_LBA=8
lab_initiator kernel
guest_start A B
fo_load A B
dev=$(fo_dev A)

scsi2_opts="--mode scsi2 --epoch-lba $EPOCH_LBA --interval $FO_INTERVAL --lease 0 --action restart"

# B's third-party reset, at once after the takeover (step 3), then A's thaw
# with nothing in between but B's marker (step 4). Sets T_RESET.
reset_then_thaw() {
	guest_ok B 'sg_reset -d $SG >/dev/null && klog "failover-reset-window: LUN reset through B"'
	T_RESET=$(host_now)
	guest_thaw A
}

# first_after_thaw: the sequence number of A's first write after its thaw.
first_after_thaw() {
	fo_issued_after A "$T_RESET" | sort -n | head -n 1
}

# The end of each variant: A restarted with FENCE_RE, none of its late writes
# landed, B's blocks intact, B not fenced and holding the disk (its own write
# goes through, B armed with no conflict counted).
# ALLOWED: "none", or "first" (scsi2: the one write that met the reset, which
# is A's first to reach the target after the thaw: one its writer had queued
# when A froze, or the first it issued after the thaw).
judge() {
	local label=$1 allowed=$3 late landed attempted first
	FO_T_FENCED=$(guest_expect_restart A "$2" 60)
	lab_log "$label: reset at $T_RESET; A fenced at $FO_T_FENCED ($(fo_sub "$FO_T_FENCED" "$T_RESET") s later): $(fo_fence_reason A)"
	fo_landed A >"$LAB_RUN/A-after"
	late=$(comm -13 <(sort "$LAB_RUN/A-before") <(sort "$LAB_RUN/A-after") | sort -n)
	first=$(first_after_thaw)
	if [ "$allowed" = first ] && [ -n "$late" ] && [ "$(wc -l <<<"$late")" -eq 1 ] &&
		{ [ "$late" = "$first" ] || [ "$late" -le "$FO_FROZEN_LAST" ]; }; then
		# That one block of B's is gone; every other is intact.
		lab_log "$label: A's write seq $late landed ($( [ "$late" = "$first" ] && echo "its first after the thaw" || echo "queued when it froze")): the reset's retried command"
		grep -vx "$late" "$LAB_RUN/B-wrote" | cmp -s - <(fo_landed B) ||
			host_fail "$label: B's blocks other than seq $late were overwritten"
	elif [ -n "$late" ]; then
		host_fail "$label: blocks of A's landed after B's takeover: seq $(echo $late) (first after the thaw: ${first:-none})"
	else
		fo_intact B || host_fail "$label: B's blocks were overwritten"
	fi
	read -r attempted landed <<<"$(fo_late_writes A "$LAB_RUN/A-before")"
	guest_ok B 'n=100; until resfencectl status $DISK --json | grep -Eq "\"state\": *\"armed\""; do [ $n -gt 0 ] || exit 1; sleep 0.1; n=$((n-1)); done'
	guest_ok B 'resfencectl status $DISK --json | grep -Eq "\"conflicts\": *0[,}]?$"'
	# B writes once more after the reset: it holds the disk (scsi2: it
	# re-reserved; pr: its reservation survived the reset).
	guest_ok B 'sg_turs $SG >/dev/null 2>&1; dd if=/dev/zero bs=512 count=1 2>/dev/null | sg_raw -s 512 -i /dev/stdin $SG 2a 00 00 00 00 09 00 00 01 00'
	lab_log "$label: A attempted $attempted write(s) after B's takeover, $landed landed; B not fenced"
}

# --- scsi2 with a takeover epoch ------------------------------------------
guest_ok A "resfencectl hold \$DISK $scsi2_opts | grep -q ', epoch 1 at LBA $EPOCH_LBA,'"
fo_writer_start A
fo_wait_landed A 10

# 1. A live master re-reserves after the takeover test's reset.
rc=0
out=$(guest_run B "resfencectl takeover \$DISK $scsi2_opts") || rc=$?
[ "$rc" -eq 5 ] || host_fail "B's takeover of a live master exited $rc, expected 5: $out"
guest_klog_wait A 'scsi_resfence: [a-z]+: reserved again after a reset' 30 >/dev/null
guest_ok A 'resfencectl status $DISK --json | grep -Eq "\"epoch\": *1[,}]?$"'

# 2. A frozen; B takes over and bumps the epoch.
fo_freeze A
out=$(guest_run B "resfencectl takeover \$DISK $scsi2_opts") ||
	host_fail "B's takeover of a frozen master failed: $out"
printf '%s\n' "$out" | grep -q ", epoch 2 at LBA $EPOCH_LBA," ||
	host_fail "B's takeover did not bump the epoch to 2: $out"

# 3, 4.
fo_landed A >"$LAB_RUN/A-before"
fo_overwrite B "$FO_FROZEN_LAST"
fo_intact B || host_fail "B's 32 blocks are not all on the LUN"
reset_then_thaw
judge "scsi2+epoch" "scsi_resfence: FENCED ${dev//[()]/.} key 0x[0-9a-f]+: (the takeover epoch on the disk moved \(another node took over\)|reservation conflict): restarting now" first
if grep -q 'scsi_resfence: [a-z]*: reserved again after a reset' <(sed -n "/failover-reset-window: LUN reset through B/,\$p" "$(fo_ts_log A)"); then
	host_fail "A reserved the disk again after the reset that followed B's takeover"
fi
guest_ok B 'resfencectl release $DISK'

# --- pr: the same steps with a preempt ------------------------------------
fo_fresh_master A B
dev=$(fo_dev A)
fo_hold A "$FO_KEY_A" restart
fo_writer_start A
fo_wait_landed A 10
fo_freeze A
out=$(guest_run B "$(fo_preempt_cmd "$FO_KEY_B")") || host_fail "B's preempt failed: $out"
fo_landed A >"$LAB_RUN/A-before"
fo_overwrite B "$FO_FROZEN_LAST"
fo_intact B || host_fail "B's 32 blocks are not all on the LUN"
reset_then_thaw
judge "pr" "scsi_resfence: FENCED ${dev//[()]/.} key $FO_KEY_A: .*: restarting now" none
guest_ok B 'resfencectl release $DISK'
