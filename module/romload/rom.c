// SPDX-License-Identifier: GPL-2.0
/*
 * Installing a ROM: validate it, copy it into the module's executable area,
 * send its returns through the kernel's return thunk if the kernel uses
 * one, give it its state block, run VMI_Init, and resolve every call number
 * with GetRelocationInfo. Every answer the ROM gives is checked before it
 * is used: an address outside the ROM or an unknown relocation type
 * refuses the ROM as a whole.
 *
 * An i386 kernel installs VMI 3.0's i386 image the same way, in the
 * convention of its own section (docs/abi.md section 9): no state block,
 * no return sites, VMI_Init without arguments, 32-bit relocations.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpumask.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/jump_label.h>
#include <linux/mm.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include <asm/cpufeature.h>
#include <asm/tsc.h>

#include "base/insn.h"
#include "base/ksyms.h"
#include "base/trace.h"
#include "base/why.h"
#include "compat/compat.h"
#include "compat/text_poke.h"
#include "romload/rom.h"
#include "romload/rom_area.h"

/* The PnP manufacturer string of vmi-shim's ROMs (rom/head.S). */
#define VMI_ROM_MAKER	"vmi-shim project"

#ifdef CONFIG_X86_64
static_assert(__builtin_types_compatible_p(typeof(&vmi_rom_call_init),
					   vmi_fn(INIT)));
static_assert(__builtin_types_compatible_p(typeof(&vmi_rom_call_reloc),
					   vmi_fn(GET_RELOCATION_INFO)));

static long rom_call_init(struct vmi_rom *rom, u32 flags)
{
	struct vmi_init_args args = { .size = sizeof(args) };

	args.flags = flags;
	args.state_phys = virt_to_phys(rom->state);
	args.tsc_khz = tsc_khz;
	if (rom->slot)
		return vmi_rom1_call_init(rom->state, rom->state_size, &args);
	return vmi_rom_call_init(rom->state, rom->state_size, &args);
}

static struct vmi_relocation rom_call_reloc(const struct vmi_rom *rom,
					    unsigned long call)
{
	if (rom->slot)
		return vmi_rom1_call_reloc(rom->state, call);
	return vmi_rom_call_reloc(rom->state, call);
}
#else
/* VMI 3.0 takes no flags (vmi_rom_install() refused the one that matters). */
static long rom_call_init(struct vmi_rom *rom, u32 flags)
{
	return rom->slot ? vmi_rom1_call_init() : vmi_rom_call_init();
}

static struct vmi_relocation rom_call_reloc(const struct vmi_rom *rom,
					    unsigned long call)
{
	u64 r = rom->slot ? vmi_rom1_call_reloc(call) : vmi_rom_call_reloc(call);

	return (struct vmi_relocation){ .address = (u32)r,
					.type = (u8)(r >> 32) };
}
#endif

/* The executable area of slot @slot (rom_area.S). */
u8 *vmi_rom_slot_area(unsigned int slot)
{
	return slot ? vmi_rom_area1 : vmi_rom_area;
}

/* Copy @data into @rom's area; @what: the error if it does not read back. */
static int rom_poke(struct vmi_rom *rom, const void *data, size_t size,
		    const char *what)
{
	if (vmi_text_area_missing()) {
		pr_err("%s not found: cannot install a ROM here\n",
		       vmi_text_area_missing());
		return -EOPNOTSUPP;
	}
	if (!vmi_text_area_copy(rom->area, data, size) ||
	    memcmp(rom->area, data, size)) {
		pr_err("%s\n", what);
		return -EIO;
	}
	return 0;
}

/*
 * Where the kernel's returns go when it uses a return thunk, else NULL
 * (plain ret). x86_return_thunk holds the thunk the kernel selected at
 * boot (retbleed, SRSO, ITS, call depth tracking); it is what module
 * returns were patched to jump to.
 */
void *vmi_kernel_return_thunk(void)
{
	void **var = vmi_ks.x86_return_thunk;

	if (!vmi_kernel_rethunk())
		return NULL;
	/* Unseen, the pointer's choice may not be __x86_return_thunk. */
	if (!var && vmi_ksyms_data_hidden)
		return NULL;
	return var && *var ? *var : vmi_ks.__x86_return_thunk;
}

/*
 * Whether the kernel clears CPU buffers (VERW) before HLT, as its
 * native_safe_halt() and native_halt() do through
 * x86_idle_clear_cpu_buffers(): the static key cpu_buf_idle_clear
 * (mds_idle_clear before the 2025 TSA changes), set for MDS and TSA. On
 * CPUs affected only by MSBDS the kernel flips that key as SMT comes and
 * goes; the ROM is told once, so it clears there whenever the CPU can.
 */
static bool vmi_kernel_idle_verw(void)
{
	struct static_key *key = vmi_ks.cpu_buf_idle_clear ?:
				 vmi_ks.mds_idle_clear;

	if (key && static_key_count(key) > 0)
		return true;
	/* The key unseen (kallsyms lists no data): assume it is set. */
	if (!key && vmi_ksyms_data_hidden)
		return true;
	return boot_cpu_has_bug(X86_BUG_MSBDS_ONLY) &&
	       boot_cpu_has(X86_FEATURE_MD_CLEAR);
}

/*
 * Point every return site of the installed ROM (its image's return-site
 * table, checked by vmi_rom_check()) at the kernel's return thunk, so the
 * ROM returns as the kernel does. Without a kernel thunk the sites keep
 * jumping to the ROM's own "ret; int3", which is what the kernel's
 * returns are then too.
 */
static int rom_retarget_returns(struct vmi_rom *rom)
{
	void *thunk = vmi_kernel_return_thunk();
	u8 *buf;
	u32 i;
	int err = 0;

	if (rom->info.ret_sites && !thunk && vmi_kernel_rethunk()) {
		pr_err("the kernel uses return thunks but its thunk was not found\n");
		return -EOPNOTSUPP;
	}
	if (!rom->info.ret_sites || !thunk)
		return 0;
	buf = vmalloc(rom->size);
	if (!buf)
		return -ENOMEM;
	memcpy(buf, rom->area, rom->size);
	for (i = 0; i < rom->info.ret_sites; i++) {
		u32 site = vmi_rom_ret_site(buf, &rom->info, i);
		unsigned int len = vmi_rom_ret_site_len(buf, site);
		long rel = (long)thunk - (long)(rom->area + site + len);

		if (rel != (s32)rel) {
			pr_err("the kernel's return thunk %ps is out of rel32 reach of the ROM\n",
			       thunk);
			err = -ERANGE;
			goto out;
		}
		memcpy(buf + site + len - 4, &(s32){ rel }, 4);
	}
	err = rom_poke(rom, buf, rom->size,
		       "the ROM's retargeted returns did not land intact");
	if (!err)
		rom->ret_thunk = thunk;
out:
	vfree(buf);
	return err;
}

/* Refill with INT3: a stale call into a removed ROM traps, never runs. */
static void rom_wipe(struct vmi_rom *rom)
{
	vmi_text_area_set(rom->area, 0xcc, rom->size);
}

/*
 * Version negotiation (docs/abi.md, "Versions"): the calls the installed
 * ROM's header announces, by the rule the tools share
 * (vmi_calls_for_minor()). A ROM newer than the module gives the calls
 * the module knows.
 */
static unsigned int rom_ncalls(const struct vmi_rom *rom)
{
	return vmi_calls_for_minor(rom->info.api_minor);
}

/*
 * Why @call cannot be had from @rom because the minor its header
 * announces came before the call ("rom-too-old: needs 3.1
 * FlushTLBOthers"), or NULL: no ROM, or the ROM announces it (and may
 * still answer NONE: "rom-lacks", "rom-no-backend").
 */
const char *vmi_rom_too_old_in(const struct vmi_rom *rom, unsigned int call)
{
	/* VMI 3.0's calls are in every ROM: no reason kept for them. */
	static const char * const why[VMI_CALL_COUNT] = {
#define VMI_X(nr, id, name, minor, ret, params) \
		[nr] = (minor) ? VMI_WHY("rom-too-old", \
					 "needs 3." #minor " " name) : NULL,
		VMI_CALLS(VMI_X)
#undef VMI_X
	};

	if (!rom->installed || call >= VMI_CALL_COUNT ||
	    call < rom_ncalls(rom))
		return NULL;
	return why[call];
}

/* The same for the installed ROM. */
const char *vmi_rom_too_old(unsigned int call)
{
	return vmi_rom_too_old_in(&vmi_rom, call);
}

static int rom_resolve_calls(struct vmi_rom *rom)
{
	static const u8 endbr64[] = VMI_ENDBR64;
	/* IBT exists in 64-bit mode only: i386 entries start anyhow. */
	const size_t endbr_len = IS_ENABLED(CONFIG_X86_64) ? sizeof(endbr64) : 0;
	const u8 *lo = rom->area, *hi = rom->area + rom->size;
	struct vmi_call_GET_BACKEND get_backend = { NULL };
	unsigned long i, n = rom_ncalls(rom);

	/* Nothing past the announced calls is asked: those stay NONE. */
	if (rom->info.api_minor > VMI_API_MINOR)
		pr_info("rom %u.%u, using %u.%u\n", rom->info.api_major,
			rom->info.api_minor, VMI_API_MAJOR, VMI_API_MINOR);
	else if (n < VMI_CALL_COUNT)
		pr_info("rom %u.%u: calls %lu-%u came later and stay native\n",
			rom->info.api_major, rom->info.api_minor, n,
			VMI_CALL_COUNT - 1);
	for (i = 0; i < n; i++) {
		struct vmi_relocation r = rom_call_reloc(rom, i);
		struct vmi_rom_call *c = &rom->calls[i];
		const u8 *a = (const u8 *)(unsigned long)r.address;

		if (r.type > VMI_RELOCATION_NOP) {
			pr_err("ROM gave call %lu the unknown relocation type %llu\n",
			       i, r.type);
			return -EPROTO;
		}
		/* c's type and backend are NONE: the install zeroed *rom. */
		if (r.type == VMI_RELOCATION_NONE)
			continue;
		if (a < lo || a + max_t(size_t, endbr_len, 1) > hi) {
			pr_err("ROM placed call %lu at %p, outside itself\n", i, a);
			return -EPROTO;
		}
		/* docs/abi.md: every entry starts with ENDBR64 (IBT kernels). */
		if (memcmp(a, endbr64, endbr_len)) {
			pr_err("ROM entry of call %lu lacks ENDBR64\n", i);
			return -EPROTO;
		}
		c->addr = (void *)a;
		c->type = r.type;
	}

	/* An x86-64 call: an i386 ROM's answer is not called. */
	if (IS_ENABLED(CONFIG_X86_64) &&
	    rom->calls[VMI_CALL_GET_BACKEND].type == VMI_RELOCATION_CALL_REL)
		get_backend.fn = rom->calls[VMI_CALL_GET_BACKEND].addr;
	for (i = 0; i < n; i++) {
		struct vmi_rom_call *c = &rom->calls[i];

		/*
		 * Before 3.9 (no GetBackend) the relocation tells: a NOP is
		 * nop, and an appended call exists only through KVM (docs/abi.md
		 * section 6: without its KVM feature it answers NONE), so one
		 * the ROM gives is KVM's; any other is the ROM's own, which
		 * it does not say beats native (ops.c: backend-unknown).
		 */
		if (get_backend.fn)
			c->backend = get_backend.fn(rom->state, i);
		else if (c->type == VMI_RELOCATION_NOP)
			c->backend = VMI_BACKEND_NOP;
		else if (c->type != VMI_RELOCATION_NONE)
			c->backend = i >= VMI_CALL_COUNT_3_0 ? VMI_BACKEND_KVM :
				     VMI_BACKEND_ROM;
		if (c->backend > VMI_BACKEND_ROM)
			c->backend = VMI_BACKEND_NONE;
	}
	rom->backends_known = get_backend.fn;
	return 0;
}

/*
 * Install @img in area @slot (0 at load; a swap the one not in use) and
 * describe it in @rom. Nothing outside that area and @rom changes: the
 * ROM's state block is its own, and VMI_Init registers nothing with the
 * host (that takes calls the retrofit makes).
 */
int vmi_rom_install(const struct vmi_rom_image *img, u32 init_flags,
		    struct vmi_rom *rom, unsigned int slot)
{
	struct vmi_rom_info info;
	long ret;
	int err;

	memset(rom, 0, sizeof(*rom));
	rom->slot = slot;
	rom->area = vmi_rom_slot_area(slot);
	err = vmi_rom_check(img->data, img->size, &info);
	if (err) {
		pr_err("ROM from %s rejected: %s\n", img->where,
		       vmi_rom_strerror(err));
		return -ENOEXEC;
	}
	if (!vmi_rom_arch_ok(info.state_size)) {
		pr_err("ROM from %s is %s, not for this %s kernel\n",
		       img->where, vmi_rom_arch_name(info.state_size),
		       VMI_ARCH_NAME);
		return -ENOEXEC;
	}
	/*
	 * A VMI 3.0 ROM runs in place (docs/abi.md 9.1); vmi-shim's i386
	 * image is built position independent (mkrom refuses any absolute
	 * reference), so it alone is known to run as a copy.
	 */
	if (!info.state_size &&
	    (!info.manufacturer || strcmp(info.manufacturer, VMI_ROM_MAKER) ||
	     !info.product || !strstr(info.product, "(i386)"))) {
		pr_err("ROM from %s is a VMI 3.0 ROM by %s: such ROMs run in place, and only vmi-shim's i386 image is known to run copied\n",
		       img->where, info.manufacturer ?: "an unnamed maker");
		return -ENOEXEC;
	}
	if (!info.state_size && (init_flags & VMI_INIT_NO_HYPERVISOR)) {
		pr_err("rom_native=1: a VMI 3.0 i386 ROM takes no flags; it picks its backends itself\n");
		return -EINVAL;
	}
	if (img->size > VMI_ROM_AREA_SIZE) {
		pr_err("ROM from %s is %zu bytes; at most %u fit\n", img->where,
		       img->size, VMI_ROM_AREA_SIZE);
		return -EFBIG;
	}
	rom->size = img->size;
	rom->source = img->source;
	strscpy(rom->location, img->location, sizeof(rom->location));

	/* i386: none (VMI 3.0 gives the ROM no memory). */
	if (info.state_size) {
		rom->state_size = info.state_size +
				  (size_t)nr_cpu_ids * info.state_percpu;
		/* Page-aligned and contiguous, as steal time requires. */
		rom->state = alloc_pages_exact(PAGE_ALIGN(rom->state_size),
					       GFP_KERNEL | __GFP_ZERO);
		if (!rom->state)
			return -ENOMEM;
	}

	err = rom_poke(rom, img->data, img->size,
		       "the ROM did not land intact in the code area");
	if (err)
		goto err_state;
	/* Describe the installed copy, not the source that may go away. */
	err = vmi_rom_check(rom->area, rom->size, &rom->info);
	if (err) {
		pr_err("installed ROM copy fails validation: %s\n",
		       vmi_rom_strerror(err));
		err = -EIO;
		goto err_wipe;
	}
	/* From here on the copy differs from the image: sites retargeted. */
	err = rom_retarget_returns(rom);
	if (err)
		goto err_wipe;

	if (vmi_kernel_idle_verw()) {
		if (info.api_minor >= VMI_API_MINOR_RET_SITES)
			init_flags |= VMI_INIT_IDLE_VERW;
		else
			rom->idle_verw_missing = true;
	}

	ret = rom_call_init(rom, init_flags);
	if (ret) {
		pr_err("ROM from %s declined in VMI_Init (%ld): staying native\n",
		       img->where, ret);
		err = -ENODEV;
		goto err_wipe;
	}
	err = rom_resolve_calls(rom);
	if (err)
		goto err_wipe;
	rom->installed = true;
	trace_vmi_rom_install(rom->info.product ?: "", rom->info.api_major,
			      rom->info.api_minor, rom->size,
			      vmi_rom_sources[rom->source], rom->location);
	if (rom->ret_thunk)
		pr_info("ROM's %u return sites go through %ps\n",
			rom->info.ret_sites, rom->ret_thunk);
	if (rom->idle_verw_missing)
		pr_info("the kernel clears CPU buffers before HLT and this ROM (VMI < 3.%u) cannot: Halt and SpinWait stay native\n",
			VMI_API_MINOR_RET_SITES);
	return 0;

err_wipe:
	rom_wipe(rom);
err_state:
	if (rom->state)
		free_pages_exact(rom->state, PAGE_ALIGN(rom->state_size));
	rom->state = NULL;
	return err;
}

void vmi_rom_remove(struct vmi_rom *rom)
{
	if (!rom->installed)
		return;
	rom_wipe(rom);
	if (rom->state)
		free_pages_exact(rom->state, PAGE_ALIGN(rom->state_size));
	memset(rom, 0, sizeof(*rom));
}
