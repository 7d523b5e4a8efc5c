# Pacemaker's real fencer fences through fence_resfence. One guest, one LIO
# LUN, two nexuses: "nodeA" is nexus A, unfenced by the agent's own `on`
# (which holds DISK_A through the module); Pacemaker's pacemaker-fenced, in
# its stand-alone mode (-s, how Pacemaker's cts-fencing runs it), has a
# resfence device on DISK_B registered with stonith_admin -R, as "nodeB".
# stonith_admin -F nodeA makes the fencer run `fence_resfence` off, which
# sends a real PREEMPT of nodeA's key through nexus B. (abort=0: PREEMPT AND
# ABORT never completes on Debian 6.1's LIO behind tcm_loop and leaves the
# caller in D state, see ctl-preempt; the fencer then times the agent out
# and reports the fence failed, never done.)
# Run 1, action log: the fencer reports success (stonith_admin exit 0 and its
# log's "returned 0"), nodeA's key is gone, nodeA's write is refused and its
# module reports the fence. (A stand-alone fencer keeps no fencing history:
# it fences locally, without the remote operation that history lists, so
# the fencer's own result line is the record.) Run 2, action restart: nodeB
# is unfenced too (holds DISK_B through the module, as every node of a
# cluster does), so the agent's off removes nodeA's key through nodeB's own
# hold (EVICT), which stays armed; then nodeA's next write restarts the guest.
# lab-needs: module tool agent pacemaker
# lab-timeout: 300
KA=0x2e78eac2429231b8 # the key derived from "nodeA" (fence_resfence(8))
KB=0x2e78edc2429236d1 # from "nodeB"
lio_shared_lun 16
load_resfence
grep -q " /dev/shm " /proc/mounts || mount -t tmpfs tmpfs /dev/shm

# fenced_result N: the fencer's log has N results "off ... returned 0".
fenced_results() {
	grep -c "Operation 'off' \[[0-9]*\] targeting nodeA using resfence returned 0" /tmp/fenced.log || :
}

expect_ok resfencectl defaults --action log
# nodeA unfences: what Pacemaker runs on the node itself (on_target), here
# through the command line.
expect_output_match "held with key $KA \\(we-ar\\)" \
	fence_resfence -o on -n nodeA -d "$DISK_A" --local-node nodeA --interval 60
expect_output_match 'Status: ON' fence_resfence -o status -n nodeA -d "$DISK_B"

/usr/lib/pacemaker/pacemaker-fenced -s -l /tmp/fenced.log >/tmp/fenced.out 2>&1 &
FENCED=$!
n=300
until stonith_admin -L >/dev/null 2>&1; do
	kill -0 "$FENCED" 2>/dev/null || fail "pacemaker-fenced exited: $(tail -n 20 /tmp/fenced.out /tmp/fenced.log 2>&1)"
	[ "$n" -gt 0 ] || fail "pacemaker-fenced did not answer within 30 s"
	sleep 0.1
	n=$((n - 1))
done
expect_output_match 'fence_resfence' stonith_admin -I
expect_ok stonith_admin -R resfence -a fence_resfence -o devices="$DISK_B" -o local_node=nodeB \
	-o nodes="nodeA nodeB" -o abort=0 -o pcmk_host_list=nodeA
expect_output_match '^ *resfence$' stonith_admin -L
# The fencer runs the agent's monitor.
expect_ok stonith_admin -Q resfence

klog "fence-agent-pacemaker: run 1 (action log): stonith_admin -F nodeA"
_run stonith_admin -F nodeA -t 120
[ "$RC" -eq 0 ] || fail "stonith_admin -F nodeA: exit $RC: $(tail -n 15 /tmp/fenced.log)"
[ "$(fenced_results)" -eq 1 ] || fail "the fencer's log has no successful off of nodeA: $(grep -i 'nodeA' /tmp/fenced.log | tail -n 5)"
klog "fence-agent-pacemaker: fencer: $(grep "targeting nodeA using resfence returned 0" /tmp/fenced.log | tail -n 1 | sed 's/.*(log_async_result) *//')"
_run sg_persist --in --read-keys "$DISK_B"
printf '%s\n' "$OUT" | grep -qi "${KA#0x}" && fail "nodeA's key is still registered after the fence"
printf '%s\n' "$OUT" | grep -qi "${KB#0x}" || fail "nodeB's key is not registered after the fence"
expect_fail 2 fence_resfence -o status -n nodeA -d "$DISK_B"
_run dd if=/dev/zero of="$DISK_A" bs=4096 count=1 oflag=direct
[ "$RC" -ne 0 ] || fail "nodeA wrote to the disk after the fence"
wait_klog "scsi_resfence: would fence sda \\(8:0\\) key $KA: .* \\(action log: not restarting\\)"

# Back to both unfenced-then-fenced, with the real action.
expect_ok resfencectl release "$DISK_A"
expect_ok resfencectl release "$DISK_B"
expect_ok resfencectl defaults --action restart
expect_output_match "held with key $KA" \
	fence_resfence -o on -n nodeA -d "$DISK_A" --local-node nodeA --interval 60
# As in a cluster, the fencing node was unfenced too: it holds DISK_B
# through the module, so its off goes through that hold (EVICT).
expect_output_match "held with key $KB" \
	fence_resfence -o on -n nodeB -d "$DISK_B" --local-node nodeB --interval 60
klog "fence-agent-pacemaker: run 2 (action restart, nodeB holds its nexus): stonith_admin -F nodeA"
expect_ok stonith_admin -F nodeA -t 60
[ "$(fenced_results)" -eq 2 ] || fail "the fencer's log has no second successful off of nodeA"
wait_klog "scsi_resfence: sd[a-z]+ \([0-9]+:[0-9]+\): evicted key $KA by PREEMPT with key $KB; still holding"
_run resfencectl status "$DISK_B" --json
printf '%s\n' "$OUT" | grep -Eq '"state": *"armed"' || fail "nodeB's hold is not armed after it fenced nodeA: $OUT"
_run sg_persist --in --read-keys "$DISK_B"
printf '%s\n' "$OUT" | grep -qi "${KA#0x}" && fail "nodeA's key is still registered after run 2's fence"
# A second off (Pacemaker retries a fence it did not see complete): the
# PREEMPT through nodeB's hold meets RESERVATION CONFLICT (nodeA's key is
# gone); the module verifies it instead of fencing nodeB (issue 10), and the
# agent reports nodeA as already fenced.
expect_output_match 'was not registered; the reservation shuts it out \(already fenced\)' \
	fence_resfence -o off -n nodeA -d "$DISK_B" --local-node nodeB --abort=0
wait_klog "scsi_resfence: sd[a-z]+: reservation verified after a conflict on PERSISTENT RESERVE OUT: still ours"
_run resfencectl status "$DISK_B" --json
printf '%s\n' "$OUT" | grep -Eq '"state": *"armed"' || fail "nodeB's hold is not armed after the second off: $OUT"
printf '%s\n' "$OUT" | grep -Eq '"conflicts": *0[,}]?$' || fail "nodeB counted a fencing conflict: $OUT"
klog "fence-agent-pacemaker: fencer: run 2 off of nodeA returned 0, nodeB still holds; nodeA writes next"
expect_restart "scsi_resfence: FENCED sda \\(8:0\\) key $KA: .*restarting now"
dd if=/dev/zero of="$DISK_A" bs=4096 count=1 oflag=direct 2>/dev/null || :
wait_restart 30
