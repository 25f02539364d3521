// SPDX-License-Identifier: GPL-2.0
/*
 * Addresses of unexported kernel symbols (ksyms.h), looked up once.
 *
 * kallsyms_lookup_name() has not been exported since 5.7. A kprobe on it
 * tells its address without executing it, which is the usual way out; the
 * probe is removed at once.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kprobes.h>
#include <linux/printk.h>

#include "base/ksyms.h"

struct vmi_ksyms vmi_ks;

static unsigned long (*vmi_kallsyms_lookup_name)(const char *name);

/*
 * The names, each at its field's place in struct vmi_ksyms: a name given
 * twice does not build (override-init made an error here), a field left
 * without one is refused at init, and the table is exactly as long as the
 * struct (every field a pointer).
 */
#define NR_KSYMS	(sizeof(struct vmi_ksyms) / sizeof(void *))
#define KSYM(sym) \
	[offsetof(struct vmi_ksyms, sym) / sizeof(void *)] = #sym
__diag_push();
__diag_error(GCC, 8, "-Woverride-init", "each symbol once");
/* clang's own name for it; __diag_clang's versions differ by kernel. */
#ifdef __clang__
_Pragma("clang diagnostic error \"-Winitializer-overrides\"")
#endif
static const char *const ksym_names[NR_KSYMS] = {
	KSYM(text_mutex), KSYM(text_poke_copy), KSYM(text_poke_set),
	KSYM(text_poke_queue), KSYM(text_poke_finish), KSYM(text_poke),
	KSYM(_text), KSYM(_stext), KSYM(_etext),
	KSYM(__entry_text_start), KSYM(__entry_text_end),
	KSYM(__start_notes), KSYM(__stop_notes),
	KSYM(stop_machine_cpuslocked), KSYM(apic_send_IPI_allbutself),
	KSYM(__SCK__irqentry_exit_cond_resched), KSYM(__SCK__preempt_schedule),
	KSYM(static_call_mutex),
	KSYM(modules), KSYM(__module_text_address),
	KSYM(_paravirt_nop), KSYM(nop_func),
	KSYM(x86_return_thunk), KSYM(__x86_return_thunk),
	KSYM(cpu_buf_idle_clear), KSYM(mds_idle_clear),
	KSYM(native_queued_spin_lock_slowpath),
	KSYM(__pv_queued_spin_lock_slowpath),
	KSYM(__raw_callee_save___pv_queued_spin_unlock),
	KSYM(pv_lock_hash), KSYM(pv_lock_hash_bits),
	KSYM(__SCK__pv_steal_clock), KSYM(__SCT__pv_steal_clock),
	KSYM(native_steal_clock), KSYM(paravirt_steal_enabled),
	KSYM(native_send_call_func_ipi), KSYM(idle_cpu),
};
__diag_pop();
static_assert(sizeof(struct vmi_ksyms) % sizeof(void *) == 0);

int vmi_ksyms_init(void)
{
	struct kprobe kp = { .symbol_name = "kallsyms_lookup_name" };
	unsigned int i;
	int err;

	if (vmi_kallsyms_lookup_name)
		return 0;
	err = register_kprobe(&kp);
	if (err) {
		pr_err("cannot locate kallsyms_lookup_name (kprobe: %d)\n", err);
		return err;
	}
	vmi_kallsyms_lookup_name = (void *)kp.addr;
	unregister_kprobe(&kp);
	for (i = 0; i < NR_KSYMS; i++) {
		if (!ksym_names[i]) {
			pr_err("struct vmi_ksyms field %u has no KSYM() name\n", i);
			return -EINVAL;
		}
		((unsigned long *)&vmi_ks)[i] =
			vmi_kallsyms_lookup_name(ksym_names[i]);
	}
	return 0;
}

/* 0 when the symbol does not exist in this kernel. */
unsigned long vmi_ksym(const char *name)
{
	return vmi_kallsyms_lookup_name ? vmi_kallsyms_lookup_name(name) : 0;
}
