# The anchor side by side (issue 15, part 3), in one lab guest, driven by
# tests/bench/anchor.sh (outside tests/scenarios/: make check never runs it;
# the driver substitutes the BENCH_ settings below and the timeout).
# One LIO fileio LUN through two tcm_loop nexuses. Nexus A is registered
# with key 0xa1 (sg_persist), as fence_scsi leaves a node, and Debian's
# fence_scsi_check (fence-agents, python3) checks it from the files that
# fence_scsi's "on" writes: in Debian's 4.12.1 STORE_PATH is /var/run/cluster
# and the files are /var/run/cluster.dev and /var/run/cluster.key (with
# neither, the check logs "No devices found" and exits 0: it passes). Three kinds of window of
# BENCH_WINDOW seconds each, their order changing every round:
#   idle      the module loaded, nothing held
#   resfence  resfencectl holds the LUN on nexus B (pr, key 0xb1, type we,
#             interval 1 s): the refresh runs once a second in the kernel
#   anchor    fence_scsi_check run as a child once a second (then sleep 1),
#             the way the watchdog daemon runs its test-binary
# Kernel-log markers (the host samples QEMU's CPU time between them):
#   BENCH-ANCHOR-START ROUND KIND / BENCH-ANCHOR-STOP ROUND KIND COUNT
#   COUNT: refreshes that succeeded in the window (status --json), or checks run.
# lab-needs: module tool anchor
# lab-smp: 1
# lab-timeout: 1800
BENCH_ROUNDS=5
BENCH_WINDOW=20

lio_shared_lun 16
load_resfence
expect_ok sg_persist --out --register --param-sark=0xa1 "$DISK_A"
echo "$DISK_A" >/var/run/cluster.dev
check=/usr/share/cluster/fence_scsi_check
# The check is real: it passes with our key registered and fails without.
echo ff >/var/run/cluster.key
expect_fail 2 python3 "$check"
echo a1 >/var/run/cluster.key
expect_ok python3 "$check"
echo "BENCH-ANCHOR-INFO cpus $(grep -c ^processor /proc/cpuinfo) disk $DISK_A rounds $BENCH_ROUNDS window $BENCH_WINDOW"

refresh_ok() {
	resfencectl status "$DISK_B" --json | grep -o '"refresh_ok": *[0-9]*' | sed 's/.*: *//'
}

window() {
	case $2 in
	idle)
		klog "BENCH-ANCHOR-START $1 idle"
		sleep "$BENCH_WINDOW"
		klog "BENCH-ANCHOR-STOP $1 idle 0"
		;;
	resfence)
		resfencectl hold "$DISK_B" --mode pr --key 0xb1 --type we --interval 1 >/dev/null ||
			fail "hold failed"
		sleep 1
		ok0=$(refresh_ok)
		klog "BENCH-ANCHOR-START $1 resfence"
		sleep "$BENCH_WINDOW"
		klog "BENCH-ANCHOR-STOP $1 resfence -"
		ok1=$(refresh_ok)
		klog "BENCH-ANCHOR-COUNT $1 resfence $((ok1 - ok0))"
		resfencectl release "$DISK_B" >/dev/null || fail "release failed"
		;;
	anchor)
		klog "BENCH-ANCHOR-START $1 anchor"
		n=0
		while [ "$n" -lt "$BENCH_WINDOW" ]; do
			/usr/share/cluster/fence_scsi_check || fail "fence_scsi_check exited $?"
			sleep 1
			n=$((n + 1))
		done
		klog "BENCH-ANCHOR-STOP $1 anchor -"
		klog "BENCH-ANCHOR-COUNT $1 anchor $n"
		;;
	esac
}

orders="idle,resfence,anchor resfence,anchor,idle anchor,idle,resfence idle,anchor,resfence anchor,resfence,idle resfence,idle,anchor"
i=1
while [ "$i" -le "$BENCH_ROUNDS" ]; do
	order=$(echo "$orders" | tr ' ' '\n' | sed -n "$(((i - 1) % 6 + 1))p")
	for kind in $(echo "$order" | tr ',' ' '); do
		window "$i" "$kind"
	done
	i=$((i + 1))
done
pass
