# Harness self-test: a guest that restarts without expect_restart must FAIL.
# lab-selftest-reason: unexpected restart
echo b >/proc/sysrq-trigger
sleep 30
