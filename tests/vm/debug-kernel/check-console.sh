#!/bin/sh
# Fail if a guest console log shows a report from the debug kernel's checkers.
#
#   check-console.sh CONSOLE_LOG    -> exit 0: clean; exit 1: reports printed
#
# Only kernel log lines count (they carry a "[ seconds.micros]" stamp: the
# debug kernel has CONFIG_PRINTK_TIME), so a scenario echoing "WARNING:" on
# its own stdout cannot fail itself; a stamp in the middle of a console line
# (the kernel interrupting a program's output) starts a kernel line too. What is a report:
#   BUG:                  KASAN ("BUG: KASAN: ..."), sleeping in atomic
#                         context, scheduling while atomic, soft lockup,
#                         bad page state, page faults ("BUG: unable to handle")
#   WARNING:              WARN_ON splats and every lockdep report (circular,
#                         recursive, inconsistent lock state, suspicious RCU
#                         usage, bad unlock balance, lock held at return)
#   UBSAN:                undefined behaviour
#   ODEBUG:               debug objects: timers and works freed or
#                         re-initialised while active
#   unreferenced object   a kmemleak report (the lab dumps
#                         /sys/kernel/debug/kmemleak after a final scan)
#   kernel BUG at, Oops:, general protection fault, DEBUG_LOCKS_WARN_ON
# Not a report: "Kernel panic" alone (the module's `panic` action panics on
# purpose); a real oops on the way there is caught by the lines above.
# Each report is printed with the lines that follow it (its stack, its
# allocation and free traces), at most $RESFENCE_REPORTS reports (default 3),
# after a list of every report line.
set -eu

log=${1:?usage: check-console.sh CONSOLE_LOG}
[ -r "$log" ] || { echo "check-console: cannot read $log" >&2; exit 2; }

tr -d '\r' <"$log" | awk -v max="${RESFENCE_REPORTS:-3}" -v ctx=45 '
# A kernel line may start in the middle of a console line, when the kernel
# printed while a program'"'"'s output was still going out: "+ rmmod x[ 13.6] ...".
function stamped(s) { return s ~ /\[ *[0-9]+\.[0-9]+\]/ }
function body(s) { sub(/^.*\[ *[0-9]+\.[0-9]+\] ?/, "", s); return s }
function is_hit(s,   b) {
	if (!stamped(s))
		return 0
	b = body(s)
	return b ~ /(^|[^A-Za-z_])(BUG|WARNING|UBSAN|ODEBUG):/ ||
	       b ~ /unreferenced object 0x/ ||
	       b ~ /kernel BUG at|Oops: |general protection fault|DEBUG_LOCKS_WARN_ON/
}
{ line[NR] = $0; if (is_hit($0)) hit[++n] = NR }
END {
	if (n == 0)
		exit 0
	printf "check-console: %d report line(s) from the debug kernel checkers:\n", n
	for (i = 1; i <= n; i++)
		print "    " line[hit[i]]
	# The first reports in full: a hit inside an earlier one'"'"'s lines
	# (a KASAN report'"'"'s own WARNING, say) is part of that report.
	shown = 0; upto = 0
	for (i = 1; i <= n && shown < max; i++) {
		if (hit[i] <= upto)
			continue
		shown++
		printf "check-console: report %d of the above, with what follows it:\n", shown
		from = hit[i] > 1 ? hit[i] - 1 : 1
		upto = hit[i] + ctx
		for (j = from; j <= upto && j <= NR; j++)
			print "    " line[j]
	}
	exit 1
}'
