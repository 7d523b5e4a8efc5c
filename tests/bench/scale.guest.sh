# The scale benchmark of issue 15, in one lab guest, driven by
# tests/bench/scale.sh (outside tests/scenarios/: make check never runs it;
# the driver substitutes the BENCH_ settings below and the timeout).
# scsi_debug LUNs (4 hosts x 256, no delay: answered in the submitting
# context) held in scsi2 mode (no takeover epoch: --allow-reset-window) at
# the module's default interval, lease BENCH_LEASE (0: none; a lease of
# 2 x interval fenced the guest when the loaded host stalled it): scsi_debug
# accepts RESERVE(10) and keeps no reservation state, so every refresh is a
# real RESERVE through sd's queue that completes GOOD. Per step of N devices:
# hold N (timed), a window of BENCH_WINDOW s (guest CPU busy from
# /proc/stat), status --json (timed, BENCH_STATUS_REPS times), the
# per-device refresh figures from it, release all (timed), then a window of
# the same length with nothing held (the baseline busy). One console line
# per step:
#   BENCH-SCALE N HOLD_S RELEASE_S STATUS_S WINDOW_S BUSY_HELD BUSY_BASE
#     SLAB_KB MEMAVAIL_KB REFRESH_OK REFRESH_FAILED
#     LATE_P50 LATE_P99 LATE_MAX LAT_P50 LAT_P99 LAT_MAX WLAT_MAX
#   BUSY_*: guest CPU busy, in jiffies-per-second summed over CPUs (USER_HZ);
#   SLAB_KB / MEMAVAIL_KB: /proc/meminfo Slab grown / MemAvailable shrunk by
#   the holds; LATE_*: the devices' worst_lateness_us; LAT_*: their
#   last_latency_us; WLAT_MAX: the largest worst_latency_us (microseconds).
# lab-needs: module tool
# lab-smp: 1
# lab-timeout: 3600
BENCH_STEPS="1 16 256 1024"
BENCH_WINDOW=30
BENCH_STATUS_REPS=3
BENCH_LEASE=0

# Console at KERN_NOTICE and above: 1024 "holding" lines at 115200 baud would
# take half a minute of the benchmark's time (the lab's markers are notice).
echo 6 >/proc/sys/kernel/printk
load_resfence
expect_ok modprobe scsi_debug add_host=4 num_tgts=1 max_luns=256 dev_size_mb=1 delay=0 ndelay=0
max=0
for n in $BENCH_STEPS; do [ "$n" -le "$max" ] || max=$n; done
disks=/tmp/disks
t=0
while :; do
	for d in /sys/bus/scsi/drivers/sd/*:*:*:*; do
		[ "$(cat "$d/model" 2>/dev/null)" = "scsi_debug      " ] && ls "$d/block"
	done >"$disks" 2>/dev/null || :
	[ "$(wc -l <"$disks")" -lt "$max" ] || break
	[ "$t" -lt 900 ] || fail "only $(wc -l <"$disks") of $max scsi_debug disks appeared"
	sleep 1
	t=$((t + 1))
done
for dev in $(head -n "$max" "$disks"); do wait_path "/dev/$dev" 60; done
echo "BENCH-SCALE-INFO cpus $(grep -c ^processor /proc/cpuinfo) disks $(wc -l <"$disks") after ${t}s"

now() { cut -d' ' -f1 /proc/uptime; }
sub() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a - b }'; }
# busy: busy jiffies so far (all CPUs): user nice system irq softirq steal.
busy() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat; }
meminfo() { awk -v k="$1:" '$1 == k { print $2 }' /proc/meminfo; }
# window SECS: busy jiffies per second over SECS seconds.
window() {
	_b0=$(busy)
	_t0=$(now)
	sleep "$1"
	awk -v b0="$_b0" -v b1="$(busy)" -v t0="$_t0" -v t1="$(now)" 'BEGIN { printf "%.2f", (b1 - b0) / (t1 - t0) }'
}
# pct FIELD FILE: "p50 p99 max" of a numeric JSON field over the devices.
pct() {
	grep -o "\"$1\": *[0-9]*" "$2" | sed 's/.*: *//' | sort -n | awk '{ v[NR] = $1 } END {
		if (NR == 0) { print "- - -"; exit }
		i50 = int(NR * 0.5 + 0.999); i99 = int(NR * 0.99 + 0.999)
		if (i50 < 1) i50 = 1; if (i99 < 1) i99 = 1
		print v[i50], v[i99], v[NR] }'
}
sumf() { grep -o "\"$1\": *[0-9]*" "$2" | sed 's/.*: *//' | awk '{ s += $1 } END { print s + 0 }'; }

for n in $BENCH_STEPS; do
	slab0=$(meminfo Slab)
	avail0=$(meminfo MemAvailable)
	t0=$(now)
	k=0
	for dev in $(head -n "$n" "$disks"); do
		k=$((k + 1))
		[ $((k % 64)) -ne 0 ] || klog "BENCH-SCALE-PROGRESS step $n: $k held"
		resfencectl hold "/dev/$dev" --mode scsi2 --allow-reset-window --lease "$BENCH_LEASE" >/dev/null 2>/tmp/hold.err ||
			fail "hold /dev/$dev: $(cat /tmp/hold.err)"
	done
	hold_s=$(sub "$(now)" "$t0")
	slab=$(($(meminfo Slab) - slab0))
	avail=$((avail0 - $(meminfo MemAvailable)))
	busy_held=$(window "$BENCH_WINDOW")
	t0=$(now)
	r=0
	while [ "$r" -lt "$BENCH_STATUS_REPS" ]; do
		resfencectl status --json >/tmp/status.json || fail "status --json failed"
		r=$((r + 1))
	done
	status_s=$(awk -v a="$(now)" -v b="$t0" -v r="$BENCH_STATUS_REPS" 'BEGIN { printf "%.3f", (a - b) / r }')
	held=$(grep -c '"refresh_ok"' /tmp/status.json || :)
	[ "$held" -eq "$n" ] || fail "status --json lists $held devices, $n are held"
	ok=$(sumf refresh_ok /tmp/status.json)
	failed=$(sumf refresh_failed /tmp/status.json)
	late=$(pct worst_lateness_us /tmp/status.json)
	lat=$(pct last_latency_us /tmp/status.json)
	wlat=$(pct worst_latency_us /tmp/status.json | awk '{ print $3 }')
	t0=$(now)
	for dev in $(head -n "$n" "$disks"); do
		resfencectl release "/dev/$dev" >/dev/null 2>/tmp/rel.err ||
			fail "release /dev/$dev: $(cat /tmp/rel.err)"
	done
	release_s=$(sub "$(now)" "$t0")
	busy_base=$(window "$BENCH_WINDOW")
	echo "BENCH-SCALE $n $hold_s $release_s $status_s $BENCH_WINDOW $busy_held $busy_base $slab $avail $ok $failed $late $lat $wlat"
done
pass
