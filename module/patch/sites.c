// SPDX-License-Identifier: GPL-2.0
/*
 * Re-patching the running kernel's paravirt call sites.
 *
 * The kernel freed its site table after boot; tools/vmi-sites reads it
 * from the image on disk (/boot/vmlinuz-*) and the module is given the
 * file (sites=). Everything is checked before one byte changes: the table
 * (common/sites_check.c, including the build ID of the running kernel),
 * the KASLR slide, and every site's current bytes, which must be one of
 * the forms boot-time patching produced for that op. Then all sites are
 * patched with the kernel's INT3-based batch text patching, and read back.
 *
 * At "call <pv_ops value> + NOPs" the CALL is re-pointed at the op's
 * entry (one 5-byte INT3-protected poke: one instruction replaced by one
 * instruction; the padding stays). Inline native code + NOPs is replaced
 * whole by "call <entry> + NOPs" with every CPU held in stop_machine
 * (text_stop.c): the CALL moves instruction boundaries, which INT3
 * patching cannot do safely; it is kept on kernels that preempt on
 * interrupt return (a task may be parked inside such a site). Sites in
 * init text (freed after boot) are skipped.
 *
 * Other writers of kernel text (kprobes, a debugger's breakpoints, the
 * kprobe optimizer's jumps) may have put their own bytes on a site since it
 * was planned or patched. Each write therefore compares every site with
 * what it must hold first, under text_mutex (which those writers hold), or
 * with every CPU stopped for whole sites, and writes nothing at all if one
 * differs: overwriting a kprobe's INT3 would silently disarm it, and the
 * CRC, computed over what the shim wrote, would still "prove" the restore.
 * text_mutex (for whole sites after the CPU hotplug lock, the kernel's
 * order) stays held from that check through the writes, any undo, and the
 * read-back and CRC: no such writer comes between, so a breakpoint armed
 * meanwhile can neither be overwritten nor spoil the proof of a write.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpu.h>
#include <linux/err.h>
#include <linux/firmware.h>
#include <linux/fs.h>
#include <linux/magic.h>
#include <linux/math64.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/utsname.h>
#include <linux/vmalloc.h>
#include <asm/paravirt.h>
#include <asm/text-patching.h>
#include <vmi/sites.h>
#include <vmi/sites_check.h>

#include "base/fail_verify.h"
#include "base/insn.h"
#include "base/ksyms.h"
#include "base/text_stop.h"
#include "base/trace.h"
#include "base/why.h"
#include "compat/compat.h"
#include "compat/nops.h"
#include "compat/text_poke.h"
#include "patch/ops.h"
#include "patch/sites.h"
#include "romload/trust.h"

#define SITES_MAX_FILE	(VMI_SITES_MAX * sizeof(struct vmi_site) + 4096)

struct site_patch {
	u8 *addr;
	u8 len;
	u16 op;			/* index in vmi_ops */
	bool whole;		/* inline site: written whole, CPUs stopped */
	u8 old[VMI_SITE_MAX_LEN];
	u8 new[VMI_SITE_MAX_LEN];
};

struct vmi_sites_state vmi_sites;

static struct site_patch *patches;
static unsigned int nr_patches;

int vmi_text_init(void)
{
	if (!vmi_ks.text_mutex || !vmi_ks._stext || !vmi_ks._etext ||
	    !vmi_ks._text || (vmi_text_poke_batched() &&
	    (!vmi_ks.text_poke_queue || !vmi_ks.text_poke_finish))) {
		pr_err("kernel text patching interface not found\n");
		return -EOPNOTSUPP;
	}
	return 0;
}

/*
 * Why a site starting with @cur is taken by another writer of kernel text,
 * or NULL. An INT3 or a JMP never starts a paravirt site (boot patching
 * makes a CALL, inline native code or NOPs).
 */
static const char *site_busy(const u8 *cur)
{
	if (cur[0] == INT3_INSN_OPCODE)
		return VMI_WHY("kprobe", "a breakpoint is armed there (kprobe or debugger)");
	if (cur[0] == JMP32_INSN_OPCODE)
		return VMI_WHY("kprobe-optimized", "a jump was written there (optimized kprobe?)");
	return NULL;
}

/* Map each pv_ops slot to the routed op that owns it (or -1). */
void vmi_slot_owners(int *owner, unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < nr; i++)
		owner[i] = -1;
	for (i = 0; i < vmi_nr_ops; i++)
		if (vmi_op_states[i].routed && vmi_ops[i]->slot < nr)
			owner[vmi_ops[i]->slot] = i;
}

/* Do the @len bytes at @cur hold @form (@flen bytes) and then NOPs? */
static bool is_inline(const u8 *cur, unsigned int len, const u8 *form,
		      unsigned int flen)
{
	return form && flen <= len && !memcmp(cur, form, flen) &&
	       vmi_is_nops(cur + flen, len - flen);
}

/*
 * What boot-time patching left at a site of @op spanning @len bytes at
 * @at: 1 for "call <the op's kernel implementation> + NOPs" (re-point the
 * CALL), 0 for the op's inline native form (kept), a negative error for
 * anything else. @cur receives the bytes read.
 */
int vmi_site_form(const u8 *at, unsigned int len, int op, u8 *cur)
{
	const struct vmi_op_state *st = &vmi_op_states[op];

	if (len < CALL_INSN_SIZE || len > VMI_SITE_MAX_LEN ||
	    copy_from_kernel_nofault(cur, at, len)) {
		pr_err("site %pS cannot be read\n", at);
		return -EFAULT;
	}
	if (vmi_is_call_to(cur, at, st->orig) &&
	    vmi_is_nops(cur + CALL_INSN_SIZE, len - CALL_INSN_SIZE))
		return 1;
	/* A no-op's sites: boot patching left only NOPs. */
	if (vmi_ops[op]->nop_native && st->orig == vmi_op_native(vmi_ops[op]) &&
	    vmi_is_nops(cur, len))
		return 0;
	if (is_inline(cur, len, vmi_ops[op]->inline_form,
		      vmi_ops[op]->inline_len) ||
	    is_inline(cur, len, vmi_ops[op]->inline_alt,
		      vmi_ops[op]->inline_alt_len))
		return 0;
	if (site_busy(cur)) {
		pr_err("site %pS of %s holds %*ph: %s; refusing, nothing changed\n",
		       at, vmi_ops[op]->name, len, cur, site_busy(cur));
		return -EBUSY;
	}
	pr_err("site %pS of %s holds %*ph: not a form boot patching produces; refusing\n",
	       at, vmi_ops[op]->name, len, cur);
	return -EILSEQ;
}

/*
 * Called with text_mutex held: how many patches (@whole: also those
 * written whole) do not hold their @new bytes (else their old ones), each
 * logged if @log.
 */
static unsigned int sites_differ(bool new, bool whole, bool log)
{
	unsigned int i, n = 0;

	for (i = 0; i < nr_patches; i++) {
		const struct site_patch *p = &patches[i];
		const u8 *want = new ? p->new : p->old;
		u8 cur[VMI_SITE_MAX_LEN];

		if (p->whole && !whole)
			continue;
		if (!copy_from_kernel_nofault(cur, p->addr, p->len) &&
		    !memcmp(cur, want, p->len))
			continue;
		if (n++ < 8 && log)
			pr_err("site %pS holds %*ph, not the %*ph the shim %s: %s\n",
			       p->addr, p->len, cur, p->len, want,
			       new ? "wrote" : "read there",
			       site_busy(cur) ?: VMI_WHY("text-changed", "changed by another writer of kernel text"));
	}
	return n;
}

/*
 * Decide what to do with one site. Returns 1 to patch (filling @p),
 * 0 to leave it, or a negative error for bytes no boot patching makes.
 */
static int site_plan(const struct vmi_site *s, unsigned long slide,
		     int op, struct site_patch *p)
{
	u8 *at = (u8 *)(unsigned long)(s->addr + slide);
	int ret;

	if (at < vmi_ks._stext || at + s->len > vmi_ks._etext) {
		pr_err("site %#llx lies outside kernel text\n", s->addr);
		return -ERANGE;
	}
	ret = vmi_site_form(at, s->len, op, p->old);
	if (ret < 0)
		return ret;
	/* Without INT3 batches a CALL is written whole too (text_poke.h). */
	p->whole = !ret || !vmi_text_poke_batched();
	if (p->whole && vmi_text_stop_unsafe())
		return 0;
	p->addr = at;
	p->len = s->len;
	p->op = op;
	memcpy(p->new, p->old, s->len);
	if (!ret)
		vmi_fill_nops(p->new + CALL_INSN_SIZE, s->len - CALL_INSN_SIZE);
	return vmi_gen_rel32(p->new, CALL_INSN_OPCODE, at,
			     vmi_op_states[op].thunk) ?: 1;
}

/*
 * Called with text_mutex held: how many of the @n CALLs at @addrs do not
 * call @from, each logged if @log.
 */
static unsigned int calls_changed(u8 * const *addrs, void * const *from,
				  unsigned int n, bool log)
{
	unsigned int i, bad = 0;
	u8 cur[CALL_INSN_SIZE];

	for (i = 0; i < n; i++) {
		if (!copy_from_kernel_nofault(cur, addrs[i], CALL_INSN_SIZE) &&
		    vmi_is_call_to(cur, addrs[i], from[i]))
			continue;
		if (bad++ < 8 && log)
			pr_err("site %pS holds %*ph, not a call to %ps: %s\n",
			       addrs[i], CALL_INSN_SIZE, cur, from[i],
			       site_busy(cur) ?: VMI_WHY("text-changed", "changed by another writer of kernel text"));
	}
	return bad;
}

static int cmp_text_write(const void *a, const void *b)
{
	const struct vmi_text_write *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

/*
 * repoint()'s writes where the kernel has no INT3 batches: every CPU
 * stopped, a CPU meeting a site sent to @to (text_stop.c). The CPU
 * hotplug lock and text_mutex held. 0 or -EIO as written; another error
 * with nothing written.
 */
static int repoint_stopped(u8 * const *addrs, void * const *from,
			   void * const *to, unsigned int n)
{
	struct vmi_text_write *w;
	u8 (*b)[2][CALL_INSN_SIZE];
	unsigned int i, m = 0;
	int err;

	w = kvmalloc_array(n, sizeof(*w) + sizeof(*b), GFP_KERNEL);
	if (!w)
		return -ENOMEM;
	b = (void *)(w + n);
	for (i = 0; i < n; i++) {
		if (copy_from_kernel_nofault(b[m][0], addrs[i], CALL_INSN_SIZE) ||
		    !vmi_is_call_to(b[m][0], addrs[i], from[i]) ||
		    vmi_gen_rel32(b[m][1], CALL_INSN_OPCODE, addrs[i], to[i]))
			continue;
		w[m] = (struct vmi_text_write) { .addr = addrs[i],
			.expect = b[m][0], .src = b[m][1],
			.len = CALL_INSN_SIZE, .call = to[i] };
		m++;
	}
	/* text_stop.c wants them in address order (the bytes stay put). */
	sort(w, m, sizeof(*w), cmp_text_write, NULL);
	err = vmi_text_stop_ready() ?: vmi_text_stop_write_code(w, m);
	kvfree(w);
	return err;
}

/*
 * Point the 5-byte CALLs at @addrs that call @from at @to (INT3-protected
 * batch) and read them back, all under text_mutex: -EIO if one does not
 * read back calling @to (each logged if @back). Unless @back, -EBUSY with
 * nothing written if one does not call @from.
 */
static int repoint(u8 * const *addrs, void * const *from, void * const *to,
		   unsigned int n, bool back)
{
	u8 cur[CALL_INSN_SIZE], call[CALL_INSN_SIZE];
	bool stopped = !vmi_text_poke_batched();
	unsigned int i;
	int err = -EBUSY;

	if (!n)
		return 0;
	if (stopped)
		cpus_read_lock();
	mutex_lock(vmi_ks.text_mutex);
	if (!back && calls_changed(addrs, from, n, true))
		goto unlock;
	if (stopped) {
		err = repoint_stopped(addrs, from, to, n);
		if (err && err != -EIO)
			goto unlock;
	}
	for (i = 0; !stopped && i < n; i++) {
		if (copy_from_kernel_nofault(cur, addrs[i], CALL_INSN_SIZE) ||
		    !vmi_is_call_to(cur, addrs[i], from[i]) ||
		    vmi_gen_rel32(call, CALL_INSN_OPCODE, addrs[i], to[i]))
			continue;
		vmi_text_poke_queue(addrs[i], call, CALL_INSN_SIZE);
	}
	if (!stopped)
		vmi_text_poke_finish();
	/* Read back before another writer may put its own bytes there. */
	err = calls_changed(addrs, to, n, back) ? -EIO : 0;
unlock:
	mutex_unlock(vmi_ks.text_mutex);
	if (stopped)
		cpus_read_unlock();
	return err;
}

/* For the call sites of modules, which come and go. */
int vmi_text_repoint(u8 * const *addrs, void * const *from, void * const *to,
		     unsigned int n)
{
	return repoint(addrs, from, to, n, false);
}

/*
 * Do the @n CALLs at @addrs all call @from (checked under text_mutex)?
 * -EBUSY, each one that does not logged, if not.
 */
int vmi_text_calls_check(u8 * const *addrs, void * const *from, unsigned int n)
{
	unsigned int bad;

	if (!n)
		return 0;
	mutex_lock(vmi_ks.text_mutex);
	bad = calls_changed(addrs, from, n, true);
	mutex_unlock(vmi_ks.text_mutex);
	return bad ? -EBUSY : 0;
}

/*
 * Undo vmi_text_repoint() after a failure, whatever part of it was done:
 * those that call @to already are left.
 */
int vmi_text_repoint_back(u8 * const *addrs, void * const *from,
			  void * const *to, unsigned int n)
{
	return repoint(addrs, from, to, n, true);
}

/* The CALLs that hold the other direction's go @forward; text_mutex held. */
static void sites_queue(bool forward)
{
	struct site_patch *p;

	for (p = patches; p < patches + nr_patches; p++) {
		if (!p->whole &&
		    !memcmp(p->addr, forward ? p->old : p->new, CALL_INSN_SIZE))
			vmi_text_poke_queue(p->addr, forward ? p->new : p->old,
					    CALL_INSN_SIZE);
	}
	vmi_text_poke_finish();
}

static u32 sites_crc(void)
{
	unsigned int i;
	u32 crc = 0;

	for (i = 0; i < nr_patches; i++)
		crc = vmi_crc32(crc, patches[i].addr, patches[i].len);
	return crc;
}

/* The whole-site writes of every patch written whole, @forward. */
static struct vmi_text_write *whole_writes(bool forward, unsigned int *n)
{
	struct vmi_text_write *w;
	struct site_patch *p;

	*n = 0;
	for (p = patches; p < patches + nr_patches; p++)
		*n += p->whole;
	if (!*n)
		return NULL;
	w = kvmalloc_array(*n, sizeof(*w), GFP_KERNEL);
	if (!w)
		return ERR_PTR(-ENOMEM);
	for (p = patches, *n = 0; p < patches + nr_patches; p++) {
		if (!p->whole)
			continue;
		w[*n].addr = p->addr;
		w[*n].expect = forward ? p->old : p->new;
		w[*n].src = forward ? p->new : p->old;
		w[*n].len = p->len;
		w[(*n)++].call = vmi_op_states[p->op].thunk;
	}
	return w;
}

/*
 * Write every patch in direction @forward and read them all back, the
 * locks held from the check to the CRC as the head of this file says.
 * 0, with *@crc the CRC of every site; -EIO if the sites may be left
 * neither way (a write did not read back, or could not be undone); any
 * other error with nothing changed: -EBUSY if a site does not hold what
 * it must (a kprobe was armed there, say) or a task may be parked inside
 * an inline site (vmi_text_stop_ready()).
 */
static int sites_write(bool forward, u32 *crc)
{
	struct vmi_text_write *w;
	unsigned int n;
	int err;

	w = whole_writes(forward, &n);
	if (IS_ERR(w))
		return PTR_ERR(w);
	if (n)
		cpus_read_lock();
	mutex_lock(vmi_ks.text_mutex);
	err = -EBUSY;
	if (sites_differ(!forward, true, true))
		goto unlock;
	err = n ? vmi_text_stop_ready() : 0;
	if (err)
		goto unlock;
	/*
	 * Only the CALL changes; a CPU that hits the INT3 meanwhile is sent
	 * to the new target, equivalent to the old one.
	 */
	sites_queue(forward);
	err = -EIO;
	if (sites_differ(forward, false, false))
		goto unlock;
	err = vmi_text_stop_write_code(w, n);
	if (err && err != -EIO) {
		pr_err("inline sites not written with CPUs stopped: %d\n", err);
		/* Left as they were: so are the CALLs, under the same lock. */
		sites_queue(!forward);
		if (sites_differ(!forward, false, false)) {
			pr_err("call sites did not read back undone\n");
			err = -EIO;
		}
	} else if (err) {
		pr_err("inline sites did not read back as written\n");
	}
unlock:
	*crc = sites_crc();
	mutex_unlock(vmi_ks.text_mutex);
	if (n)
		cpus_read_unlock();
	kvfree(w);
	return err;
}

/*
 * Why the sites of a failed load could not be proven put back, or NULL.
 * Set, they are left as they are for good: they may still call the
 * shim, which must stay.
 */
static const char *sites_unproven;

const char *vmi_sites_unproven(void)
{
	return sites_unproven;
}

/*
 * Undo a load's writes, whatever part of them was done, and prove it: every
 * site reads back what it held before, and so does the CRC of all of them.
 * 0 when proven; -EIO, with the patches kept and sites_unproven set, if not.
 */
static int sites_rollback(void)
{
	struct vmi_text_write *w;
	unsigned int i, n, m = 0;
	bool ok;
	u32 crc;

	w = whole_writes(false, &n);
	ok = !IS_ERR(w);
	if (!ok)
		w = NULL;
	if (n)
		cpus_read_lock();
	mutex_lock(vmi_ks.text_mutex);
	/* CALLs first: those that hold the new CALL go back. */
	sites_queue(false);
	/* Whole sites that were written, with every CPU stopped. */
	for (i = 0; w && i < n; i++)
		if (!memcmp(w[i].addr, w[i].expect, w[i].len))
			w[m++] = w[i];
	if (m && (vmi_text_stop_ready() || vmi_text_stop_write_code(w, m)))
		ok = false;
	crc = sites_crc();
	if (sites_differ(false, true, false) || crc != vmi_sites.crc_before)
		ok = false;
	mutex_unlock(vmi_ks.text_mutex);
	if (n)
		cpus_read_unlock();
	kvfree(w);
	if (ok && vmi_fail_verify(VMI_FAIL_SITES_ROLLBACK))
		ok = false;
	if (!ok) {
		pr_crit("rollback of %u call sites not proven (crc %08x, was %08x): kernel text may still call vmi_shim\n",
			nr_patches, crc, vmi_sites.crc_before);
		sites_unproven = VMI_WHY("failed-load-unproven", "kernel call sites of the failed load not proven restored");
		return -EIO;
	}
	pr_info("rollback of %u call sites proven (crc %08x, was %08x): nothing changed\n",
		nr_patches, crc, vmi_sites.crc_before);
	return 0;
}

/*
 * Read table @name of at most @max bytes into a vmalloc'ed buffer,
 * through the firmware loader: a name under /lib/firmware (its
 * updates/RELEASE, updates, RELEASE folders first), which the kernel
 * resolves and LSM policies (IMA, IPE) judge as firmware, never a path
 * the module opens. A path, or a name that climbs out, is refused.
 */
int vmi_table_read(const char *name, size_t max, void **buf, size_t *len)
{
	const struct firmware *fw;
	char what[96];
	int err;

	*buf = NULL;
	if (name[0] == '/' || strstr(name, "..")) {
		pr_err("site table %s: want a file name under /lib/firmware (vmi-shim/sites.bin), not a path\n",
		       name);
		return -EINVAL;
	}
	/*
	 * No device: the table is not a device's firmware, so the loader
	 * must not keep its name to read the file again at every suspend.
	 */
	err = firmware_request_nowarn(&fw, name, NULL);
	if (err) {
		pr_err("cannot read the site table %s: %d\n", name, err);
		return err;
	}
	err = -EFBIG;
	if (fw->size > max)
		goto out;
	err = -ENOMEM;
	*buf = vmalloc(fw->size ?: 1);
	if (!*buf)
		goto out;
	memcpy(*buf, fw->data, fw->size);
	*len = fw->size;
	/*
	 * It says which kernel bytes to rewrite: under lockdown only a
	 * signed table is obeyed (trust.c), and the signature is cut off.
	 */
	snprintf(what, sizeof(what), "site table %s", name);
	err = vmi_trust_blob(what, *buf, len);
out:
	if (err) {
		if (err == -EFBIG)
			pr_err("site table %s: %zu bytes, more than %zu\n", name,
			       fw->size, max);
		vfree(*buf);
		*buf = NULL;
	}
	release_firmware(fw);
	return err;
}

/* Does [@addr, @addr + @len) touch the kernel's entry text? */
static bool in_entry_text(unsigned long addr, unsigned int len)
{
	unsigned long start = (unsigned long)vmi_ks.__entry_text_start;
	unsigned long end = (unsigned long)vmi_ks.__entry_text_end;

	return start && end && addr < end && addr + len > start;
}

/* The table in @buf (checked): which it is, then every site planned. */
static int sites_plan_all(const void *buf)
{
	const struct vmi_sites_header *h = buf;
	const struct vmi_site *s = (const void *)((const u8 *)buf + h->header_size);
	unsigned long slide = (unsigned long)vmi_ks._text - h->link_text;
	unsigned long pv_link = (unsigned long)vmi_pv_slot(0) - slide;
	int owner[VMI_PV_OPS_SLOTS];
	unsigned int i;
	int ret;

	strscpy(vmi_sites.release, h->release, sizeof(vmi_sites.release));
	vmi_sites.total = h->nr_sites;
	if (slide & (PMD_SIZE - 1)) {
		pr_err("implausible KASLR slide %#lx\n", slide);
		return -EINVAL;
	}
	vmi_slot_owners(owner, ARRAY_SIZE(owner));
	patches = kvcalloc(h->nr_sites, sizeof(*patches), GFP_KERNEL);
	if (!patches)
		return -ENOMEM;

	for (i = 0; i < h->nr_sites; i++, s++) {
		unsigned long slot = s->slot;

		if (s->addr >= h->init_begin && s->addr < h->init_end) {
			vmi_sites.in_init++;
			continue;
		}
		if (h->kind == VMI_SITES_KIND_ALTCALL) {
			if (s->target < pv_link ||
			    (s->target - pv_link) % sizeof(void *))
				slot = ULONG_MAX;
			else
				slot = (s->target - pv_link) / sizeof(void *);
		}
		if (slot >= ARRAY_SIZE(owner)) {
			pr_err("site %#llx calls outside pv_ops\n", s->addr);
			return -EINVAL;
		}
		/*
		 * Entry code runs on the way to every INT3 handler, so a
		 * site there cannot be written behind INT3s: a CPU meeting
		 * one would trap again before any handler could send it on
		 * (up to 5.10 there are pv sites there; 6.x has none).
		 */
		if (in_entry_text(s->addr + slide, s->len)) {
			vmi_sites.in_entry++;
			continue;
		}
		if (owner[slot] < 0) {
			vmi_sites.unrouted++;
			continue;
		}
		ret = site_plan(s, slide, owner[slot], &patches[nr_patches]);
		if (ret < 0)
			return ret;
		if (ret)
			nr_patches++;
		else
			vmi_sites.inline_kept++;
	}
	return 0;
}

/* .notes is a few hundred bytes: a bigger file is not it. */
#define NOTES_MAX	16384

/*
 * Whether @f is the kernel's own /sys/kernel/notes: a file "notes" in a
 * directory "kernel" at the root of a sysfs mount. The path is looked up
 * in the loading task's namespace, where a chroot or a bind mount could
 * put any file there; only the kernel makes a sysfs file, and every sysfs
 * mount shows the same one.
 */
static bool is_kernel_notes(const struct file *f)
{
	const struct dentry *d = f->f_path.dentry;
	const struct super_block *sb = d->d_sb;

	return sb->s_magic == SYSFS_MAGIC && d_is_reg(d) &&
	       !strcmp(d->d_name.name, "notes") &&
	       !strcmp(d->d_parent->d_name.name, "kernel") &&
	       d->d_parent->d_parent == sb->s_root;
}

/*
 * The running kernel's .notes: in place, or, where kallsyms does not list
 * its bounds (no KALLSYMS_ALL: Debian's 686-pae kernel), copied from
 * /sys/kernel/notes, which the kernel fills from the same bytes. *@copy is
 * what to kfree() then. 0 bytes when neither can be had.
 */
static size_t running_notes(const u8 **notes, void **copy)
{
	struct file *f;
	loff_t pos = 0, size;
	ssize_t n = 0;
	u8 *buf = NULL;

	*copy = NULL;
	*notes = vmi_ks.__start_notes;
	if (*notes && vmi_ks.__stop_notes > *notes)
		return vmi_ks.__stop_notes - *notes;
	f = filp_open("/sys/kernel/notes", O_RDONLY, 0);
	if (IS_ERR(f)) {
		pr_err("/sys/kernel/notes: %ld (kallsyms does not list .notes)\n",
		       PTR_ERR(f));
		return 0;
	}
	size = i_size_read(file_inode(f));
	if (!is_kernel_notes(f) || size <= 0 || size > NOTES_MAX) {
		pr_err("/sys/kernel/notes here is not the kernel's notes file (%lld bytes)\n",
		       size);
		goto out;
	}
	buf = kmalloc(size, GFP_KERNEL);
	if (!buf)
		goto out;
	/* sysfs hands out at most a page per read. */
	while (pos < size) {
		n = kernel_read(f, buf + pos, size - pos, &pos);
		if (n <= 0)
			break;
	}
	if (pos != size) {
		pr_err("/sys/kernel/notes: read %lld of %lld bytes (%zd)\n",
		       pos, size, n);
		kfree(buf);
		buf = NULL;
	}
out:
	filp_close(f, NULL);
	if (!buf)
		return 0;
	*notes = buf;
	*copy = buf;
	return size;
}

int vmi_sites_apply(const char *path)
{
	struct vmi_sites_expect exp = {
		.kind = VMI_SITES_KIND_RUNNING,
		.ptr_size = sizeof(void *),
		.nr_slots = VMI_PV_OPS_SLOTS,
		.max_globals = VMI_PV_GLOBALS,
		.release = init_utsname()->release,
	};
	struct vmi_sites_info info;
	const u8 *notes, *id;
	u8 build_id[40];	/* VMI_SITES_EBUILD_ID_LEN: 1..40 bytes */
	void *notes_copy;
	size_t notes_len;
	unsigned int i;
	size_t len;
	void *buf;
	u64 t0 = ktime_get_ns();
	u32 crc;
	int err;

	memset(&vmi_sites, 0, sizeof(vmi_sites));
	sites_unproven = NULL;
	err = vmi_text_init();
	if (err)
		return err;
	/* The running kernel's GNU build ID, from its .notes section. */
	notes_len = running_notes(&notes, &notes_copy);
	err = !notes_len ||
	      vmi_find_build_id(notes, notes_len, &id, &exp.build_id_len) ||
	      exp.build_id_len > sizeof(build_id);
	if (!err)
		exp.build_id = memcpy(build_id, id, exp.build_id_len);
	kfree(notes_copy);
	if (err) {
		pr_err("running kernel has no build ID note\n");
		return -ENOENT;
	}
	err = vmi_table_read(path, SITES_MAX_FILE, &buf, &len);
	if (err)
		return err;
	err = vmi_sites_check(buf, len, &exp, &info);
	if (err) {
		pr_err("site table %s rejected: %s\n", path,
		       vmi_sites_strerror(err));
		err = -EINVAL;
		goto out;
	}
	err = sites_plan_all(buf);
	if (err)
		goto out_free;

	mutex_lock(vmi_ks.text_mutex);
	vmi_sites.crc_before = sites_crc();
	mutex_unlock(vmi_ks.text_mutex);
	err = sites_write(true, &crc);
	if (err && err != -EIO) {
		pr_err("no call site re-patched: refusing the load, nothing changed\n");
		goto out_free;
	}
	if (err || vmi_fail_verify(VMI_FAIL_SITES_APPLY)) {
		pr_err("patched sites do not read back as written; restoring\n");
		err = -EIO;
		/* Unproven: keep the patches, the sites are left as they are. */
		if (sites_rollback())
			goto out;
		goto out_free;
	}
	for (i = 0; i < nr_patches; i++) {
		vmi_op_states[patches[i].op].sites++;
		vmi_sites.whole += patches[i].whole;
	}
	if (vmi_sites.inline_kept && vmi_text_stop_unsafe())
		pr_info("%u inline sites kept: %s\n", vmi_sites.inline_kept,
			vmi_text_stop_unsafe());
	vmi_sites.patched = nr_patches;
	vmi_sites.loaded = true;
	pr_info("%u of %u call sites re-patched in %llu us (%u in freed init text, %u in entry text, %u of unrouted ops, %u inline kept)\n",
		nr_patches, vmi_sites.total, div_u64(ktime_get_ns() - t0, 1000),
		vmi_sites.in_init, vmi_sites.in_entry, vmi_sites.unrouted,
		vmi_sites.inline_kept);
	trace_vmi_sites_patch("vmlinux", nr_patches, ktime_get_ns() - t0);
	goto out;

out_free:
	kvfree(patches);
	patches = NULL;
	nr_patches = 0;
out:
	vfree(buf);
	return err;
}

/* Put every site back; 0 when the bytes read back as before. */
int vmi_sites_restore(void)
{
	u64 t0 = ktime_get_ns();
	unsigned int i;
	int err;

	if (sites_unproven) {
		pr_crit("call sites not restored: %s\n", sites_unproven);
		return -EIO;
	}
	if (!vmi_sites.loaded)
		return 0;
	err = sites_write(false, &vmi_sites.crc_restored);
	if (err && err != -EIO) {
		pr_err("call sites not restored, nothing written: they still call vmi_shim\n");
		return err;
	}
	if (err)
		pr_err("writing the sites back failed\n");
	if (err || vmi_sites.crc_restored != vmi_sites.crc_before) {
		pr_err("call sites did not restore cleanly (crc %08x, was %08x)\n",
		       vmi_sites.crc_restored, vmi_sites.crc_before);
		return -EIO;
	}
	for (i = 0; i < vmi_nr_ops; i++)
		vmi_op_states[i].sites = 0;
	pr_info("%u call sites restored in %llu us (crc %08x)\n", nr_patches,
		div_u64(ktime_get_ns() - t0, 1000), vmi_sites.crc_restored);
	trace_vmi_sites_restore("vmlinux", nr_patches, ktime_get_ns() - t0);
	vmi_sites.patched = 0;
	vmi_sites.whole = 0;
	kvfree(patches);
	patches = NULL;
	nr_patches = 0;
	vmi_sites.loaded = false;
	return 0;
}

/*
 * Could the sites be restored now? -EBUSY (each culprit logged) if one
 * no longer holds what the shim wrote: a kprobe armed there since, say.
 */
int vmi_sites_check_restore(void)
{
	unsigned int bad;

	if (!vmi_sites.loaded)
		return 0;
	mutex_lock(vmi_ks.text_mutex);
	bad = sites_differ(true, true, true);
	mutex_unlock(vmi_ks.text_mutex);
	return bad ? -EBUSY : 0;
}
