#!/bin/bash
# Run one lab scenario and return its verdict as the exit status:
#   0 pass, 1 fail, 77 skipped (a "# lab-needs:" item is not built), 2 usage.
#   tests/vm/run-scenario.sh tests/scenarios/NAME.sh        one guest
#   tests/vm/run-scenario.sh tests/scenarios/NAME.host.sh   two guests (see host-lib.sh)
# A single-guest scenario is a busybox sh script run as part of the guest's
# /init under set -eu with tests/vm/guest/lib.sh sourced. Its header may say:
#   # lab-timeout: SECONDS    bound on the whole boot (default 120)
#   # lab-needs: module tool  skip unless kmod/scsi_resfence.ko / resfencectl are built
#   # lab-smp: N              guest CPUs (default 2)
#   # lab-kernel: debian|debug  run on that kernel only (debug: skipped here
#                             unless RESFENCE_KERNEL=debug)
# Console: build/test-logs/NAME.console.log, and NAME.console.ts.log with each
# line prefixed by the host's CLOCK_MONOTONIC, put there when the run ends.
# A failure prints its tail.
# LAB_TRACE=1 runs the scenario under set -x.
set -eu
VM_DIR=$(cd "$(dirname "$0")" && pwd)
. "$VM_DIR/common.sh"
. "$VM_DIR/vm.sh"

[ $# -eq 1 ] && [ -f "$1" ] || {
	echo "usage: $0 SCENARIO-FILE" >&2
	exit 2
}
scenario=$1
case $scenario in
*.host.sh) exec "$VM_DIR/run-host-scenario.sh" "$scenario" ;;
esac
name=$(basename "$scenario" .sh)

# "# lab-kernel: debug": only the debug kernel's checkers make the run worth
# its time (tests/vm/debug-kernel/run-scenario.sh sets RESFENCE_KERNEL=debug).
if grep -Eq '^# lab-kernel:[[:space:]]*debug[[:space:]]*$' "$scenario" &&
	[ "${RESFENCE_KERNEL:-debian}" != debug ]; then
	echo "SKIP $name: debug kernel only (# lab-kernel: debug)"
	exit 77
fi
missing=$(vm_missing_needs "$scenario")
if [ -n "$missing" ]; then
	echo "SKIP $name: not built: $(echo $missing)"
	exit 77
fi
timeout=$(vm_header "$scenario" timeout 120)
smp=$(vm_header "$scenario" smp 2)

run=$(mktemp -d "${TMPDIR:-/tmp}/resfence-vm.XXXXXX")
trap 'rm -rf "$run"' EXIT
# Written here, judged here, then published to LOG_DIR (see publish_logs).
raw=$run/$name.console.log
ts=$run/$name.console.ts.log

vm_prepare
vm_initrd "$run/initrd.cpio" "$scenario"
vm_qemu_args "$run/initrd.cpio" "$smp" "lab.mode=scenario lab.node=$name lab.trace=${LAB_TRACE:-0}"

start=$(date +%s%N)
set +e
timeout --foreground -k 5 "$timeout" qemu-system-x86_64 "${QEMU_ARGS[@]}" -monitor none \
	</dev/null 2>"$run/qemu.err" | "$VM_DIR/timestamp.pl" "$raw" "$ts"
status=${PIPESTATUS[0]}
set -e
secs=$((($(date +%s%N) - start) / 1000000000))
# QEMU's own complaints (bad options, a missing block driver) belong in the log.
if [ -s "$run/qemu.err" ]; then
	sed 's/^/qemu: /' "$run/qemu.err" >>"$raw"
fi

vm_judge "$raw" "$status" "$timeout"
publish_logs "$run" "$name"
raw=$LOG_DIR/$name.console.log
case $JUDGE in
PASS) echo "PASS $name (${secs}s)" ;;
RESTARTED) echo "PASS $name (${secs}s, restarted as expected)" ;;
*)
	echo "FAIL $name (${secs}s): $REASON"
	echo "--- last $TAIL_LINES console lines ($raw):"
	tail -n "$TAIL_LINES" "$raw"
	exit 1
	;;
esac
