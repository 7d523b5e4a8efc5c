# Guest side of selftest-checkers.sh: load the module that trips every
# checker, then wait past kmemleak's 5 s minimum object age so that the
# final scan (lab_poweroff) reports the leak.
# lab-timeout: 180
expect_ok insmod "/lib/modules/$(uname -r)/extra/resfence_checker_selftest.ko"
sleep 7
pass
