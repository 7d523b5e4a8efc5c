// SPDX-License-Identifier: GPL-2.0
#include <linux/workqueue.h>

#include "workqueue.h"

struct workqueue_struct *resfence_wq;

/**
 * resfence_wq_init() - allocate the module's workqueue
 *
 * Return: 0 or -ENOMEM.
 */
int resfence_wq_init(void)
{
	resfence_wq = alloc_workqueue("resfence", WQ_MEM_RECLAIM | WQ_HIGHPRI,
				      0);
	return resfence_wq ? 0 : -ENOMEM;
}

/**
 * resfence_wq_exit() - drain and free it; every work item has finished
 */
void resfence_wq_exit(void)
{
	destroy_workqueue(resfence_wq);
}
