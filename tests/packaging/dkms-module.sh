# The module that DKMS built boots in the lab: a hold, a preempt by the
# other nexus, and the fence's restart, as pr-preempt-restart does with the
# checkout's module. Not in tests/scenarios/: tests/run-all.sh's packaging
# stage runs it, after tests/packaging/deb.sh has installed resfence-dkms and
# copied what its postinst built (/lib/modules/<abi>/updates/dkms/
# scsi_resfence.ko) to build/packaging/dkms/scsi_resfence.ko, with
# RESFENCE_KO pointing there:
#   RESFENCE_KO=build/packaging/dkms/scsi_resfence.ko tests/vm/run-scenario.sh tests/packaging/dkms-module.sh
# The Debian kernel only: DKMS built the file against the Debian headers
# (scripts/kdir.sh), and the debug kernel loads only modules built against its
# own tree (tests/vm/debug-kernel/build-kmod.sh).
# lab-needs: module tool
# lab-kernel: debian
# lab-timeout: 180
lio_shared_lun 16
load_resfence

# The file booted is DKMS's build, not the checkout's: DKMS signs what it
# builds with its own key (/var/lib/dkms/mok.key); make kmod signs nothing.
expect_output_match '^DKMS module signing key$' modinfo -F signer scsi_resfence
# Its version is the tool's (kmod/version.h; tests/packaging/version.sh).
expect_ok resfencectl version
tool_v=$(printf '%s\n' "$OUT" | sed -n '1s/^resfencectl //p')
mod_v=$(cat /sys/module/scsi_resfence/version)
[ -n "$mod_v" ] && [ "$mod_v" = "$tool_v" ] || fail "module version '$mod_v', resfencectl's '$tool_v'"
klog "dkms-module: scsi_resfence $mod_v, DKMS's build"

expect_ok resfencectl hold "$DISK_A" --mode pr --key 0xa1 --type we --interval 60 --lease 0 --action restart
expect_output_match 'Key=0xa1' sg_persist --in --read-reservation "$DISK_B"
b_preempts 0xa1

expect_restart 'scsi_resfence: FENCED sda \(8:0\) key 0xa1: .*restarting now'
klog "dkms-module: writing to $DISK_A after the preempt"
dd if=/dev/zero of="$DISK_A" bs=4096 count=1 oflag=direct 2>/dev/null || :
wait_restart 30
