/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Parsing of PERSISTENT RESERVE IN data. Pure functions over the bytes the
 * device actually returned; no kernel glue.
 */
#ifndef _RESFENCE_PRIN_H
#define _RESFENCE_PRIN_H

#include <linux/types.h>

/**
 * struct resfence_pr_keys - a parsed READ KEYS answer
 * @generation: PRGENERATION
 * @count: keys stored in the caller's array
 * @listed: keys the device says it has (ADDITIONAL LENGTH / 8)
 * @need_len: allocation length that would return every key (capped at
 *	the 16-bit maximum)
 * @truncated: the device has more keys than were returned or stored
 */
struct resfence_pr_keys {
	u32 generation;
	u32 count;
	u32 listed;
	u32 need_len;
	bool truncated;
};

/**
 * struct resfence_pr_resv - a parsed READ RESERVATION answer
 * @generation: PRGENERATION
 * @reserved: a persistent reservation exists
 * @holder_key: RESERVATION KEY of the holder (0 for all-registrants types)
 * @type: TYPE (enum resfence_pr_type)
 * @scope: SCOPE (0: logical unit)
 */
struct resfence_pr_resv {
	u32 generation;
	bool reserved;
	u64 holder_key;
	u8 type;
	u8 scope;
};

int resfence_prin_parse_keys(const u8 *buf, size_t len,
			     struct resfence_pr_keys *out,
			     u64 *keys, size_t max_keys);
int resfence_prin_parse_resv(const u8 *buf, size_t len,
			     struct resfence_pr_resv *out);
u32 resfence_keys_count(const u64 *keys, u32 count, u64 key);
bool resfence_keys_contain(const u64 *keys, u32 count, u64 key);

#endif /* _RESFENCE_PRIN_H */
