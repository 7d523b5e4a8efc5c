#!/bin/bash
# Every test, as `make check` runs it: the C++ unit tests (ctest), the
# module's build against a newer kernel's headers (tests/build/), the
# packaging tests (tests/packaging/, as root: DKMS, the .debs, the systemd
# unit, then purged), then the harness self-tests and every VM scenario in
# tests/scenarios/ (NAME.sh: one guest; NAME.host.sh: two guests) and the
# DKMS-built module's (tests/packaging/dkms-module.sh), one line each:
#   PASS name (12s)   FAIL name (12s): reason (+ console tail)   SKIP name: why
# and exactly one closing line "N passed, N failed" (", N skipped" when some
# were), counting ctest cases and scenarios. Exit status 1 if anything failed.
#   tests/run-all.sh [--unit-only | --vm-only] [--no-debug-kernel] [--no-packaging]
#   SCENARIOS='lio-*' tests/run-all.sh --vm-only   only scenarios whose name matches
#   RESFENCE_JOBS=1 tests/run-all.sh   one-guest scenarios one at a time
#     (default: as many at once as the host has CPUs; two-guest ones always
#     run alone)
# After the Debian kernel's scenarios, the debug kernel's stage (issue 5):
# the checkers' self-test, the KUnit suites (each case counted), and every
# scenario again on the debug kernel except those marked "# lab-kernel:
# debian" (tests/vm/debug-kernel/; a cold kernel build takes about 11
# minutes, then it is cached; it starts in the background, at nice 19, when
# the run starts). --no-debug-kernel or RESFENCE_DEBUG_KERNEL=0 skips that
# stage.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
VM_DIR=$ROOT/tests/vm
BUILD_DIR=${RESFENCE_BUILD:-$ROOT/build}
LOG_DIR=${RESFENCE_LOG_DIR:-$BUILD_DIR/test-logs}

unit=1 vm=1 debug=${RESFENCE_DEBUG_KERNEL:-1} packaging=${RESFENCE_PACKAGING:-1}
for arg in "$@"; do
	case $arg in
	--unit-only) vm=0 ;;
	--vm-only) unit=0 ;;
	--debug-kernel) debug=1 ;;
	--no-debug-kernel) debug=0 ;;
	--no-packaging) packaging=0 ;;
	*)
		echo "usage: $0 [--unit-only | --vm-only] [--no-debug-kernel] [--no-packaging]" >&2
		exit 2
		;;
	esac
done
filter=${SCENARIOS:-*}
jobs=${RESFENCE_JOBS:-$(nproc)}
case $jobs in
'' | *[!0-9]* | 0)
	echo "$0: RESFENCE_JOBS=$jobs: expected a positive number of scenarios to run at once" >&2
	exit 2
	;;
esac
passed=0 failed=0 skipped=0
mkdir -p "$LOG_DIR"

run_unit() {
	local out=$LOG_DIR/ctest.log summary total nfail
	echo "== unit tests (ctest)"
	if [ ! -f "$BUILD_DIR/userspace/CTestTestfile.cmake" ]; then
		echo "FAIL unit tests: $BUILD_DIR/userspace is not built (make userspace)"
		failed=$((failed + 1))
		return
	fi
	ctest --test-dir "$BUILD_DIR/userspace" --output-on-failure >"$out" 2>&1 || :
	# "100% tests passed, 0 tests failed out of 125"
	summary=$(grep -E '^[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$out" | tail -n 1) || :
	if [ -z "$summary" ]; then
		cat "$out"
		echo "FAIL unit tests: ctest ran no test (see $out)"
		failed=$((failed + 1))
		return
	fi
	total=${summary##* }
	nfail=$(printf '%s\n' "$summary" | sed -E 's/.* ([0-9]+) tests? failed.*/\1/')
	[ "$nfail" -eq 0 ] || cat "$out"
	echo "ctest: $summary"
	passed=$((passed + total - nfail))
	failed=$((failed + nfail))
}

# tally NAME OUTPUT RC: print the runner's verdict line (and on failure its
# whole output) and count it.
tally() {
	local name=$1 out=$2 rc=$3 line
	line=$(printf '%s\n' "$out" | grep -E -m 1 '^(PASS|FAIL|SKIP) ') || :
	case $rc in
	0)
		echo "${line:-PASS $name}"
		passed=$((passed + 1))
		;;
	77)
		echo "${line:-SKIP $name}"
		skipped=$((skipped + 1))
		;;
	*)
		echo "${line:-FAIL $name (exit $rc)}"
		printf '%s\n' "$out" | grep -v -F -x -- "$line" | sed 's/^/    /'
		failed=$((failed + 1))
		;;
	esac
}

scenario_name() {
	local n=${1##*/}
	n=${n%.sh}
	echo "${n%.host}"
}

run_selftests() {
	local c name out rc
	echo "== harness self-tests (each must be failed by the lab)"
	for c in "$VM_DIR"/selftest/*.sh; do
		name=selftest/$(scenario_name "$c")
		# shellcheck disable=SC2254
		case $name in $filter) ;; *) continue ;; esac
		rc=0
		out=$("$VM_DIR/selftest.sh" "$c" 2>&1) || rc=$?
		if [ "$rc" -eq 0 ]; then
			echo "PASS $name ($(printf '%s\n' "$out" | sed -n 's/.*: FAIL [^ ]* (\([0-9]*s\)).*/\1/p' | head -n 1))"
			passed=$((passed + 1))
		else
			tally "$name" "$out" "$rc"
		fi
	done
	# An interrupted run (Ctrl-C) must leave no guest or tgtd behind.
	name=selftest/interrupt
	# shellcheck disable=SC2254
	case $name in $filter) ;; *) return 0 ;; esac
	rc=0
	out=$("$VM_DIR/selftest-interrupt.sh" 2>&1) || rc=$?
	tally "$name" "$out" "$rc"
}

# kill_tree PID: SIGTERM to PID and everything below it, children first.
kill_tree() {
	local c
	for c in $(pgrep -P "$1"); do
		kill_tree "$c"
	done
	kill -TERM "$1" 2>/dev/null || :
}

# stop_pool DIR: end every run of the pool (its trap), then this script.
stop_pool() {
	local j
	for j in $(jobs -p); do
		kill_tree "$j"
	done
	wait
	rm -rf "$1"
	exit 130
}

# run_pool JOBS RUNNER SCENARIO...: the scenarios through RUNNER, JOBS at a
# time, tallied in the order given. Each runner writes its console logs
# privately and publishes them at its end (common.sh), so runs at once do not
# see each other's.
run_pool() {
	local max=$1 runner=$2 pool i=0 next=0 n done_n rc out s
	local -a pids=()
	shift 2
	n=$#
	local -a list=("$@")
	if [ "$max" -le 1 ]; then
		for s in ${list[@]+"${list[@]}"}; do
			rc=0
			out=$("$runner" "$s" 2>&1) || rc=$?
			tally "$(scenario_name "$s")" "$out" "$rc"
		done
		return 0
	fi
	pool=$(mktemp -d "${TMPDIR:-/tmp}/resfence-pool.XXXXXX")
	# Stopped (CI's timeout, Ctrl-C): the runs still going stop too, down
	# to their QEMU (timeout passes the signal on to it).
	trap 'stop_pool "$pool"' INT TERM
	while [ "$next" -lt "$n" ]; do
		done_n=$(find "$pool" -name '*.rc' | wc -l)
		while [ "$i" -lt "$n" ] && [ $((i - done_n)) -lt "$max" ]; do
			(
				rc=0
				"$runner" "${list[$i]}" >"$pool/$i.out" 2>&1 || rc=$?
				echo "$rc" >"$pool/$i.rc.part" && mv "$pool/$i.rc.part" "$pool/$i.rc"
			) </dev/null &
			pids+=($!)
			i=$((i + 1))
		done
		if [ -f "$pool/$next.rc" ]; then
			tally "$(scenario_name "${list[$next]}")" "$(cat "$pool/$next.out")" "$(cat "$pool/$next.rc")"
			next=$((next + 1))
		else
			sleep 1
		fi
	done
	# Its own runs only (a bare wait would wait for the debug kernel's
	# prebuild too); each has published its result already.
	[ "${#pids[@]}" -eq 0 ] || wait "${pids[@]}" || :
	trap - INT TERM
	rm -rf "$pool"
}

# run_scenarios RUNNER LABEL: every scenario through RUNNER. One-guest
# scenarios run $jobs at a time (RESFENCE_JOBS, default: the host's CPU
# count; a TCG guest keeps about one host CPU busy); two-guest scenarios
# then run one at a time, alone (their two guests take the CPUs, and
# tgtd's port 3260 is one).
run_scenarios() {
	local runner=$1 s name
	local -a singles=() pairs=()
	echo "== VM scenarios$2"
	for s in "$ROOT"/tests/scenarios/*.sh; do
		[ -e "$s" ] || continue
		name=$(scenario_name "$s")
		# shellcheck disable=SC2254
		case $name in $filter) ;; *) continue ;; esac
		case $s in
		*.host.sh) pairs+=("$s") ;;
		*) singles+=("$s") ;;
		esac
	done
	run_pool "$jobs" "$runner" ${singles[@]+"${singles[@]}"}
	run_pool 1 "$runner" ${pairs[@]+"${pairs[@]}"}
}

# The debug kernel's checks must be able to fail: a guest that trips each
# checker once must be failed with a report of each kind.
run_debug_selftest() {
	local name=selftest/debug-kernel-checkers out rc=0
	# shellcheck disable=SC2254
	case $name in $filter) ;; *) return ;; esac
	echo "== debug kernel checkers self-test"
	out=$("$VM_DIR/debug-kernel/selftest-checkers.sh" 2>&1) || rc=$?
	tally "$name" "$out" "$rc"
}

run_kunit() {
	local out rc=0 summary p f s
	echo "== KUnit on the debug kernel"
	out=$("$VM_DIR/debug-kernel/run-kunit.sh" 2>&1) || rc=$?
	printf '%s\n' "$out" | grep -v '^kunit: [0-9]* passed' || :
	summary=$(printf '%s\n' "$out" | grep -E '^kunit: [0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$' | tail -n 1) || :
	if [ -z "$summary" ]; then
		echo "FAIL kunit: no summary (exit $rc)"
		failed=$((failed + 1))
		return
	fi
	read -r p f s <<<"$(printf '%s\n' "$summary" | sed -E 's/kunit: ([0-9]+) passed, ([0-9]+) failed, ([0-9]+) skipped/\1 \2 \3/')"
	passed=$((passed + p))
	failed=$((failed + f))
	skipped=$((skipped + s))
	[ "$rc" -eq 0 ] || [ "$f" -gt 0 ] || failed=$((failed + 1))
}

# The module against the newest kernel headers Debian 12 has (compat.h's
# later-kernel branches; the lab boots 6.1 only).
run_builds() {
	local name=kmod-newer-kernel out rc=0
	# shellcheck disable=SC2254
	case $name in $filter) ;; *) return ;; esac
	echo "== module build against a newer kernel"
	out=$("$ROOT/tests/build/kmod-newer-kernel.sh" 2>&1) || rc=$?
	tally "$name" "$out" "$rc"
}

# The packaging (issue 13), installed for real on this machine as root and
# removed again (tests/packaging/): the one version, DKMS from the checkout,
# the Debian packages (build, lintian, dpkg -i, DKMS, the systemd unit,
# purge). Not root: each is skipped. --no-packaging or RESFENCE_PACKAGING=0
# skips the stage and dkms-module (it installs packages on this machine).
deb_rc=
run_packaging() {
	local t name out rc
	echo "== packaging: DKMS, Debian packages, systemd unit (installed, then purged)"
	for t in version:package-version dkms:dkms-source deb:deb-packages; do
		name=${t#*:}
		# shellcheck disable=SC2254
		case $name in $filter) ;; *) continue ;; esac
		rc=0
		out=$("$ROOT/tests/packaging/${t%%:*}.sh" 2>&1) || rc=$?
		tally "$name" "$out" "$rc"
		[ "$name" != deb-packages ] || deb_rc=$rc
	done
}

# The module the resfence-dkms postinst built, booted in the lab (Debian's
# kernel only: it is built against Debian's headers). deb-packages leaves a
# copy; a run that did not run it (--vm-only) runs it first.
run_dkms_lab() {
	local name=dkms-module out rc=0
	# shellcheck disable=SC2254
	case $name in $filter) ;; *) return 0 ;; esac
	echo "== the DKMS-built module in the lab"
	if [ -z "$deb_rc" ]; then
		out=$("$ROOT/tests/packaging/deb.sh" 2>&1) || deb_rc=$?
		deb_rc=${deb_rc:-0}
		[ "$deb_rc" -eq 0 ] || {
			tally deb-packages "$out" "$deb_rc"
			return 0
		}
	fi
	if [ "$deb_rc" -ne 0 ]; then
		echo "SKIP $name: deb-packages did not pass (exit $deb_rc): no DKMS-built module"
		skipped=$((skipped + 1))
		return 0
	fi
	out=$(RESFENCE_KO=$BUILD_DIR/packaging/dkms/scsi_resfence.ko \
		"$VM_DIR/run-scenario.sh" "$ROOT/tests/packaging/dkms-module.sh" 2>&1) || rc=$?
	tally "$name" "$out" "$rc"
}

# A cold debug kernel takes 10 to 15 minutes to build (debug-kernel/
# README.md). Started first, in the background and at nice 19, it uses the
# CPU that the unit tests, the packaging and the Debian kernel's scenarios
# leave idle (a TCG guest waiting in the lab is mostly idle) instead of
# adding its whole time after them; the debug stage's first build.sh waits
# for it on the cache's lock. A warm cache answers at once.
prebuild=
prebuild_debug_kernel() {
	nice -n 19 "$VM_DIR/debug-kernel/build.sh" >"$LOG_DIR/debug-kernel-prebuild.log" 2>&1 &
	prebuild=$!
	trap '[ -z "$prebuild" ] || kill_tree "$prebuild"' EXIT
}

if [ "$vm" -eq 1 ] && [ "$debug" -eq 1 ]; then
	prebuild_debug_kernel
fi
if [ "$unit" -eq 1 ]; then
	run_unit
	run_builds
	[ "$packaging" -eq 0 ] || run_packaging
fi
if [ "$vm" -eq 1 ]; then
	run_selftests
	run_scenarios "$VM_DIR/run-scenario.sh" ""
	[ "$packaging" -eq 0 ] || run_dkms_lab
	if [ "$debug" -eq 1 ]; then
		# The prebuild's outcome is not judged here: build.sh, called
		# again by each step below, reports a failed build itself.
		wait "$prebuild" || :
		prebuild=
		run_debug_selftest
		run_kunit
		run_scenarios "$VM_DIR/debug-kernel/run-scenario.sh" " on the debug kernel"
	fi
fi

if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
