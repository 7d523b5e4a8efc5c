#!/bin/sh
# Fail if a guest console log shows a report from the debug kernel's checkers.
#
#   check-console.sh CONSOLE_LOG    -> exit 0: clean; exit 1: reports printed
#
# Only kernel log lines count (they carry a "[ seconds.micros]" stamp: the
# debug kernel has CONFIG_PRINTK_TIME), so a scenario echoing "WARNING:" on
# its own stdout cannot fail itself. What is a report:
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
# allocation and free traces), at most $RESFENCE_REPORTS reports (default 3).
set -eu

log=${1:?usage: check-console.sh CONSOLE_LOG}
[ -r "$log" ] || { echo "check-console: cannot read $log" >&2; exit 2; }

tr -d '\r' <"$log" | awk -v max="${RESFENCE_REPORTS:-3}" -v ctx=45 '
function stamped(s) { return s ~ /^(<[0-9]+>)?\[ *[0-9]+\.[0-9]+\]/ }
function body(s) { sub(/^(<[0-9]+>)?\[ *[0-9]+\.[0-9]+\] ?/, "", s); return s }
{
	if (!stamped($0)) {
		if (left > 0) { print "    " $0; left-- }
		next
	}
	b = body($0)
	hit = b ~ /(^|[^A-Za-z_])(BUG|WARNING|UBSAN|ODEBUG):/ ||
	      b ~ /unreferenced object 0x/ ||
	      b ~ /kernel BUG at|Oops: |general protection fault|DEBUG_LOCKS_WARN_ON/
	if (hit && left == 0) {
		n++
		if (n <= max) {
			printf "check-console: debug-kernel report %d:\n", n
			print "    " prev
			left = ctx
		}
	}
	if (left > 0) { print "    " $0; left-- }
	prev = $0
}
END {
	if (n > max) printf "check-console: ... and %d more report(s)\n", n - max
	if (n > 0) { printf "check-console: %d report(s) from the debug kernel checkers\n", n; exit 1 }
}'
