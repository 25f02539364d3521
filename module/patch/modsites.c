// SPDX-License-Identifier: GPL-2.0
/*
 * Call sites of modules loaded before the shim: patched at their load with
 * the then-current pv_ops values, they call the kernel's implementations.
 * Where they are, and which slot each read, comes from `vmi-sites modules`
 * (the .ko files on disk plus /sys/module/NAME/sections), passed as
 * modsites=. Nothing in the table is trusted: every module must be loaded
 * and LIVE, every site must lie in that module's core text and hold a form
 * boot-time patching produces for its op (vmi_site_form()). Any other
 * surprise refuses the load before one byte changes. The sites are then
 * re-pointed in one INT3-protected batch, read back, and handed to the
 * module tracker, which restores them on unload like those of modules loaded
 * later (or forgets them if the module goes first).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/utsname.h>
#include <linux/vmalloc.h>
#include <vmi/modsites.h>
#include <vmi/modsites_check.h>
#include <vmi/sites_check.h>

#include "base/fail_verify.h"
#include "base/insn.h"
#include "base/ksyms.h"
#include "base/trace.h"
#include "base/why.h"
#include "compat/compat.h"
#include "patch/modsites.h"
#include "patch/modtrack.h"
#include "patch/ops.h"
#include "patch/sites.h"

#define MODSITES_MAX_FILE (sizeof(struct vmi_modsites_header) + \
	VMI_MODSITES_MAX_MODULES * sizeof(struct vmi_modsites_module) + \
	VMI_MODSITES_MAX_SITES * sizeof(struct vmi_modsite))

struct vmi_modsites_state vmi_modsites;

/*
 * Modules of the last applied table, found loaded, and how many of the
 * unlock sites the table lists for each were left inline (native): for
 * the PV spinlock switch. Those it re-pointed are in the tracker's
 * record of the module, checked there.
 */
struct covered_module {
	struct module *mod;
	unsigned int unlock_kept;
};

static struct covered_module *covered;
static unsigned int nr_covered;

/*
 * What the table says of @mod's unlock sites: unknown if it is not in
 * it, native if one was left inline, PV otherwise (each of the others
 * was re-pointed to the shim's unlock entry; the table lists every site
 * of the module's .ko, as `vmi-sites modules` extracts them).
 */
enum vmi_unlocks vmi_modsites_unlocks(struct module *mod)
{
	unsigned int i;

	for (i = 0; i < nr_covered; i++)
		if (covered[i].mod == mod)
			return covered[i].unlock_kept ? VMI_UNLOCKS_NATIVE :
							VMI_UNLOCKS_PV;
	return VMI_UNLOCKS_UNKNOWN;
}

/*
 * @mod is going (the tracker's notifier, under its lock): a module loaded
 * later may get its struct's address, and must not inherit its verdict.
 */
void vmi_modsites_gone(struct module *mod)
{
	unsigned int i;

	for (i = 0; i < nr_covered; i++)
		if (covered[i].mod == mod)
			covered[i] = covered[--nr_covered];
}

/* Not with the tracker's lock held. */
void vmi_modsites_forget(void)
{
	vmi_modtrack_lock();
	kfree(covered);
	covered = NULL;
	nr_covered = 0;
	vmi_modtrack_unlock();
}

/* One module's planned re-points. */
struct mod_plan {
	struct module *mod;
	struct vmi_repoints s;
	u32 crc;		/* of the CALLs as read before any write */
	u64 ns;			/* how long its sites took to write */
};

/*
 * Why the sites of a failed load could not be proven put back, or NULL.
 * Set, they are left as they are for good: the shim must stay.
 */
static const char *modsites_unproven;

const char *vmi_modsites_unproven(void)
{
	return modsites_unproven;
}

/* CRC of the CALL of every site of @p, as it reads now. */
static u32 plan_crc(const struct mod_plan *p)
{
	unsigned int i;
	u32 crc = 0;

	for (i = 0; i < p->s.nr; i++)
		crc = vmi_crc32(crc, p->s.addrs[i], CALL_INSN_SIZE);
	return crc;
}

/*
 * Put the sites of @plans[0..n) back after a failed load, whatever part
 * of them was re-pointed, and prove it: each reads back a call to what
 * it called before, and the CRC over each module's CALLs is what it was
 * before the first write. Unproven, they are left as they are and
 * modsites_unproven says why: the shim must stay.
 */
static int rollback_proven(struct mod_plan *plans, unsigned int n)
{
	unsigned int i, sites = 0;
	u32 crc = 0, was = 0, c;
	bool ok = true;

	for (i = 0; i < n; i++) {
		struct mod_plan *p = &plans[i];

		if (vmi_text_repoint_back(p->s.addrs, p->s.thunk, p->s.orig,
					  p->s.nr)) {
			pr_crit("%s: call sites not restored\n", p->mod->name);
			ok = false;
		}
		c = plan_crc(p);
		ok &= c == p->crc;
		crc = vmi_crc32(crc, &c, sizeof(c));
		was = vmi_crc32(was, &p->crc, sizeof(p->crc));
		sites += p->s.nr;
	}
	if (!ok || vmi_fail_verify(VMI_FAIL_MODSITES_ROLLBACK)) {
		pr_crit("rollback of %u module call sites not proven (crc %08x, was %08x): they may still call vmi_shim\n",
			sites, crc, was);
		modsites_unproven = VMI_WHY("failed-load-unproven", "module call sites of the failed load not proven restored");
		return -EIO;
	}
	pr_info("rollback of %u module call sites proven (crc %08x, was %08x): nothing changed\n",
		sites, crc, was);
	return 0;
}

/*
 * Both ends of [at, at + len) in @mod's core (not init) text, by the
 * kernel's own __module_text_address (not exported before 6.13: ksyms.h).
 */
static bool in_core_text(struct module *mod, unsigned long at,
			 unsigned int len)
{
	bool ok;

	preempt_disable();
	ok = vmi_ks.__module_text_address(at) == mod &&
	     vmi_ks.__module_text_address(at + len - 1) == mod &&
	     !within_module_init(at, mod);
	preempt_enable();
	return ok;
}

/* Check every site of one module; fill @p with those to re-point. */
static int plan_module(const struct vmi_modsites_module *m,
		       const struct vmi_modsite *s, const int *owner,
		       struct mod_plan *p, unsigned int *unlock_kept)
{
	u8 cur[VMI_MODSITE_MAX_LEN];
	unsigned int i;
	int ret;

	memset(p, 0, sizeof(*p));
	p->mod = vmi_module_find(m->name, MODULE_STATE_LIVE);
	if (!p->mod) {
		pr_info("%s: not loaded now; its sites in the table are skipped\n",
			m->name);
		vmi_modsites.modules_gone++;
		return 0;
	}
	if (vmi_repoints_alloc(&p->s, m->nr_sites))
		return -ENOMEM;

	for (i = 0; i < m->nr_sites; i++, s++) {
		u8 *at = (u8 *)(unsigned long)s->addr;
		int op = owner[s->slot];

		if (!in_core_text(p->mod, s->addr, s->len)) {
			pr_err("%s: site %#llx is not in its core text; table is stale or wrong, refusing\n",
			       m->name, s->addr);
			return -ERANGE;
		}
		if (op < 0) {
			vmi_modsites.unrouted++;
			continue;
		}
		ret = vmi_site_form(at, s->len, op, cur);
		if (ret < 0)
			return ret;
		if (!ret) {
			vmi_modsites.inline_kept++;
			if (vmi_ops[op]->is_unlock) {
				vmi_modsites.lock_inline_kept++;
				(*unlock_kept)++;
			}
			continue;
		}
		p->s.addrs[p->s.nr] = at;
		p->s.orig[p->s.nr] = vmi_op_states[op].orig;
		p->s.thunk[p->s.nr++] = vmi_op_states[op].thunk;
	}
	return 0;
}

/*
 * Re-point every planned site. A module whose sites changed since they
 * were planned (a kprobe armed there) is written not at all (-EBUSY);
 * then, as on a bad read-back, the modules done so far are put back and
 * that is proven (-EIO if it cannot be: the shim must stay).
 */
static int patch_all(struct mod_plan *plans, unsigned int n)
{
	unsigned int i;
	int err = 0;

	for (i = 0; i < n; i++)
		plans[i].crc = plan_crc(&plans[i]);
	for (i = 0; i < n && !err; i++) {
		u64 t0 = ktime_get_ns();

		err = vmi_text_repoint(plans[i].s.addrs, plans[i].s.orig,
				       plans[i].s.thunk, plans[i].s.nr);
		plans[i].ns = ktime_get_ns() - t0;
	}
	if (!err && n && vmi_fail_verify(VMI_FAIL_MODSITES_APPLY))
		err = -EIO;
	if (!err)
		return 0;
	/* i is one past the failed module; it is left as it is on -EBUSY. */
	if (err != -EBUSY)
		pr_err("module call sites do not read back as written; restoring\n");
	if (rollback_proven(plans, err == -EBUSY ? i - 1 : i) || err != -EBUSY)
		return -EIO;
	pr_err("no module call site re-patched: refusing the load, nothing changed\n");
	return -EBUSY;
}

static int apply_table(const void *buf)
{
	const struct vmi_modsites_header *h = buf;
	const struct vmi_modsites_module *m = (const void *)(h + 1);
	const struct vmi_modsite *s = (const void *)(m + h->nr_modules);
	int owner[VMI_PV_OPS_SLOTS];
	struct mod_plan *plans;
	unsigned int i, n = 0;
	int err = 0;

	vmi_slot_owners(owner, ARRAY_SIZE(owner));
	vmi_modsites_forget();
	vmi_modtrack_lock();
	/* On failure, covered goes with the caller's vmi_modsites_forget(). */
	plans = kcalloc(h->nr_modules ?: 1, sizeof(*plans), GFP_KERNEL);
	covered = kcalloc(h->nr_modules ?: 1, sizeof(*covered), GFP_KERNEL);
	if (!plans || !covered)
		err = -ENOMEM;
	for (i = 0; i < h->nr_modules && !err; i++) {
		err = plan_module(&m[i], s + m[i].first_site, owner, &plans[n],
				  &covered[nr_covered].unlock_kept);
		if (plans[n].mod)
			covered[nr_covered++].mod = plans[n].mod;
		if (plans[n].s.nr)
			n++;
		else
			kfree(plans[n].s.addrs);
	}
	if (!err)
		err = patch_all(plans, n);
	for (i = 0; i < n; i++) {
		if (!err && !vmi_modtrack_add(plans[i].mod, &plans[i].s)) {
			vmi_modsites.modules++;
			vmi_modsites.patched += plans[i].s.nr;
			pr_info("%s: %u call sites re-patched (loaded before the shim)\n",
				plans[i].mod->name, plans[i].s.nr);
			trace_vmi_sites_patch(plans[i].mod->name,
					      plans[i].s.nr, plans[i].ns);
			continue;
		}
		/*
		 * Not tracked: put it and the rest back rather than leave
		 * them (those tracked go at the unroute).
		 */
		if (!err)
			err = rollback_proven(plans + i, n - i) ?: -ENOMEM;
		kfree(plans[i].s.addrs);
	}
	vmi_modtrack_unlock();
	kfree(plans);
	return err;
}

int vmi_modsites_apply(const char *path)
{
	struct vmi_modsites_info info;
	u64 t0 = ktime_get_ns();
	size_t len;
	void *buf;
	int err;

	memset(&vmi_modsites, 0, sizeof(vmi_modsites));
	modsites_unproven = NULL;
	if (!vmi_ks.__module_text_address) {
		pr_err("__module_text_address not found: cannot check module sites\n");
		return -EOPNOTSUPP;
	}
	err = vmi_table_read(path, MODSITES_MAX_FILE, &buf, &len);
	if (err)
		return err;
	err = vmi_modsites_check(buf, len, init_utsname()->release,
				 VMI_PV_OPS_SLOTS, &info);
	if (err) {
		if (info.bad_module >= 0)
			pr_err("module site table %s rejected: %s (module record %d, site %d)\n",
			       path, vmi_modsites_strerror(err),
			       info.bad_module, info.bad_site);
		else
			pr_err("module site table %s rejected: %s\n", path,
			       vmi_modsites_strerror(err));
		err = -EINVAL;
		goto out;
	}
	vmi_modsites.total = info.nr_sites;
	err = apply_table(buf);
	if (err) {
		vmi_modsites_forget();
		memset(&vmi_modsites, 0, sizeof(vmi_modsites));
		goto out;
	}
	vmi_modsites.loaded = true;
	pr_info("modules loaded before the shim: %u of %u call sites re-patched in %u modules in %llu us (%u of unrouted ops, %u inline kept, %u modules gone)\n",
		vmi_modsites.patched, vmi_modsites.total, vmi_modsites.modules,
		div_u64(ktime_get_ns() - t0, 1000), vmi_modsites.unrouted,
		vmi_modsites.inline_kept, vmi_modsites.modules_gone);
out:
	vfree(buf);
	return err;
}
