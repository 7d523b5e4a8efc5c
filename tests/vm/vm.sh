# QEMU side of the lab, shared by the single-guest and two-guest runners.
# Sourced by bash scripts after common.sh.

# TCG by default: the project's machines and CI have no usable KVM (on this
# workplace /dev/kvm exists but a KVM guest hangs in the firmware), and the
# timings the project reports are TCG timings. RESFENCE_ACCEL=kvm opts in.
LAB_ACCEL=${RESFENCE_ACCEL:-tcg}
LAB_MEM=${RESFENCE_MEM:-512}
# Kernel log at the console: printk timestamps (the module's fence line is
# KERN_EMERG and must reach it before the restart); a panic or an oops
# restarts at once so that it ends the run instead of hanging to the
# timeout; no rate limit on /dev/kmsg, which carries the test markers.
LAB_CMDLINE="console=ttyS0,115200 printk.time=1 printk.devkmsg=on panic=-1 oops=panic mitigations=off"

# vm_prepare: fetch or reuse the kernel and the base initramfs.
vm_prepare() {
	LAB_KERNEL_DIR=$("$VM_DIR/kernel.sh")
	LAB_BASE_CPIO=$("$VM_DIR/initramfs-base.sh")
}

# vm_initrd OUT [SCENARIO]: the base cpio with this run's cpio appended.
vm_initrd() {
	"$VM_DIR/initramfs-run.sh" "$1.run" "${2:-}"
	cat "$LAB_BASE_CPIO" "$1.run" >"$1"
	rm -f "$1.run"
}

# vm_qemu_args INITRD SMP EXTRA_CMDLINE: set QEMU_ARGS to a headless machine
# without default devices (no NIC: the lab's traffic stays on the host's
# loopback) whose serial 0 is the console on stdout.
vm_qemu_args() {
	QEMU_ARGS=(
		-nographic -no-reboot -nodefaults
		-accel "$LAB_ACCEL" -m "$LAB_MEM" -smp "$2"
		-kernel "$LAB_KERNEL_DIR/vmlinuz" -initrd "$1"
		-append "$LAB_CMDLINE $3"
		-serial stdio
	)
}

# vm_header FILE KEY DEFAULT: a "# lab-KEY: value" line of a scenario.
vm_header() {
	local v
	v=$(sed -n "s/^# lab-$2:[[:space:]]*//p" "$1" | head -n 1)
	echo "${v:-$3}"
}

# vm_missing_needs FILE: print what the scenario's "# lab-needs:" (module,
# tool) asks for that is not built; empty when it can run.
vm_missing_needs() {
	local need
	for need in $(vm_header "$1" needs ""); do
		case $need in
		module) [ -f "$KMOD_KO" ] || echo "kmod/scsi_resfence.ko (make kmod)" ;;
		tool) [ -x "$TOOL_BIN" ] || echo "resfencectl (make userspace)" ;;
		*) echo "unknown need '$need'" ;;
		esac
	done
}

MARK='^\[ *[0-9]+\.[0-9]+\] RESFENCE-TEST: '
SPLAT='(BUG: |WARNING: CPU|kernel BUG at|Oops|general protection fault|Call Trace:|UBSAN:|INFO: task .* blocked for|INFO: rcu_|watchdog: BUG|Kernel panic|Attempted to kill init)'
TAIL_LINES=30

# vm_judge RAWLOG QEMU_STATUS TIMEOUT: judge one guest's run from its console
# and QEMU's exit status. Sets JUDGE to PASS, RESTARTED (an expected restart
# whose last lines matched), or FAIL, and REASON. A restart is a QEMU exit
# (-no-reboot) with no POWEROFF marker from /init.
vm_judge() {
	local log=$1 status=$2 timeout=$3 verdict expect re powered_off upto
	JUDGE=FAIL
	REASON=
	if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
		REASON="timed out after ${timeout}s"
		return
	fi
	if [ "$status" -ne 0 ]; then
		REASON="qemu exited with status $status"
		return
	fi
	verdict=$(grep -E -m 1 "${MARK}(PASS|FAIL)" "$log" | sed -E "s/${MARK}//") || :
	expect=$(grep -E "${MARK}EXPECT-RESTART " "$log" | tail -n 1) || :
	grep -Eq "${MARK}POWEROFF" "$log" && powered_off=1 || powered_off=0
	upto=$(wc -l <"$log")

	case $verdict in
	FAIL*)
		REASON=${verdict#FAIL }
		return
		;;
	esac
	if [ -n "$expect" ]; then
		re=$(printf '%s\n' "$expect" | sed -E "s/${MARK}EXPECT-RESTART //")
		if [ "$powered_off" = 1 ]; then
			REASON="expected a restart matching /$re/, but the guest ${verdict:+reported $verdict and }powered off"
			return
		fi
		# The last kernel lines after the expect marker, without the
		# markers themselves (the expect marker quotes the regex) and
		# without userspace output (only kernel lines carry a stamp).
		local from last
		from=$(grep -En -- "${MARK}EXPECT-RESTART " "$log" | tail -n 1 | cut -d: -f1)
		last=$(tail -n "+$((from + 1))" "$log" | grep -E '^\[ *[0-9]+\.[0-9]+\] ' |
			grep -Ev -- "$MARK" | tail -n "$TAIL_LINES")
		if ! printf '%s\n' "$last" | grep -Eq -- "$re"; then
			REASON="the guest restarted, but its last $TAIL_LINES kernel lines do not match /$re/"
			return
		fi
		# What follows the fence line (a panic's own trace) is the
		# expected end, not a splat.
		upto=$(grep -En -- "$re" "$log" | grep -Ev -- "$MARK" | tail -n 1 | cut -d: -f1)
		JUDGE=RESTARTED
	else
		if [ "$powered_off" = 0 ]; then
			REASON="unexpected restart${verdict:+ after $verdict} (the scenario declared no expect_restart)"
			return
		fi
		if [ "$verdict" != PASS ]; then
			REASON="the guest powered off without a verdict"
			return
		fi
		JUDGE=PASS
	fi
	local splat
	splat=$(head -n "$upto" "$log" | grep -E '^\[ *[0-9]+\.[0-9]+\] ' | grep -E -m 1 -- "$SPLAT") || :
	if [ -n "$splat" ]; then
		JUDGE=FAIL
		REASON="kernel splat: $splat"
	fi
}
