# The I/O-path benchmark of issue 15, in one lab guest, driven by
# tests/bench/io-path.sh (outside tests/scenarios/: make check never runs it;
# the driver substitutes the two BENCH_ settings below and the timeout).
# fio 4 KiB random writes and reads at queue depth 1 and 32 on a LIO fileio
# LUN in the guest's RAM through tcm_loop, in three configurations per round:
#   unloaded  scsi_resfence not loaded
#   loaded    loaded, nothing held (the probe is not attached)
#   held      the LUN held in pr mode (type we, the default interval 2 s)
# The configurations' order changes every round (the six orders in turn),
# so that a drift of the host's load hits all three alike. One console line
# per fio run, and a kernel-log marker before its I/O, from fio's
# exec_prerun (after its set-up, 0.3 s before the first I/O); the figures
# line comes 0.3 s after fio exits. The guest is idle at both, so that the
# host's sampling of QEMU's CPU time (tests/bench/qemu-cpu.pl) can cut
# there, leaving fio's start out (its exit is in):
#   BENCH-IO-START ROUND CONFIG JOB
#   BENCH-IO ROUND CONFIG JOB IOPS P50_NS P99_NS IOS
# JOB is randwrite-qd1, randread-qd1, randwrite-qd32 or randread-qd32; each
# run does BENCH_IOS I/Os; the latencies are fio's completion latency (clat)
# percentiles.
# lab-needs: module tool bench
# lab-smp: 1
# lab-timeout: 1200
BENCH_ROUNDS=12
BENCH_IOS=3000

lio_shared_lun 64
# Every block written once first: the LUN's backing file is on the guest's
# RAM-backed root, and the first write to a block allocates its page, which
# would make the first configuration to run slower.
dd if=/dev/zero of="$DISK_A" bs=1M count=64 oflag=direct 2>/dev/null || fail "cannot fill the LUN"
echo "BENCH-IO-INFO cpus $(grep -c ^processor /proc/cpuinfo) disk $DISK_A rounds $BENCH_ROUNDS ios $BENCH_IOS"

# fio's JSON on stdin: "IOPS P50_NS P99_NS IOS" of section $1 (read or write).
fio_pick() {
	awk -v want="$1" '
	/"read" : \{/ { sec = "read" }
	/"write" : \{/ { sec = "write" }
	/"trim" : \{/ { sec = "trim" }
	/"sync" : \{/ { sec = "sync" }
	/"clat_ns" : \{/ { inclat = 1 }
	/"lat_ns" : \{/ { inclat = 0 }
	sec == want && /"iops" :/ { gsub(/[,"]/, ""); iops = $3 }
	sec == want && /"total_ios" :/ { gsub(/[,"]/, ""); ios = $3 }
	sec == want && inclat && /"50.000000" :/ { gsub(/[,"]/, ""); p50 = $3 }
	sec == want && inclat && /"99.000000" :/ { gsub(/[,"]/, ""); p99 = $3 }
	END { if (iops == "" || p50 == "" || p99 == "") exit 1; printf "%s %s %s %s\n", iops, p50, p99, ios }'
}

state=unloaded
to_config() {
	case $state in
	held) resfencectl release "$DISK_A" >/dev/null || fail "release failed" ;;
	esac
	case $1 in
	unloaded) [ "$state" = unloaded ] || rmmod scsi_resfence || fail "rmmod failed" ;;
	loaded) [ "$state" != unloaded ] || load_resfence ;;
	held)
		[ "$state" != unloaded ] || load_resfence
		resfencectl hold "$DISK_A" --mode pr --key 0xa1 --type we >/dev/null ||
			fail "hold failed"
		;;
	esac
	state=$1
}

run_jobs() {
	for job in randwrite-qd1 randread-qd1 randwrite-qd32 randread-qd32; do
		rw=${job%-qd*}
		qd=${job#*-qd}
		fio --name=b \
			--exec_prerun="echo '<5>BENCH-IO-START $1 $2 $job' >/dev/kmsg; sleep 0.3" \
			--filename="$DISK_A" --direct=1 --bs=4k --rw="$rw" \
			--ioengine=libaio --iodepth="$qd" --number_ios="$BENCH_IOS" \
			--norandommap --randrepeat=0 --output-format=json \
			--percentile_list=50:99 >/tmp/fio.json 2>/tmp/fio.err ||
			fail "fio $job ($2): $(cat /tmp/fio.err)"
		sleep 0.3
		r=$(fio_pick "${rw#rand}" </tmp/fio.json) || fail "fio $job ($2): no figures in its output"
		echo "BENCH-IO $1 $2 $job $r"
	done
}

orders="unloaded,loaded,held loaded,held,unloaded held,unloaded,loaded unloaded,held,loaded held,loaded,unloaded loaded,unloaded,held"
i=1
while [ "$i" -le "$BENCH_ROUNDS" ]; do
	order=$(echo "$orders" | tr ' ' '\n' | sed -n "$(((i - 1) % 6 + 1))p")
	for cfg in $(echo "$order" | tr ',' ' '); do
		to_config "$cfg"
		run_jobs "$i" "$cfg"
	done
	i=$((i + 1))
done
to_config unloaded
pass
