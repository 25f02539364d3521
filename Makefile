# SPDX-License-Identifier: GPL-2.0
#
# vmi-shim. The two commands a newcomer needs:
#   make run     boot the default Debian kernel under KVM, load the shim,
#                print its report
#   make check   every test (host unit tests and in-guest selftests)
# Both install what they need (apt packages, kernel packages, QEMU).
#
# Other targets:
#   make                 module (for KDIR), ROM, host tools, selftests
#   make module KDIR=... build vmi_shim.ko against any kernel tree
#                        (default: headers of the default guest kernel,
#                        downloaded into the cache; make -C $KDIR M=$PWD
#                        works too)
#   make check T=REGEX   only the tests whose name matches
#   make check REPEAT=N [T=REGEX]
#                        the selected guest jobs N times, with a pass/fail
#                        count per job (flake rates, docs/testing.md)
#   make fuzz            fuzz every parser of untrusted input, one target
#                        after the other, FUZZ_SECONDS=300 each (0: no
#                        limit) or FUZZ_RUNS=N inputs; FUZZ_TARGETS="..."
#                        picks some (tests/host/Makefile)
#   make check-nopv      the 6.12 PV retrofit, accelerate-mode routing, PV
#                        spinlock unlock-site checks, the realtime hint and
#                        suspend on nopv KVM guests (tests/jobs/nopv.list)
#   make check-nested    the 6.12 PV KVM job, out of make check for time
#                        (tests/jobs/nested.list, docs/testing.md)
#   make check-nokvm     the PV retrofit on a 6.1 kernel built without
#                        CONFIG_KVM_GUEST (built and cached on first use)
#   make check-debug     the selftests on a 6.1 kernel with KASAN, lockdep,
#                        KFENCE and UBSAN, and the lockdown job with its
#                        own trusted key (built and cached on first use)
#   make check-stress    the stress job under multi-threaded TCG, in the
#                        QEMU with tools/qemu/0003 (tests/jobs/stress.list)
#   make check-install   the Debian packages (make deb) on an installed
#                        Debian 12 guest, systemd and DKMS: install, reboot,
#                        stop, a second kernel, purge (tools/vmi-install-check;
#                        its root file system is built and cached on first use)
#   make old-kernels SRC_5_10=DIR SRC_5_4=DIR SRC_4_19=DIR SRC_4_14=DIR
#                        [REV_5_10=REV ...] [OLD_CC=gcc-11]
#                        build the old kernels (any of them) from source
#                        trees or git repositories (at REV) with gcc-11,
#                        cached as kernel specs 5.10, 5.4, 4.19, 4.14
#                        (docs/old-kernels.md: which trees, how long)
#   make check-old       the selftests, stress and retrofit jobs on every
#                        old kernel that is built; one not built is a
#                        SKIP saying how to build it (tests/jobs/old.list)
#   make vmi-client-kernel SRC_2_6_32=DIR [REV_2_6_32=REV]
#                        build the genuine VMI client, Linux 2.6.32 i386,
#                        from a tree or git repository (docs/old-kernels.md),
#                        cached as kernel specs 2.6.32-vmi and (with PAE)
#                        2.6.32-vmi-pae
#   make check-vmi       boot it natively and on the i386 VMI ROM under TCG
#                        and nested KVM, and the PAE one on the ROM
#                        (tests/jobs/vmi.list); SKIPs saying
#                        why when the kernel or the ROM is not built
#   make bench           PV benchmarks: built-in PV vs nopv vs nopv+shim,
#                        and the ROM's cost per op (docs/performance.md);
#                        BENCH_ARGS='...': tools/vmi-bench's options
#   make rom-matrix      the ROMs of the version matrix: older minors and
#                        one from the future (docs/abi.md "Versions")
#   make guest-files     used by tools/vmi-run: everything a guest carries
#   make deb             the Debian packages, in $(BUILD)/deb/:
#                        vmi-shim-dkms_VERSION_all.deb (module source,
#                        DKMS) and vmi-shim_VERSION_amd64.deb (tools,
#                        ROM, service, man pages); docs/packaging.md
#   make -C selftests install INSTALL_PATH=DIR [KDIR=...]
#                        the in-guest selftests for your own VM, laid out
#                        like the kernel's kselftests: DIR/run_kselftest.sh
#                        prints KTAP (selftests/README.md)
#   make kselftest-files used by make -C selftests: what it installs

BUILD  ?= $(CURDIR)/build
KERNEL ?= 6.1
# Resolved only when a recipe needs it: it may download headers.
KDIR   ?= $(shell VMI_QUIET=1 $(CURDIR)/tools/vmi-kernel kdir $(KERNEL))
CC     ?= gcc

SELFTEST_CFLAGS := -static -O2 -Wall -Wextra -Werror -pthread -I$(CURDIR)/tests
SELFTEST_C := $(wildcard tests/guest/*.c) $(wildcard tests/bench/*.c)
SELFTEST_SH := $(wildcard tests/guest/*.sh)
GUEST_TOOLS := tools/vmictl tools/guest/vmi-report
# The guest's layout stays /vmi/selftests/{NAME,bench/NAME,lib/}, whatever
# the sources' (tests/README.md).
guest_bins = $(patsubst tests/guest/%.c,$(BUILD)/guest/$(1)/selftests/%,\
	$(patsubst tests/bench/%.c,$(BUILD)/guest/$(1)/selftests/bench/%,$(SELFTEST_C)))
# Sources kbuild needs, mirrored per kernel into $(BUILD)/k/<release>
KBUILD_SRCS := Kbuild module tests/modules include common

.PHONY: FORCE all module rom rom-matrix tools selftests guest-files setup check-prereqs check check-nested check-nopv check-nokvm check-debug check-stress check-old old-kernels vmi-client vmi-client-kernel check-vmi bench fuzz run deb kselftest-files clean help

all: module rom tools selftests

rom: $(BUILD)/rom/vmi-rom.bin

# The version matrix (tests/guest/rom_matrix.sh, docs/abi.md "Versions"):
# ROMs of older minors and one from the future, beside vmi-rom.bin.
# Each is a make -C rom of its own (rom/Makefile: one minor at a time),
# after vmi-rom.bin's: they share rom/'s objects. About 3 s from scratch.
ROM_MATRIX_MINORS := 0 1 8 9 13
ROM_MATRIX_FUTURE := 20
ROM_MATRIX := $(foreach m,$(ROM_MATRIX_MINORS) $(ROM_MATRIX_FUTURE),$(BUILD)/rom/vmi-rom-3.$(m).bin)

rom-matrix: $(BUILD)/rom/vmi-rom.bin
	@$(foreach m,$(ROM_MATRIX_MINORS),$(MAKE) -C rom BUILD=$(BUILD) VMI_ROM_MINOR=$(m) &&) \
		$(MAKE) -C rom BUILD=$(BUILD) VMI_ROM_FUTURE=$(ROM_MATRIX_FUTURE)

tools:
	$(MAKE) -C tools/vmirom BUILD=$(BUILD)
	$(MAKE) -C tools/vmi-sites BUILD=$(BUILD)

help:
	@sed -n '3,/^$$/s/^# \{0,1\}//p' Makefile

module: rom
	$(MAKE) -C "$(KDIR)" M=$(CURDIR) VMI_ROM_BIN=$(BUILD)/rom/vmi-rom.bin modules

selftests: $(call guest_bins,amd64)

# Shared sources a selftest program links (one source, compiled for the
# module, the tools and these).
SELFTEST_LINK_ko_rename := common/sigtrailer.c
SELFTEST_DEPS_ko_rename := include/vmi/sigtrailer.h include/vmi/types.h

.SECONDEXPANSION:
$(BUILD)/guest/amd64/selftests/bench/%: tests/bench/%.c tests/lib/tap.h
	@mkdir -p $(@D)
	$(CC) $(SELFTEST_CFLAGS) -o $@ $<

$(BUILD)/guest/i386/selftests/bench/%: tests/bench/%.c tests/lib/tap.h
	@mkdir -p $(@D)
	$(CC) -m32 $(SELFTEST_CFLAGS) -o $@ $<

$(BUILD)/guest/amd64/selftests/%: tests/guest/%.c tests/lib/tap.h $$(SELFTEST_LINK_$$(notdir $$*)) $$(SELFTEST_DEPS_$$(notdir $$*))
	@mkdir -p $(@D)
	$(CC) $(SELFTEST_CFLAGS) -o $@ $< $(SELFTEST_LINK_$(notdir $*))

$(BUILD)/guest/i386/selftests/%: tests/guest/%.c tests/lib/tap.h $$(SELFTEST_LINK_$$(notdir $$*)) $$(SELFTEST_DEPS_$$(notdir $$*))
	@mkdir -p $(@D)
	$(CC) -m32 $(SELFTEST_CFLAGS) -o $@ $< $(SELFTEST_LINK_$(notdir $*))

# make guest-files KREL=<release> KARCH=amd64|i386 KDIR=<headers> GUEST_OUT=<dir>
#                  [KIMAGE=<the kernel image the guest boots>]
# Every guest job asks for these, so what was built for a kernel is kept
# in $(BUILD): kbuild runs again only when a source, the file list, the
# ROM or the kernel's .config changed (a kbuild pass that builds nothing
# still costs seconds of compiler probes), and the defective ROMs and the
# static sites-mutate are built once. GUEST_OUT gets copies. An amd64
# guest also gets the previous release's module and ROM in prev/ (or
# why there is none): tools/prev-release, cached by the tag's commit.
ifneq ($(filter guest-files kselftest-files,$(MAKECMDGOALS)),)
ifneq ($(filter guest-files,$(MAKECMDGOALS)),)
ifeq ($(and $(KREL),$(KARCH),$(KDIR),$(GUEST_OUT)),)
$(error guest-files needs KREL, KARCH, KDIR, GUEST_OUT)
endif
endif
ifeq ($(and $(KREL),$(KDIR)),)
$(error kselftest-files needs KREL, KDIR)
endif
KMOD_TREE := $(BUILD)/k/$(KREL)
KBUILD_FILES := $(shell find $(KBUILD_SRCS) -type f \( -name '*.[chS]' -o \
	-name Kbuild -o -name '*.sh' -o -name '*.mk' \) ! -name '*.mod.c' \
	2>/dev/null | LC_ALL=C sort)

# The list of sources and the headers' path: a file removed or a KDIR
# changed builds again too (neither makes anything newer).
$(KMOD_TREE)/.inputs: FORCE
	@mkdir -p $(@D)
	@printf '%s\n' $(KBUILD_FILES) "$(KDIR)" >$@.tmp
	@if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi

# Mirror only sources: objects built in the tree for another kernel
# (make module) must never be linked here, nor the *.mod.c modpost
# generated there (its vermagic is that kernel's). The stamp has the
# time the build started: a source saved during the build is newer.
$(KMOD_TREE)/.built: $(KMOD_TREE)/.inputs $(KBUILD_FILES) $(BUILD)/rom/vmi-rom.bin \
		$(wildcard $(KDIR)/.config)
	@rm -f $@
	@touch $@.start
	@find $(KMOD_TREE) -type l \( ! -name '*.[chS]' ! -name Kbuild ! -name '*.sh' ! -name '*.mk' \
		-o -name '*.mod.c' \) -delete
	@find $(KMOD_TREE) -xtype l -delete
	@cd $(CURDIR) && for f in $(KBUILD_FILES); do \
		mkdir -p $(KMOD_TREE)/$$(dirname $$f); \
		ln -sfn $(CURDIR)/$$f $(KMOD_TREE)/$$f; done
	$(MAKE) -C "$(KDIR)" M=$(KMOD_TREE) VMI_ROM_BIN=$(BUILD)/rom/vmi-rom.bin modules
	@mv $@.start $@
endif

# The ROM as a file that what embeds or copies it waits for (also under
# make -j): its time stamp is read after the ROM's own make has run.
$(BUILD)/rom/vmi-rom.bin: FORCE
	$(MAKE) -C rom BUILD=$(BUILD)

$(BUILD)/guest/sites-mutate: tests/sites/mutate.c common/sites_check.c $(wildcard include/vmi/*.h)
	@mkdir -p $(@D)
	$(CC) -static -O2 -Wall -o $@ tests/sites/mutate.c common/sites_check.c

# The defective ROMs are copies of the image the guest's module installs:
# the x86-64 ROM for amd64, the VMI 3.0 i386 image for i386 (and there,
# other-arch.bin: the x86-64 ROM, which an i386 kernel must refuse).
$(BUILD)/guest/roms/.done: $(BUILD)/rom/vmi-rom.bin tools/mkbadroms
	@rm -rf $(@D)
	tools/mkbadroms $< $(@D)
	@touch $@

$(BUILD)/guest/i386/roms/.done: $(BUILD)/rom/vmi-rom.bin tools/mkbadroms
	@rm -rf $(@D)
	tools/mkbadroms $(BUILD)/rom/vmi-rom-i386.bin $(@D)
	cp $(BUILD)/rom/vmi-rom.bin $(@D)/other-arch.bin
	@touch $@

guest_roms = $(if $(filter i386,$(1)),$(BUILD)/guest/i386/roms,$(BUILD)/guest/roms)

# An i386 guest has no vmi-sites (Debian has no static i386 zlib, liblzma,
# libzstd or liblz4 to link it with): the host's vmi-sites extracts the
# kernel's site table from the very image the guest boots (KIMAGE, which
# tools/vmi-run passes), and its info and list beside it; the guest finds
# them in /vmi/sites/<release>.{bin,info,list} (tests/lib/shim.sh).
# sites-mutate links no decompressor and is built for i386 too.
$(BUILD)/guest/i386/sites-mutate: tests/sites/mutate.c common/sites_check.c $(wildcard include/vmi/*.h)
	@mkdir -p $(@D)
	$(CC) -m32 -static -O2 -Wall -o $@ tests/sites/mutate.c common/sites_check.c

KSITES := $(BUILD)/guest/sites/$(KREL)
# Extracted again when the image (its path, size, time) or the tool changed.
$(KSITES).bin: FORCE
	@$(MAKE) -s -C tools/vmi-sites BUILD=$(BUILD)
	@mkdir -p $(@D)
	@key="$$(stat -L -c '%n %s %Y' $(KIMAGE) $(BUILD)/tools/vmi-sites)" || exit 1; \
	if [ ! -s $@ ] || [ "$$key" != "$$(cat $(KSITES).key 2>/dev/null)" ]; then \
		rm -f $(KSITES).key && \
		$(BUILD)/tools/vmi-sites extract -q -o $@.tmp $(KIMAGE) && \
		$(BUILD)/tools/vmi-sites info $@.tmp >$(KSITES).info && \
		$(BUILD)/tools/vmi-sites list $@.tmp >$(KSITES).list && \
		mv $@.tmp $@ && printf '%s\n' "$$key" >$(KSITES).key; fi

guest-files: $(BUILD)/rom/vmi-rom.bin rom-matrix \
		$(call guest_bins,$(KARCH)) \
		$(KMOD_TREE)/.built $(call guest_roms,$(KARCH))/.done \
		$(if $(filter amd64,$(KARCH)),$(BUILD)/guest/sites-mutate) \
		$(if $(filter i386,$(KARCH)),$(BUILD)/guest/i386/sites-mutate \
			$(if $(KIMAGE),$(KSITES).bin))
	@mkdir -p $(GUEST_OUT)/modules $(GUEST_OUT)/bin $(GUEST_OUT)/selftests/lib $(GUEST_OUT)/roms
	cp $$(find $(KMOD_TREE) -name '*.ko') $(GUEST_OUT)/modules/
	cp $(GUEST_TOOLS) $(GUEST_OUT)/bin/
	if [ "$(KARCH)" = amd64 ]; then $(MAKE) -s -C tools/vmi-sites BUILD=$(BUILD) && \
		cp $(BUILD)/tools/vmi-sites $(BUILD)/guest/sites-mutate $(GUEST_OUT)/bin/; fi
	if [ "$(KARCH)" = i386 ]; then cp $(BUILD)/guest/i386/sites-mutate $(GUEST_OUT)/bin/; fi
	if [ "$(KARCH)" = i386 ] && [ -n "$(KIMAGE)" ]; then mkdir -p $(GUEST_OUT)/sites && \
		cp $(KSITES).bin $(KSITES).info $(KSITES).list $(GUEST_OUT)/sites/; fi
	cp $(SELFTEST_SH) $(GUEST_OUT)/selftests/
	cp tests/lib/tap.sh tests/lib/shim.sh tests/lib/matrix.sh $(GUEST_OUT)/selftests/lib/
	cp -r $(BUILD)/guest/$(KARCH)/selftests/* $(GUEST_OUT)/selftests/
	cp $(call guest_roms,$(KARCH))/*.bin $(GUEST_OUT)/roms/
	mkdir -p $(GUEST_OUT)/roms/matrix
	cp $(BUILD)/rom/vmi-rom.bin $(ROM_MATRIX) $(GUEST_OUT)/roms/matrix/
	if [ "$(KARCH)" = amd64 ]; then tools/prev-release stage --build $(BUILD) \
		--krel $(KREL) --kdir "$(KDIR)" $(GUEST_OUT)/prev; fi
	tools/sign-guest-files "$(KDIR)" $(GUEST_OUT) $(BUILD)

# make kselftest-files KREL=<release> KDIR=<headers>: what selftests/Makefile
# installs (make -C selftests install), built by the rules guest-files uses:
# the module tree of KREL (vmi_shim.ko and the test modules), the helper
# programs, the defective ROMs.
kselftest-files: $(call guest_bins,amd64) $(KMOD_TREE)/.built $(BUILD)/guest/roms/.done

setup:
	@tools/setup

FORCE:

# What every make check* builds before its jobs, on every core: nothing
# else runs then, and it is about a minute of compiles on one (the ROMs,
# the tools, the 6.1 module tree for the selftests). The rules are safe
# under make -j (the ROM's own make comes first, see vmi-rom.bin). Under
# a make -jN of its own, the sub-make keeps that make's job slots: the
# lines that use PREREQS start with +, since make sees a recursive make
# only by $(MAKE) written in the line itself.
ALL_CORES = $(if $(filter -j%,$(MAKEFLAGS)),,-j$(shell nproc))
PREREQS = $(MAKE) -s $(ALL_CORES) check-prereqs >/dev/null

# Guest jobs carry these host-built binaries (tests/jobs/check.list), and
# the selftests installed for the 6.1 guest with the tools they call and
# the check of their output (job 6.1-amd64-kselftest; the module tree is
# the one the 6.1 guests get, built under the same lock).
check-prereqs: rom rom-matrix tools
	$(MAKE) -s -C tests/kvm BUILD=$(BUILD)
	@mkdir -p $(BUILD)
	@kdir=$$(VMI_QUIET=1 tools/vmi-kernel kdir 6.1) && \
		flock $(BUILD)/.guest-files.lock $(MAKE) -s -C selftests install \
		BUILD=$(BUILD) KDIR="$$kdir" INSTALL_PATH=$(BUILD)/kselftest/6.1 >/dev/null
	@mkdir -p $(BUILD)/kselftest/tools
	@cp tools/vmictl $(BUILD)/tools/vmi-sites selftests/ktap_check.sh $(BUILD)/kselftest/tools/

check: setup
	@+$(PREREQS)
	@tools/check $(if $(REPEAT),--repeat $(REPEAT)) '$(value T)'

# The shim and its PV retrofit on more nopv KVM guests than make check's
# one (tests/jobs/nopv.list, docs/testing.md).
check-nopv: setup
	@+$(PREREQS)
	@VMI_JOBS=tests/jobs/nopv.list tools/check $(if $(REPEAT),--repeat $(REPEAT)) nopv

# Nested KVM jobs kept out of make check for time (tests/jobs/nested.list).
check-nested: setup
	@+$(PREREQS)
	@VMI_JOBS=tests/jobs/nested.list tools/check $(if $(REPEAT),--repeat $(REPEAT))

# The retrofit on a 6.1 kernel built here without CONFIG_KVM_GUEST (the
# first run builds and caches it: 15-40 minutes; tests/jobs/nokvm.list).
check-nokvm: setup
	@+$(PREREQS)
	@tools/vmi-kernel info 6.1-nokvm >/dev/null
	@VMI_JOBS=tests/jobs/nokvm.list tools/check $(if $(REPEAT),--repeat $(REPEAT)) nokvm

# The selftests on 6.1-debug: KASAN, lockdep, KFENCE, UBSAN and friends,
# and lockdown with its own trusted key (the first run builds and caches
# the kernel: 20-50 minutes; tests/jobs/debug.list).
check-debug: setup
	@+$(PREREQS)
	@tools/vmi-kernel info 6.1-debug >/dev/null
	@VMI_JOBS=tests/jobs/debug.list tools/check $(if $(REPEAT),--repeat $(REPEAT)) $(or $(T),debug)

# The stress job under multi-threaded TCG, in the QEMU with tools/qemu/0003
# (Debian's does not keep cross-modifying code coherent that way;
# docs/testing.md); make check runs it single-threaded under Debian's.
check-stress: setup
	@+$(PREREQS)
	@VMI_JOBS=tests/jobs/stress.list tools/check $(if $(REPEAT),--repeat $(REPEAT)) stress

# The packages on a real installed Debian 12 system, booted from a fresh
# overlay of a cached image (docs/testing.md, "An installed system as the
# test guest"); out of make check for time. It runs make deb itself.
.PHONY: check-install
check-install: setup
	@tools/vmi-install-check --build $(BUILD)

# The old kernels (issue 14, docs/old-kernels.md): built from source
# trees the user names, SRC_5_10=DIR and so on (a git repository is built
# at REV_5_10=REV, default HEAD), one after the other; a failed build
# does not stop the others, and make fails at the end naming it. gcc-11:
# gcc 12 stops objtool in 5.10 and 4.14.
OLD_KERNELS := 5.10 5.4 4.19 4.14
OLD_CC ?= gcc-11
old_src = $(SRC_$(subst .,_,$(1)))
old_rev = $(REV_$(subst .,_,$(1)))
OLD_GIVEN = $(strip $(foreach k,$(OLD_KERNELS),$(if $(call old_src,$(k)),$(k))))
old-kernels:
	@$(if $(OLD_GIVEN),:,echo "usage: make old-kernels SRC_5_10=DIR SRC_5_4=DIR SRC_4_19=DIR SRC_4_14=DIR [REV_5_10=REV ...] (docs/old-kernels.md)" >&2; exit 2)
	@failed=; $(foreach k,$(OLD_GIVEN),\
		echo "== $(k) from $(call old_src,$(k))$(if $(call old_rev,$(k)), at $(call old_rev,$(k)))"; \
		tools/vmi-kernel build $(k) --source '$(call old_src,$(k))' \
			$(if $(call old_rev,$(k)),--rev '$(call old_rev,$(k))') \
			--cc $(OLD_CC) || failed="$$failed $(k)";) \
	if [ -n "$$failed" ]; then echo "old-kernels: not built:$$failed" >&2; exit 1; fi

# The selftests on the old kernels that are built (tests/jobs/old.list);
# every job name there has "amd64" in it, and none of the host suites'.
check-old: setup
	@+$(PREREQS)
	@VMI_JOBS=tests/jobs/old.list tools/check $(if $(REPEAT),--repeat $(REPEAT)) '$(or $(value T),amd64)'

# The genuine VMI client (issue 15): Linux 2.6.32 i386 with CONFIG_VMI,
# built from a tree the user names (docs/old-kernels.md, "2.6.32-vmi"),
# and its userspace: a freestanding static i386 init (no libc: Debian
# 12's needs 3.2+), the whole initramfs of vmi-run -k 2.6.32-vmi.
VMI_CLIENT_CFLAGS := -m32 -static -nostdlib -ffreestanding -fno-pie -no-pie \
	-fno-stack-protector -fno-asynchronous-unwind-tables -O2 -Wall -Wextra -Werror
vmi-client: $(BUILD)/vmi-client/init

$(BUILD)/vmi-client/init: tests/vmi-client/init.c
	@mkdir -p $(@D)
	$(CC) $(VMI_CLIENT_CFLAGS) -o $@ $< -lgcc

# Twice from the same tree: without PAE, and with it (2.6.32-vmi-pae,
# whose client calls the ROM's SetPxELong and UpdatePxELong).
vmi-client-kernel:
	@$(if $(SRC_2_6_32),:,echo "usage: make vmi-client-kernel SRC_2_6_32=DIR [REV_2_6_32=REV] (docs/old-kernels.md)" >&2; exit 2)
	$(foreach k,2.6.32-vmi 2.6.32-vmi-pae,tools/vmi-kernel build $(k) --source '$(SRC_2_6_32)' \
		$(if $(REV_2_6_32),--rev '$(REV_2_6_32)') --cc $(OLD_CC) &&) :

# Boot it without and with the i386 VMI ROM (tests/jobs/vmi.list).
check-vmi: setup
	@$(MAKE) -s $(ALL_CORES) check-prereqs vmi-client >/dev/null
	@VMI_JOBS=tests/jobs/vmi.list tools/check $(if $(REPEAT),--repeat $(REPEAT)) '$(or $(value T),2.6.32-vmi)'

# Benchmarks, not tests: figures and ratios (docs/performance.md).
bench: setup
	@$(MAKE) -s rom tools >/dev/null
	@tools/vmi-bench $(BENCH_ARGS)

# Long fuzzing of every fuzz target (make check runs each for 5 s);
# FUZZ_RUNS and FUZZ_TARGETS reach tests/host/Makefile from the command line.
fuzz: setup
	$(MAKE) -s -C tests/host fuzz BUILD=$(BUILD) FUZZ_SECONDS=$(or $(FUZZ_SECONDS),300)

run: setup
	@tools/vmi-run --mode kvm --boot-image --kernel $(KERNEL) -- vmi-report

# dpkg-buildpackage -b -us -uc on a copy of the tree (packaging/mkdeb);
# installs its build dependencies first, as setup does.
deb:
	@packaging/mkdeb $(BUILD)

clean:
	-$(MAKE) -C "$(KDIR)" M=$(CURDIR) clean 2>/dev/null
	rm -rf $(BUILD)
