# The anchor side by side (issue 15, part 3), in one lab guest, driven by
# tests/bench/anchor.sh (outside tests/scenarios/: make check never runs it;
# the driver substitutes the BENCH_ settings below and the timeout).
# MAX (the largest of BENCH_DEVICES) LIO fileio LUs of 16 MiB, each exported
# as LUN 0..MAX-1 through the same two tcm_loop nexuses (lio_shared_lun
# makes LUN 0, the others are added to both of its targets): every LU is seen
# by nexus A and by nexus B. Nexus A is registered with key 0xa1 on every LU
# (sg_persist), as fence_scsi leaves a node, and Debian's fence_scsi_check
# (fence-agents, python3) checks the first N of them from the files that
# fence_scsi's "on" writes: in Debian's 4.12.1 STORE_PATH is /var/run/cluster
# and the files are /var/run/cluster.dev (one device path a line, in the
# order of -d) and /var/run/cluster.key (with neither, the check logs "No
# devices found" and exits 0: it passes). The check passes as soon as the
# key is registered on one listed device (it reads the devices in the file's
# order and returns 0 at the first that has the key), and fails (exit 2)
# only when no listed device has it.
# For each N of BENCH_DEVICES, each round, windows of BENCH_WINDOW seconds
# (or checks), their order changing every round:
#   idle      the module loaded, nothing held
#   resfence  resfencectl holds the N LUs on nexus B (pr, key 0xb1, type we,
#             interval 1 s): N refreshes a second in the kernel
#   anchor    fence_scsi_check run as a child once a second (then sleep 1),
#             the way the watchdog daemon runs its test-binary, with the N
#             devices in its file, 0xa1 registered on all of them (the state
#             fence_scsi's "on" leaves): each check reads the first device
#   scan      (N > 1 only) the same, but 0xa1 registered on the last listed
#             device only: each check reads all N devices before it passes
#             (what a check costs when it walks its whole file)
# Kernel-log markers (the host samples QEMU's CPU time between them):
#   BENCH-ANCHOR-START ROUND N KIND / BENCH-ANCHOR-STOP ROUND N KIND COUNT
#   BENCH-ANCHOR-COUNT ROUND N KIND COUNT
#   COUNT: refreshes that succeeded in the window over the N devices
#   (status --json's refresh_ok), or checks run.
# lab-needs: module tool anchor
# lab-smp: 1
# lab-timeout: 1800
BENCH_ROUNDS=3
BENCH_WINDOW=20
BENCH_DEVICES="1 4 16"

max=0
for n in $BENCH_DEVICES; do [ "$n" -le "$max" ] || max=$n; done
[ "$max" -ge 1 ] || fail "BENCH_DEVICES='$BENCH_DEVICES': no device count"

lio_shared_lun 16
# LUs 1..max-1: their own fileio backstores, LUN k of both targets.
cfg=/sys/kernel/config/target
echo "$DISK_A" >/tmp/devs_a
echo "$DISK_B" >/tmp/devs_b
k=1
while [ "$k" -lt "$max" ]; do
	bs=$cfg/core/fileio_0/lun$k
	mkdir -p "$bs"
	echo "fd_dev_name=/var/lib/lio/lun$k.img,fd_dev_size=$((16 * 1048576))" >"$bs/control"
	echo 1 >"$bs/enable"
	for side in a b; do
		tpg=$cfg/loopback/naa.50014050000000${side}1/tpgt_1
		mkdir -p "$tpg/lun/lun_$k"
		ln -s "$bs" "$tpg/lun/lun_$k/lun$k"
		_scsi_dev "$(cat "$tpg/address"):$k"
		echo "$_blk" >>"/tmp/devs_$side"
	done
	k=$((k + 1))
done
klog "lab: $max LIO LUs: A $(tr '\n' ' ' </tmp/devs_a)B $(tr '\n' ' ' </tmp/devs_b)"
[ "$(sort -u /tmp/devs_a /tmp/devs_b | wc -l)" -eq $((2 * max)) ] || fail "the LUs' devices are not distinct"
# Adding a LUN raises "reported luns data has changed" on the nexus's other
# LUNs: a unit attention each that the next command would get. TEST UNIT
# READY takes them.
for dev in $(cat /tmp/devs_a /tmp/devs_b); do
	t=0
	until sg_turs "$dev" >/dev/null 2>&1; do
		[ "$t" -lt 10 ] || fail "TEST UNIT READY on $dev keeps failing"
		t=$((t + 1))
	done
done
load_resfence
for dev in $(cat /tmp/devs_a); do
	expect_ok sg_persist --out --register --param-sark=0xa1 "$dev"
done

check=/usr/share/cluster/fence_scsi_check
# devs SIDE N: the first N devices of nexus SIDE, one a line.
devs() { head -n "$2" "/tmp/devs_$1"; }
# use N: fence_scsi_check's file lists the first N devices of nexus A, as
# fence_scsi -o on -d DEV1,...,DEVN writes it.
use() { devs a "$1" >/var/run/cluster.dev; }
# only_last N: 0xa1 stays registered on the Nth device only / on all again.
only_last() {
	for dev in $(devs a $(($1 - 1))); do
		sg_persist -n --out --register --param-rk=0xa1 --param-sark=0 "$dev" >/dev/null ||
			fail "unregister 0xa1 on $dev failed"
	done
}
all_again() {
	for dev in $(devs a $(($1 - 1))); do
		sg_persist -n --out --register --param-sark=0xa1 "$dev" >/dev/null ||
			fail "register 0xa1 on $dev failed"
	done
}
# The check is real, for each N: it fails with a foreign key in the file
# (having read all N devices), passes with ours, and (N > 1) passes with our
# key on the last device only.
for n in $BENCH_DEVICES; do
	use "$n"
	echo ff >/var/run/cluster.key
	expect_fail 2 python3 "$check"
	echo a1 >/var/run/cluster.key
	# Its own debug log (verbose=yes in /etc/sysconfig/stonith) names the
	# devices it read.
	mkdir -p /etc/sysconfig
	echo verbose=yes >/etc/sysconfig/stonith
	expect_output_match "key a1 registered with device $(devs a 1)\$" python3 "$check"
	if [ "$n" -gt 1 ]; then
		only_last "$n"
		expect_output_match "key a1 registered with device $(devs a "$n" | tail -n 1)\$" python3 "$check"
		[ "$(printf '%s\n' "$OUT" | grep -c 'key a1 not registered with device')" -eq $((n - 1)) ] ||
			fail "the check did not read the first $((n - 1)) devices first"
		all_again "$n"
	fi
	rm /etc/sysconfig/stonith
	expect_ok python3 "$check"
done
echo "BENCH-ANCHOR-INFO cpus $(grep -c ^processor /proc/cpuinfo) devices $BENCH_DEVICES rounds $BENCH_ROUNDS window $BENCH_WINDOW"

# refresh_ok: refreshes that succeeded so far, summed over the held devices.
refresh_ok() {
	resfencectl status --json | grep -o '"refresh_ok": *[0-9]*' | sed 's/.*: *//' | awk '{ s += $1 } END { print s + 0 }'
}

# checks ROUND N KIND: BENCH_WINDOW checks, each then sleep 1.
checks() {
	klog "BENCH-ANCHOR-START $1 $2 $3"
	c=0
	while [ "$c" -lt "$BENCH_WINDOW" ]; do
		"$check" || fail "fence_scsi_check exited $? ($3, $2 devices)"
		sleep 1
		c=$((c + 1))
	done
	klog "BENCH-ANCHOR-STOP $1 $2 $3 -"
	klog "BENCH-ANCHOR-COUNT $1 $2 $3 $c"
}

window() {
	case $3 in
	idle)
		klog "BENCH-ANCHOR-START $1 $2 idle"
		sleep "$BENCH_WINDOW"
		klog "BENCH-ANCHOR-STOP $1 $2 idle 0"
		;;
	resfence)
		for dev in $(devs b "$2"); do
			resfencectl hold "$dev" --mode pr --key 0xb1 --type we --interval 1 >/dev/null ||
				fail "hold $dev failed"
		done
		sleep 1
		ok0=$(refresh_ok)
		klog "BENCH-ANCHOR-START $1 $2 resfence"
		sleep "$BENCH_WINDOW"
		klog "BENCH-ANCHOR-STOP $1 $2 resfence -"
		ok1=$(refresh_ok)
		klog "BENCH-ANCHOR-COUNT $1 $2 resfence $((ok1 - ok0))"
		for dev in $(devs b "$2"); do
			resfencectl release "$dev" >/dev/null || fail "release $dev failed"
		done
		;;
	anchor)
		checks "$1" "$2" anchor
		;;
	scan)
		only_last "$2"
		checks "$1" "$2" scan
		all_again "$2"
		;;
	esac
}

orders3="idle,resfence,anchor resfence,anchor,idle anchor,idle,resfence idle,anchor,resfence anchor,resfence,idle resfence,idle,anchor"
orders4="idle,resfence,anchor,scan scan,anchor,resfence,idle resfence,anchor,scan,idle idle,scan,anchor,resfence anchor,scan,idle,resfence resfence,idle,scan,anchor scan,idle,resfence,anchor anchor,resfence,idle,scan"
i=1
while [ "$i" -le "$BENCH_ROUNDS" ]; do
	for n in $BENCH_DEVICES; do
		use "$n"
		if [ "$n" -gt 1 ]; then
			order=$(echo "$orders4" | tr ' ' '\n' | sed -n "$(((i - 1) % 8 + 1))p")
		else
			order=$(echo "$orders3" | tr ' ' '\n' | sed -n "$(((i - 1) % 6 + 1))p")
		fi
		for kind in $(echo "$order" | tr ',' ' '); do
			window "$i" "$n" "$kind"
		done
	done
	i=$((i + 1))
done
pass
