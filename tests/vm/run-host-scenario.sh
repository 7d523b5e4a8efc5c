#!/bin/bash
# Run a two-guest scenario: a bash script (tests/scenarios/NAME.host.sh) that
# drives guests through the helpers of host-lib.sh, against a tgtd this
# runner starts on 127.0.0.1 and always stops. Exit status as run-scenario.sh
# (0 pass, 1 fail, 77 skipped). Header lines as there, plus the whole run is
# bounded by "# lab-timeout:" (default 300 s) and a minute of slack.
# The scenario FAILs if it exits non-zero (set -eu, host_fail, guest_ok...),
# or if a guest restarted without guest_expect_restart, timed out, or logged
# a kernel splat. Any guest still running at the end is powered off.
set -eu
VM_DIR=$(cd "$(dirname "$0")" && pwd)
. "$VM_DIR/common.sh"
. "$VM_DIR/vm.sh"
. "$VM_DIR/tgt.sh"
. "$VM_DIR/host-lib.sh"

scenario=$1
# vm_initrd reads "# lab-needs: iscsid" from it (vm.sh).
LAB_HOST_SCENARIO=$scenario
export LAB_HOST_SCENARIO
# Not "name": finish runs from the EXIT trap, possibly inside a helper whose
# "local name" would shadow it.
LAB_SCENARIO=$(basename "$scenario" .host.sh)
missing=$(vm_missing_needs "$scenario")
if [ -n "$missing" ]; then
	echo "SKIP $LAB_SCENARIO: not built: $(echo $missing)"
	exit 77
fi
LAB_RUN_TIMEOUT=$(vm_header "$scenario" timeout 300)
LAB_TIMEOUT=$LAB_RUN_TIMEOUT
# "# lab-pstore: ramoops [MAX_REASON]": RAM backed by a file, ramoops in it
# (host-lib.sh).
LAB_PSTORE=$(vm_header "$scenario" pstore "")
# "# lab-smp: N": every guest's CPUs (1 by default here: the failover
# scenarios' timings and their writer's console are judged on one CPU).
LAB_SMP=${LAB_SMP:-$(vm_header "$scenario" smp 1)}
[[ $LAB_SMP =~ ^[1-8]$ ]] || { echo "FAIL $LAB_SCENARIO: lab-smp '$LAB_SMP': 1 to 8 CPUs"; exit 1; }
if [ -z "${LAB_WATCHDOG:-}" ]; then
	# Bound the whole run; the helpers' own waits are bounded too.
	LAB_WATCHDOG=1 exec timeout --foreground -k 10 $((LAB_RUN_TIMEOUT + 60)) "$0" "$@"
fi

LAB_RUN=$(mktemp -d "${TMPDIR:-/tmp}/resfence-host.XXXXXX")
# Logs are written in the run's directory and published to LOG_DIR at the
# end (publish_logs): concurrent runs never read each other's consoles.
mkdir -p "$LAB_RUN/logs"
LAB_LOG=$LAB_RUN/logs/$LAB_SCENARIO
start=$(date +%s%N)

finish() {
	local rc=$? n reason= fails=()
	set +e
	trap - EXIT
	# A second SIGINT (timeout forwards the one the terminal sent) must not
	# cut the clean-up short.
	trap "" TERM INT
	for n in "${G_NAMES[@]}"; do
		guest_stop "$n" 2>/dev/null
	done
	tgt_stop
	local b dir logb
	for b in "${G_BOOTS[@]}"; do
		IFS='|' read -r n dir logb <<<"$b"
		# guest_expect_restart judged these already.
		[ ! -e "$dir/expect-restart" ] || continue
		if [ -e "$dir/quit" ]; then
			JUDGE=PASS
			_judge_splat "$logb.console.log" "$(wc -l <"$logb.console.log")"
			[ "$JUDGE" = PASS ] || fails+=("guest $n: $REASON")
			continue
		fi
		vm_judge_poweroff "$logb.console.log" "$(cat "$dir/status" 2>/dev/null || echo 1)"
		# Boot K of a guest lives in $LAB_RUN/NAME.K.
		if [ "${dir##*.}" = 1 ]; then
			[ "$JUDGE" = PASS ] || fails+=("guest $n: $REASON")
		else
			[ "$JUDGE" = PASS ] || fails+=("guest $n (boot ${dir##*.}): $REASON")
		fi
	done
	if [ -s "$LAB_RUN/fail-reason" ]; then
		reason=$(cat "$LAB_RUN/fail-reason")
	elif [ "$rc" -ne 0 ]; then
		reason="the scenario exited with status $rc"
	elif [ "${#fails[@]}" -gt 0 ]; then
		reason=${fails[0]}
	fi
	local secs=$((($(date +%s%N) - start) / 1000000000))
	for b in "${G_BOOTS[@]}"; do
		IFS='|' read -r n dir logb <<<"$b"
		[ ! -s "$dir/qemu.err" ] || sed 's/^/qemu: /' "$dir/qemu.err" >>"$logb.console.log"
	done
	publish_logs "$LAB_RUN/logs" "$LAB_SCENARIO"
	if [ -z "$reason" ]; then
		echo "PASS $LAB_SCENARIO (${secs}s)"
	else
		echo "FAIL $LAB_SCENARIO (${secs}s): $reason"
		echo "--- last $TAIL_LINES lines of $LOG_DIR/$LAB_SCENARIO.host.log:"
		tail -n "$TAIL_LINES" "$LOG_DIR/$LAB_SCENARIO.host.log"
		for b in "${G_BOOTS[@]}"; do
			IFS='|' read -r n dir logb <<<"$b"
			logb=$LOG_DIR/${logb##*/}
			echo "--- last $TAIL_LINES console lines of guest $n ($logb.console.log):"
			tail -n "$TAIL_LINES" "$logb.console.log"
		done
	fi
	rm -rf "$LAB_RUN"
	[ -z "$reason" ]
	exit $?
}
trap finish EXIT
# So that the watchdog's SIGTERM still stops the guests and tgtd.
trap 'host_fail "timed out after ${LAB_RUN_TIMEOUT}s"' TERM INT

vm_prepare
lab_log "scenario $LAB_SCENARIO"
# shellcheck source=/dev/null
. "$scenario"
