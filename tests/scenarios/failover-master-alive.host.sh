# Issue 6, scenario 1: a live master keeps its disk. Node A holds the shared
# LUN (pr mode, key 0xa1, action restart) and writes to it continuously;
# node B's takeover waits the documented time, sees A's heartbeat move the PR
# generation, and exits 5 (master alive) without touching anything. A keeps
# the reservation, keeps writing, and does not restart (the lab fails the
# run if it does).
# On Debian's kernel only: two-guest scenarios run one at a time, and the
# debug kernel's pass over this one (about a minute of the CI budget) pays for
# issue 16's scenarios there; its module paths (a pr hold refreshed while the
# disk is written, READ KEYS and READ RESERVATION from the other side) run on
# the debug kernel in pr-hold-refresh, ctl-takeover-pr and failover-frozen-
# master.
# lab-kernel: debian
# lab-needs: module tool
# lab-timeout: 240
. "$VM_DIR/../failover/lib.sh"

guest_start A B
fo_load A B
fo_hold A "$FO_KEY_A" restart
fo_writer_start A
fo_wait_landed A 5
before=$(fo_landed A | wc -l)

rc=0
out=$(guest_run B "$(fo_takeover_cmd "$FO_KEY_B")") || rc=$?
[ "$rc" -eq 5 ] || host_fail "B's takeover exited $rc, expected 5 (master alive): $out"
printf '%s\n' "$out" | grep -Eq 'waiting 3 s \(max\(2 x interval 1 s, lease off\) \+ margin 1 s\)' ||
	host_fail "B's takeover did not announce the documented 3 s wait: $out"
printf '%s\n' "$out" | grep -Eq 'master alive: PR generation moved from [0-9]+ to [0-9]+ during the wait' ||
	host_fail "B's takeover did not say why the master is alive: $out"
lab_log "B's takeover refused: $(printf '%s\n' "$out" | tail -n 1)"

# A untouched: still the holder, B left no key behind, A's hold armed with
# no conflict, and A's writes keep landing, none failed.
holder=$(fo_holder B)
[ "$holder" = "$FO_KEY_A" ] || host_fail "the reservation holder is $holder after a refused takeover, expected $FO_KEY_A"
guest_run B 'resfencectl keys $DISK' | grep -q '0x0*b1' && host_fail "B's key is registered after a refused takeover"
guest_ok A 'resfencectl status $DISK --json | grep -Eq "\"state\": *\"armed\""'
guest_ok A 'resfencectl status $DISK --json | grep -Eq "\"conflicts\": *0[,}]?$"'
fo_wait_landed A $((before + 5))
! grep -q 'resfence-writer: A failed' "$(fo_ts_log A)" ||
	host_fail "a write of A's failed: $(grep 'resfence-writer: A failed' "$(fo_ts_log A)" | head -n 1)"
lab_log "A holds and writes on: $(fo_landed A | wc -l) blocks landed (seq 1..$(fo_last_issued A) issued), none failed"
