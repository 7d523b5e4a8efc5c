# Host-side helpers of the failover scenarios (issue 6: node A, the master,
# and node B, the standby, share one iSCSI LUN of the host's tgtd). Sourced
# after tests/vm/host-lib.sh by tests/scenarios/failover-*.host.sh, by the
# benchmarks' lab sessions tests/bench/*.host.sh and by tests/demo.sh.
#
# Mode: pr. tgt 1.0.85 answers PERSISTENT RESERVE IN (READ KEYS, READ
# RESERVATION, REPORT CAPABILITIES) and OUT (REGISTER, REGISTER AND IGNORE,
# RESERVE, RELEASE, PREEMPT); it refuses PREEMPT AND ABORT with ILLEGAL
# REQUEST, so nothing here uses --abort. SCSI-2 cannot be used for a
# takeover through QEMU's iSCSI initiator: QEMU answers the LUN reset itself,
# so A's RESERVE would survive it. failover-scsi2-iscsi.host.sh runs the
# SCSI-2 flow with the guests' own iscsi_tcp (lab_initiator kernel), whose
# reset reaches tgtd; failover-scsi2-lio.sh is its one-guest variant.
#
# The writer: FO_WRITERS loops in a guest, each writing sequence-numbered
# 512-byte blocks with O_DIRECT (loop k of W writes seq k, k + W, k + 2W...).
# Block N goes to LBA FO_BASE + N, stamped "RESFENCE-BLOCK node=A seq=N".
# One loop by default: the two-guest lab's guests have one CPU, and the
# fence runs in the completion's (interrupt) context; with several loops
# printing their lines, the completion that fences can interrupt a task
# holding the console lock, and the FENCED line then stays in the ring
# buffer, never reaching the console before the restart (seen once in
# about 25 fences with four loops). One loop prints only while none of its
# writes is in flight. Right BEFORE issuing block N the loop writes
#   resfence-writer: A issue seq=N
# to the kernel log, so the console's host timestamp says when (on the
# host's clock) the write was issued; a failed write is logged as
#   resfence-writer: A failed seq=N
# The host reads what landed straight from tgtd's backing file ($LUN_FILE).
#
# Timing: A refreshes every FO_INTERVAL seconds with no lease (--lease 0): a
# lease is a deadline, and a TCG guest on a loaded host can miss a deadline
# without being dead; a lease fence would fail a test for the wrong reason.
# B's takeover is told the same interval and lease, so it waits
# max(2 x interval, lease) + 1 s margin (resfencectl(8)).

FO_KEY_A=0xa1
FO_KEY_B=0xb1
FO_INTERVAL=1
# A's writer region: LBA 4096.. (2 MiB into the LUN), one block per write.
FO_BASE=4096
FO_SPAN=20000
FO_WRITERS=${FO_WRITERS:-1}

# fo_load NAME...: load scsi_resfence on each guest.
fo_load() {
	local n
	for n in "$@"; do
		guest_ok "$n" 'load_resfence'
	done
}

# fo_hold NAME KEY ACTION: NAME holds $DISK in pr mode with KEY.
fo_hold() {
	guest_ok "$1" "resfencectl hold \$DISK --mode pr --key $2 --type we --interval $FO_INTERVAL --lease 0 --action $3"
}

# fo_takeover_cmd KEY [TAG]: the takeover a standby runs, with the master's
# timing, followed by a kernel-log marker when it is done (the host clock
# of "B holds the disk"):  resfence-failover: B takeover exit RC[ TAG]
fo_takeover_cmd() {
	echo "rc=0; resfencectl takeover \$DISK --mode pr --key $1 --type we --interval $FO_INTERVAL --lease 0 --action restart || rc=\$?; klog \"resfence-failover: \$LAB_NODE takeover exit \$rc${2:+ $2}\"; exit \$rc"
}

# fo_preempt_cmd KEY [TAG]: the forced failover, with its marker
#   resfence-failover: B preempt exit RC[ TAG]
fo_preempt_cmd() {
	echo "rc=0; resfencectl preempt \$DISK --mode pr --key $1 --type we --interval $FO_INTERVAL --lease 0 --action restart || rc=\$?; klog \"resfence-failover: \$LAB_NODE preempt exit \$rc${2:+ $2}\"; exit \$rc"
}

# fo_writer_start NAME: start the writer loops on NAME (they run until the
# guest ends or FO_SPAN blocks are written).
fo_writer_start() {
	local k
	for k in $(seq 1 "$FO_WRITERS"); do
		guest_bg "$1" "fo_base=$FO_BASE fo_span=$FO_SPAN fo_step=$FO_WRITERS seq=$k; $(_fo_writer_body)"
	done
	guest_klog_wait "$1" "resfence-writer: $1 issue seq=$FO_WRITERS\$" 30 >/dev/null
}

# One writer loop, busybox ash. dd conv=sync pads the stamp to one block
# with NULs.
_fo_writer_body() {
	cat <<'EOF'
blk=/tmp/fo.blk.$seq
while [ "$seq" -le "$fo_span" ]; do
	printf 'RESFENCE-BLOCK node=%s seq=%d\n' "$LAB_NODE" "$seq" |
		dd of="$blk" bs=512 count=1 conv=sync 2>/dev/null
	printf '<5>resfence-writer: %s issue seq=%d\n' "$LAB_NODE" "$seq" >/dev/kmsg
	dd if="$blk" of="$DISK" bs=512 count=1 seek=$((fo_base + seq)) oflag=direct 2>/dev/null ||
		printf '<5>resfence-writer: %s failed seq=%d\n' "$LAB_NODE" "$seq" >/dev/kmsg
	seq=$((seq + fo_step))
done
EOF
}

# fo_landed NAME [FILE]: the sequence numbers of NAME's writer blocks on the
# LUN (or in FILE, a copy of it), one a line, sorted.
fo_landed() {
	local f=${2:-$LUN_FILE}
	dd if="$f" bs=512 skip="$FO_BASE" count="$((FO_SPAN + 1))" 2>/dev/null |
		tr '\0' '\n' | sed -n "s/^RESFENCE-BLOCK node=$1 seq=\([0-9]*\)\$/\1/p" | sort -n
}

# fo_wait_landed NAME COUNT [SECONDS]: at least COUNT of NAME's blocks landed.
fo_wait_landed() {
	local left=$((${3:-60} * 10))
	while [ "$(fo_landed "$1" | wc -l)" -lt "$2" ]; do
		[ "$left" -gt 0 ] || host_fail "fewer than $2 of $1's writer blocks reached the LUN within ${3:-60}s"
		sleep 0.1
		left=$((left - 1))
	done
}

# fo_ts_log NAME: the host-timestamped console log of NAME's latest boot.
fo_ts_log() {
	echo "${G_LOGB[$1]}.console.ts.log"
}

# fo_held_ts NAME KEY: the host time of NAME's latest kernel line
#   scsi_resfence: holding sda (8:0): pr (preempted) key KEY ...
# which the module prints once the disk is its own (PREEMPT done and
# confirmed by READ RESERVATION, the hold armed): "B holds the disk". Call
# it after the command's marker arrived (the line comes before it).
fo_held_ts() {
	fo_line_ts "$1" "scsi_resfence: holding .* key $2 "
}

# fo_line_ts NAME RE: the host timestamp of NAME's last console line matching
# RE (in its latest boot), or nothing.
fo_line_ts() {
	grep -E -- "$2" "$(fo_ts_log "$1")" | tail -n 1 | cut -d' ' -f1
}

# fo_issued_after NAME T: sequence numbers NAME's writer issued at host time
# later than T (from the console's host timestamps).
fo_issued_after() {
	awk -v t="$2" -v re="resfence-writer: $1 issue seq=" '
		index($0, re) && $1 > t { sub(/.*seq=/, ""); print }' "$(fo_ts_log "$1")"
}

# fo_issued NAME: every sequence number NAME's writers logged as issued.
fo_issued() {
	sed -n "s/.*resfence-writer: $1 issue seq=\([0-9]*\)\$/\1/p" "$(fo_ts_log "$1")"
}

# fo_last_issued NAME: the highest sequence number NAME's writers logged.
fo_last_issued() {
	sed -n "s/.*resfence-writer: $1 issue seq=\([0-9]*\)\$/\1/p" "$(fo_ts_log "$1")" | sort -n | tail -n 1
}

# fo_freeze NAME: freeze NAME (a hung master). Sets FO_T_FREEZE (host
# clock) and FO_FROZEN_LAST, the last sequence number NAME's writer logged:
# read half a second later, so that the console lines NAME wrote before it
# stopped have come through the host's pipe.
fo_freeze() {
	guest_freeze "$1"
	FO_T_FREEZE=$(host_now)
	sleep 0.5
	FO_FROZEN_LAST=$(fo_last_issued "$1")
}

# fo_series RUNS CMD [ARGS...]: CMD ARGS... I for I = 1..RUNS (a benchmark's
# series of runs).
fo_series() {
	local runs=$1 i
	shift
	for i in $(seq 1 "$runs"); do
		"$@" "$i"
	done
}

# fo_fresh_master NAME OTHER: NAME ready to hold the disk again: OTHER lets
# go of it if it holds it, NAME boots again if it restarted (a fence), its
# writer region on the LUN is zeroed, and scsi_resfence is loaded there.
fo_fresh_master() {
	guest_run "$2" 'resfencectl release $DISK' >/dev/null 2>&1 || :
	_guest_alive "$1" || guest_start "$1"
	dd if=/dev/zero of="$LUN_FILE" bs=512 seek="$FO_BASE" count="$((FO_SPAN + 1))" conv=notrunc 2>/dev/null
	fo_load "$1"
}

# fo_overwrite WRITER LAST: WRITER writes 32 blocks "node=WRITER seq=N" at
# the master's writer LBAs, N from LAST - 2 x FO_WRITERS (at least 1) on:
# where the frozen master's writer was and was heading, the blocks a stale
# write of its would destroy. WRITER's blocks then on the LUN go to
# $LAB_RUN/WRITER-wrote, one sequence number a line.
fo_overwrite() {
	local first=$(($2 > 2 * FO_WRITERS ? $2 - 2 * FO_WRITERS : 1))
	guest_ok "$1" "for s in \$(seq $first $((first + 31))); do
		printf 'RESFENCE-BLOCK node=%s seq=%d\n' \$LAB_NODE \$s | dd of=/tmp/over.blk bs=512 count=1 conv=sync 2>/dev/null
		dd if=/tmp/over.blk of=\$DISK bs=512 count=1 seek=\$(($FO_BASE + s)) oflag=direct 2>/dev/null || exit 1
	done"
	fo_landed "$1" >"$LAB_RUN/$1-wrote"
}

# fo_intact WRITER: WRITER's 32 blocks of fo_overwrite are all still on the LUN.
fo_intact() {
	[ "$(wc -l <"$LAB_RUN/$1-wrote")" -eq 32 ] && fo_landed "$1" | cmp -s - "$LAB_RUN/$1-wrote"
}

# fo_late_writes NAME BEFORE: the writes NAME attempted after the snapshot
# BEFORE (a file of the sequence numbers that were on the LUN when NAME
# froze): every one its writers logged as issued that is not in BEFORE, i.e.
# queued when it froze or issued after its thaw. They go to
# $LAB_RUN/NAME-attempted; prints "ATTEMPTED LANDED", how many and how many
# of them are on the LUN now (must be 0). A line NAME's kernel had not
# printed when it restarted is missing from its console: ATTEMPTED can be
# low, never high.
fo_late_writes() {
	fo_issued "$1" | sort -u | comm -23 - <(sort "$2") | sort -n >"$LAB_RUN/$1-attempted"
	echo "$(wc -l <"$LAB_RUN/$1-attempted") $(fo_landed "$1" | sort | comm -12 - <(sort "$LAB_RUN/$1-attempted") | wc -l)"
}

# fo_stale_master NAME OTHER LAST FENCE_RE LABEL: the end of a takeover
# from a frozen master, asserted. NAME (frozen, its writer's last logged
# sequence number LAST) has lost the disk to OTHER. What NAME landed is fixed
# while it is frozen: the snapshot ($LAB_RUN/NAME-before). OTHER writes over
# NAME's region (fo_overwrite); NAME is thawed and must restart with FENCE_RE
# in its last kernel lines. Then on the LUN: no block of NAME's beyond the
# snapshot, OTHER's blocks intact, none of NAME's late writes
# (fo_late_writes) landed. Sets FO_T_THAW, FO_T_FENCED, FO_ATTEMPTED; LABEL
# prefixes the timeline line.
fo_stale_master() {
	local name=$1 other=$2 late landed
	fo_landed "$name" >"$LAB_RUN/$name-before"
	[ -s "$LAB_RUN/$name-before" ] || host_fail "none of $name's blocks are on the LUN"
	fo_overwrite "$other" "$3"
	fo_intact "$other" || host_fail "$other's 32 blocks are not all on the LUN"
	FO_T_THAW=$(host_now)
	guest_thaw "$name"
	FO_T_FENCED=$(guest_expect_restart "$name" "$4" 60)
	lab_log "$5: $name thawed at $FO_T_THAW, fenced at $FO_T_FENCED ($(fo_sub "$FO_T_FENCED" "$FO_T_THAW") s later): $(fo_fence_reason "$name")"
	fo_landed "$name" >"$LAB_RUN/$name-after"
	late=$(comm -13 <(sort "$LAB_RUN/$name-before") <(sort "$LAB_RUN/$name-after") | sort -n)
	[ -z "$late" ] || host_fail "blocks of $name's landed after $other's takeover: seq $(echo $late)"
	fo_intact "$other" ||
		host_fail "$other's blocks were overwritten: before $(echo $(cat "$LAB_RUN/$other-wrote")), after $(echo $(fo_landed "$other"))"
	read -r FO_ATTEMPTED landed <<<"$(fo_late_writes "$name" "$LAB_RUN/$name-before")"
	[ "$landed" -eq 0 ] || host_fail "$landed of $name's $FO_ATTEMPTED writes after the takeover landed"
}

# fo_fence_reason NAME: the reason of NAME's last FENCED line.
fo_fence_reason() {
	grep -Eo 'FENCED .*' "$(fo_ts_log "$1")" | tail -n 1 | sed 's/.*: \(.*\): restarting now/\1/'
}

# fo_random_phase: sleep a random time in [FO_INTERVAL, 2 x FO_INTERVAL).
# An idle master notices what happened to its reservation at its next
# refresh, on a grid that starts at its hold: a fixed delay would measure the
# same point of the interval every run.
fo_random_phase() {
	sleep "$(awk -v i="$FO_INTERVAL" -v r="$RANDOM" 'BEGIN { printf "%.3f", i + i * r / 32768 }')"
}

# fo_announced_wait OUTPUT: the wait (seconds) a takeover's output announced.
fo_announced_wait() {
	printf '%s\n' "$1" | sed -n 's/.*; waiting \([0-9.]*\) s .*/\1/p'
}

# fo_holder NAME: the reservation holder's key as NAME sees it ("none").
fo_holder() {
	guest_run "$1" 'resfencectl keys $DISK --json' |
		sed -n 's/.*"holder": *"0x0*\([0-9a-f]*\)".*/0x\1/p' | grep . || echo none
}

# fo_dev NAME: "sda (8:0)" for NAME's $DISK, as the module's log lines name it.
fo_dev() {
	guest_run "$1" 'n=${DISK#/dev/}; echo "$n ($(cat /sys/class/block/$n/dev))"'
}

# fo_sub T1 T0: T1 - T0 in seconds, 3 decimals.
fo_sub() {
	awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f\n", a - b }'
}
