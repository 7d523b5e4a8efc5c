# The KUnit run, as a lab scenario on the debug kernel (tests/vm/debug-kernel/
# run-kunit.sh runs it; tests/scenarios/ does not hold it, because the Debian
# kernel has no KUnit). KUnit runs every suite of scsi_resfence_kunit.ko
# while the module loads and prints KTAP to the kernel log; the host parses
# it (ktap.sh). Loading and unloading it cleanly is part of the test, and
# the final kmemleak scan covers what the suites allocated.
# lab-timeout: 300
m=/lib/modules/$(uname -r)/extra/scsi_resfence_kunit.ko
[ -e "$m" ] || fail "scsi_resfence_kunit.ko is not in this image"
expect_ok insmod "$m"
expect_ok rmmod scsi_resfence_kunit
pass
