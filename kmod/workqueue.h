/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _RESFENCE_WORKQUEUE_H
#define _RESFENCE_WORKQUEUE_H

#include <linux/workqueue.h>

/*
 * The module's one workqueue: refreshes and deferred events. It must make
 * progress under memory pressure (WQ_MEM_RECLAIM: a rescuer thread) and
 * run ahead of ordinary work (WQ_HIGHPRI): a late refresh is a lease at
 * risk.
 */
extern struct workqueue_struct *resfence_wq;

int resfence_wq_init(void);
void resfence_wq_exit(void);

#endif /* _RESFENCE_WORKQUEUE_H */
