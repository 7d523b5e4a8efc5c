#!/bin/bash
# make demo: the two-node failover of issue 6, in QEMU, narrated.
# Two guests, A and B, share one iSCSI LUN served by tgtd on this host. A
# holds the disk and writes; B's takeover finds A alive (scenario 1); A
# hangs and B takes over (2); A wakes up with writes queued and restarts at
# its first command, none of its late writes landing (3); A, back and
# healthy, is fenced by B's preempt (4). The story is
# tests/failover/demo.host.sh: every step asserts what it narrates, so the
# demo exits 1 if anything does not happen as told.
# Logs: build/test-logs/demo.* (consoles with host timestamps, host timeline).
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
VM_DIR=$ROOT/tests/vm
LOG_DIR=${RESFENCE_LOG_DIR:-${RESFENCE_BUILD:-$ROOT/build}/test-logs}
mkdir -p "$LOG_DIR"
summary=$(mktemp "${TMPDIR:-/tmp}/resfence-demo.XXXXXX")
trap 'rm -f "$summary"' EXIT

printf '== Preparing the lab (cached in ~/.cache/resfence after the first run)\n'
kdir=$("$VM_DIR/kernel.sh")
echo "kernel:    Debian $(basename "$kdir") (the ABI of linux-headers-amd64), booted under QEMU TCG"
echo "initramfs: $("$VM_DIR/initramfs-base.sh") + this checkout's module, tool and scripts"
cat <<'EOF'

Node A is the master: scsi_resfence.ko holds a SCSI persistent reservation
on the shared disk for it, refreshes it from a kernel timer, and restarts A
the instant any command to the disk completes with RESERVATION CONFLICT:
another node has taken the disk, and A must not write one more block.
Node B is the standby; resfencectl runs its side (takeover, preempt).
Each line below: time since the start on the host's clock, the node, who
holds the disk, and what happened.
EOF

# The lab's own progress lines ("[host] ...") stay in the logs; the story and
# the verdict (with the reason and log tails on failure) are shown.
set +e
DEMO_SUMMARY=$summary "$VM_DIR/run-host-scenario.sh" "$ROOT/tests/failover/demo.host.sh" 2>&1 |
	grep --line-buffered -v '^\[host\] '
rc=${PIPESTATUS[0]}
set -e

printf '\n== Summary\n'
if [ "$rc" -eq 0 ] && [ "$(grep -c PASS "$summary")" -eq 4 ]; then
	printf '%-2s %-29s %-6s %s\n' "#" scenario result "what the logs show"
	cat "$summary"
	echo
	echo "Timeline and consoles (host-clock timestamps): $LOG_DIR/demo.host.log, demo.{A,B}*.console.ts.log"
	echo "The same scenarios as tests: tests/scenarios/failover-*.host.sh (make check)."
	exit 0
fi
[ ! -s "$summary" ] || cat "$summary"
echo "The demo FAILED: a step did not happen as narrated (see above and $LOG_DIR/demo.host.log)."
exit 1
