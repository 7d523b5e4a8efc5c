#!/bin/sh
# Parse the KTAP that KUnit printed into a guest console log and report every
# test case.
#
#   ktap.sh CONSOLE_LOG [EXPECTED_SUITES]
#
# Prints one line per case, "PASS kunit suite.case" / "FAIL kunit suite.case"
# / "SKIP kunit suite.case", with a failing case's diagnostics (the
# "# case: EXPECTATION FAILED at ..." lines) under it, then a last line
#   kunit: P passed, F failed, S skipped
# and exits 0 only if nothing failed and at least one case ran.
#
# A suite that announced "1..N" but reported fewer cases (the guest crashed or
# restarted in the middle) has the missing ones counted as failed, as is a
# suite that failed to initialise (no cases, "not ok") and a suite named in
# EXPECTED_SUITES (space-separated) that never printed anything: a test that
# did not run must not look like a test that passed.
#
# Input format (lib/kunit/test.c, 6.1), after the "[ 1.234] " printk stamp:
#       KTAP version 1
#       # Subtest: suite
#       1..N
#       ok 1 case                   (4-space indent: a case of the suite)
#           ok 1 param              (8 spaces: a parameter, part of the case)
#       not ok 2 case
#   # suite: pass:1 fail:1 skip:0 total:2
#   not ok 1 suite                  (column 0: the suite's own result)
set -eu

log=${1:?usage: ktap.sh CONSOLE_LOG [EXPECTED_SUITES]}
expected=${2:-}
[ -r "$log" ] || { echo "ktap: cannot read $log" >&2; exit 2; }

tr -d '\r' <"$log" | awk -v expected="$expected" '
function finish_suite(   missing, i) {
	if (suite == "")
		return
	missing = plan - seen
	for (i = 0; i < missing; i++) {
		printf "FAIL kunit %s.<case %d of %d: no result, the guest stopped>\n", suite, seen + i + 1, plan
		fail++
	}
	if (plan == 0 && seen == 0 && suite_failed) {
		printf "FAIL kunit %s.<suite init>\n", suite
		fail++
	}
	ran[suite] = 1
	suite = ""
}
{
	# The printk stamp, possibly in the middle of a console line that a
	# program was writing when the kernel printed.
	line = $0
	if (line !~ /\[ *[0-9]+\.[0-9]+\] /)
		next
	sub(/^.*\[ *[0-9]+\.[0-9]+\] /, "", line)
}
line ~ /^    # Subtest: / {
	finish_suite()
	suite = line
	sub(/^    # Subtest: /, "", suite)
	plan = 0; seen = 0; suite_failed = 0; diag = ""; ndiag = 0
	next
}
suite != "" && line ~ /^    1\.\.[0-9]+$/ {
	plan = substr(line, 8) + 0
	next
}
suite != "" && line ~ /^    (not )?ok [0-9]+ / {
	c = line
	sub(/^    (not )?ok [0-9]+ /, "", c)
	skip = (c ~ / # SKIP/)
	sub(/ # SKIP.*$/, "", c)
	seen++
	if (line ~ /^    not ok/) {
		printf "FAIL kunit %s.%s\n%s", suite, c, diag
		fail++
	} else if (skip) {
		printf "SKIP kunit %s.%s\n", suite, c
		skipped++
	} else {
		printf "PASS kunit %s.%s\n", suite, c
		pass++
	}
	diag = ""; ndiag = 0
	next
}
suite != "" && line ~ /^    / && line !~ /^    KTAP version/ {
	# What the running case printed: "# case: EXPECTATION FAILED at f.c:12",
	# the "Expected a == b, but" lines, a parameter'"'"'s own ok/not ok.
	# Shown only if the case fails; the first 40 lines are enough.
	if (ndiag++ < 40)
		diag = diag "    " line "\n"
	next
}
suite != "" && line ~ /^(not )?ok [0-9]+ / {
	suite_failed = (line ~ /^not ok/)
	finish_suite()
	next
}
END {
	finish_suite()
	n = split(expected, want, " ")
	for (i = 1; i <= n; i++)
		if (!(want[i] in ran)) {
			printf "FAIL kunit %s.<suite never ran>\n", want[i]
			fail++
		}
	printf "kunit: %d passed, %d failed, %d skipped\n", pass, fail, skipped
	exit (fail > 0 || pass + skipped == 0) ? 1 : 0
}'
