#!/bin/sh
# Guest side of the debug kernel's checks (installed as
# /lib/resfence/debug-checks.sh; does nothing on a kernel without kmemleak,
# such as Debian's).
#
#   debug-checks.sh start   before the scenario: note the time (jiffies)
#   debug-checks.sh end     after the scenario: scan twice, and copy into
#                           the kernel log every unreferenced object
#                           allocated since "start", where the host's
#                           check-console.sh finds "unreferenced object"
#
# Objects the boot itself left unreferenced were allocated before "start"
# and are only counted: they are not the scenario's doing. (Filtering by
# allocation time instead of a baseline scan saves scans, 4-13 s each under
# TCG, per guest.) Two scans, because kmemleak reports an object only when
# its contents did not change since the previous scan (the first scan of a
# new object records its checksum) and it is older than 5 s: a leak made in
# the scenario's last 5 s is missed, so scenarios release and unload well
# before they end.
kml=/sys/kernel/debug/kmemleak
since=/run/debug-checks.start
[ -w "$kml" ] || exit 0

klog() {
	printf '<5>%s\n' "$*" >/dev/kmsg
}

case ${1:-} in
start)
	# "jiffies: N" as kmemleak prints it for each object's allocation.
	sed -n 's/^jiffies: \([0-9]*\)$/\1/p' /proc/timer_list | head -n 1 >"$since"
	;;
end)
	start=$(cat "$since" 2>/dev/null)
	echo scan >"$kml"
	echo scan >"$kml"
	report=/tmp/.kmemleak-report
	# A record: "unreferenced object 0x... (size N):", then
	# '  comm "x", pid N, jiffies N', a hex dump and a backtrace.
	awk -v start="${start:-0}" '
		/^unreferenced object/ { flush(); rec = $0; next }
		rec != "" {
			if (j == "" && match($0, /jiffies [0-9]+/))
				j = substr($0, RSTART + 8, RLENGTH - 8) + 0
			rec = rec "\n" $0
		}
		function flush() {
			if (rec == "")
				return
			if (j == "" || j >= start) { print rec; ours++ } else old++
			rec = ""; j = ""
		}
		END { flush(); printf "%d %d\n", ours, old > "/tmp/.kmemleak-counts" }
	' "$kml" >"$report"
	read -r ours old </tmp/.kmemleak-counts
	# Into the kernel log, at KERN_ERR, one line per report line: the
	# console shows it stamped like any other kernel report.
	while IFS= read -r line; do
		printf '<3>kmemleak: %s\n' "$line" >/dev/kmsg
	done <"$report"
	klog "debug-kernel: kmemleak final scan: ${ours:-0} unreferenced object(s) from this run, ${old:-0} older (boot) ignored"
	rm -f "$report" /tmp/.kmemleak-counts
	;;
*)
	echo "usage: debug-checks.sh start|end" >&2
	exit 2
	;;
esac
