// SPDX-License-Identifier: GPL-2.0
/*
 * Formatting of the fence record line (record.h). Pure: any context, no
 * allocation; the caller owns the buffer.
 */
#include <linux/kernel.h>
#include <linux/string.h>

#include "record.h"

/**
 * resfence_record_sanitize_id() - make an identity one record token
 * @id: a NUL-terminated identity, changed in place
 *
 * A T10 vendor identity carries the padding of its vendor field; every
 * space, control or non-ASCII byte becomes '_' so that the record stays
 * space separated. resfencectl applies the same rule to the disk's sysfs
 * "wwid" (the kernel formats both with scsi_vpd_lun_id()).
 */
void resfence_record_sanitize_id(char *id)
{
	for (; *id; id++)
		if (*id <= ' ' || *id >= 0x7f)
			*id = '_';
}

/**
 * resfence_record_format() - write a fence record, without its newline
 * @buf: destination
 * @len: size of @buf (RESFENCE_RECORD_LEN always suffices)
 * @r: the record
 *
 * Return: the length written (as scnprintf()).
 */
int resfence_record_format(char *buf, size_t len,
			   const struct resfence_record *r)
{
	char key[20] = "-", holder[20] = "-", gen[12] = "-";
	int n;

	if (r->pr) {
		snprintf(key, sizeof(key), "0x%llx", r->key);
		if (r->holder_known && r->reserved)
			snprintf(holder, sizeof(holder), "0x%llx", r->holder);
		else if (r->holder_known)
			strscpy(holder, "none", sizeof(holder));
		if (r->generation_known)
			snprintf(gen, sizeof(gen), "%u", r->generation);
	}
	n = scnprintf(buf, len, RESFENCE_RECORD_TAG " disk=%s devt=%u:%u id=%s",
		      r->disk, r->major, r->minor,
		      r->id && r->id[0] ? r->id : "-");
	n += scnprintf(buf + n, len - n,
		       " mode=%s key=%s holder=%s generation=%s",
		       r->pr ? "pr" : "scsi2", key, holder, gen);
	n += scnprintf(buf + n, len - n, " reason=%s action=%s time=%lld.%09ld",
		       r->reason, r->action, r->sec, r->nsec);
	return n;
}
