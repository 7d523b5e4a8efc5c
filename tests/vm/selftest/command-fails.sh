# Harness self-test: a failed assertion must FAIL the scenario even though a
# later pass is called.
# lab-selftest-reason: expected exit 3, got exit 1
expect_fail 3 false
pass
