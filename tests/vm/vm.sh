# QEMU side of the lab, shared by the single-guest and two-guest runners.
# Sourced by bash scripts after common.sh.

# TCG by default: the project's machines and CI have no usable KVM (on this
# workplace /dev/kvm exists but a KVM guest hangs in the firmware), and the
# timings the project reports are TCG timings. RESFENCE_ACCEL=kvm opts in.
LAB_ACCEL=${RESFENCE_ACCEL:-tcg}
LAB_MEM=${RESFENCE_MEM:-512}
# RESFENCE_ICOUNT=N (benchmarks only): the guest's clock counts executed
# instructions, 2^N ns each (QEMU -icount shift=N,sleep=off; an idle guest
# skips ahead), so that times measured inside it do not stretch when the
# shared host leaves QEMU waiting for a CPU.
LAB_ICOUNT=${RESFENCE_ICOUNT:-}
# Kernel log at the console: printk timestamps (the module's fence line is
# KERN_EMERG and must reach it before the restart); a panic or an oops
# restarts at once so that it ends the run instead of hanging to the
# timeout; no rate limit on /dev/kmsg, which carries the test markers.
LAB_CMDLINE="console=ttyS0,115200 printk.time=1 printk.devkmsg=on panic=-1 oops=panic mitigations=off"

# vm_prepare: fetch or reuse the kernel and the base initramfs.
# RESFENCE_KERNEL picks the kernel: "debian" (default: the distribution
# kernel the module ships for) or "debug" (tests/vm/debug-kernel: KASAN,
# lockdep, kmemleak, KUnit). Both give a directory with vmlinuz and
# root/lib/modules/<release>/.
vm_prepare() {
	case ${RESFENCE_KERNEL:-debian} in
	debian)
		LAB_KERNEL_DIR=$("$VM_DIR/kernel.sh")
		LAB_KREL=$("$ROOT/scripts/kdir.sh" --abi)
		;;
	debug)
		LAB_KERNEL_DIR=$("$VM_DIR/debug-kernel/build.sh")
		LAB_KREL=$(cat "$LAB_KERNEL_DIR/kernelrelease")
		;;
	*) vm_die "RESFENCE_KERNEL=$RESFENCE_KERNEL: expected debian or debug" ;;
	esac
	export LAB_KERNEL_DIR LAB_KREL
	LAB_BASE_CPIO=$("$VM_DIR/initramfs-base.sh")
}

# vm_initrd OUT [SCENARIO]: the base cpio with this run's cpio appended,
# and between them Pacemaker's (initramfs-pacemaker.sh) when the scenario
# needs it ("# lab-needs: pacemaker").
vm_initrd() {
	local pcmk= bench=
	if [ -n "${2:-}" ] && vm_header "$2" needs "" | grep -qw pacemaker; then
		pcmk=$("$VM_DIR/initramfs-pacemaker.sh")
	fi
	# corosync and all of Pacemaker: "# lab-needs: cluster" (make demo-pacemaker).
	if [ -n "${2:-}" ] && vm_header "$2" needs "" | grep -qw cluster; then
		pcmk="$pcmk $("$VM_DIR/initramfs-cluster.sh")"
	fi
	# The benchmarks' programs (fio): "# lab-needs: bench", tests/bench/ only.
	if [ -n "${2:-}" ] && vm_header "$2" needs "" | grep -qw bench; then
		bench=$("$VM_DIR/initramfs-bench.sh")
	fi
	# Debian's fence_scsi_check with python3: "# lab-needs: anchor", tests/bench/ only.
	if [ -n "${2:-}" ] && vm_header "$2" needs "" | grep -qw anchor; then
		bench="$bench $("$VM_DIR/initramfs-anchor.sh")"
	fi
	# iscsid and iscsiadm (the initiator's recovery): "# lab-needs: iscsid",
	# of a guest scenario or of the two-guest scenario that boots the guests
	# (LAB_HOST_SCENARIO, run-host-scenario.sh; only this need is read from it).
	local from=${2:-${LAB_HOST_SCENARIO:-}}
	if [ -n "$from" ] && vm_header "$from" needs "" | grep -qw iscsid; then
		bench="$bench $("$VM_DIR/initramfs-iscsid.sh")"
	fi
	"$VM_DIR/initramfs-run.sh" "$1.run" "${2:-}"
	cat "$LAB_BASE_CPIO" $pcmk $bench "$1.run" >"$1"
	rm -f "$1.run"
}

# vm_qemu_args INITRD SMP EXTRA_CMDLINE: set QEMU_ARGS to a headless machine
# without default devices (no NIC: the lab's traffic stays on the host's
# loopback) whose serial 0 is the console on stdout.
vm_qemu_args() {
	# The ELF vmlinux boots through PVH, seconds faster under TCG.
	local kernel=$LAB_KERNEL_DIR/vmlinuz
	[ ! -f "$LAB_KERNEL_DIR/vmlinux" ] || kernel=$LAB_KERNEL_DIR/vmlinux
	QEMU_ARGS=(
		-nographic -no-reboot -nodefaults
		-accel "$LAB_ACCEL" -m "$LAB_MEM" -smp "$2"
		${LAB_ICOUNT:+-icount "shift=$LAB_ICOUNT,sleep=off"}
		-kernel "$kernel" -initrd "$1"
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
		agent) [ -x "$(dirname "$TOOL_BIN")/fence_resfence" ] || echo "fence_resfence (make userspace)" ;;
		pacemaker) [ -x /usr/lib/pacemaker/pacemaker-fenced ] || echo "pacemaker (scripts/setup.sh)" ;;
		cluster) [ -x /usr/sbin/corosync ] && [ -x /usr/sbin/pacemakerd ] || echo "corosync, pacemaker (scripts/setup.sh)" ;;
		bench) [ -x /usr/bin/fio ] || echo "fio (scripts/setup.sh)" ;;
		anchor) [ -d /usr/lib/python3/dist-packages/pexpect ] || echo "python3-pexpect (scripts/setup.sh)" ;;
		iscsid) [ -x /usr/sbin/iscsid ] || echo "open-iscsi (scripts/setup.sh)" ;;
		*) echo "unknown need '$need'" ;;
		esac
	done
}

MARK='^\[ *[0-9]+\.[0-9]+\] RESFENCE-TEST: '
KLINE='^\[ *[0-9]+\.[0-9]+\] '
SPLAT='(BUG: |WARNING: CPU|kernel BUG at|Oops|general protection fault|Call Trace:|UBSAN:|INFO: task .* blocked for|INFO: rcu_|watchdog: BUG|Kernel panic|Attempted to kill init)'
TAIL_LINES=30

# _judge_exit STATUS TIMEOUT: FAIL for a QEMU that timed out or errored.
_judge_exit() {
	JUDGE=FAIL
	REASON=
	if [ "$1" -eq 124 ] || [ "$1" -eq 137 ]; then
		REASON="timed out after ${2}s"
	elif [ "$1" -ne 0 ]; then
		REASON="qemu exited with status $1"
	else
		return 1
	fi
}

# _judge_splat LOG UPTO: FAIL if a kernel line up to line UPTO of LOG is an
# oops, a WARN, a BUG, a hung task or a panic.
_judge_splat() {
	local splat
	splat=$(head -n "$2" "$1" | grep -E "$KLINE" | grep -Ev -- "$MARK" | grep -E -m 1 -- "$SPLAT") || :
	if [ -n "$splat" ]; then
		JUDGE=FAIL
		REASON="kernel splat: $splat"
	fi
}

_powered_off() {
	grep -Eq "${MARK}POWEROFF" "$1"
}

# vm_judge_restart LOG STATUS REGEX [FROM_LINE]: the guest must have
# restarted (QEMU exited 0 with no POWEROFF marker) and the last kernel lines
# after FROM_LINE (markers excluded: the expect marker quotes the regex) must
# match REGEX. Sets JUDGE to RESTARTED or FAIL, and REASON.
vm_judge_restart() {
	local log=$1 re=$3 from=${4:-0} last upto
	_judge_exit "$2" "${LAB_TIMEOUT:-?}" && return
	if _powered_off "$log"; then
		REASON="expected a restart matching /$re/, but the guest powered off"
		return
	fi
	# A panic's own report (its stack dump is long on the debug kernel) is
	# the expected end of a panic: the lines that must match are those up
	# to the "Kernel panic" line.
	last=$(tail -n "+$((from + 1))" "$log" | sed '/Kernel panic - not syncing/q' |
		grep -E "$KLINE" | grep -Ev -- "$MARK" | tail -n "$TAIL_LINES")
	if ! printf '%s\n' "$last" | grep -Eq -- "$re"; then
		REASON="the guest restarted, but its last $TAIL_LINES kernel lines do not match /$re/"
		return
	fi
	# What follows the fence line (a panic's own trace) is the expected
	# end, not a splat.
	upto=$(grep -n '' "$log" | tail -n "+$((from + 1))" | grep -E -- "^[0-9]+:.*$re" |
		grep -Ev -- "^[0-9]+:${MARK#^}" | tail -n 1 | cut -d: -f1)
	JUDGE=RESTARTED
	_judge_splat "$log" "$upto"
}

# vm_judge_poweroff LOG STATUS: a guest that was not expected to restart must
# have powered off, with no kernel splat. Sets JUDGE to PASS or FAIL.
vm_judge_poweroff() {
	_judge_exit "$2" "${LAB_TIMEOUT:-?}" && return
	if ! _powered_off "$1"; then
		REASON="unexpected restart (no expect_restart was declared)"
		return
	fi
	JUDGE=PASS
	_judge_splat "$1" "$(wc -l <"$1")"
}

# vm_judge LOG STATUS TIMEOUT: judge a single-guest scenario from its console
# and QEMU's exit status: JUDGE is PASS, RESTARTED (an expected restart whose
# last kernel lines matched) or FAIL, with REASON.
vm_judge() {
	local log=$1 status=$2 verdict expect from
	LAB_TIMEOUT=$3
	verdict=$(grep -E -m 1 "${MARK}(PASS|FAIL)" "$log" | sed -E "s/${MARK}//") || :
	expect=$(grep -En -- "${MARK}EXPECT-RESTART " "$log" | tail -n 1) || :
	case $verdict in
	FAIL*)
		JUDGE=FAIL
		REASON=${verdict#FAIL }
		return
		;;
	esac
	if [ -n "$expect" ]; then
		from=${expect%%:*}
		vm_judge_restart "$log" "$status" "$(printf '%s\n' "${expect#*:}" |
			sed -E "s/${MARK}EXPECT-RESTART //")" "$from"
		if [ "$JUDGE" = FAIL ] && [ -n "$verdict" ] && _powered_off "$log"; then
			REASON="$REASON after the scenario reported $verdict"
		fi
		return
	fi
	vm_judge_poweroff "$log" "$status"
	[ "$JUDGE" = PASS ] || return 0
	if [ "$verdict" != PASS ]; then
		JUDGE=FAIL
		REASON="the guest powered off without a verdict"
	fi
}
