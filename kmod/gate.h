/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _RESFENCE_GATE_H
#define _RESFENCE_GATE_H

#include <linux/types.h>

struct resfence_dev;

bool resfence_gate_exists(void);
void resfence_gate_close(struct resfence_dev *rd);
u32 resfence_gate_resets(struct resfence_dev *rd);
void resfence_gate_open_after(struct resfence_dev *rd, u32 resets);
void resfence_gate_open(struct resfence_dev *rd);

#endif /* _RESFENCE_GATE_H */
