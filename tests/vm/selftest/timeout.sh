# Harness self-test: a guest that never finishes must FAIL at its timeout.
# lab-timeout: 20
# lab-selftest-reason: timed out after 20s
sleep 600
