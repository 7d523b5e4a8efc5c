#!/bin/sh
# Print the names of the KUnit suites kmod/tests/ defines (".name = ..." of
# each struct kunit_suite), so that a suite that never ran is a failure.
set -eu
top=$(cd "$(dirname "$0")/../../.." && pwd)
sed -n '/struct kunit_suite/,/};/s/^[[:space:]]*\.name = "\([^"]*\)",.*/\1/p' \
	"$top"/kmod/tests/*_test.c | LC_ALL=C sort | tr '\n' ' ' | sed 's/ $//'
echo
