# resfence top-level build.
#   make            build kmod/scsi_resfence.ko and userspace/resfencectl
#   make check      unit tests, then every VM scenario; ends "N passed, N failed"
#   make demo       the two-node failover demo in QEMU
#   make demo-pacemaker  corosync + Pacemaker in two guests: B fences a frozen A
#   make lint       checkpatch --strict, clang-format, clang-tidy
# KDIR defaults to the headers of the linux-headers-amd64 metapackage.

KDIR ?= $(shell $(CURDIR)/scripts/kdir.sh)
BUILD ?= $(CURDIR)/build
CMAKE_BUILD_TYPE ?= RelWithDebInfo

.PHONY: all kmod userspace check unit vm demo demo-pacemaker lint clean

all: kmod userspace

kmod:
	$(MAKE) -C $(KDIR) M=$(CURDIR)/kmod modules

userspace:
	cmake -S $(CURDIR)/userspace -B $(BUILD)/userspace -DCMAKE_BUILD_TYPE=$(CMAKE_BUILD_TYPE) >/dev/null
	cmake --build $(BUILD)/userspace -j$(shell nproc)

check: all
	$(CURDIR)/tests/run-all.sh

unit: userspace
	$(CURDIR)/tests/run-all.sh --unit-only

vm: all
	$(CURDIR)/tests/run-all.sh --vm-only

demo: all
	$(CURDIR)/tests/demo.sh

demo-pacemaker: all
	$(CURDIR)/tests/demo-pacemaker.sh

lint:
	$(CURDIR)/scripts/lint.sh

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR)/kmod clean
	rm -rf $(BUILD)
