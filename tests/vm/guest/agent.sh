#!/bin/sh
# The command channel of a two-guest lab node. The host writes one request per
# line on ttyS1:   RUN <id> <base64 of a shell snippet>
# and gets back:   OUT <id> / base64 of the snippet's stdout+stderr / END <id> <status>
# Base64 both ways keeps arbitrary output from breaking the framing. Each
# snippet runs in a subshell with the guest helpers and /run/lab.env sourced.
. /lib/resfence/lib.sh

tty=/dev/ttyS1
# No echo, no CR/LF translation, no signals from input bytes, no modem lines.
stty -F "$tty" raw -echo clocal 115200
exec 3<>"$tty"
mkdir -p /run/agent

lab_env >/run/lab.env
. /run/lab.env
klog "RESFENCE-TEST: AGENT-READY node=$LAB_NODE disk=${DISK:-none}"
echo "READY $LAB_NODE" >&3

while IFS= read -r line <&3; do
	# shellcheck disable=SC2086
	set -- $line
	[ "$#" -eq 3 ] && [ "$1" = RUN ] || continue
	id=$2
	printf '%s\n' "$3" | base64 -d >"/run/agent/$id.sh"
	(
		. /run/lab.env
		. "/run/agent/$id.sh"
	) </dev/null >"/run/agent/$id.out" 2>&1 3>&-
	rc=$?
	{
		echo "OUT $id"
		base64 "/run/agent/$id.out"
		echo "END $id $rc"
	} >&3
done
klog "RESFENCE-TEST: AGENT-EXIT"
