/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every kernel-version difference the module has to know about lives here,
 * and only here: the rest of the module is written against the helpers
 * below. The module is built and tested on the Debian 6.1 kernel; the
 * branches for later kernels follow the upstream interface changes named
 * next to each test.
 */
#ifndef _RESFENCE_COMPAT_H
#define _RESFENCE_COMPAT_H

#include <linux/version.h>
#include <linux/blkdev.h>
#include <linux/device.h>
#include <linux/hrtimer.h>
#include <linux/smp.h>
#include <net/genetlink.h>
#include <scsi/scsi_device.h>

/*
 * The one version test of the module: is the kernel at least major.minor?
 * (LINUX_VERSION_MAJOR/PATCHLEVEL, linux/version.h since 5.16, say the
 * same as comparing LINUX_VERSION_CODE with KERNEL_VERSION().)
 */
#define RESFENCE_KERNEL_AT_LEAST(major, minor) \
	(LINUX_VERSION_MAJOR * 256 + LINUX_VERSION_PATCHLEVEL >= \
	 (major) * 256 + (minor))

#if RESFENCE_KERNEL_AT_LEAST(6, 9)
#include <linux/file.h>
#endif

/*
 * Binding to the "events" group needs CAP_NET_ADMIN where the core can say
 * so (mainline 6.7, backported to the 6.1 stable series Debian ships).
 * Events name devices and keys: prefer the flag whenever it exists.
 */
#ifdef GENL_MCAST_CAP_NET_ADMIN
#define RESFENCE_MCGRP_FLAGS	GENL_MCAST_CAP_NET_ADMIN
#else
#define RESFENCE_MCGRP_FLAGS	0
#endif

/**
 * resfence_compat_execute() - run one SCSI command and wait for it
 * @sdev: the device
 * @cdb: the command; its length follows from the opcode group
 * @dir: DMA_TO_DEVICE, DMA_FROM_DEVICE or DMA_NONE
 * @buf: data buffer (kmalloc memory) or NULL
 * @len: data length
 * @timeout: in jiffies
 * @sshdr: decoded sense, when there is any
 * @resid: residual byte count
 * @pass_gate: send it as a power-management request, which passes the
 *	module's own I/O gate (gate.c)
 *
 * No retries in the mid-layer: the caller retries unit attentions itself,
 * because it needs to see them. 6.4 replaced scsi_execute() with
 * scsi_execute_cmd() and struct scsi_exec_args.
 *
 * Return: the SCSI result (status byte | host byte << 16), or a negative
 * errno when the command was never issued.
 */
static inline int resfence_compat_execute(struct scsi_device *sdev,
					  const unsigned char *cdb, int dir,
					  void *buf, unsigned int len,
					  int timeout,
					  struct scsi_sense_hdr *sshdr,
					  int *resid, bool pass_gate)
{
#if RESFENCE_KERNEL_AT_LEAST(6, 4)
	const struct scsi_exec_args args = {
		.sshdr = sshdr,
		.resid = resid,
		.req_flags = pass_gate ? BLK_MQ_REQ_PM : 0,
	};

	return scsi_execute_cmd(sdev, cdb,
				dir == DMA_TO_DEVICE ? REQ_OP_DRV_OUT :
						       REQ_OP_DRV_IN,
				buf, len, timeout, 0, &args);
#else
	return scsi_execute(sdev, cdb, dir, buf, len, NULL, sshdr, timeout,
			    0, 0, pass_gate ? RQF_PM : 0, resid);
#endif
}

/*
 * The I/O gate (gate.c) is the block layer's pm-only counter. It holds new
 * requests back only when the queue has a runtime-PM device, which needs
 * CONFIG_PM: without it blk_queue_enter() would retry in a loop instead of
 * waiting. Debian's kernels have CONFIG_PM; elsewhere the module does
 * without the gate and says so when it holds (hold.c).
 */
#define RESFENCE_HAVE_IO_GATE	IS_ENABLED(CONFIG_PM)

static inline void resfence_compat_gate_close(struct request_queue *q)
{
	blk_set_pm_only(q);
	/* Seen by every later blk_queue_enter() on any CPU. */
	smp_mb__after_atomic();
}

static inline void resfence_compat_gate_open(struct request_queue *q)
{
	blk_clear_pm_only(q);
}

/*
 * emergency_restart() resets the machine without stopping the other CPUs,
 * which can go on issuing commands to the disk until the reset. panic()
 * stops them first with smp_send_stop(); on x86 that is an inline call
 * through the exported smp_ops (a REBOOT_VECTOR IPI, an NMI for a CPU that
 * does not answer within a second), safe in any context. Elsewhere the
 * other CPUs run until the reset.
 */
static inline void resfence_compat_stop_other_cpus(void)
{
#ifdef CONFIG_X86
	smp_send_stop();
#endif
}

/**
 * struct resfence_bdev_ref - an open reference to a block device
 * @bdev: the block device while open
 * @handle: 6.7 and 6.8 open through a struct bdev_handle
 * @file: 6.9 and later open through a struct file
 */
struct resfence_bdev_ref {
	struct block_device *bdev;
#if RESFENCE_KERNEL_AT_LEAST(6, 9)
	struct file *file;
#elif RESFENCE_KERNEL_AT_LEAST(6, 7)
	struct bdev_handle *handle;
#endif
};

/**
 * resfence_bdev_open() - open a block device by number, read only
 * @devt: the device number
 * @ref: filled in on success
 *
 * Opening is the exported way to go from a dev_t to its gendisk; the
 * module only looks at the disk and closes it again.
 *
 * Return: 0 or the negative errno of the open.
 */
static inline int resfence_bdev_open(dev_t devt, struct resfence_bdev_ref *ref)
{
#if RESFENCE_KERNEL_AT_LEAST(6, 9)
	ref->file = bdev_file_open_by_dev(devt, BLK_OPEN_READ, NULL, NULL);
	if (IS_ERR(ref->file))
		return PTR_ERR(ref->file);
	ref->bdev = file_bdev(ref->file);
#elif RESFENCE_KERNEL_AT_LEAST(6, 7)
	ref->handle = bdev_open_by_dev(devt, BLK_OPEN_READ, NULL, NULL);
	if (IS_ERR(ref->handle))
		return PTR_ERR(ref->handle);
	ref->bdev = ref->handle->bdev;
#elif RESFENCE_KERNEL_AT_LEAST(6, 5)
	ref->bdev = blkdev_get_by_dev(devt, BLK_OPEN_READ, NULL, NULL);
	if (IS_ERR(ref->bdev))
		return PTR_ERR(ref->bdev);
#else
	ref->bdev = blkdev_get_by_dev(devt, FMODE_READ, NULL);
	if (IS_ERR(ref->bdev))
		return PTR_ERR(ref->bdev);
#endif
	return 0;
}

/**
 * resfence_bdev_close() - close what resfence_bdev_open() opened
 * @ref: the reference
 */
static inline void resfence_bdev_close(struct resfence_bdev_ref *ref)
{
#if RESFENCE_KERNEL_AT_LEAST(6, 9)
	fput(ref->file);
#elif RESFENCE_KERNEL_AT_LEAST(6, 7)
	bdev_release(ref->handle);
#elif RESFENCE_KERNEL_AT_LEAST(6, 5)
	blkdev_put(ref->bdev, NULL);
#else
	blkdev_put(ref->bdev, FMODE_READ);
#endif
	ref->bdev = NULL;
}

/*
 * 6.4 dropped the struct class_interface argument of add_dev/remove_dev.
 * Callbacks are declared as RESFENCE_CLASS_INTF_CB(name) and receive dev.
 */
#if RESFENCE_KERNEL_AT_LEAST(6, 4)
#define RESFENCE_CLASS_INTF_ARGS	struct device *dev
#else
#define RESFENCE_CLASS_INTF_ARGS	struct device *dev, \
					struct class_interface *intf
#endif

/**
 * resfence_hrtimer_setup() - initialise an hrtimer with its callback
 * @timer: the timer
 * @fn: the callback
 * @mode: HRTIMER_MODE_*
 *
 * 6.13 added hrtimer_setup(); 6.15 removed hrtimer_init().
 */
static inline void
resfence_hrtimer_setup(struct hrtimer *timer,
		       enum hrtimer_restart (*fn)(struct hrtimer *),
		       enum hrtimer_mode mode)
{
#if RESFENCE_KERNEL_AT_LEAST(6, 13)
	hrtimer_setup(timer, fn, CLOCK_MONOTONIC, mode);
#else
	hrtimer_init(timer, CLOCK_MONOTONIC, mode);
	timer->function = fn;
#endif
}

#endif /* _RESFENCE_COMPAT_H */
