# Shared settings of the host side of the VM lab. Sourced (POSIX sh), never run.
# The caller sets VM_DIR to the directory holding this file before sourcing.

ROOT=$(cd "$VM_DIR/../.." && pwd)
# Outside the checkout so that a fresh clone or `make clean` keeps it; the key
# of every entry is a version or a content hash, so stale entries are never used.
CACHE=${RESFENCE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/resfence}
BUILD_DIR=${RESFENCE_BUILD:-$ROOT/build}
LOG_DIR=${RESFENCE_LOG_DIR:-$BUILD_DIR/test-logs}
KMOD_KO=${RESFENCE_KO:-$ROOT/kmod/scsi_resfence.ko}
TOOL_BIN=${RESFENCE_TOOL:-$BUILD_DIR/userspace/resfencectl}

# publish_logs DIR PREFIX: move DIR/PREFIX*.log into LOG_DIR, replacing
# that scenario's logs of an earlier run. Runs write their logs privately and
# publish them at the end: two runs of one scenario at once (two engineers in
# one tree) must not judge each other's console.
publish_logs() {
	mkdir -p "$LOG_DIR"
	rm -f "$LOG_DIR/$2".*.log
	for _f in "$1/$2".*.log; do
		[ -e "$_f" ] || continue
		# Copy, then rename within LOG_DIR: readers never see half a file.
		cp "$_f" "$LOG_DIR/.${_f##*/}.$$"
		mv -f "$LOG_DIR/.${_f##*/}.$$" "$LOG_DIR/${_f##*/}"
	done
}

vm_log() {
	echo "vm: $*" >&2
}

vm_die() {
	echo "vm: error: $*" >&2
	exit 2
}

# Hold an exclusive lock on file $1 (on fd 9) until the caller exits: the
# other engineers and CI may build the same cache entry at the same time.
lock_cache() {
	mkdir -p "$(dirname "$1")"
	exec 9>"$1"
	flock 9
}
