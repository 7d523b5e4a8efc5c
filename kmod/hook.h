/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _RESFENCE_HOOK_H
#define _RESFENCE_HOOK_H

int resfence_hook_init(void);
void resfence_hook_exit(void);
int resfence_hook_get(void);
void resfence_hook_put(void);

#endif /* _RESFENCE_HOOK_H */
