/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the suites. Expected bytes in the tests are written out
 * from the SCSI standards (SPC-3, SPC-2), never computed with the code under
 * test, so an encoding bug cannot agree with itself.
 */
#ifndef _RESFENCE_KUNIT_EXPECT_H
#define _RESFENCE_KUNIT_EXPECT_H

#include <kunit/test.h>

/*
 * Fail once, at the first differing byte, and show both buffers: a wrong
 * CDB is easier to read whole than as a list of byte mismatches.
 */
static inline void expect_bytes(struct kunit *test, const char *what,
				const u8 *got, const u8 *want, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (got[i] != want[i]) {
			KUNIT_FAIL(test,
				   "%s: byte %zu is 0x%02x, expected 0x%02x\n got:  %*ph\n want: %*ph",
				   what, i, got[i], want[i], (int)len, got,
				   (int)len, want);
			return;
		}
	}
}

/*
 * A buffer of exactly @len bytes from the slab, so that KASAN (the debug
 * kernel has it) reports any read past what the "device" returned; KASAN
 * fails the running KUnit case when it does.
 */
static inline u8 *exact_buf(struct kunit *test, const u8 *src, size_t len)
{
	u8 *buf = kunit_kmalloc(test, len ? len : 1, GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, buf);
	if (len)
		memcpy(buf, src, len);
	return buf;
}

#endif /* _RESFENCE_KUNIT_EXPECT_H */
