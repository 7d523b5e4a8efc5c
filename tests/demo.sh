#!/bin/bash
# make demo: boot the lab and show what it proves so far, narrated.
#   1. one QEMU guest: the walking skeleton (resfencectl <-> scsi_resfence)
#   2. two QEMU guests sharing one iSCSI LUN served by tgtd on the host:
#      shared data, and a SCSI-2 reservation from A fencing B's writes
# Every guest console is kept in build/test-logs/. Exit status 1 if a step failed.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
VM_DIR=$ROOT/tests/vm
LOG_DIR=${RESFENCE_LOG_DIR:-${RESFENCE_BUILD:-$ROOT/build}/test-logs}
failed=0

say() {
	printf '\n== %s\n' "$*"
}

# step SCENARIO: run it, print its verdict line; on failure its whole output.
step() {
	local out rc=0
	out=$("$VM_DIR/run-scenario.sh" "$1" 2>&1) || rc=$?
	if [ "$rc" -eq 0 ]; then
		printf '%s\n' "$out" | grep -E -m 1 '^PASS '
	else
		printf '%s\n' "$out"
		failed=1
	fi
	return 0
}

say "Preparing the lab (cached in ~/.cache/resfence after the first run)"
kdir=$("$VM_DIR/kernel.sh")
echo "kernel:    Debian $(basename "$kdir") (the ABI of linux-headers-amd64), booted under QEMU TCG"
echo "initramfs: $("$VM_DIR/initramfs-base.sh") + this checkout's module, tool and scripts"

say "Node alone: load scsi_resfence, ask it who it is with resfencectl"
echo "The guest runs tests/scenarios/skeleton.sh; each command and its output:"
step "$ROOT/tests/scenarios/skeleton.sh"
# The scenario's transcript, from its console: "+ CMD -> STATUS" and output.
grep -E '^(\+ |  \| )' "$LOG_DIR/skeleton.console.log" | sed 's/^/    /' || :

say "Two nodes, one disk: guests A and B log in to the host's tgtd over iSCSI"
echo "A writes a block, B reads it; A takes a SCSI-2 reservation and B's writes"
echo "fail with RESERVATION CONFLICT until A releases it (tests/scenarios/iscsi-two-guests.host.sh)."
step "$ROOT/tests/scenarios/iscsi-two-guests.host.sh"
# The timeline, in seconds since the scenario started, on the host's clock.
awk 'NR == 1 { t0 = $1 } { $1 = sprintf("%7.2fs", $1 - t0); print "    " $0 }' \
	"$LOG_DIR/iscsi-two-guests.host.log" 2>/dev/null | grep -Ev '\| *$' || :

say "Summary"
if [ "$failed" -eq 0 ]; then
	echo "Both steps passed. Guest consoles (kernel log with host timestamps): $LOG_DIR/"
else
	echo "A step FAILED (see above). Guest consoles: $LOG_DIR/"
fi
exit "$failed"
