// SPDX-License-Identifier: GPL-2.0
/*
 * From the device number userspace names a disk by to the scsi_device the
 * module sends commands to. Only whole SCSI disks qualify.
 */
#include <linux/blkdev.h>
#include <linux/string.h>
#include <net/netlink.h>
#include <scsi/scsi.h>
#include <scsi/scsi_device.h>

#include "compat.h"
#include "lookup.h"

static bool is_disk_type(const struct scsi_device *sdev)
{
	/* The peripheral device types sd drives. */
	switch (sdev->type) {
	case TYPE_DISK:
	case TYPE_MOD:
	case TYPE_RBC:
	case TYPE_ZBC:
		return true;
	}
	return false;
}

/* Open the block device for a look, explaining a failure in @extack. */
static int open_bdev(dev_t devt, struct resfence_bdev_ref *ref,
		     const struct nlattr *attr, struct netlink_ext_ack *extack)
{
	int ret = resfence_bdev_open(devt, ref);

	if (ret == -ENXIO || ret == -ENODEV) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "no block device with this major:minor");
		return -ENODEV;
	}
	if (ret)
		NL_SET_ERR_MSG_ATTR(extack, attr, "cannot open the block device");
	return ret;
}

/**
 * resfence_lookup() - resolve a whole-disk device number to its scsi_device
 * @devt: the device number
 * @sdevp: set to the device, with a scsi_device_get() reference
 * @name: set to the disk name ("sdc")
 * @name_len: size of @name
 * @attr: the attribute to blame in @extack (RESFENCE_A_DEV_MAJOR)
 * @extack: where the reason goes
 *
 * The block device is opened read-only just long enough to reach its
 * gendisk, whose parent device is the scsi_device for SCSI disks.
 *
 * Return: 0; -ENODEV when no such block device exists or the disk is
 * going away; -ENOTBLK for a partition or anything that is not a SCSI
 * disk; or the errno of the open.
 */
int resfence_lookup(dev_t devt, struct scsi_device **sdevp, char *name,
		    size_t name_len, const struct nlattr *attr,
		    struct netlink_ext_ack *extack)
{
	struct resfence_bdev_ref ref;
	struct scsi_device *sdev;
	struct device *parent;
	struct gendisk *disk;
	int ret;

	ret = open_bdev(devt, &ref, attr, extack);
	if (ret)
		return ret;

	if (bdev_is_partition(ref.bdev)) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "a partition: name the whole disk");
		ret = -ENOTBLK;
		goto out;
	}
	disk = ref.bdev->bd_disk;
	parent = disk_to_dev(disk)->parent;
	if (!parent || !scsi_is_sdev_device(parent)) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "not a SCSI disk");
		ret = -ENOTBLK;
		goto out;
	}
	sdev = to_scsi_device(parent);
	if (!is_disk_type(sdev)) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "a SCSI device, but not a disk");
		ret = -ENOTBLK;
		goto out;
	}
	if (scsi_device_get(sdev)) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "the SCSI disk is going away");
		ret = -ENODEV;
		goto out;
	}
	strscpy(name, disk->disk_name, name_len);
	*sdevp = sdev;
out:
	resfence_bdev_close(&ref);
	return ret;
}

/**
 * resfence_lookup_map() - the name of the device a multipath hold is named by
 * @devt: the device number (the dm-multipath map)
 * @name: set to its disk name ("dm-0")
 * @name_len: size of @name
 * @attr: the attribute to blame in @extack (RESFENCE_A_DEV_MAJOR)
 * @extack: where the reason goes
 *
 * The paths are what the module sends commands to; the map is only the
 * name GET_DEVICE and RELEASE find the hold by. It must exist, be a whole
 * disk, and not be a SCSI disk itself (that would be a path).
 *
 * Return: 0; -ENODEV when no such block device exists; -ENOTBLK for a
 * partition or a SCSI disk; or the errno of the open.
 */
int resfence_lookup_map(dev_t devt, char *name, size_t name_len,
			const struct nlattr *attr,
			struct netlink_ext_ack *extack)
{
	struct resfence_bdev_ref ref;
	struct device *parent;
	int ret;

	ret = open_bdev(devt, &ref, attr, extack);
	if (ret)
		return ret;
	parent = disk_to_dev(ref.bdev->bd_disk)->parent;
	if (bdev_is_partition(ref.bdev)) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "a partition: name the whole map");
		ret = -ENOTBLK;
	} else if (parent && scsi_is_sdev_device(parent)) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "with paths, the device names the multipath map, not a SCSI disk");
		ret = -ENOTBLK;
	} else {
		strscpy(name, ref.bdev->bd_disk->disk_name, name_len);
	}
	resfence_bdev_close(&ref);
	return ret;
}
