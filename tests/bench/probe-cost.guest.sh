# The probe-cost microbenchmark of issue 15, in one lab guest, driven by
# tests/bench/probe-cost.sh (outside tests/scenarios/: make check never runs
# it; the driver substitutes the BENCH_ settings below and the timeout).
# The lab-only module resfence_probe_cost (tests/bench/probe-cost/) calls
# the probes attached to scsi:scsi_dispatch_cmd_done as the tracepoint's
# iterator does, BENCH_CALLS times per repetition, BENCH_REPS repetitions
# per run, on a fake command, and keeps the median. It attaches an empty
# probe of its own at load. Three configurations, alternated every round
# (the six orders in turn):
#   empty  nothing held: only the empty probe is attached
#   held   a LIO LUN held in pr mode, no lease: scsi_resfence's probe and
#          the empty one; the fake command completes GOOD
#   cc     the same, the fake command completes CHECK CONDITION on a device
#          nobody holds (the probe's slow path: its RCU lookup misses)
# No lease: the runs keep the one vCPU busy in the kernel for seconds (on
# the debug kernel a CHECK CONDITION run takes a minute and more), and on a
# loaded host the default lease (twice the interval) expired there and the
# guest fenced itself (a debug-kernel run of 2026-12-02).
# The module names the probes it found; a configuration whose probes are
# not the expected ones fails the run. One console line per run:
#   BENCH-PROBE ROUND CONFIG PROBES STATUS CALLS REPS MEDIAN_PS MIN_PS MAX_PS PS...
# (picoseconds per call, one PS per repetition).
# lab-needs: module tool
# lab-smp: 1
# lab-timeout: 1200
BENCH_ROUNDS=10
BENCH_CALLS=4000000
BENCH_REPS=5

load_resfence
lio_shared_lun 64
expect_ok modprobe resfence_probe_cost calls="$BENCH_CALLS" reps="$BENCH_REPS"
P=/sys/module/resfence_probe_cost/parameters
echo "BENCH-PROBE-INFO cpus $(grep -c ^processor /proc/cpuinfo) kernel $(uname -r) disk $DISK_A rounds $BENCH_ROUNDS calls $BENCH_CALLS reps $BENCH_REPS"

# Bad input is refused with EINVAL, the reason in the kernel log.
pc_write() { echo "$2" >"$P/$1"; }
pc_write_to() { echo "$2" >"$1"; }
expect_fail 1 pc_write run "Bad Label"
expect_fail 1 pc_write run "a-label-of-thirty-two-characters"
expect_ok pc_write status 7
expect_fail 1 pc_write run status-7
expect_ok pc_write status 0
dmesg | grep -q "resfence_probe_cost: status must be 0 (GOOD) or 2 (CHECK CONDITION), is 7" ||
	fail "no kernel message for status 7"
# The event traced puts ftrace's probe on the tracepoint, which would follow
# the fake command's pointers: the module must refuse to run (EBUSY).
T=/sys/kernel/tracing
[ -d "$T/events" ] || mount -t tracefs nodev "$T" || fail "cannot mount tracefs"
E=$T/events/scsi/scsi_dispatch_cmd_done/enable
expect_ok pc_write_to "$E" 1
expect_fail 1 pc_write run traced
expect_ok pc_write_to "$E" 0
dmesg | grep -q "resfence_probe_cost: a probe other than ours and scsi_resfence's" ||
	fail "no kernel message for the traced event"

held=0
# to_config CONFIG: hold or release the LUN, set the fake command's status;
# sets want_probes.
to_config() {
	case $1 in
	empty) _want=0 _st=0 want_probes=empty ;;
	held) _want=1 _st=0 want_probes=empty,resfence ;;
	cc) _want=1 _st=2 want_probes=empty,resfence ;;
	esac
	if [ "$_want" = 1 ] && [ "$held" = 0 ]; then
		resfencectl hold "$DISK_A" --mode pr --key 0xa1 --type we --lease 0 >/dev/null ||
			fail "hold failed"
		held=1
	elif [ "$_want" = 0 ] && [ "$held" = 1 ]; then
		resfencectl release "$DISK_A" >/dev/null || fail "release failed"
		held=0
	fi
	echo "$_st" >"$P/status" || fail "cannot set status $_st"
}

orders="empty,held,cc held,cc,empty cc,empty,held empty,cc,held cc,held,empty held,empty,cc"
i=1
while [ "$i" -le "$BENCH_ROUNDS" ]; do
	order=$(echo "$orders" | tr ' ' '\n' | sed -n "$(((i - 1) % 6 + 1))p")
	for cfg in $(echo "$order" | tr ',' ' '); do
		to_config "$cfg"
		echo "r$i-$cfg" >"$P/run" ||
			fail "run $i $cfg failed: $(dmesg | grep resfence_probe_cost | tail -n 2)"
		line=$(cat "$P/last")
		probes=$(echo "$line" | cut -d' ' -f2)
		[ "$probes" = "$want_probes" ] ||
			fail "run $i $cfg: the probes attached are '$probes', expected '$want_probes'"
		echo "BENCH-PROBE $i $cfg $(echo "$line" | cut -d' ' -f2-)"
	done
	i=$((i + 1))
done
to_config empty
expect_ok rmmod resfence_probe_cost
pass
