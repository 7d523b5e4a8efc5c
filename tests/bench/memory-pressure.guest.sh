# Issue 18, memory pressure: does the refresh keep its schedule while the
# node is short of memory under heavy writeback? One lab guest, driven by
# tests/bench/memory-pressure.sh (outside tests/scenarios/: make check never
# runs it; the driver substitutes the BENCH_ settings below). A LIO LUN held
# in pr mode (interval 1 s, lease 4 s, action log: a lease expiry is
# logged and counted, not acted on) with an O_DIRECT writer on it, in
# phases of BENCH_SECS seconds, alternated BENCH_ROUNDS times:
#   quiet     the writer only
#   pressure  the writer, plus a memory hog (a tmpfs file filling all but
#             BENCH_SPARE_MB of MemAvailable: unswappable, there is no
#             swap) and buffered writes to a scsi_debug disk in a loop
#             (dirty page cache and its writeback)
# Each phase holds afresh, so its counters are its own: the module's own
# worst lateness (how late the latest-started refresh began after its
# deadline) and worst latency (the longest refresh), good and failed
# refreshes, lease expiries from the kernel log, and the lowest MemFree
# seen (sampled each second). One console line per phase:
#   BENCH-MEM-PHASE PHASE ROUND REFRESH_OK REFRESH_FAILED WORST_LATENESS_US
#       WORST_LATENCY_US LEASE_EXPIRIES MEMFREE_MIN_KB
# lab-needs: module tool
# lab-smp: 1
# lab-timeout: 1800
BENCH_SECS=60
BENCH_ROUNDS=3
BENCH_SPARE_MB=24

lio_shared_lun 32
load_resfence
modprobe scsi_debug dev_size_mb=128 || fail "cannot load scsi_debug"
scsi_debug_disk
dbg=$DBG_DISK
mkdir -p /mnt/hog
echo "BENCH-MEM-INFO cpus $(grep -c ^processor /proc/cpuinfo) memtotal_kb $(awk '/^MemTotal:/ { print $2 }' /proc/meminfo) dirty_disk $dbg secs $BENCH_SECS rounds $BENCH_ROUNDS"

now_ms() { awk '{ printf "%d\n", $1 * 1000 }' /proc/uptime; }
memfree_kb() { awk '/^MemFree:/ { print $2 }' /proc/meminfo; }
# stat NAME: a number from the held disk's status --json.
stat() { printf '%s\n' "$STATUS" | sed -n "s/.*\"$1\": *\([0-9]*\).*/\1/p" | head -n 1; }

phase() {
	_ph=$1 _r=$2 _pids=
	klog "BENCH-MEM-START $_ph $_r"
	expect_ok resfencectl hold "$DISK_A" --mode pr --key 0xa --type we --interval 1 --lease 4 --action log
	( while :; do dd if=/dev/zero of="$DISK_A" bs=4k count=256 oflag=direct 2>/dev/null; done ) &
	_pids="$_pids $!"
	if [ "$_ph" = pressure ]; then
		_avail=$(awk '/^MemAvailable:/ { print int($2 / 1024) }' /proc/meminfo)
		_hog=$((_avail - BENCH_SPARE_MB))
		mount -t tmpfs -o "size=${_hog}m" hog /mnt/hog
		dd if=/dev/zero of=/mnt/hog/fill bs=1M count="$_hog" 2>/dev/null || :
		( while :; do dd if=/dev/zero of="$dbg" bs=1M count=100 2>/dev/null; done ) &
		_pids="$_pids $!"
	fi
	_end=$(($(now_ms) + BENCH_SECS * 1000))
	_minfree=$(memfree_kb)
	while [ "$(now_ms)" -lt "$_end" ]; do
		_f=$(memfree_kb)
		[ "$_f" -ge "$_minfree" ] || _minfree=$_f
		sleep 1
	done
	STATUS=$(resfencectl status "$DISK_A" --json)
	_exp=$(dmesg | sed -n "/BENCH-MEM-START $_ph $_r\$/,\$p" | grep -c 'would fence .*lease expired' || :)
	echo "BENCH-MEM-PHASE $_ph $_r $(stat refresh_ok) $(stat refresh_failed) $(stat worst_lateness_us) $(stat worst_latency_us) $_exp $_minfree"
	for _p in $_pids; do kill "$_p" 2>/dev/null || :; done
	wait 2>/dev/null || :
	if [ "$_ph" = pressure ]; then
		rm -f /mnt/hog/fill
		umount /mnt/hog
	fi
	expect_ok resfencectl release "$DISK_A"
}

r=1
while [ "$r" -le "$BENCH_ROUNDS" ]; do
	phase quiet "$r"
	phase pressure "$r"
	r=$((r + 1))
done
unload_resfence
pass
