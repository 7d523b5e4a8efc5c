# Helpers for two-guest scenarios (tests/scenarios/NAME.host.sh), sourced by
# run-host-scenario.sh into the bash that runs the scenario under set -eu.
# The guests are QEMU machines booted into agent mode (guest/agent.sh); each
# sees the LUN that the host's tgtd serves as $DISK/$SG, through QEMU's own
# iSCSI initiator (scsi-block on virtio-scsi) with its own initiator name.
#
#   shared_lun [SIZE_MB]          start tgtd with a fresh LUN (default 64 MiB;
#                                 guest_start does it if not done). The host's
#                                 copy of the LUN is the file $LUN_FILE.
#   lab_initiator qemu|kernel     before guest_start: how the guests reach the
#                                 LUN. qemu (default): QEMU's iSCSI initiator
#                                 behind a virtio-scsi disk; it answers a LUN
#                                 reset itself. kernel: the guest's own iscsi_tcp
#                                 (iscsistart at boot) over a NIC whose only
#                                 route is to tgtd on the host's loopback, so
#                                 task management (LUN reset) reaches tgtd.
#   guest_start NAME...           boot guests (A, B, ...) together, wait for their agents;
#                                 a guest that restarted can be started again
#   guest_run NAME CMD [SECONDS]  run shell snippet CMD in the guest (with
#                                 guest/lib.sh sourced), print its output,
#                                 return its exit status (255: guest gone/timeout)
#   guest_ok NAME CMD             CMD must exit 0 (else the scenario FAILs)
#   guest_fails NAME CODE CMD     CMD must exit exactly CODE
#   guest_bg NAME CMD             start CMD in the background in the guest;
#                                 its output goes to the guest's /tmp/bg.N.log
#   guest_freeze NAME / guest_thaw NAME   stop/continue the VM (QEMU monitor)
#   guest_klog_wait NAME RE [SECONDS]     wait for a kernel line matching RE on
#                                 NAME's console; print its host timestamp
#   guest_wait_exit NAME [SECONDS]  wait for NAME's QEMU to exit; 1 on timeout
#   guest_expect_restart NAME RE [SECONDS]  NAME must restart (QEMU exits, no
#                                 power-off) with RE in its last kernel lines;
#                                 prints the host timestamp of its last line
#   guest_stop NAME               power NAME off cleanly
#   host_now                      the host's CLOCK_MONOTONIC (the logs' clock)
#   guest_exit_time NAME          host timestamp at which NAME's QEMU exited
#   lab_helper_module NAME        build tests/vm/helpers/NAME.ko for the lab's
#                                 kernel and put it in the guests' images
#                                 (before the first guest_start)
#   lab_cluster_net               before guest_start: a second NIC on every
#                                 guest (virtio-net, MAC 52:54:00:99:00:0N for
#                                 the N-th guest name in G_CLUSTER_NODES, A B),
#                                 a QEMU UDP socket network between A and B
#                                 carried over 127.0.0.1 only (no other
#                                 network reachable); the guest gives it
#                                 10.99.0.N itself (cluster_net_up in the
#                                 scenario). For corosync (make demo-pacemaker).
#   lab_log MSG                   a line on stdout and in the host timeline
#   host_fail MSG                 FAIL the scenario
# Logs: build/test-logs/SCEN.NAME.console{,.ts}.log per guest (SCEN.NAME.bootK.*
# for its K-th boot), SCEN.host.log
# (timeline and transcript of guest_run, host timestamps), SCEN.tgtd.log.
# A guest that restarts without guest_expect_restart FAILs the scenario.
#
# "# lab-pstore: ramoops [MAX_REASON]" in the scenario's header (read by
# run-host-scenario.sh into LAB_PSTORE) gives every guest RAM backed by a
# file ($LAB_RUN/NAME.ram, memory-backend-file with share=on) that the next
# boot of the same guest reuses, a 1 MiB memmap= reserved region in it, and
# ramoops there with max_reason MAX_REASON (default 3, KMSG_DUMP_EMERG: the
# emergency restart of a fence is kept; 4 keeps shutdowns and reboots too).
# The guest mounts pstore on /sys/fs/pstore.

# Per guest name: its current boot's state dir, console log prefix, agent
# FIFO fds, boot count. G_BOOTS lists every boot as "name|dir|log prefix"
# for the end-of-run judgement: a guest can be started again after it
# restarted (boot 2's console is NAME.A.boot2.console.log).
declare -A G_DIR G_LOGB G_IN G_OUT G_FROZEN G_BOOT G_ALLOWED
G_NAMES=()
G_BOOTS=()
G_SEQ=0
LAB_INITRD=
LAB_INITIATOR=qemu
LAB_CLUSTER_NET=
# Two UDP ports on 127.0.0.1 per run, one each side of the A<->B link.
LAB_CLUSTER_PORT=${LAB_CLUSTER_PORT:-$((30000 + $$ % 10000 * 2))}
G_CLUSTER_NODES=(A B)
# The portal as a kernel-initiator guest sees it: QEMU's user network
# forwards this address (and nothing else) to tgtd on 127.0.0.1.
LAB_GUEST_PORTAL=10.0.2.100:3260
LAB_AGENT_BOOT_TIMEOUT=${LAB_AGENT_BOOT_TIMEOUT:-120}
LAB_RUN_TIMEOUT=${LAB_RUN_TIMEOUT:-300}
LAB_PSTORE=${LAB_PSTORE:-}
# The ramoops region: 1 MiB at 256 MiB, inside the lab's 512 MiB and far
# from where the kernel and the initramfs are loaded.
LAB_RAMOOPS_ADDR=0x10000000
LAB_RAMOOPS_SIZE=0x100000

host_now() {
	"$VM_DIR/monotime"
}

# Narration goes to stderr: helpers print data (output, timestamps) on stdout.
lab_log() {
	echo "[host] $*" >&2
	echo "$(host_now) host: $*" >>"$LAB_LOG.host.log"
}

# The reason goes to a file: host_fail may run in a $(...) subshell, where
# exit ends only the subshell (set -e then ends the scenario). First one wins.
host_fail() {
	echo "$(host_now) host: FAIL $*" >>"$LAB_LOG.host.log"
	[ -e "$LAB_RUN/fail-reason" ] || echo "$*" >"$LAB_RUN/fail-reason"
	exit 1
}

shared_lun() {
	[ -z "$TGT_PID" ] || host_fail "shared_lun: the LUN is already served"
	tgt_start "${1:-64}"
}

lab_cluster_net() {
	LAB_CLUSTER_NET=1
}

# _guest_cluster_args NAME: with lab_cluster_net, NAME's NIC on the link.
# QEMU's socket netdev in UDP mode sends each frame as one datagram from
# its local port to the peer's: A listens on PORT and sends to PORT+1, B
# the other way round. Both ends are 127.0.0.1: nothing leaves the host.
_guest_cluster_args() {
	local name=$1 i
	[ -n "$LAB_CLUSTER_NET" ] || return 0
	case $name in
	A) i=0 ;;
	B) i=1 ;;
	*) host_fail "lab_cluster_net: only guests A and B are on the link, not $name" ;;
	esac
	QEMU_ARGS+=(
		-netdev "socket,id=cnet,udp=127.0.0.1:$((LAB_CLUSTER_PORT + 1 - i)),localaddr=127.0.0.1:$((LAB_CLUSTER_PORT + i))"
		-device "virtio-net-pci,netdev=cnet,mac=52:54:00:99:00:0$((i + 1))"
	)
}

lab_initiator() {
	case $1 in
	qemu | kernel) LAB_INITIATOR=$1 ;;
	*) host_fail "lab_initiator: '$1': expected qemu or kernel" ;;
	esac
}

# _guest_disk_args NAME: QEMU arguments that give NAME the shared LUN, and
# the kernel command line for it in _CMDLINE.
_guest_disk_args() {
	local name=$1 init
	init=$(_guest_initiator "$name")
	_CMDLINE=
	if [ "$LAB_INITIATOR" = kernel ]; then
		# restrict=on: no route to the host or beyond; the guestfwd rule
		# is the only way out, one socat per TCP connection the guest
		# opens, to tgtd's portal on the host's loopback.
		QEMU_ARGS+=(
			-netdev "user,id=net0,restrict=on,guestfwd=tcp:$LAB_GUEST_PORTAL-cmd:socat - TCP:127.0.0.1:$TGT_PORT"
			-device virtio-net-pci,netdev=net0
		)
		_CMDLINE="lab.iscsi=$LAB_GUEST_PORTAL,$TGT_IQN,$init"
		# With iscsid ("# lab-needs: iscsid"): its replacement_timeout.
		[ -z "${LAB_ISCSI_REPL:-}" ] || _CMDLINE+=" lab.iscsi_repl=$LAB_ISCSI_REPL"
		return
	fi
	QEMU_ARGS+=(
		-drive "file=iscsi://127.0.0.1:$TGT_PORT/$TGT_IQN/1,file.initiator-name=$init,if=none,id=lun,format=raw"
		-device virtio-scsi-pci,id=scsi0
		# Every error, a reservation conflict above all, goes to the
		# guest: the default policies could pause the VM instead.
		-device scsi-block,drive=lun,bus=scsi0.0,rerror=report,werror=report
	)
}

# _guest_pstore_args NAME: with LAB_PSTORE, QEMU arguments for RAM backed by
# NAME's file, and the kernel command line for ramoops, added to _CMDLINE.
_guest_pstore_args() {
	local name=$1 kind reason
	[ -n "$LAB_PSTORE" ] || return 0
	read -r kind reason <<<"$LAB_PSTORE"
	[ "$kind" = ramoops ] || host_fail "lab-pstore: '$kind': only ramoops is supported"
	reason=${reason:-3}
	[[ $reason =~ ^[0-9]+$ ]] || host_fail "lab-pstore: max_reason '$reason' is not a number"
	QEMU_ARGS+=(
		-object "memory-backend-file,id=labram,size=${LAB_MEM}M,mem-path=$LAB_RUN/$name.ram,share=on"
		-machine memory-backend=labram
	)
	# '$': a reserved e820 range (no shell here: QEMU passes it as is).
	_CMDLINE+=" memmap=1M\$$LAB_RAMOOPS_ADDR"
	# LAB_PSTORE_NO_BACKEND=1: the same RAM and reserved range, no ramoops
	# (the benchmark's baseline, tests/bench/fence-dump.host.sh).
	[ "${LAB_PSTORE_NO_BACKEND:-0}" = 1 ] ||
		_CMDLINE+=" lab.ramoops=$LAB_RAMOOPS_ADDR,$LAB_RAMOOPS_SIZE,$reason"
}

_guest_initiator() {
	echo "iqn.2024-01.org.resfence.lab:node-${1,,}"
}

_guest_alive() {
	[ -n "${G_DIR[$1]:-}" ] && [ ! -e "${G_DIR[$1]}/status" ]
}

guest_start() {
	local name
	# Boot them all, then wait for each: the boots overlap.
	for name in "$@"; do
		_guest_launch "$name"
	done
	for name in "$@"; do
		_guest_wait_agent "$name"
	done
}

_guest_launch() {
	local name=$1 dir raw ts boot logb
	[[ $name =~ ^[A-Za-z0-9]+$ ]] || host_fail "guest_start: bad name '$name'"
	! _guest_alive "$name" || host_fail "guest_start: $name is already running"
	[ -n "$TGT_PID" ] || shared_lun
	if [ -z "$LAB_INITRD" ]; then
		LAB_INITRD=$LAB_RUN/initrd.cpio
		# The scenario's "# lab-needs:" decide the extra parts (anchor: python3
		# and fence_scsi_check; iscsid; cluster); agent mode never runs the
		# copy of it.
		vm_initrd "$LAB_INITRD" "$scenario"
		# lab_cluster_net: corosync and Pacemaker too (initramfs-cluster.sh),
		# unless the scenario's needs brought them already; appended: the
		# kernel unpacks concatenated archives in order.
		if [ -n "$LAB_CLUSTER_NET" ] && ! vm_header "$scenario" needs "" | grep -qw cluster; then
			cat "$("$VM_DIR/initramfs-cluster.sh")" >>"$LAB_INITRD"
		fi
	fi
	boot=$((${G_BOOT[$name]:-0} + 1))
	dir=$LAB_RUN/$name.$boot
	logb=$LAB_LOG.$name
	[ "$boot" -eq 1 ] || logb=$logb.boot$boot
	mkdir -p "$dir"
	mkfifo "$dir/agent.in" "$dir/agent.out"
	raw=$logb.console.log
	ts=$logb.console.ts.log
	if [ -z "${G_ALLOWED[$name]:-}" ]; then
		tgt_allow "$(_guest_initiator "$name")"
		G_ALLOWED[$name]=1
	fi
	QEMU_ARGS=()
	_guest_disk_args "$name"
	_guest_pstore_args "$name"
	_guest_cluster_args "$name"
	local disk_args=("${QEMU_ARGS[@]}")
	vm_qemu_args "$LAB_INITRD" "${LAB_SMP:-1}" "lab.mode=agent lab.node=$name $_CMDLINE"
	# LAB_QEMU_TRACE="EVENT...": QEMU's own trace events of this guest, to
	# NAME[.bootN].qemu-trace.log (benchmarks that count what reached the
	# emulated hardware, e.g. tests/bench/smp-preempt.host.sh).
	local ev
	for ev in ${LAB_QEMU_TRACE:-}; do
		QEMU_ARGS+=(-trace "enable=$ev")
	done
	[ -z "${LAB_QEMU_TRACE:-}" ] || QEMU_ARGS+=(-msg timestamp=on -D "$logb.qemu-trace.log")
	QEMU_ARGS+=(
		-monitor "unix:$dir/monitor.sock,server=on,wait=off"
		# ttyS1: the agent's command channel, a pair of FIFOs.
		-chardev "pipe,id=agent,path=$dir/agent" -serial chardev:agent
		"${disk_args[@]}"
		-pidfile "$dir/qemu.pid"
	)
	lab_log "starting guest $name ($(_guest_initiator "$name") through the $LAB_INITIATOR initiator, ${LAB_SMP:-1} CPU(s), boot $boot)"
	# "status" appears only once the console is fully written, so that
	# whoever sees the guest gone reads its last lines. Ctrl-C (SIGINT to
	# the process group), or SIGTERM to the group, ends QEMU, which handles
	# them; this subshell and the console reader must live on to write
	# "status" (the runner's traps would otherwise make a subshell die of
	# them: a subshell resets trapped signals to their defaults).
	(
		trap '' INT TERM
		{
			timeout --foreground -k 5 "$LAB_RUN_TIMEOUT" qemu-system-x86_64 "${QEMU_ARGS[@]}" \
				</dev/null 2>"$dir/qemu.err"
			echo $? >"$dir/qemu.status"
			host_now >"$dir/exit-time"
		} | "$VM_DIR/timestamp.pl" "$raw" "$ts"
		mv "$dir/qemu.status" "$dir/status"
	) &
	G_DIR[$name]=$dir
	G_LOGB[$name]=$logb
	G_BOOT[$name]=$boot
	G_FROZEN[$name]=
	[ "$boot" -gt 1 ] || G_NAMES+=("$name")
	G_BOOTS+=("$name|$dir|$logb")
	# The previous boot's FIFO fds, if any, are done with.
	[ -z "${G_IN[$name]:-}" ] || exec {G_IN[$name]}>&- {G_OUT[$name]}>&-
	# Read-write opens of a FIFO never block, whether QEMU has opened its
	# ends yet or not; a dead guest is noticed through its status file.
	exec {G_IN[$name]}<>"$dir/agent.in"
	exec {G_OUT[$name]}<>"$dir/agent.out"
}

_guest_wait_agent() {
	local name=$1
	_agent_line "$name" "$LAB_AGENT_BOOT_TIMEOUT" ||
		host_fail "guest $name: no agent after ${LAB_AGENT_BOOT_TIMEOUT}s"
	[ "$_LINE" = "READY $name" ] || host_fail "guest $name: agent said '$_LINE'"
	local ready
	ready=$(grep -Eo 'AGENT-READY .*' "${G_LOGB[$name]}.console.log" | tail -n 1)
	lab_log "guest $name is up: $ready"
	case $ready in
	*disk=none*) host_fail "guest $name has no shared disk ($LAB_INITIATOR initiator; see its console)" ;;
	esac
}

# _agent_line NAME SECONDS: read one line from NAME's agent into _LINE;
# return 1 if the guest is gone or SECONDS pass.
_agent_line() {
	local name=$1 left=$(($2 * 10)) part=
	_LINE=
	while [ "$left" -gt 0 ]; do
		if IFS= read -r -t 0.1 -u "${G_OUT[$name]}" _LINE; then
			_LINE=$part$_LINE
			return 0
		fi
		# A timed-out read keeps what it got: carry it over.
		part=$part$_LINE
		_LINE=
		_guest_alive "$name" || return 1
		left=$((left - 1))
	done
	return 1
}

guest_run() {
	local name=$1 cmd=$2 secs=${3:-$LAB_RUN_TIMEOUT} id b64 out rc
	_guest_alive "$name" || {
		echo "guest_run: guest $name is not running" >&2
		return 255
	}
	# BASHPID: a call from a $(...) subshell cannot bump the parent's
	# counter, and a reused id must not match a stale answer.
	G_SEQ=$((G_SEQ + 1))
	id=$BASHPID.$G_SEQ
	echo "$(host_now) $name\$ $cmd" >>"$LAB_LOG.host.log"
	printf 'RUN %s %s\n' "$id" "$(printf '%s' "$cmd" | base64 -w0)" >&"${G_IN[$name]}"
	# Skip answers to earlier commands that timed out (a frozen guest
	# answers them when thawed): only lines between OUT id and END id count.
	b64=
	local mine=0
	while :; do
		_agent_line "$name" "$secs" || {
			echo "$(host_now) $name: no answer (guest gone or ${secs}s passed)" >>"$LAB_LOG.host.log"
			echo "guest_run: $name: no answer to '$cmd'" >&2
			return 255
		}
		case $_LINE in
		"OUT $id") mine=1 ;;
		"END $id "*)
			rc=${_LINE##* }
			break
			;;
		"OUT "* | "END "*) mine=0 ;;
		*) [ "$mine" = 0 ] || b64+=$_LINE ;;
		esac
	done
	out=$(printf '%s' "$b64" | base64 -d)
	[ -z "$out" ] || printf '%s\n' "$out" | sed "s/^/$(host_now) $name| /" >>"$LAB_LOG.host.log"
	echo "$(host_now) $name: exit $rc" >>"$LAB_LOG.host.log"
	[ -z "$out" ] || printf '%s\n' "$out"
	return "$rc"
}

# guest_ok and guest_fails keep the output in the host log only.
guest_ok() {
	local rc=0
	guest_run "$1" "$2" >/dev/null || rc=$?
	[ "$rc" -eq 0 ] || host_fail "on $1, expected success, got exit $rc: $2"
}

guest_fails() {
	local rc=0
	guest_run "$1" "$3" >/dev/null || rc=$?
	[ "$rc" -eq "$2" ] || host_fail "on $1, expected exit $2, got exit $rc: $3"
}

guest_bg() {
	G_SEQ=$((G_SEQ + 1))
	guest_run "$1" "( $2 ) >/tmp/bg.$BASHPID.$G_SEQ.log 2>&1 &" >/dev/null ||
		host_fail "on $1, could not start in the background: $2"
}

# _monitor NAME COMMAND: one HMP command over the monitor socket, printing
# its reply. QEMU runs it, then sees socat's end of input and closes the
# connection, which ends socat; -t bounds a main loop slowed by a loaded host.
_monitor() {
	printf '%s\n' "$2" | socat -t 10 - "UNIX-CONNECT:${G_DIR[$1]}/monitor.sock" 2>&1 |
		tr -d '\r' | grep -v '^(qemu)\|^QEMU .* monitor' || :
}

# _monitor_wait NAME STATE: poll "info status" until it says STATE (10 s).
# For "running", QEMU having exited counts too: a thawed guest may fence
# and restart at once, before the first poll.
_monitor_wait() {
	local n=50
	until _monitor "$1" "info status" | grep -q "VM status: $2"; do
		if [ "$2" = running ] && ! kill -0 "$(cat "${G_DIR[$1]}/qemu.pid" 2>/dev/null)" 2>/dev/null; then
			return 0
		fi
		[ "$n" -gt 0 ] || return 1
		sleep 0.2
		n=$((n - 1))
	done
}

guest_freeze() {
	_guest_alive "$1" || host_fail "guest_freeze: $1 is not running"
	_monitor "$1" stop >/dev/null
	_monitor_wait "$1" paused || host_fail "guest_freeze: $1 did not stop"
	G_FROZEN[$1]=1
	lab_log "froze guest $1"
}

guest_thaw() {
	_guest_alive "$1" || host_fail "guest_thaw: $1 is not running"
	lab_log "thawing guest $1"
	_monitor "$1" cont >/dev/null
	_monitor_wait "$1" running || host_fail "guest_thaw: $1 did not continue"
	G_FROZEN[$1]=
}

guest_klog_wait() {
	local name=$1 re=$2 left=$((${3:-30} * 10)) hit
	while [ "$left" -gt 0 ]; do
		hit=$(grep -E '^[0-9.]+ \[ *[0-9]+\.[0-9]+\] ' "${G_LOGB[$name]}.console.ts.log" |
			grep -E -m 1 -- "$re") || :
		if [ -n "$hit" ]; then
			echo "${hit%% *}"
			return 0
		fi
		sleep 0.1
		left=$((left - 1))
	done
	host_fail "guest $name: no kernel line matching /$re/ within ${3:-30}s"
}

guest_wait_exit() {
	local name=$1 left=$((${2:-60} * 10))
	while _guest_alive "$name"; do
		[ "$left" -gt 0 ] || return 1
		sleep 0.1
		left=$((left - 1))
	done
}

guest_expect_restart() {
	local name=$1 re=$2 secs=${3:-60} raw
	# A file, not a variable: this is often called in a $(...) subshell.
	printf '%s\n' "$re" >"${G_DIR[$name]}/expect-restart"
	guest_wait_exit "$name" "$secs" || host_fail "guest $name did not restart within ${secs}s"
	raw=${G_LOGB[$name]}.console.log
	vm_judge_restart "$raw" "$(cat "${G_DIR[$name]}/status")" "$re" 0
	[ "$JUDGE" = RESTARTED ] || host_fail "guest $name: $REASON"
	lab_log "guest $name restarted: $(grep -E -- "$re" "$raw" | tail -n 1)"
	tail -n 1 "${G_LOGB[$name]}.console.ts.log" | cut -d' ' -f1
}

guest_exit_time() {
	cat "${G_DIR[$1]}/exit-time"
}

# lab_helper_module NAME: build tests/vm/helpers/NAME.ko against the kernel
# the lab boots (Debian's headers, or the debug kernel's tree) in
# build/lab-helpers/RELEASE/, and add it to the guests' images.
lab_helper_module() {
	local name=$1 kdir out
	[ -z "$LAB_INITRD" ] || host_fail "lab_helper_module $name: call it before guest_start"
	[ -f "$VM_DIR/helpers/$name.c" ] || host_fail "lab_helper_module: no tests/vm/helpers/$name.c"
	case ${RESFENCE_KERNEL:-debian} in
	debug) kdir=$LAB_KERNEL_DIR/linux ;;
	*) kdir=$("$ROOT/scripts/kdir.sh") ;;
	esac
	out=$BUILD_DIR/lab-helpers/$LAB_KREL
	mkdir -p "$out"
	(
		flock 8
		cp -p "$VM_DIR/helpers/Kbuild" "$VM_DIR/helpers/"*.c "$out/"
		nice -n 19 make -s -C "$kdir" M="$out" -j2 modules >&2
	) 8>"$out/.lock" || host_fail "lab_helper_module: building $name against $kdir failed"
	RESFENCE_EXTRA_KO="${RESFENCE_EXTRA_KO:-} $out/$name.ko"
	export RESFENCE_EXTRA_KO
}

# A guest left frozen cannot power itself off: it is quit from the monitor,
# and the end-of-run check treats it as stopped, not restarted.
guest_stop() {
	local name=$1
	_guest_alive "$name" || return 0
	if [ -n "${G_FROZEN[$name]:-}" ]; then
		: >"${G_DIR[$name]}/quit"
		_monitor "$name" quit >/dev/null
		guest_wait_exit "$name" 10 || kill -9 "$(cat "${G_DIR[$name]}/qemu.pid")" 2>/dev/null || :
		lab_log "guest $name (frozen) quit"
		return 0
	fi
	# lab_poweroff never answers: do not wait for an END line. 90 s: the
	# debug kernel's final kmemleak scans on a loaded host took more than 30.
	G_SEQ=$((G_SEQ + 1))
	printf 'RUN %s %s\n' "$G_SEQ" "$(printf 'lab_poweroff' | base64 -w0)" >&"${G_IN[$name]}"
	if ! guest_wait_exit "$name" 90; then
		_monitor "$name" quit >/dev/null
		guest_wait_exit "$name" 10 || kill -9 "$(cat "${G_DIR[$name]}/qemu.pid")" 2>/dev/null || :
	fi
	lab_log "guest $name stopped"
}
