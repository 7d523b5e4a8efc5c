#!/bin/bash
# make demo-pacemaker: issue 12's two-node corosync + Pacemaker cluster in
# QEMU, narrated. Pacemaker on B fences a frozen A through fence_resfence
# and moves A's writer to B; A, thawed, restarts at its first command and
# none of its late writes land. The story is tests/failover/demo-pacemaker.host.sh:
# every step asserts what it narrates, so this exits 1 if anything does not
# happen as told. Logs: build/test-logs/demo-pacemaker.*.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
VM_DIR=$ROOT/tests/vm
LOG_DIR=${RESFENCE_LOG_DIR:-${RESFENCE_BUILD:-$ROOT/build}/test-logs}
# Two guests each with corosync and seven Pacemaker daemons.
export RESFENCE_MEM=${RESFENCE_MEM:-1024}
printf '== Preparing the lab (cached in ~/.cache/resfence after the first run)\n'
echo "kernel:    Debian $(basename "$("$VM_DIR/kernel.sh")"), booted under QEMU TCG"
echo "initramfs: $("$VM_DIR/initramfs-base.sh") + $("$VM_DIR/initramfs-cluster.sh")"
set +e
"$VM_DIR/run-host-scenario.sh" "$ROOT/tests/failover/demo-pacemaker.host.sh" 2>&1 |
	grep --line-buffered -v '^\[host\] '
rc=${PIPESTATUS[0]}
set -e
echo
echo "Timeline and consoles: $LOG_DIR/demo-pacemaker.host.log, demo-pacemaker.{A,B}*.console.ts.log"
exit "$rc"
