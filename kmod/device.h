/* SPDX-License-Identifier: GPL-2.0 */
/*
 * struct resfence_dev: one held (or being acquired) SCSI disk.
 *
 * Lifetime: a kref. The registry's list holds one reference; lookups take
 * their own. The last put drops the scsi_device reference and the module
 * reference every entry holds, which is what makes rmmod refuse while
 * anything is held.
 *
 * Locking:
 * - registry_lock (registry.c, a mutex) orders @life, @removed, list and
 *   armed-hash membership. Never held across SCSI I/O or while waiting for
 *   the refresh.
 * - @lock (a spinlock, process context only) guards @stopping, the refresh
 *   schedule, arming of both hrtimers and @stats.
 * - @armed is written under registry_lock and read locklessly by the
 *   fence path: armed means "a conflict now fences".
 * - The tracepoint probe finds armed entries through an RCU hash; entries
 *   are unhashed and a grace period passes before their works stop and
 *   long before they are freed.
 */
#ifndef _RESFENCE_DEVICE_H
#define _RESFENCE_DEVICE_H

#include <linux/atomic.h>
#include <linux/blkdev.h>
#include <linux/hrtimer.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include <linux/resfence.h>

#include "cdb.h"
#include "record.h"
#include "reserve.h"

/* Keys the refresh can parse without allocating (fits RESFENCE_IOBUF_LEN). */
#define RESFENCE_REFRESH_KEYS	((RESFENCE_IOBUF_LEN - RESFENCE_PR_IN_HDR_LEN) / 8)

/**
 * enum resfence_life - where an entry is in its life
 * @RESFENCE_LIFE_ACQUIRING: HOLD/PREEMPT is issuing commands; not armed
 * @RESFENCE_LIFE_LIVE: held and armed (or fenced in log mode)
 * @RESFENCE_LIFE_TEARDOWN: release or removal is taking it down
 */
enum resfence_life {
	RESFENCE_LIFE_ACQUIRING,
	RESFENCE_LIFE_LIVE,
	RESFENCE_LIFE_TEARDOWN,
};

/**
 * enum resfence_why - why a device is being fenced
 * @RESFENCE_WHY_CONFLICT: a command completed with RESERVATION CONFLICT
 * @RESFENCE_WHY_KEY_GONE: the refresh found our key unregistered
 * @RESFENCE_WHY_FOREIGN: the refresh found another key holding
 * @RESFENCE_WHY_LEASE: no refresh succeeded within the lease
 * @RESFENCE_WHY_EPOCH: (scsi2) the takeover epoch on the disk moved: another
 *	node acquired the disk since we did
 * @RESFENCE_WHY_VERIFY_TIMEOUT: a conflict on a reservation-management
 *	command was not answered by a good verification in time (verify.c)
 * @__RESFENCE_WHY_MAX: count
 */
enum resfence_why {
	RESFENCE_WHY_CONFLICT,
	RESFENCE_WHY_KEY_GONE,
	RESFENCE_WHY_FOREIGN,
	RESFENCE_WHY_LEASE,
	RESFENCE_WHY_EPOCH,
	RESFENCE_WHY_VERIFY_TIMEOUT,
	__RESFENCE_WHY_MAX,
};

/**
 * struct resfence_stats - refresh counters, under resfence_dev.lock
 * @refresh_ok: refreshes that succeeded
 * @refresh_failed: refreshes that did not
 * @last_latency_ns: duration of the last refresh
 * @worst_latency_ns: longest refresh
 * @worst_lateness_ns: latest start of a scheduled refresh past its deadline
 * @last_ok: start of the last successful refresh (or of the acquire)
 */
struct resfence_stats {
	u64 refresh_ok;
	u64 refresh_failed;
	u64 last_latency_ns;
	u64 worst_latency_ns;
	u64 worst_lateness_ns;
	ktime_t last_ok;
};

/**
 * struct resfence_path - one path of a multipath hold
 * @armed_node: in the armed path hash (RCU) while armed (every path, the
 *	first included; a multipath entry's own @armed_node stays unhashed)
 * @rd: the hold it belongs to
 * @sdev: the path's SCSI device, referenced with scsi_device_get()
 * @devt: its whole-disk device number
 * @disk_name: "sdc"
 * @state: enum resfence_path_state, read locklessly by GET_DEVICE
 */
struct resfence_path {
	struct hlist_node armed_node;
	struct resfence_dev *rd;
	struct scsi_device *sdev;
	dev_t devt;
	char disk_name[DISK_NAME_LEN];
	u8 state;
};

/**
 * struct resfence_dev - a held device
 * @node: in the registry list
 * @armed_node: in the armed hash (RCU) while armed
 * @kref: lifetime
 * @sdev: the SCSI device, referenced with scsi_device_get()
 * @devt: the whole-disk device number userspace named it by
 * @disk_name: "sdc"
 * @mode: enum resfence_mode
 * @pr_type: enum resfence_pr_type (pr mode)
 * @aptpl: (pr) every REGISTER sets APTPL: the target keeps our
 *	registration through its own restart
 * @action: enum resfence_action
 * @cdb_len: scsi2: 6 or 10 once acquired (0 = auto before that)
 * @key: our reservation key (pr mode)
 * @interval_ms: refresh interval
 * @lease_ms: lease, 0 for none
 * @life: enum resfence_life, under registry_lock
 * @removed: the disk was hot-removed, under registry_lock
 * @armed: a conflict fences; see the locking notes above
 * @fenced: bit per enum resfence_why that was applied
 * @conflicts: RESERVATION CONFLICT completions seen while armed
 * @lock: guards the fields below
 * @stopping: no timer may be armed any more
 * @deadline: when the next scheduled refresh is due
 * @lease_deadline: when the lease runs out (KTIME_MAX: no lease)
 * @stats: counters
 * @refresh_timer: fires at @deadline and queues @refresh_work
 * @lease_timer: fires at @lease_deadline
 * @refresh_work: runs the refresh, also queued at once for a verify
 * @event_work: sends the events raised in atomic context
 * @pending_events: bit per enum resfence_event waiting for @event_work
 * @reset_ua: bit 0: (scsi2) a command other than the refresh's met the unit
 *	attention of a reset, which released our reservation; the next
 *	refresh re-reserves and says so
 * @nexus_resets: (pr, single disk) resets' unit attentions the probe saw,
 *	wrapping. Each may announce a new I_T nexus (an iSCSI session logged
 *	in again) that has no registration of ours although our key, through
 *	the old nexus, still holds the reservation: until a refresh that began
 *	after it has succeeded, a conflict is verified, not fenced at once
 *	(refresh.c, reregister_nexus())
 * @nexus_resets_done: @nexus_resets when the last good refresh began;
 *	written by the refresh work only
 * @gate_lock: irq-safe, guards the three below (the probe takes it)
 * @gate_closed: the I/O gate is closed (gate.c): by the probe at a reset's
 *	unit attention; opened by the refresh or the teardown
 * @gate_resets: resets the probe reported, wrapping
 * @gate_closed_at: when it was last closed
 * @has_epoch: (scsi2) a takeover epoch block is configured: the refresh
 *	reads it before every RESERVE (epoch.h)
 * @epoch_lba: its logical block address
 * @epoch: the epoch this node's acquire wrote
 * @epoch_buf: one logical block for the epoch's I/O
 * @iobuf: RESFENCE_IOBUF_LEN bytes for the refresh's commands
 * @keys: parsed keys for the refresh
 * @verify_conflicts: conflicts on reservation-management commands seen
 *	while armed, each verified before fencing (verify.c)
 * @verify_lock: irq-safe, guards the fields below (the probe takes it)
 * @verify_pending: a conflict waits for a good verification
 * @verify_seq: conflicts seen, wrapping
 * @verify_guard: @verify_seq when the deadline was armed
 * @verify_opcode: opcode of the last such conflict
 * @verify_deadline: when the pending verification runs out
 * @verify_timer: fires at @verify_deadline and fences if still pending
 * @lu_id: the LU's VPD page 83 identity read at hold time ("" if none),
 *	for the fence record
 * @seen_known: (pr) a READ RESERVATION was parsed; the three below are
 *	written by the refresh work and read locklessly by the fence path
 * @seen_reserved: it showed a reservation
 * @seen_holder: the holder's key it showed
 * @seen_generation: its PRGENERATION
 * @npaths: a multipath hold's paths (0: a single-disk hold). @devt and
 *	@disk_name then name the map (dm-N), @sdev is @paths[0]'s device
 *	(with a reference of its own; commands go through
 *	resfence_dev_cmd_sdev(), as path 0 may be removed) and every path is
 *	armed. It only grows while the hold is live, under registry_lock,
 *	when a new path of the LU appears (path_add.c): the new @paths entry
 *	is written first, then @npaths with smp_store_release(); lockless
 *	readers take it once with smp_load_acquire()
 * @cur_path: the path the refresh goes through (refresh work only)
 * @lost_paths: bit per path a RESERVATION CONFLICT was seen on (set by the
 *	probe, any context); the refresh registers the key there again if
 *	the verification finds it still ours (refresh.c)
 * @paths: the paths: those of the hold, then those added; an entry, once
 *	published, never changes but for its @state (a removed path keeps
 *	its slot)
 */
struct resfence_dev {
	struct list_head node;
	struct hlist_node armed_node;
	struct kref kref;

	struct scsi_device *sdev;
	dev_t devt;
	char disk_name[DISK_NAME_LEN];

	u8 mode;
	u8 pr_type;
	u8 action;
	u8 cdb_len;
	bool aptpl;
	u64 key;
	u32 interval_ms;
	u32 lease_ms;

	enum resfence_life life;
	bool removed;
	bool armed;
	unsigned long fenced;
	atomic64_t conflicts;

	spinlock_t lock;	/* see the locking notes at the top */
	bool stopping;
	ktime_t deadline;
	ktime_t lease_deadline;
	struct resfence_stats stats;

	struct hrtimer refresh_timer;
	struct hrtimer lease_timer;
	struct work_struct refresh_work;
	struct work_struct event_work;
	unsigned long pending_events;
	unsigned long reset_ua;
	atomic_t nexus_resets;
	u32 nexus_resets_done;
	spinlock_t gate_lock;	/* see gate.c */
	bool gate_closed;
	u32 gate_resets;
	ktime_t gate_closed_at;

	bool has_epoch;
	u32 epoch_lba;
	u64 epoch;
	u8 *epoch_buf;

	u8 *iobuf;
	u64 keys[RESFENCE_REFRESH_KEYS];

	atomic64_t verify_conflicts;
	spinlock_t verify_lock;	/* see verify.c */
	bool verify_pending;
	u32 verify_seq;
	u32 verify_guard;
	u8 verify_opcode;
	ktime_t verify_deadline;
	struct hrtimer verify_timer;
	char lu_id[RESFENCE_ID_LEN];
	bool seen_known;
	bool seen_reserved;
	u64 seen_holder;
	u32 seen_generation;

	u8 npaths;
	u8 cur_path;
	unsigned long lost_paths;
	struct resfence_path paths[RESFENCE_PATHS_MAX];
};

/* A reset was reported since the last good refresh began (@nexus_resets). */
static inline bool resfence_nexus_suspect(const struct resfence_dev *rd)
{
	return (u32)atomic_read(&rd->nexus_resets) !=
	       READ_ONCE(rd->nexus_resets_done);
}

struct resfence_dev *resfence_dev_alloc(struct scsi_device *sdev, dev_t devt,
					const char *disk_name);
void resfence_dev_put(struct resfence_dev *rd);
u8 resfence_dev_state(const struct resfence_dev *rd);
struct scsi_device *resfence_dev_cmd_sdev(struct resfence_dev *rd);

#endif /* _RESFENCE_DEVICE_H */
