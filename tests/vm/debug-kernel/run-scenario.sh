#!/bin/bash
# Run one lab scenario on the debug kernel and judge it twice: by the lab's
# own verdict (tests/vm/run-scenario.sh, RESFENCE_KERNEL=debug), then by the
# debug kernel's checkers on every console log of the run (check-console.sh:
# lockdep, KASAN, UBSAN, debug objects, "BUG:", "WARNING:", and the kmemleak
# report the guest writes after its final scan).
#   tests/vm/debug-kernel/run-scenario.sh tests/scenarios/NAME[.host].sh
# Exit status as run-scenario.sh: 0 pass, 1 fail, 77 skipped. A scenario
# whose header says "# lab-kernel: debian" needs the Debian kernel itself
# (its module layout, its ABI) and is skipped here.
# Logs: build/test-logs/debug-kernel/NAME*.console.log.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
VM_DIR=$(cd "$here/.." && pwd)
. "$VM_DIR/common.sh"

[ $# -eq 1 ] && [ -f "$1" ] || {
	echo "usage: $0 SCENARIO-FILE" >&2
	exit 2
}
scenario=$1
# The lab's own naming: NAME.sh, and NAME.host.sh for two guests.
case $scenario in
*.host.sh) name=$(basename "$scenario" .host.sh) ;;
*) name=$(basename "$scenario" .sh) ;;
esac
if grep -Eq '^# lab-kernel:[[:space:]]*debian[[:space:]]*$' "$scenario"; then
	echo "SKIP $name [debug kernel]: the scenario needs the Debian kernel (# lab-kernel: debian)"
	exit 77
fi

kernel=$("$here/build.sh")
mods=$("$here/build-kmod.sh" "$kernel")

export RESFENCE_KERNEL=debug
export RESFENCE_KO=$mods/kmod/scsi_resfence.ko
# The KUnit module rides along in every image (only run-kunit.sh loads it);
# DEBUG_EXTRA_KO adds more (the checkers' self-test module).
export RESFENCE_EXTRA_KO="$mods/kmod/tests/scsi_resfence_kunit.ko ${DEBUG_EXTRA_KO:-}"
export RESFENCE_LOG_DIR=${DEBUG_LOG_DIR:-$LOG_DIR/debug-kernel}
# RAM: the lab's default unless RESFENCE_DEBUG_MEM says otherwise. KASAN's
# shadow and lockdep's tables take ~130 of 512 MiB; kmemleak's final scan
# time grows with RAM (about 5 s at 512 MiB, 10 s at 1 GiB under TCG).
[ -z "${RESFENCE_DEBUG_MEM:-}" ] || export RESFENCE_MEM=$RESFENCE_DEBUG_MEM
mkdir -p "$RESFENCE_LOG_DIR"
# console_logs: this scenario's console logs (one guest: NAME.console.log;
# two guests: one per node, NAME.<node>.console.log or NAME-<node>...).
console_logs() {
	case $scenario in
	*.host.sh) ls "$RESFENCE_LOG_DIR/$name".*.console.log "$RESFENCE_LOG_DIR/$name"-*.console.log 2>/dev/null ;;
	*) ls "$RESFENCE_LOG_DIR/$name.console.log" 2>/dev/null ;;
	esac
}
# A stale log of an earlier run must not be judged as this run's.
# shellcheck disable=SC2046
rm -f $(console_logs)

set +e
out=$("$VM_DIR/run-scenario.sh" "$scenario" 2>&1)
rc=$?
set -e
# checks LOG...: run check-console.sh on each log, collecting the reports.
reports=
checks() {
	local log r
	for log in "$@"; do
		[ -f "$log" ] || continue
		r=$("$here/check-console.sh" "$log") ||
			reports="$reports${reports:+
}in ${log##*/}:
$r"
	done
}
# The lab prints "PASS name (12s)"; say which kernel it was.
tag() {
	sed -E "s/^(PASS|FAIL|SKIP) $name([ :]|\$)/\1 $name [debug kernel]\2/"
}

if [ "$rc" -eq 77 ]; then
	printf '%s\n' "$out" | tag
	exit 77
fi
logs=$(console_logs) || :
# shellcheck disable=SC2086
checks $logs
if [ "$rc" -ne 0 ]; then
	printf '%s\n' "$out" | tag
	[ -z "$reports" ] || printf 'debug kernel checkers, %s\n' "$reports"
	exit "$rc"
fi
if [ -z "$logs" ]; then
	printf '%s\n' "$out" | grep -v "^PASS $name" || :
	echo "FAIL $name [debug kernel]: no console log in $RESFENCE_LOG_DIR to check"
	exit 1
fi
if [ -n "$reports" ]; then
	printf '%s\n' "$out" | grep -v "^PASS $name" || :
	echo "FAIL $name [debug kernel]: the debug kernel's checkers reported"
	printf '%s\n' "$reports"
	exit 1
fi
printf '%s\n' "$out" | tag
