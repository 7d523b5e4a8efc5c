/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _RESFENCE_FENCE_H
#define _RESFENCE_FENCE_H

#include <linux/gfp.h>

#include "device.h"

void resfence_fence_init(struct resfence_dev *rd);
void resfence_fence(struct resfence_dev *rd, enum resfence_why why);
void resfence_event_defer(struct resfence_dev *rd, u8 event);
const char *resfence_why_str(enum resfence_why why);

#endif /* _RESFENCE_FENCE_H */
