#!/bin/sh
# Guest side of the debug kernel's checks (installed as
# /lib/resfence/debug-checks.sh; does nothing on a kernel without kmemleak,
# such as Debian's).
#
#   debug-checks.sh start   before the scenario: scan, then forget what the
#                           boot itself left unreferenced, so that only what
#                           the scenario leaks is reported at the end
#   debug-checks.sh end     after the scenario: scan again and copy every
#                           report into the kernel log, where the host's
#                           check-console.sh finds "unreferenced object"
#
# kmemleak reports an object only once it is older than 5 s and was found
# unreferenced by a scan; a leak made in the scenario's last 5 s is missed,
# which is why scenarios should release and unload before they end.
kml=/sys/kernel/debug/kmemleak
[ -w "$kml" ] || exit 0

klog() {
	printf '<5>%s\n' "$*" >/dev/kmsg
}

case ${1:-} in
start)
	echo scan >"$kml"
	echo clear >"$kml"
	klog "debug-kernel: kmemleak baseline taken, boot-time suspects cleared"
	;;
end)
	echo scan >"$kml"
	report=/tmp/.kmemleak-report
	cat "$kml" >"$report"
	n=$(grep -c '^unreferenced object' "$report") || :
	if [ "${n:-0}" -gt 0 ]; then
		# Into the kernel log, at KERN_ERR, one line per record: the
		# console shows it stamped like any other kernel report.
		while IFS= read -r line; do
			printf '<3>kmemleak: %s\n' "$line" >/dev/kmsg
		done <"$report"
	fi
	klog "debug-kernel: kmemleak final scan: ${n:-0} unreferenced object(s)"
	rm -f "$report"
	;;
*)
	echo "usage: debug-checks.sh start|end" >&2
	exit 2
	;;
esac
