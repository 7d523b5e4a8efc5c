#!/bin/bash
# Self-test of the debug kernel's checks: a guest loads a module that trips
# every checker once (selftest/resfence_checker_selftest.c), and the run must
# FAIL with a report of each kind. Checks that cannot fail would let every
# real scenario pass; this proves they do not.
#   tests/vm/debug-kernel/selftest-checkers.sh   -> PASS/FAIL line, exit 0/1
set -eu
here=$(cd "$(dirname "$0")" && pwd)
VM_DIR=$(cd "$here/.." && pwd)
. "$VM_DIR/common.sh"

mods=$("$here/build-kmod.sh")
set +e
out=$(RESFENCE_REPORTS=20 DEBUG_EXTRA_KO="$mods/selftest/resfence_checker_selftest.ko" \
	"$here/run-scenario.sh" "$here/selftest/checkers.sh" 2>&1)
rc=$?
set -e

# What each checker prints first (see check-console.sh).
kinds=(
	"UBSAN: shift-out-of-bounds"
	"BUG: KASAN: slab-out-of-bounds"
	"ODEBUG: free active"
	"BUG: sleeping function called from invalid context"
	"WARNING: CPU: .* at .*resfence_checker_selftest"
	"WARNING: possible circular locking dependency detected"
	"kmemleak: unreferenced object"
)
# The list of report lines check-console.sh prints first.
reports=$(printf '%s\n' "$out" | sed -n '/^check-console: [0-9]* report line/,/^check-console: report /p')
missing=
for k in "${kinds[@]}"; do
	printf '%s\n' "$reports" | grep -Eq -- "$k" || missing="$missing
    $k"
done
if [ "$rc" -eq 1 ] && [ -z "$missing" ]; then
	echo "PASS debug-kernel checkers self-test: all ${#kinds[@]} kinds of report fail a run"
	exit 0
fi
echo "FAIL debug-kernel checkers self-test: exit $rc, reports not seen:${missing:- (none missing)}"
printf '%s\n' "$out" | tail -n 60
exit 1
