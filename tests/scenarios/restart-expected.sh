# The lab sees a guest restart and checks what the kernel said just before:
# the same emergency_restart() the module calls on a fence, reached through
# sysrq 'b', after a KERN_EMERG line like the module's fence line.
expect_restart 'resfence-lab: fence line stand-in'
printf '<0>resfence-lab: fence line stand-in\n' >/dev/kmsg
echo b >/proc/sysrq-trigger
wait_restart 10
