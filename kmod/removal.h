/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _RESFENCE_REMOVAL_H
#define _RESFENCE_REMOVAL_H

int resfence_removal_init(void);
void resfence_removal_exit(void);

#endif /* _RESFENCE_REMOVAL_H */
