# The host's iSCSI target for two-guest labs: a private tgtd on 127.0.0.1
# serving one LUN backed by a file in the run's directory. Sourced by bash
# after common.sh; needs LAB_RUN (the run's temp dir) and LAB_LOG (log prefix).
# Its own control port (tgtd -C) and portal port keep it clear of a system
# tgtd and of concurrent lab runs.

TGT_IQN=iqn.2024-01.org.resfence.lab:shared
TGT_PID=
TGT_CTL=
TGT_PORT=
LUN_FILE=
TGT_ALLOWED=

_tgtadm() {
	tgtadm -C "$TGT_CTL" --lld iscsi "$@"
}

_port_free() {
	! ss -Hltn "sport = :$1" 2>/dev/null | grep -q .
}

# tgt_start [SIZE_MB]: start tgtd with a zero-filled LUN of SIZE_MB (64).
# Sets TGT_PORT and LUN_FILE (the host can read the LUN there afterwards).
tgt_start() {
	local mb=${1:-64} try
	LUN_FILE=$LAB_RUN/lun1.img
	truncate -s "${mb}M" "$LUN_FILE"
	mkdir -p /var/run/tgtd
	for try in 1 2 3 4 5; do
		TGT_CTL=$((20000 + RANDOM % 20000))
		[ ! -e "/var/run/tgtd/socket.$TGT_CTL" ] || continue
		TGT_PORT=3260
		while ! _port_free "$TGT_PORT"; do
			TGT_PORT=$((TGT_PORT + 1))
		done
		tgtd -f -C "$TGT_CTL" --iscsi "portal=127.0.0.1:$TGT_PORT" \
			>>"$LAB_LOG.tgtd.log" 2>&1 </dev/null &
		TGT_PID=$!
		# Ready when it answers on its control socket and listens; a
		# concurrent run may have taken the port in between: retry.
		local n=50
		while [ "$n" -gt 0 ] && kill -0 "$TGT_PID" 2>/dev/null; do
			if _tgtadm --op show --mode target >/dev/null 2>&1 && ! _port_free "$TGT_PORT"; then
				break
			fi
			sleep 0.1
			n=$((n - 1))
		done
		if kill -0 "$TGT_PID" 2>/dev/null && [ "$n" -gt 0 ]; then
			break
		fi
		kill -9 "$TGT_PID" 2>/dev/null || :
		wait "$TGT_PID" 2>/dev/null || :
		TGT_PID=
	done
	[ -n "$TGT_PID" ] || host_fail "tgtd did not start (see $LAB_LOG.tgtd.log)"
	_tgtadm --op new --mode target --tid 1 -T "$TGT_IQN" &&
		_tgtadm --op new --mode logicalunit --tid 1 --lun 1 -b "$LUN_FILE" ||
		host_fail "tgtadm could not create the target (see $LAB_LOG.tgtd.log)"
	lab_log "tgtd pid $TGT_PID serves $TGT_IQN LUN 1 (${mb} MiB, $LUN_FILE) on 127.0.0.1:$TGT_PORT"
}

# tgt_allow IQN: let one initiator log in (ACLs by initiator name).
tgt_allow() {
	_tgtadm --op bind --mode target --tid 1 -Q "$1" ||
		host_fail "tgtadm could not allow $1"
	TGT_ALLOWED="$TGT_ALLOWED $1"
}

tgt_stop() {
	[ -n "$TGT_PID" ] || return 0
	# A stopped tgtd (tgt_pause) would never answer tgtadm.
	kill -CONT "$TGT_PID" 2>/dev/null || :
	# tgtd ignores SIGTERM while a target exists; remove it (with its
	# sessions) and ask the daemon to exit, then make sure.
	_tgtadm --op delete --mode target --tid 1 --force >/dev/null 2>&1 || :
	tgtadm -C "$TGT_CTL" --op delete --mode system >/dev/null 2>&1 || :
	local n=20
	while [ "$n" -gt 0 ] && kill -0 "$TGT_PID" 2>/dev/null; do
		sleep 0.1
		n=$((n - 1))
	done
	kill -9 "$TGT_PID" 2>/dev/null || :
	wait "$TGT_PID" 2>/dev/null || :
	rm -f "/var/run/tgtd/socket.$TGT_CTL" "/var/run/tgtd/socket.$TGT_CTL.lock"
	TGT_PID=
}

# tgt_crash: kill tgtd with SIGKILL (a target that crashed or lost power):
# its sessions end without a logout, and every SCSI-2 reservation and PR
# registration it held is gone (tgt keeps them in memory only).
tgt_crash() {
	[ -n "$TGT_PID" ] || host_fail "tgt_crash: tgtd is not running"
	kill -9 "$TGT_PID"
	wait "$TGT_PID" 2>/dev/null || :
	rm -f "/var/run/tgtd/socket.$TGT_CTL" "/var/run/tgtd/socket.$TGT_CTL.lock"
	TGT_PID=
	lab_log "tgtd killed (SIGKILL)"
}

# tgt_restart_after_crash: start tgtd again on the same control and portal
# ports with the same LUN file (its data intact) and the same initiators
# allowed (TGT_ALLOWED): the target as it comes back after a crash, its
# reservation state empty. The initiators reconnect by themselves.
tgt_restart_after_crash() {
	local n=100 iqn
	[ -z "$TGT_PID" ] || host_fail "tgt_restart_after_crash: tgtd is running"
	# The listening port may linger a moment after the kill.
	while ! _port_free "$TGT_PORT" && [ "$n" -gt 0 ]; do
		sleep 0.1
		n=$((n - 1))
	done
	tgtd -f -C "$TGT_CTL" --iscsi "portal=127.0.0.1:$TGT_PORT" \
		>>"$LAB_LOG.tgtd.log" 2>&1 </dev/null &
	TGT_PID=$!
	n=100
	until _tgtadm --op show --mode target >/dev/null 2>&1 && ! _port_free "$TGT_PORT"; do
		kill -0 "$TGT_PID" 2>/dev/null && [ "$n" -gt 0 ] ||
			host_fail "tgtd did not start again on port $TGT_PORT (see $LAB_LOG.tgtd.log)"
		sleep 0.1
		n=$((n - 1))
	done
	_tgtadm --op new --mode target --tid 1 -T "$TGT_IQN" &&
		_tgtadm --op new --mode logicalunit --tid 1 --lun 1 -b "$LUN_FILE" ||
		host_fail "tgtadm could not create the target again (see $LAB_LOG.tgtd.log)"
	for iqn in $TGT_ALLOWED; do
		_tgtadm --op bind --mode target --tid 1 -Q "$iqn" || host_fail "tgtadm could not allow $iqn again"
	done
	lab_log "tgtd started again: pid $TGT_PID, same LUN file and port $TGT_PORT, no reservations"
}

# tgt_pause / tgt_resume: SIGSTOP / SIGCONT tgtd (a stalled target: its TCP
# connections stay up, commands queue in the sockets unanswered).
tgt_pause() {
	kill -STOP "$TGT_PID"
	lab_log "tgtd stopped (SIGSTOP)"
}

tgt_resume() {
	kill -CONT "$TGT_PID"
	lab_log "tgtd continued (SIGCONT)"
}
