# Only CAP_NET_ADMIN in the initial network namespace may talk to the
# module: an unprivileged user gets "permission" (exit 7) for every request
# and cannot join the events group,
# a caller in another network namespace does not even find the family
# (exit 6), and neither leaves anything held.
# lab-needs: module tool
# lab-timeout: 120
lio_shared_lun 16
load_resfence

# util-linux setpriv by path: the guest's busybox ash runs its own applet of
# the same name first, which lacks --reuid.
nobody() {
	/usr/bin/setpriv --reuid=65534 --regid=65534 --clear-groups -- "$@"
}

expect_fail 7 nobody resfencectl status
expect_fail 7 nobody resfencectl hold "$DISK_A" --mode pr --key 0xa1
expect_fail 7 nobody resfencectl keys "$DISK_A"
expect_fail 7 nobody resfencectl release "$DISK_A"
printf '%s\n' "$OUT" | grep -q 'Operation not permitted' || fail "no EPERM in: $OUT"
# Listening to the events group needs CAP_NET_ADMIN too (a monitor that
# joined would wait for events until the timeout kills it: not exit 7).
expect_fail 7 timeout 10 /usr/bin/setpriv --reuid=65534 --regid=65534 --clear-groups -- resfencectl monitor

expect_fail 6 unshare -n resfencectl status
expect_fail 6 unshare -n resfencectl hold "$DISK_A" --mode pr --key 0xa1

expect_output_match '"held_count": *0' resfencectl status --json
expect_output_match 'NO reservation' sg_persist --in --read-reservation "$DISK_B"
unload_resfence
pass
