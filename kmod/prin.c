// SPDX-License-Identifier: GPL-2.0
/*
 * PERSISTENT RESERVE IN parsing. The device tells us how much it has
 * (ADDITIONAL LENGTH) and we know how much arrived (buffer length minus
 * residual); neither is trusted on its own. A header that is cut short or
 * a length that cannot be right is -EPROTO: the caller must treat it as
 * "could not verify", never as "our key is gone".
 */
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/string.h>

#include "cdb.h"
#include "prin.h"

static u32 get_be32(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

static u64 get_be64(const u8 *p)
{
	return (u64)get_be32(p) << 32 | get_be32(p + 4);
}

/**
 * resfence_prin_parse_keys() - parse READ KEYS parameter data
 * @buf: the data
 * @len: bytes the device transferred (allocation length minus residual)
 * @out: generation, counts and truncation
 * @keys: where the keys go, may be NULL when @max_keys is 0
 * @max_keys: capacity of @keys
 *
 * Keys past @len or past @max_keys are not read; @out->truncated says so
 * and @out->need_len says how large a buffer would hold them all.
 *
 * Return: 0, or -EPROTO when the header is incomplete or ADDITIONAL
 * LENGTH is not a multiple of the 8-byte key size.
 */
int resfence_prin_parse_keys(const u8 *buf, size_t len,
			     struct resfence_pr_keys *out,
			     u64 *keys, size_t max_keys)
{
	u32 add_len, avail, i;

	memset(out, 0, sizeof(*out));
	if (len < RESFENCE_PR_IN_HDR_LEN)
		return -EPROTO;

	out->generation = get_be32(&buf[0]);
	add_len = get_be32(&buf[4]);
	if (add_len % 8)
		return -EPROTO;

	out->listed = add_len / 8;
	out->need_len = min_t(u64, (u64)RESFENCE_PR_IN_HDR_LEN + add_len,
			      RESFENCE_PR_IN_MAX_LEN);
	avail = (len - RESFENCE_PR_IN_HDR_LEN) / 8;
	out->count = min_t(u32, out->listed, avail);
	if (out->count > max_keys)
		out->count = max_keys;
	out->truncated = out->count < out->listed;

	for (i = 0; i < out->count; i++)
		keys[i] = get_be64(&buf[RESFENCE_PR_IN_HDR_LEN + 8 * i]);
	return 0;
}

/**
 * resfence_prin_parse_resv() - parse READ RESERVATION parameter data
 * @buf: the data
 * @len: bytes the device transferred
 * @out: the reservation, if any
 *
 * ADDITIONAL LENGTH is 0 (no reservation) or 16 (one descriptor). A larger
 * value is accepted as long as the first descriptor arrived.
 *
 * Return: 0, or -EPROTO for a short header, a length between 1 and 15, or
 * a descriptor that was announced but not transferred.
 */
int resfence_prin_parse_resv(const u8 *buf, size_t len,
			     struct resfence_pr_resv *out)
{
	u32 add_len;

	memset(out, 0, sizeof(*out));
	if (len < RESFENCE_PR_IN_HDR_LEN)
		return -EPROTO;

	out->generation = get_be32(&buf[0]);
	add_len = get_be32(&buf[4]);
	if (add_len == 0)
		return 0;
	if (add_len < 16 || len < RESFENCE_PR_IN_HDR_LEN + 16)
		return -EPROTO;

	out->reserved = true;
	out->holder_key = get_be64(&buf[8]);
	out->scope = buf[21] >> 4;
	out->type = buf[21] & 0x0f;
	return 0;
}

/**
 * resfence_keys_count() - how often @key is among @keys
 * @keys: parsed keys
 * @count: how many
 * @key: the key to count
 *
 * A multipath hold registers its key once per path (I_T nexus).
 *
 * Return: the number of entries equal to @key.
 */
u32 resfence_keys_count(const u64 *keys, u32 count, u64 key)
{
	u32 i, n = 0;

	for (i = 0; i < count; i++)
		if (keys[i] == key)
			n++;
	return n;
}

/**
 * resfence_keys_contain() - is @key among @keys
 * @keys: parsed keys
 * @count: how many
 * @key: the key to look for
 *
 * Return: true if found.
 */
bool resfence_keys_contain(const u64 *keys, u32 count, u64 key)
{
	u32 i;

	for (i = 0; i < count; i++)
		if (keys[i] == key)
			return true;
	return false;
}
