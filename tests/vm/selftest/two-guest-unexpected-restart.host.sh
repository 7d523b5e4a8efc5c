# Harness self-test: in a two-guest scenario, a guest that restarts without
# guest_expect_restart must FAIL the scenario even though the script itself
# ends well.
# lab-selftest-reason: guest A: unexpected restart
guest_start A
guest_bg A 'sleep 1; echo b >/proc/sysrq-trigger'
guest_wait_exit A 60 || host_fail "A did not go down"
