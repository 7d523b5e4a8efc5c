#!/bin/bash
# Run the KUnit suites of kmod/tests/ (scsi_resfence_kunit.ko) in a debug
# kernel guest and report every case:
#   PASS kunit resfence_cdb.cdb_pr_in_encoding
#   FAIL kunit resfence_prin.prin_keys_hostile_length   (+ its diagnostics)
#   ...
#   kunit: P passed, F failed, S skipped
# A suite that never printed, a case cut off by a crash, a module that did
# not load or unload, and a checker report (KASAN, lockdep, kmemleak, ...)
# during the run are failures too. Exit 0 only if everything passed.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
VM_DIR=$(cd "$here/.." && pwd)
. "$VM_DIR/common.sh"
log_dir=${DEBUG_LOG_DIR:-$LOG_DIR/debug-kernel}

set +e
run=$(DEBUG_LOG_DIR=$log_dir "$here/run-scenario.sh" "$here/kunit-scenario.sh" 2>&1)
rc=$?
set -e
log=$log_dir/kunit-scenario.console.log
if [ ! -f "$log" ]; then
	printf '%s\n' "$run"
	echo "FAIL kunit <the guest did not run>"
	echo "kunit: 0 passed, 1 failed, 0 skipped"
	exit 1
fi

set +e
cases=$("$here/ktap.sh" "$log" "$("$here/suites.sh")")
set -e
summary=$(printf '%s\n' "$cases" | tail -n 1)
printf '%s\n' "$cases" | sed '$d'
pass=$(printf '%s\n' "$summary" | sed -n 's/^kunit: \([0-9]*\) passed, \([0-9]*\) failed, \([0-9]*\) skipped$/\1/p')
fail=$(printf '%s\n' "$summary" | sed -n 's/^kunit: \([0-9]*\) passed, \([0-9]*\) failed, \([0-9]*\) skipped$/\2/p')
skip=$(printf '%s\n' "$summary" | sed -n 's/^kunit: \([0-9]*\) passed, \([0-9]*\) failed, \([0-9]*\) skipped$/\3/p')
[ -n "$pass" ] || { echo "kunit: cannot read the parser's summary: $summary" >&2; exit 1; }

# Loading, unloading, and the checkers: one more item, failed if the
# guest's scenario (insmod, rmmod, kmemleak, console checks) failed.
if [ "$rc" -ne 0 ]; then
	echo "FAIL kunit <module load, unload and debug-kernel checkers>"
	printf '%s\n' "$run" | sed 's/^/    /'
	fail=$((fail + 1))
fi
echo "kunit: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
