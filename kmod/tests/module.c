// SPDX-License-Identifier: GPL-2.0
/*
 * scsi_resfence_kunit.ko: the suites register themselves with
 * kunit_test_suite() in their own files; KUnit runs them all when the
 * module is loaded and prints KTAP to the kernel log.
 */
#include <linux/module.h>

MODULE_DESCRIPTION("KUnit tests for scsi_resfence's kernel-independent logic");
MODULE_LICENSE("GPL");
