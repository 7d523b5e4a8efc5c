/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * resfence: I/O fencing for shared SCSI disks.
 *
 * The generic netlink ABI between scsi_resfence.ko and resfencectl. This file
 * is the one definition of the family: the module and the tool both include it.
 *
 * Family RESFENCE_GENL_NAME, version RESFENCE_GENL_VERSION, one multicast
 * group RESFENCE_MCGRP_EVENTS. Every operation needs CAP_NET_ADMIN in the
 * initial network namespace.
 *
 * Attribute tree (all attributes are top level; a device is named by the pair
 * DEV_MAJOR/DEV_MINOR, and each device in a dump is one message):
 *
 *   RESFENCE_CMD_GET_INFO   request: -
 *                           reply:   VERSION, HELD_COUNT, INTERVAL_MS,
 *                                    LEASE_MS, [LEASE_AUTO], ACTION, MODE
 *                                    (the defaults; LEASE_AUTO present when
 *                                    a hold's default lease is 2 x its own
 *                                    interval, LEASE_MS then being the lease
 *                                    at the default interval)
 *   RESFENCE_CMD_SET_DEFAULTS request: [INTERVAL_MS] [LEASE_MS | LEASE_AUTO]
 *                                    [ACTION] [MODE]
 *   RESFENCE_CMD_HOLD       request: DEV_MAJOR, DEV_MINOR, [MODE] [KEY]
 *                                    [PR_TYPE] [INTERVAL_MS] [LEASE_MS]
 *                                    [ACTION] [CDB_LEN] [EPOCH_LBA]
 *                                    (EPOCH_LBA, scsi2 only: the logical
 *                                    block of the takeover epoch, at most
 *                                    RESFENCE_EPOCH_LBA_MAX)
 *                           reply:   a device message (see GET_DEVICE)
 *                           With PATHS { PATHS_PATH { PATH_DEV_MAJOR,
 *                                    PATH_DEV_MINOR } ... } (2 to
 *                                    RESFENCE_PATHS_MAX paths, pr mode, a
 *                                    type other than WE and EA): a
 *                                    multipath hold of one LU through each
 *                                    path; DEV_MAJOR/DEV_MINOR then name the
 *                                    map (dm-N), by which GET_DEVICE and
 *                                    RELEASE find the hold
 *   RESFENCE_CMD_PREEMPT    request: as HOLD, plus [VICTIM_KEY] [ABORT]
 *   RESFENCE_CMD_RELEASE    request: DEV_MAJOR, DEV_MINOR
 *   RESFENCE_CMD_GET_DEVICE request: DEV_MAJOR, DEV_MINOR (doit) or none (dump)
 *                           reply:   DEV_MAJOR, DEV_MINOR, DISK_NAME, MODE,
 *                                    STATE, KEY, PR_TYPE, INTERVAL_MS,
 *                                    LEASE_MS, ACTION, CDB_LEN,
 *                                    [EPOCH_LBA, EPOCH], STATS { STAT_* },
 *                                    [PATHS { PATHS_PATH { PATH_DEV_MAJOR,
 *                                    PATH_DEV_MINOR, PATH_DISK_NAME,
 *                                    PATH_STATE } ... }] (multipath)
 *   RESFENCE_CMD_READ_KEYS  request: DEV_MAJOR, DEV_MINOR (any SCSI disk)
 *                           reply:   DEV_MAJOR, DEV_MINOR, PR_GENERATION,
 *                                    KEYS { KEYS_KEY (u64) ... }
 *   RESFENCE_CMD_READ_RESERVATION
 *                           request: DEV_MAJOR, DEV_MINOR (any SCSI disk)
 *                           reply:   DEV_MAJOR, DEV_MINOR, PR_GENERATION,
 *                                    [HOLDER_KEY, PR_TYPE] (absent: none)
 *   RESFENCE_CMD_EVENT      multicast on "events" only:
 *                                    EVENT, DEV_MAJOR, DEV_MINOR, DISK_NAME,
 *                                    [KEY] [ERRNO] [REASON]
 *   RESFENCE_CMD_EVICT      request: DEV_MAJOR, DEV_MINOR, VICTIM_KEY,
 *                                    [ABORT]
 *                           reply:   a device message (see GET_DEVICE)
 *                           (the disk must be held by this node in pr mode:
 *                           PREEMPT [AND ABORT] of VICTIM_KEY with the
 *                           hold's own key and type; the hold is unchanged.
 *                           How a node that holds the disk fences another.)
 */
#ifndef _UAPI_LINUX_RESFENCE_H
#define _UAPI_LINUX_RESFENCE_H

#define RESFENCE_GENL_NAME	"resfence"
#define RESFENCE_GENL_VERSION	1
#define RESFENCE_MCGRP_EVENTS	"events"

/* Limits the module enforces, exported so the tool can check early. */
#define RESFENCE_INTERVAL_MIN_MS	100
#define RESFENCE_INTERVAL_MAX_MS	3600000
#define RESFENCE_INTERVAL_DEFAULT_MS	2000
/* The epoch block is read and written with READ(10)/WRITE(10). */
#define RESFENCE_EPOCH_LBA_MAX		0xffffffffULL
/*
 * A lease is 0 (none) or longer than the hold's interval, and at most twice
 * the longest interval: the automatic lease (2 x interval) always fits.
 */
#define RESFENCE_LEASE_MAX_MS		(2 * RESFENCE_INTERVAL_MAX_MS)
/* The widest numbers a dev_t carries (12 bits of major, 20 of minor). */
#define RESFENCE_DEV_MAJOR_MAX		4095
#define RESFENCE_DEV_MINOR_MAX		1048575
/*
 * Every bound above is in the operation's netlink policy: a value outside
 * it is refused by the netlink core before the module's handler runs, with
 * -ERANGE, the extack message "integer out of range", the attribute blamed
 * (NLMSGERR_ATTR_OFFS) and the bound in NLMSGERR_ATTR_POLICY
 * (NL_POLICY_TYPE_ATTR_MIN_VALUE_U, NL_POLICY_TYPE_ATTR_MAX_VALUE_U).
 */

enum resfence_cmd {
	RESFENCE_CMD_UNSPEC,
	RESFENCE_CMD_GET_INFO,
	RESFENCE_CMD_SET_DEFAULTS,
	RESFENCE_CMD_HOLD,
	RESFENCE_CMD_PREEMPT,
	RESFENCE_CMD_RELEASE,
	RESFENCE_CMD_GET_DEVICE,
	RESFENCE_CMD_READ_KEYS,
	RESFENCE_CMD_READ_RESERVATION,
	RESFENCE_CMD_EVENT,
	RESFENCE_CMD_EVICT,

	__RESFENCE_CMD_MAX,
};

#define RESFENCE_CMD_MAX (__RESFENCE_CMD_MAX - 1)

enum resfence_attr {
	RESFENCE_A_UNSPEC,
	RESFENCE_A_PAD,
	RESFENCE_A_VERSION,		/* string: module version */
	RESFENCE_A_HELD_COUNT,		/* u32: devices held */
	RESFENCE_A_DEV_MAJOR,		/* u32 */
	RESFENCE_A_DEV_MINOR,		/* u32 */
	RESFENCE_A_DISK_NAME,		/* string: "sdc" */
	RESFENCE_A_MODE,		/* u8: enum resfence_mode */
	RESFENCE_A_STATE,		/* u8: enum resfence_state */
	RESFENCE_A_KEY,			/* u64: our reservation key (pr) */
	RESFENCE_A_VICTIM_KEY,		/* u64: key to preempt (pr) */
	RESFENCE_A_PR_TYPE,		/* u8: enum resfence_pr_type */
	RESFENCE_A_INTERVAL_MS,		/* u32: refresh period */
	RESFENCE_A_LEASE_MS,		/* u32: 0 disables the lease */
	RESFENCE_A_ACTION,		/* u8: enum resfence_action */
	RESFENCE_A_CDB_LEN,		/* u8: 0 (auto), 6 or 10 (scsi2) */
	RESFENCE_A_ABORT,		/* flag: PREEMPT AND ABORT */
	RESFENCE_A_STATS,		/* nest: enum resfence_stat */
	RESFENCE_A_PR_GENERATION,	/* u32 */
	RESFENCE_A_KEYS,		/* nest: RESFENCE_A_KEYS_KEY... */
	RESFENCE_A_HOLDER_KEY,		/* u64: key of the reservation holder */
	RESFENCE_A_EVENT,		/* u8: enum resfence_event */
	RESFENCE_A_ERRNO,		/* s32: negative errno of a failure */
	RESFENCE_A_REASON,		/* string: human readable */
	RESFENCE_A_LEASE_AUTO,		/* flag: default lease is 2 x interval */
	RESFENCE_A_EPOCH_LBA,		/* u64: scsi2 takeover epoch block */
	RESFENCE_A_EPOCH,		/* u64: the epoch this hold wrote */
	RESFENCE_A_PATHS,		/* nest: RESFENCE_A_PATHS_PATH... (the
					 * paths of a multipath map, HOLD and
					 * PREEMPT; GET_DEVICE lists them)
					 */
	RESFENCE_A_APTPL,		/* flag: pr registrations with APTPL */

	__RESFENCE_A_MAX,
};

#define RESFENCE_A_MAX (__RESFENCE_A_MAX - 1)

enum resfence_keys_attr {
	RESFENCE_A_KEYS_UNSPEC,
	RESFENCE_A_KEYS_KEY,		/* u64, repeated */

	__RESFENCE_A_KEYS_MAX,
};

#define RESFENCE_A_KEYS_MAX (__RESFENCE_A_KEYS_MAX - 1)

/* Inside RESFENCE_A_PATHS: one nest per path. */
enum resfence_paths_attr {
	RESFENCE_A_PATHS_UNSPEC,
	RESFENCE_A_PATHS_PATH,		/* nest: enum resfence_path_attr */

	__RESFENCE_A_PATHS_MAX,
};

#define RESFENCE_A_PATHS_MAX (__RESFENCE_A_PATHS_MAX - 1)

/* Inside RESFENCE_A_PATHS_PATH. */
enum resfence_path_attr {
	RESFENCE_A_PATH_UNSPEC,
	RESFENCE_A_PATH_DEV_MAJOR,	/* u32: the path's whole SCSI disk */
	RESFENCE_A_PATH_DEV_MINOR,	/* u32 */
	RESFENCE_A_PATH_DISK_NAME,	/* string: "sdc" (GET_DEVICE) */
	RESFENCE_A_PATH_STATE,		/* u8: enum resfence_path_state */

	__RESFENCE_A_PATH_MAX,
};

#define RESFENCE_A_PATH_MAX (__RESFENCE_A_PATH_MAX - 1)

/* At most this many paths in one HOLD. */
#define RESFENCE_PATHS_MAX		8

enum resfence_path_state {
	RESFENCE_PATH_STATE_UNSPEC,
	RESFENCE_PATH_STATE_ARMED,	/* registered, a conflict on it counts */
	RESFENCE_PATH_STATE_FAILED,	/* the refresh's last command on it
					 * failed (not a conflict)
					 */
	RESFENCE_PATH_STATE_REMOVED,	/* the path's disk went away: disarmed */
	__RESFENCE_PATH_STATE_MAX,
};

enum resfence_stat {
	RESFENCE_STAT_UNSPEC,
	RESFENCE_STAT_PAD,
	RESFENCE_STAT_REFRESH_OK,	/* u64 */
	RESFENCE_STAT_REFRESH_FAILED,	/* u64 */
	RESFENCE_STAT_CONFLICTS,	/* u64: conflicts seen while armed */
	RESFENCE_STAT_LAST_LATENCY_US,	/* u64: last refresh round trip */
	RESFENCE_STAT_WORST_LATENCY_US,	/* u64 */
	RESFENCE_STAT_WORST_LATENESS_US,/* u64: refresh start past deadline */
	RESFENCE_STAT_LAST_OK_AGE_MS,	/* u64: since the last good refresh */
	RESFENCE_STAT_VERIFY_CONFLICTS,	/* u64: conflicts on reservation
					 * commands, verified before fencing
					 */

	__RESFENCE_STAT_MAX,
};

#define RESFENCE_STAT_MAX (__RESFENCE_STAT_MAX - 1)

enum resfence_mode {
	RESFENCE_MODE_UNSPEC,
	RESFENCE_MODE_SCSI2,		/* RESERVE/RELEASE (6 or 10) */
	RESFENCE_MODE_PR,		/* SPC-3 persistent reservations */
	__RESFENCE_MODE_MAX,
};

/* The values are the SPC-3 TYPE codes of PERSISTENT RESERVE OUT. */
enum resfence_pr_type {
	RESFENCE_PR_WRITE_EXCLUSIVE		= 1,
	RESFENCE_PR_EXCLUSIVE_ACCESS		= 3,
	RESFENCE_PR_WRITE_EXCLUSIVE_REG_ONLY	= 5,
	RESFENCE_PR_EXCLUSIVE_ACCESS_REG_ONLY	= 6,
	RESFENCE_PR_WRITE_EXCLUSIVE_ALL_REGS	= 7,
	RESFENCE_PR_EXCLUSIVE_ACCESS_ALL_REGS	= 8,
};

enum resfence_action {
	RESFENCE_ACTION_UNSPEC,
	RESFENCE_ACTION_RESTART,	/* emergency_restart() */
	RESFENCE_ACTION_PANIC,		/* panic(), for kdump sites */
	RESFENCE_ACTION_LOG,		/* dry run: log, count, event */
	__RESFENCE_ACTION_MAX,
};

enum resfence_state {
	RESFENCE_STATE_UNSPEC,
	RESFENCE_STATE_ARMED,		/* reservation held, conflict fences */
	RESFENCE_STATE_FENCED,		/* conflict seen (log mode keeps it) */
	RESFENCE_STATE_REMOVED,		/* the disk went away while held */
	__RESFENCE_STATE_MAX,
};

enum resfence_event {
	RESFENCE_EVENT_UNSPEC,
	RESFENCE_EVENT_HELD,
	RESFENCE_EVENT_RELEASED,
	RESFENCE_EVENT_REFRESH_FAILED,
	RESFENCE_EVENT_LEASE_EXPIRED,
	RESFENCE_EVENT_PREEMPTED,	/* conflict seen in log mode */
	RESFENCE_EVENT_DEVICE_REMOVED,
	RESFENCE_EVENT_CONFLICT_VERIFY,	/* a reservation command conflicted:
					 * verifying (REASON names it)
					 */
	RESFENCE_EVENT_PATH_REREGISTERED, /* multipath: a path had lost its
					   * registration while the key stayed
					   * registered through the others; it
					   * is registered again (REASON names
					   * the path)
					   */
	RESFENCE_EVENT_PATH_REMOVED,	/* multipath: a path's disk went away;
					 * the hold goes on through the others
					 * (REASON names the path)
					 */
	RESFENCE_EVENT_PATH_ADDED,	/* multipath: a new path of the held LU
					 * appeared: ERRNO 0, our key is
					 * registered through it and it is
					 * armed; else not (REASON says why)
					 */
	__RESFENCE_EVENT_MAX,
};

#endif /* _UAPI_LINUX_RESFENCE_H */
