# resfencectl takeover in pr mode, node A = nexus A (sda), node B = nexus B
# (sdb) of one LIO LUN. A live master (the module refreshing A's hold, whose
# heartbeat REGISTER moves the PR generation) makes takeover report "master
# alive" (exit 5) and change nothing; a dead master (a reservation nobody
# refreshes) is preempted after the printed wait; a free disk is held at
# once; an all-registrants master is preempted by its key; an interrupted
# wait (SIGTERM, what a cluster manager sends; a background job's SIGINT is
# ignored by sh) acquires nothing (exit 10).
# lab-needs: module tool
# lab-timeout: 240
lio_shared_lun 16
load_resfence

expect_msg() {
	printf '%s\n' "$OUT" | grep -Eq -- "$1" || fail "expected /$1/ in: $OUT"
}
holder() {
	sg_persist --in --read-reservation "$DISK_B" 2>/dev/null | sed -n 's/.*Key=\(0x[0-9a-f]*\).*/\1/p'
}

# 1. Live master: A holds (log mode: the test must see what happens, not
# restart), B tries to take over.
expect_ok resfencectl hold "$DISK_A" --mode pr --key 0xa1 --interval 0.5 --action log
# The master's lease is the module's automatic one, 2 x 0.5 s: without
# --lease, takeover derives it from --interval (the module reports LEASE_AUTO),
# not from the 4 s GET_INFO reports for the default 2 s interval.
expect_fail 5 resfencectl takeover "$DISK_B" --mode pr --key 0xb1 --interval 0.5
expect_msg 'waiting 2 s \(max\(2 x interval 0.5 s, lease 1 s\) \+ margin 1 s\) for the master.s heartbeat'
expect_msg '^resfencectl: takeover: /dev/sdb: master alive: PR generation moved from [0-9]+ to [0-9]+ during the wait$'
[ "$(holder)" = 0xa1 ] || fail "the reservation moved after a refused takeover: $(holder)"
_run sg_persist --in --read-keys "$DISK_B"
printf '%s\n' "$OUT" | grep -q 0xb1 && fail "takeover left B's key registered"
expect_output_match '"state": "armed"' resfencectl status "$DISK_A" --json
expect_output_match '"conflicts": 0' resfencectl status "$DISK_A" --json
expect_ok resfencectl release "$DISK_A"

# 2. Dead master: a reservation from A's nexus that nothing refreshes.
expect_ok sg_persist --out --register --param-sark=0xa1 "$DISK_A"
expect_ok sg_persist --out --reserve --param-rk=0xa1 --prout-type=1 "$DISK_A"
expect_ok resfencectl takeover "$DISK_B" --mode pr --key 0xb1 --interval 0.5 --lease 0 --action log
expect_msg 'held by 0x00000000000000a1, PR generation [0-9]+; waiting 2 s '
expect_msg 'master 0x00000000000000a1 silent for 2 s; preempted'
expect_msg '^held /dev/sdb \(sdb 8:16\): mode pr, key 0x00000000000000b1'
[ "$(holder)" = 0xb1 ] || fail "B does not hold the reservation after takeover: $(holder)"
# A's key is gone: a write through A conflicts now.
_run dd if=/dev/zero of="$DISK_A" bs=4096 count=1 oflag=direct
[ "$RC" -ne 0 ] || fail "A could still write after B's takeover"
expect_ok resfencectl release "$DISK_B"

# 3. Free disk: nothing to wait for.
expect_ok resfencectl takeover "$DISK_B" --mode pr --key 0xb1 --action log
expect_msg 'no reservation \(PR generation [0-9]+\); holding'
[ "$(holder)" = 0xb1 ] || fail "B does not hold the free disk after takeover"
expect_ok resfencectl release "$DISK_B"

# 4. Interrupted: a long wait (interval 30 s: 61 s), SIGTERM as soon as the
# wait is announced (the tool announces it once signals are caught).
expect_ok sg_persist --out --register --param-sark=0xa1 "$DISK_A"
expect_ok sg_persist --out --reserve --param-rk=0xa1 --prout-type=1 "$DISK_A"
resfencectl takeover "$DISK_B" --mode pr --key 0xb1 --interval 30 --action log >/tmp/to.out 2>&1 &
pid=$!
n=300
until grep -q 'waiting 61 s' /tmp/to.out; do
	[ "$n" -gt 0 ] || fail "takeover did not start waiting: $(cat /tmp/to.out)"
	sleep 0.1
	n=$((n - 1))
done
kill -TERM "$pid"
rc=0
wait "$pid" || rc=$?
cat /tmp/to.out
[ "$rc" -eq 10 ] || fail "interrupted takeover exited $rc, expected 10"
grep -q 'interrupted during the wait; nothing was acquired' /tmp/to.out || fail "no interruption message"
[ "$(holder)" = 0xa1 ] || fail "an interrupted takeover changed the holder: $(holder)"
expect_output_match '"held_count": 0' resfencectl status --json

# 5. All-registrants (we-ar): the reservation names no single holder (key
# 0); the dead master's is the one other registered key.
expect_ok sg_persist --out --release --param-rk=0xa1 --prout-type=1 "$DISK_A"
expect_ok sg_persist --out --register --param-rk=0xa1 --param-sark=0 "$DISK_A"
expect_ok sg_persist --out --register --param-sark=0xa5 "$DISK_A"
expect_ok sg_persist --out --reserve --param-rk=0xa5 --prout-type=7 "$DISK_A"
expect_ok resfencectl takeover "$DISK_B" --mode pr --key 0xb5 --type we-ar --interval 0.5 --lease 0 --action log
expect_msg 'held by 0x00000000000000a5, PR generation [0-9]+; waiting 2 s '
expect_msg 'master 0x00000000000000a5 silent for 2 s; preempted'
_run sg_persist --in --read-keys "$DISK_B"
printf '%s\n' "$OUT" | grep -q 0xa5 && fail "A's key is still registered after the we-ar takeover"
expect_ok resfencectl release "$DISK_B"

unload_resfence
pass
