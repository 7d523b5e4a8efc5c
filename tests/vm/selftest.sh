#!/bin/sh
# Harness self-test: run one deliberately broken scenario from
# tests/vm/selftest/ and succeed only if run-scenario.sh FAILs it for the
# reason its "# lab-selftest-reason: REGEX" line names. A lab that cannot
# fail would pass every real scenario; this proves it does not.
#   tests/vm/selftest.sh tests/vm/selftest/CASE.sh
set -eu
VM_DIR=$(cd "$(dirname "$0")" && pwd)
case=$1
want=$(sed -n 's/^# lab-selftest-reason:[[:space:]]*//p' "$case")
[ -n "$want" ] || { echo "selftest: $case has no '# lab-selftest-reason:' line" >&2; exit 2; }

set +e
out=$("$VM_DIR/run-scenario.sh" "$case" 2>&1)
rc=$?
set -e
verdict=$(printf '%s\n' "$out" | grep -E -m 1 '^(PASS|FAIL|SKIP) ') || :
if [ "$rc" -eq 1 ] && printf '%s\n' "$verdict" | grep -Eq -- "^FAIL .*$want"; then
	echo "selftest: harness failed it as it must: $verdict"
	exit 0
fi
echo "selftest: run-scenario.sh should have failed $case with /$want/, got exit $rc:"
printf '%s\n' "$out"
exit 1
