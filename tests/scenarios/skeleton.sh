# The walking skeleton (issue 2): resfencectl talks to scsi_resfence over
# generic netlink. Without the module (autoload disabled) the tool says so
# and exits 6 (module-missing); resolving the family autoloads the module
# (MODULE_ALIAS_GENL_FAMILY); loaded, `version` and `status` (text and
# --json) report the module's own version and an empty state; an
# unprivileged caller is refused (7, permission); the module unloads cleanly.
# lab-needs: module tool
ver=$(modinfo -F version scsi_resfence)
[ -n "$ver" ] || fail "modinfo shows no version for scsi_resfence"
klog "skeleton: scsi_resfence.ko in the image is version $ver"

# Not loaded, and the kernel may not load it: the tool's own version line,
# then a clear error and the module-missing exit code.
grep -q '^scsi_resfence ' /proc/modules && fail "scsi_resfence loaded before the test loaded it"
modprobe_path=$(cat /proc/sys/kernel/modprobe)
echo /nonexistent/modprobe >/proc/sys/kernel/modprobe
expect_fail 6 resfencectl status
printf '%s\n' "$OUT" | grep -q '^resfencectl: status: .*module not loaded' ||
	fail "status without the module: no clear 'module not loaded' error"
expect_fail 6 resfencectl version
printf '%s\n' "$OUT" | grep -q '^resfencectl ' || fail "version without the module: no tool version line"
expect_fail 6 resfencectl status --json
echo "$modprobe_path" >/proc/sys/kernel/modprobe

# Autoload: resolving the family runs modprobe for its alias.
expect_output_match "^scsi_resfence $ver " resfencectl version
grep -q '^scsi_resfence ' /proc/modules || fail "resolving the genl family did not autoload scsi_resfence"
unload_resfence

# Loaded explicitly.
load_resfence
wait_klog "version $ver loaded" 10
expect_output_match '^resfencectl [0-9]' resfencectl version
expect_output_match "^scsi_resfence $ver \(genl family resfence, version 1\)" resfencectl version
expect_output_match "^module: .*$ver" resfencectl status
expect_output_match '^held: +0 devices' resfencectl status
expect_output_match "\"version\": \"$ver\"" resfencectl status --json
expect_output_match '"held_count": 0' resfencectl status --json
expect_output_match '"genl_family": "resfence"' resfencectl status --json

# Every operation needs CAP_NET_ADMIN: uid 65534 is refused.
expect_fail 7 as_user resfencectl status
printf '%s\n' "$OUT" | grep -q '^resfencectl: status: ' || fail "unprivileged status: no error line"

unload_resfence
grep -q '^scsi_resfence ' /proc/modules && fail "scsi_resfence still loaded after rmmod"
pass
