/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _RESFENCE_PATH_ADD_H
#define _RESFENCE_PATH_ADD_H

#include <linux/types.h>

struct resfence_path;
struct scsi_device;

void resfence_path_added(struct scsi_device *sdev);
dev_t resfence_path_disk(const struct resfence_path *p, char *name,
			 size_t len);

#endif /* _RESFENCE_PATH_ADD_H */
