// SPDX-License-Identifier: GPL-2.0
/*
 * Encoding and decoding of the takeover epoch block (epoch.h). No kernel
 * glue: the I/O is in epoch_io.c.
 */
#include <linux/string.h>
#include <asm/byteorder.h>

#include "epoch.h"

/* Byte order through memcpy: the block is a plain buffer, no alignment. */
static u32 get_be32(const u8 *p)
{
	__be32 v;

	memcpy(&v, p, sizeof(v));
	return be32_to_cpu(v);
}

static u64 get_be64(const u8 *p)
{
	__be64 v;

	memcpy(&v, p, sizeof(v));
	return be64_to_cpu(v);
}

static void put_be32(u8 *p, u32 x)
{
	__be32 v = cpu_to_be32(x);

	memcpy(p, &v, sizeof(v));
}

static void put_be64(u8 *p, u64 x)
{
	__be64 v = cpu_to_be64(x);

	memcpy(p, &v, sizeof(v));
}

/**
 * resfence_epoch_decode() - parse a block read from the epoch area
 * @buf: the block
 * @len: its length (the logical block size)
 * @e: set for RESFENCE_EPOCH_VALID, zeroed for RESFENCE_EPOCH_BLANK
 *
 * Strict on purpose: a block that is not exactly what an acquire writes
 * (bytes past the used part not zero, another version, a reserved field
 * set) is foreign, so that an acquire never overwrites data that somebody
 * else put there.
 *
 * Return: enum resfence_epoch_parse.
 */
enum resfence_epoch_parse resfence_epoch_decode(const u8 *buf, size_t len,
						struct resfence_epoch *e)
{
	size_t i;

	memset(e, 0, sizeof(*e));
	if (len < RESFENCE_EPOCH_USED)
		return RESFENCE_EPOCH_FOREIGN;
	if (!memchr_inv(buf, 0, len))
		return RESFENCE_EPOCH_BLANK;
	if (memcmp(buf, RESFENCE_EPOCH_MAGIC, 8) ||
	    get_be32(buf + 8) != RESFENCE_EPOCH_VERSION ||
	    get_be32(buf + 12) != 0)
		return RESFENCE_EPOCH_FOREIGN;
	for (i = RESFENCE_EPOCH_USED; i < len; i++)
		if (buf[i])
			return RESFENCE_EPOCH_FOREIGN;
	e->epoch = get_be64(buf + 16);
	memcpy(e->owner, buf + 24, RESFENCE_EPOCH_OWNER_LEN);
	e->when_ns = get_be64(buf + 40);
	/* Epoch 0 is the blank area's: no acquire writes it. */
	if (!e->epoch) {
		memset(e, 0, sizeof(*e));
		return RESFENCE_EPOCH_FOREIGN;
	}
	return RESFENCE_EPOCH_VALID;
}

/**
 * resfence_epoch_encode() - build the block an acquire writes
 * @buf: the block, @len bytes (at least RESFENCE_EPOCH_USED)
 * @len: the logical block size
 * @e: what to write
 */
void resfence_epoch_encode(u8 *buf, size_t len, const struct resfence_epoch *e)
{
	memset(buf, 0, len);
	memcpy(buf, RESFENCE_EPOCH_MAGIC, 8);
	put_be32(buf + 8, RESFENCE_EPOCH_VERSION);
	put_be64(buf + 16, e->epoch);
	memcpy(buf + 24, e->owner, strnlen(e->owner, RESFENCE_EPOCH_OWNER_LEN));
	put_be64(buf + 40, e->when_ns);
}
