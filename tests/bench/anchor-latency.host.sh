# Issue 15 part 3's fence latency: resfence against the anchor (Debian's
# fence_scsi_check), as a two-guest lab session driven by
# tests/bench/anchor-latency.sh (outside tests/scenarios/: make check never
# runs it). One tgtd LUN, guests A and B. Each run: A is registered, B
# preempts A's key (resfencectl preempt, the same command in every series),
# A must restart; latency = B's module's "holding ... (preempted)" line ->
# A's QEMU exit (-no-reboot), both on the host's CLOCK_MONOTONIC. Series:
#   resfence    A holds with the module (pr, type we, interval 1 s, no
#               lease, action restart): the refresh sees the conflict
#   hardreboot  fence_scsi's "on" registers A (key a1) and reserves (WERO),
#               writing /var/run/cluster.key and .dev itself (fence-agents
#               4.12.1: STORE_PATH /var/run/cluster, files STORE_PATH.key
#               and .dev); then fence_scsi_check_hardreboot runs as a child
#               once a second (then sleep 1), as the watchdog daemon's
#               test-binary: on a missing key it calls reboot(RB_AUTOBOOT)
#               itself, without sync
#   orderly     the same registration; fence_scsi_check once a second, and
#               when it fails: sync, umount -a, busybox reboot -f (sync(2)
#               then reboot(2)): the writeback of an orderly reboot, without
#               an init to stop services (the guest has none)
# A's state: idle, or writing (the lab's O_DIRECT writer loop, whose late
# writes are counted, plus a buffered writer holding the disk open so that
# dirty page cache is there to flush). One line per run to BENCH_DATA:
#   KIND  LOAD  RUN  LATENCY  ATTEMPTED  LANDED  LAST_LINE
# lab-needs: module tool anchor
# lab-timeout: 7200
. "$VM_DIR/../failover/lib.sh"
runs=${BENCH_RUNS:-10}
data=${BENCH_DATA:?BENCH_DATA: where the results go}

guest_start A B
fo_load B
dev=$(fo_dev A)
fence_re="scsi_resfence: FENCED ${dev//[()]/.} key $FO_KEY_A: .*: restarting now"
reboot_re="reboot: Restarting system"
tag=0

# fence_scsi is fence_scsi_check under its own name (one script, argv[0]).
anchor_on='ln -sf /usr/share/cluster/fence_scsi_check /usr/sbin/fence_scsi
ln -sf /usr/share/cluster/fence_scsi_check /usr/sbin/fence_scsi_check_hardreboot
fence_scsi -o on -k a1 -d $DISK >/tmp/on.log 2>&1 || { cat /tmp/on.log; exit 1; }
grep -qx a1 /var/run/cluster.key && grep -qx "$DISK" /var/run/cluster.dev || exit 1
/usr/share/cluster/fence_scsi_check || exit 1'

bench_one() {
	local kind=$1 load=$2 i=$3 out rc=0 t_preempt t_exit attempted landed last re
	fo_fresh_master A B
	case $kind in
	resfence)
		fo_hold A "$FO_KEY_A" restart
		re=$fence_re
		;;
	hardreboot)
		guest_ok A "$anchor_on"
		guest_bg A 'while :; do fence_scsi_check_hardreboot; klog "anchor: hardreboot check exit $?"; sleep 1; done'
		re=$reboot_re
		;;
	orderly)
		guest_ok A "$anchor_on"
		guest_bg A 'while :; do /usr/share/cluster/fence_scsi_check && { sleep 1; continue; }
			klog "anchor: check exit $?, orderly reboot"; sync; umount -a 2>/dev/null; reboot -f; sleep 60; done'
		re=$reboot_re
		;;
	esac
	if [ "$load" = writing ]; then
		fo_writer_start A
		# Buffered 64 KiB writes at 32 MiB.. of the LUN; fd 3 keeps the
		# device open, so dd's close is never the last one (which would
		# write the page cache back).
		guest_bg A 'exec 3>$DISK; n=0; while :; do dd if=/dev/zero of=$DISK bs=64k count=16 seek=$((512 + n % 256)) conv=notrunc 2>/dev/null; n=$((n + 16)); done'
		fo_wait_landed A 20
	else
		fo_random_phase
	fi
	tag=$((tag + 1))
	out=$(guest_run B "$(fo_preempt_cmd "$FO_KEY_B" "run=$tag")") || rc=$?
	[ "$rc" -eq 0 ] || host_fail "run $tag: B's preempt exited $rc: $out"
	guest_klog_wait B "resfence-failover: B preempt exit 0 run=$tag\$" 10 >/dev/null
	t_preempt=$(fo_held_ts B "$FO_KEY_B")
	guest_expect_restart A "$re" 90 >/dev/null
	t_exit=$(guest_exit_time A)
	last=$(grep -E -- "$re" "$(fo_ts_log A)" | tail -n 1 | cut -d' ' -f2- | tr '\t' ' ' | cut -c1-80)
	fo_issued_after A "$t_preempt" | sort -u >"$LAB_RUN/after"
	attempted=$(wc -l <"$LAB_RUN/after")
	landed=$(fo_landed A | sort | comm -12 - "$LAB_RUN/after" | wc -l)
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$kind" "$load" "$i" "$(fo_sub "$t_exit" "$t_preempt")" \
		"$attempted" "$landed" "$last" >>"$data"
	lab_log "$kind $load run $i: $(fo_sub "$t_exit" "$t_preempt") s, A's writes after the preempt: $attempted attempted, $landed landed"
}

# Interleaved: every run does each series once, so host noise is shared.
for i in $(seq 1 "$runs"); do
	for load in idle writing; do
		for kind in resfence hardreboot orderly; do
			bench_one "$kind" "$load" "$i"
		done
	done
done
