# Harness self-test: a scenario that expects a restart and then simply ends
# (the guest powers off) must FAIL.
# lab-selftest-reason: expected a restart .* powered off
expect_restart 'resfence-lab: fence'
