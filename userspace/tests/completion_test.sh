#!/bin/bash
# Checks userspace/completion/resfencectl offers the right words. Runs under
# ctest; needs only bash (a minimal _init_completion stands in for the
# bash-completion package's).
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
_init_completion() {
	words=("${COMP_WORDS[@]}")
	cword=$COMP_CWORD
	cur=${words[cword]}
	prev=${words[cword - 1]}
}
# shellcheck source=../completion/resfencectl
. "$here/completion/resfencectl"
failed=0
expect() {
	local want=$1
	shift
	COMP_WORDS=("$@")
	COMP_CWORD=$(($# - 1))
	COMPREPLY=()
	_resfencectl
	local got="${COMPREPLY[*]}"
	if [ "$got" != "$want" ]; then
		echo "FAIL: [$*]: want '$want', got '$got'"
		failed=1
	fi
}
expect "hold takeover preempt release status keys reset monitor defaults version last-fence ack-fence --help --help-all" resfencectl ""
expect "hold" resfencectl ho
expect "takeover" resfencectl t
expect "--mode" resfencectl hold /dev/sdc --m
expect "pr scsi2" resfencectl hold /dev/sdc --mode ""
expect "we-ro we-ar" resfencectl takeover /dev/sdc --type we-
expect "restart" resfencectl hold /dev/sdc --action r
expect "auto" resfencectl hold /dev/sdc --key a
expect "--victim" resfencectl preempt /dev/sdc --v
expect "--action --allow-reset-window --abort" resfencectl preempt /dev/sdc --a
expect "--epoch-lba" resfencectl hold /dev/sdc --e
expect "" resfencectl hold /dev/sdc --epoch-lba ""
expect "" resfencectl hold /dev/sdc --v
expect "target" resfencectl reset /dev/sdc --level t
expect "--json --help" resfencectl status --
expect "" resfencectl hold /dev/sdc --interval ""
expect "--json --help" resfencectl version --
expect "defaults" resfencectl de
expect "--interval --lease --action --mode --json --help" resfencectl defaults --
expect "auto" resfencectl defaults --lease ""
expect "" resfencectl hold /dev/sdc --lease ""
expect "log" resfencectl defaults --action l
expect "scsi2" resfencectl defaults --mode s
expect "" resfencectl defaults ""
expect "--no-rejoin-guard" resfencectl hold /dev/sdc --n
expect "--json --help" resfencectl last-fence --
expect "last-fence" resfencectl l
exit $failed
