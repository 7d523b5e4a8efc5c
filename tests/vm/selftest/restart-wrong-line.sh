# Harness self-test: an expected restart whose last kernel lines do not match
# the expected regex must FAIL.
# lab-selftest-reason: do not match
expect_restart 'resfence-lab: a line nobody writes'
printf '<0>resfence-lab: some other line\n' >/dev/kmsg
echo b >/proc/sysrq-trigger
sleep 30
