# The walking skeleton (issue 2): resfencectl talks to scsi_resfence over
# generic netlink. Without the module (autoload disabled) the tool says so
# and exits 6 (module-missing); resolving the family autoloads the module
# (MODULE_ALIAS_GENL_FAMILY); loaded, `version` and `status` (text and
# --json; `version --json` is one document even without the module) report the module's own version and an empty state; an
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
out_match '^resfencectl: status: .*module not loaded'
expect_fail 6 resfencectl version
out_match '^resfencectl [0-9]'
out_match '^resfencectl: version: .*module not loaded'
expect_fail 6 resfencectl status --json
# version --json: still one JSON document, the module null.
expect_fail 6 resfencectl version --json
out_match '^  "resfencectl": \{$'
out_match '^  "module": null$'
out_match '^resfencectl: version: .*module not loaded'
echo "$modprobe_path" >/proc/sys/kernel/modprobe

# Autoload: resolving the family runs modprobe for its alias.
expect_output_match "^scsi_resfence $ver " resfencectl version
grep -q '^scsi_resfence ' /proc/modules || fail "resolving the genl family did not autoload scsi_resfence"
unload_resfence

# Loaded explicitly.
load_resfence
wait_klog "version $ver loaded" 10
expect_ok resfencectl version
out_match '^resfencectl [0-9]'
out_match "^scsi_resfence $ver \(genl family resfence, version 1\)"
expect_ok resfencectl status
out_match "^module: .*$ver"
out_match '^held: +0 devices'
expect_ok resfencectl status --json
out_match "\"version\": \"$ver\""
out_match '"held_count": 0'
out_match '"genl_family": "resfence"'
out_match '"devices": \[\]'
expect_ok resfencectl version --json
json=$(printf '%s' "$OUT" | tr -d ' \n')
case $json in
'{"resfencectl":{"version":"'[0-9]*.[0-9]*'"},"module":{"version":"'"$ver"'","genl_family":"resfence","genl_version":1}}') ;;
*) fail "unexpected version --json document: $json" ;;
esac

# Every operation needs CAP_NET_ADMIN: uid 65534 is refused.
expect_fail 7 as_user resfencectl status
out_match '^resfencectl: status: .*not permitted'
expect_fail 7 as_user resfencectl version
expect_fail 7 as_user resfencectl version --json
out_match '^  "module": null$'

unload_resfence
grep -q '^scsi_resfence ' /proc/modules && fail "scsi_resfence still loaded after rmmod"
pass
