/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _RESFENCE_REFRESH_H
#define _RESFENCE_REFRESH_H

#include <linux/types.h>

struct resfence_dev;
struct resfence_stats;

void resfence_refresh_init(struct resfence_dev *rd);
void resfence_refresh_start(struct resfence_dev *rd);
void resfence_refresh_stop(struct resfence_dev *rd);
void resfence_refresh_verify_now(struct resfence_dev *rd);
void resfence_refresh_stats(struct resfence_dev *rd,
			    struct resfence_stats *out);

#endif /* _RESFENCE_REFRESH_H */
