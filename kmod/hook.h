/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _RESFENCE_HOOK_H
#define _RESFENCE_HOOK_H

int resfence_hook_init(void);
void resfence_hook_exit(void);

#endif /* _RESFENCE_HOOK_H */
