// SPDX-License-Identifier: GPL-2.0
/*
 * The held-device registry: every device the module holds or is acquiring.
 */
#include <linux/list.h>
#include <linux/mutex.h>

#include "registry.h"

/* Serialises changes to the registry; never held across SCSI I/O. */
static DEFINE_MUTEX(registry_lock);
static LIST_HEAD(registry_list);

/**
 * resfence_registry_count() - how many devices are held or being acquired
 *
 * Return: the number of registry entries.
 */
u32 resfence_registry_count(void)
{
	struct list_head *pos;
	u32 n = 0;

	mutex_lock(&registry_lock);
	list_for_each(pos, &registry_list)
		n++;
	mutex_unlock(&registry_lock);
	return n;
}
