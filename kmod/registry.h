/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _RESFENCE_REGISTRY_H
#define _RESFENCE_REGISTRY_H

#include <linux/types.h>

struct resfence_dev;
struct scsi_device;

int resfence_registry_claim(struct resfence_dev *rd);
void resfence_registry_unclaim(struct resfence_dev *rd);
int resfence_registry_arm(struct resfence_dev *rd);
int resfence_registry_begin_release(dev_t devt, struct resfence_dev **out);
void resfence_registry_forget(struct resfence_dev *rd);
struct resfence_dev *resfence_registry_removed(struct scsi_device *sdev);
struct resfence_dev *resfence_registry_find_lu(const char *lu_id,
					       const struct scsi_device *sdev,
					       bool *full);
int resfence_registry_add_path(struct resfence_dev *rd,
			       struct scsi_device *sdev, dev_t devt,
			       const char *name);
void resfence_registry_verify_live(struct resfence_dev *rd);
struct resfence_dev *resfence_registry_get(dev_t devt);
struct resfence_dev *resfence_registry_get_nth(unsigned long n);
struct resfence_dev *resfence_armed_lookup(const struct scsi_device *sdev);
u32 resfence_registry_count(void);
bool resfence_registry_empty(void);

#endif /* _RESFENCE_REGISTRY_H */
