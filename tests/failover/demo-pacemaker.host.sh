# make demo-pacemaker's story (issue 12, part 3): a real two-node corosync +
# Pacemaker cluster in guests A and B, sharing the tgtd LUN; their corosync
# link is a QEMU UDP socket network carried over 127.0.0.1 (lab_cluster_net,
# no other network reachable). A runs ocf:lab:Writer (numbered blocks to the
# disk); A is frozen; Pacemaker on B fences A through fence_resfence and
# starts the writer on B; A is thawed, restarts at its first command, and
# none of its writes after the fence landed. Run by tests/demo-pacemaker.sh
# (and tests/bench/pacemaker-failover.sh) through run-host-scenario.sh; every
# step asserts what it narrates (host_fail on the first that does not).
# Narration on stderr:  +SECONDS  NODE  what happened  (host CLOCK_MONOTONIC
# since the start; guest events timed by their console's host timestamps).
# The measured intervals go to the host log as one line
#   PCMK-MEASURE freeze_to_fenced=S fenced_to_running=S freeze_to_evict=S token_ms=MS
# lab-needs: module tool agent cluster
# lab-timeout: 900
. "$VM_DIR/../failover/lib.sh"
T0=$(host_now)
# corosync's token timeout (ms). 3000: short enough that the demo's failover
# is seconds, not the 3000 ms default plus a 20 s wait; long enough that a
# TCG guest on a loaded 2-core host, whose corosync can stall for a second,
# does not lose its peer while both run (see cluster.md).
TOKEN_MS=${PCMK_TOKEN_MS:-3000}
B_BASE=$((FO_BASE + 30000))

at() {
	printf '%9s  %-4s  %s\n' "$(awk -v t="$1" -v z="$T0" 'BEGIN { printf "+%.2fs", t - z }')" "$2" "$3" >&2
}
say() {
	at "$(host_now)" "$1" "$2"
}
act() {
	printf '\n== %s\n' "$*" >&2
}

# The guest-side setup of one node: its name, its cluster NIC (found by the
# MAC lab_cluster_net gave it), corosync.conf, the disk held through the
# module (unfencing, what fence_resfence's on does), then corosync and
# pacemakerd in the foreground, in the background (no systemd here).
node_setup() {
	cat <<SETUP
set -e
n=\$(case \$LAB_NODE in A) echo 1 ;; B) echo 2 ;; esac)
modprobe -a virtio_pci virtio_net
sleep 1
hostname \$LAB_NODE
ifc=
for d in /sys/class/net/*; do
	[ "\$(cat \$d/address)" = 52:54:00:99:00:0\$n ] && ifc=\${d##*/}
done
[ -n "\$ifc" ] || { echo "no cluster NIC"; exit 1; }
ip link set lo up
ip addr add 127.0.0.1/8 dev lo 2>/dev/null || :
ip link set \$ifc up
ip addr add 10.99.0.\$n/24 dev \$ifc
grep -q " /dev/shm " /proc/mounts || { mkdir -p /dev/shm; mount -t tmpfs tmpfs /dev/shm; }
mkdir -p /run /var/run /var/log/cluster /var/lib/corosync /var/log/pacemaker
# The later image parts bring their own /etc/passwd: add Pacemaker's user.
grep -q '^hacluster:' /etc/passwd || echo 'hacluster:x:101:101:Pacemaker:/var/lib/pacemaker:/bin/sh' >>/etc/passwd
grep -q '^haclient:' /etc/group || echo 'haclient:x:101:hacluster' >>/etc/group
chown -R 101:101 /var/lib/pacemaker /var/log/pacemaker
printf '10.99.0.1 A\n10.99.0.2 B\n' >>/etc/hosts
cat >/etc/corosync/corosync.conf <<'CONF'
totem {
	version: 2
	cluster_name: resfence
	transport: knet
	token: $TOKEN_MS
	crypto_cipher: none
	crypto_hash: none
}
nodelist {
	node {
		ring0_addr: 10.99.0.1
		name: A
		nodeid: 1
	}
	node {
		ring0_addr: 10.99.0.2
		name: B
		nodeid: 2
	}
}
quorum {
	provider: corosync_votequorum
	two_node: 1
}
# No realtime scheduling: corosync otherwise runs SCHED_RR, and on a 1-vCPU
# TCG guest it starved the module's refresh until the hold's lease (2 x
# interval) expired and the node fenced itself ("sched: RT throttling
# activated", then "FENCED ... lease expired", seen in a bench run).
system {
	sched_rr: no
}
logging {
	to_logfile: yes
	logfile: /var/log/cluster/corosync.log
	to_stderr: no
	to_syslog: no
	timestamp: on
}
CONF
load_resfence
resfencectl defaults --action restart >/dev/null
fence_resfence -o on -n \$LAB_NODE -d \$DISK --local-node \$LAB_NODE --interval $FO_INTERVAL
corosync -f >/var/log/cluster/corosync.out 2>&1 &
sleep 1
PCMK_logfile=/var/log/pacemaker/pacemaker.log PCMK_logfacility=none PCMK_stderr=0 \
	pacemakerd -f >/var/log/pacemaker/pacemakerd.out 2>&1 &
SETUP
}

# The configuration, loaded once from A: fencing on with action off (the
# agent has no reboot: the victim restarts itself), generous timeouts for
# TCG, one fence_resfence device for both nodes (node names, derived keys),
# and the writer, preferring A.
cluster_config() {
	cat <<CFG
set -e
crm_attribute -t crm_config -n stonith-enabled -v true
crm_attribute -t crm_config -n stonith-action -v off
crm_attribute -t crm_config -n stonith-timeout -v 120s
crm_attribute -t crm_config -n dc-deadtime -v 5s
cibadmin -C -o resources -X '<primitive id="fence-resfence" class="stonith" type="fence_resfence">
  <instance_attributes id="fence-resfence-ia">
    <nvpair id="fr-devices" name="devices" value="'\$DISK'"/>
    <nvpair id="fr-nodes" name="nodes" value="A B"/>
    <nvpair id="fr-hosts" name="pcmk_host_list" value="A B"/>
    <nvpair id="fr-interval" name="interval" value="$FO_INTERVAL"/>
    <nvpair id="fr-off-timeout" name="pcmk_off_timeout" value="120s"/>
  </instance_attributes>
  <operations><op id="fr-monitor" name="monitor" interval="60s" timeout="60s"/></operations>
</primitive>'
cibadmin -C -o resources -X '<primitive id="writer" class="ocf" provider="lab" type="Writer">
  <instance_attributes id="writer-ia">
    <nvpair id="w-device" name="device" value="'\$DISK'"/>
    <nvpair id="w-nodes" name="nodes" value="A B"/>
  </instance_attributes>
  <operations>
    <op id="w-start" name="start" interval="0" timeout="60s"/>
    <op id="w-stop" name="stop" interval="0" timeout="60s"/>
    <op id="w-monitor" name="monitor" interval="5s" timeout="60s"/>
  </operations>
</primitive>'
cibadmin -C -o constraints -X '<rsc_location id="writer-prefers-A" rsc="writer" node="A" score="100"/>'
CFG
}

# On B, in the background: poll Pacemaker's fencing history of A and put
# the moment it first reports success in B's kernel log (host-timestamped).
watch_history() {
	cat <<'W'
until stonith_admin --history A 2>/dev/null | grep -q 'off of A successful'; do sleep 0.2; done
klog "resfence-pcmk: B: stonith history: $(stonith_admin --history A 2>/dev/null | grep -m1 'off of A successful')"
W
}

act "Two guests, one shared disk, one corosync link on 127.0.0.1"
lab_cluster_net
guest_start A B
say host "A and B are up; each sees the LUN as $(guest_run A 'echo $DISK'); their second NIC is a QEMU UDP socket pair on 127.0.0.1:$LAB_CLUSTER_PORT/$((LAB_CLUSTER_PORT + 1))"
for n in A B; do
	out=$(guest_run "$n" "$(node_setup)" 120) || host_fail "$n's cluster setup failed: $out"
	say "$n" "unfenced: $(printf '%s\n' "$out" | grep -m1 'held with key')"
done
KA=$(guest_run A 'resfencectl status $DISK --json' | sed -n 's/.*"key": *"\(0x[0-9a-f]*\)".*/\1/p' | head -n 1)
[ -n "$KA" ] || KA='0x[0-9a-f]+'
say host "corosync 3 (knet, token $TOKEN_MS ms, two_node) and pacemakerd -f started on both"

act "The cluster forms"
n=0
until guest_run A 'crm_mon -1 2>/dev/null' 60 | grep -q 'Online: \[ A B \]'; do
	n=$((n + 1))
	[ "$n" -lt 60 ] || host_fail "the cluster did not form: $(guest_run A 'crm_mon -1 2>&1; tail -n 20 /var/log/cluster/corosync.log' 60)"
	sleep 3
done
say A "crm_mon: Online: [ A B ]"
out=$(guest_run A "$(cluster_config)" 120) || host_fail "configuring the cluster failed: $out"
say A "configured: stonith-enabled, stonith-action=off, stonith-timeout=120s, fence_resfence (devices=\$DISK, nodes A B), ocf:lab:Writer preferring A"

t=$(guest_klog_wait A 'resfence-writer: A issue seq=3$' 240)
at "$t" A "Pacemaker started the writer on A: it writes numbered blocks to the disk"
fo_wait_landed A 5 60
say host "$(fo_landed A | wc -l) of A's blocks on the LUN (host's view of tgtd's backing file)"
guest_bg B "$(watch_history)"

act "A hangs"
fo_freeze A
t_freeze=$FO_T_FREEZE
at "$t_freeze" A "frozen (QEMU stop); its writer's last announced block: seq $FO_FROZEN_LAST"
t_evict=$(guest_klog_wait B "scsi_resfence: .*evicted key $KA by PREEMPT" 240)
at "$t_evict" B "fence_resfence off, run by B's fencer: B's module preempted A's key ($KA)"
t_fenced=$(guest_klog_wait B 'resfence-pcmk: B: stonith history: ' 240)
at "$t_fenced" B "Pacemaker: $(grep -m1 -o 'stonith history: .*' "$(fo_ts_log B)" | sed 's/^stonith history: *//' | cut -c 1-90)"
t_run=$(guest_klog_wait B 'resfence-writer: B issue seq=1$' 240)
at "$t_run" B "Pacemaker started the writer on B"
fenced_s=$(fo_sub "$t_fenced" "$t_freeze")
run_s=$(fo_sub "$t_run" "$t_fenced")
lab_log "PCMK-MEASURE freeze_to_fenced=$fenced_s fenced_to_running=$run_s freeze_to_evict=$(fo_sub "$t_evict" "$t_freeze") token_ms=$TOKEN_MS"
say host "A frozen -> Pacemaker reports A fenced: $fenced_s s (token $TOKEN_MS ms); -> writer running on B: $run_s s more"
FO_BASE=$B_BASE fo_wait_landed B 3 60
say host "$(FO_BASE=$B_BASE fo_landed B | wc -l) of B's blocks on the LUN"

act "A wakes up"
fo_landed A >"$LAB_RUN/A-before"
guest_thaw A
t_dead=$(guest_expect_restart A "scsi_resfence: FENCED .* key $KA" 60)
at "$t_dead" A "restarted at its first command: $(fo_fence_reason A)"
fo_landed A >"$LAB_RUN/A-after"
late=$(comm -13 <(sort "$LAB_RUN/A-before") <(sort "$LAB_RUN/A-after") | sort -n)
[ -z "$late" ] || host_fail "blocks of A's landed after the fence: seq $(echo $late)"
read -r attempted landed <<<"$(fo_late_writes A "$LAB_RUN/A-before")"
[ "$landed" -eq 0 ] || host_fail "$landed of A's $attempted late writes landed"
hist=$(guest_run B 'stonith_admin --history A' 60) || :
printf '%s\n' "$hist" | grep -q 'off of A successful' || host_fail "B's stonith history does not say A was fenced: $hist"
guest_run B 'crm_mon -1' 60 | grep -Eq 'writer.*Started B' || host_fail "crm_mon on B does not show the writer started on B"
say host "on the LUN: none of A's $attempted writes after the fence landed; A's blocks are the $(wc -l <"$LAB_RUN/A-before") it had before it froze"
say B "crm_mon: writer Started B; stonith_admin --history A: off of A successful"
