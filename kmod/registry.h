/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _RESFENCE_REGISTRY_H
#define _RESFENCE_REGISTRY_H

#include <linux/types.h>

u32 resfence_registry_count(void);

#endif /* _RESFENCE_REGISTRY_H */
