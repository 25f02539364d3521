/* SPDX-License-Identifier: GPL-2.0 */
#ifndef VMI_SHIM_KSYMS_H
#define VMI_SHIM_KSYMS_H

#include <linux/stop_machine.h>
#include <linux/types.h>

struct cpumask;
struct list_head;
struct module;
struct mutex;
struct pv_hash_entry;
struct qspinlock;
struct static_call_key;
struct static_key;

/*
 * The kernel's unexported symbols the shim uses, typed, each named as in
 * the kernel and looked up once by vmi_ksyms_init(); NULL where this
 * kernel has no such symbol (alternatives of other kernel versions are
 * listed side by side), and each user says what it cannot do without it.
 */
struct vmi_ksyms {
	/* text patching */
	struct mutex *text_mutex;
	void *(*text_poke_copy)(void *addr, const void *src, size_t len);
	void *(*text_poke_set)(void *addr, int c, size_t len);
	void (*text_poke_queue)(void *addr, const void *opcode, size_t len,
				const void *emulate);
	void (*text_poke_finish)(void);
	void *(*text_poke)(void *addr, const void *opcode, size_t len);
	const u8 *_text, *_stext, *_etext;
	const u8 *__entry_text_start, *__entry_text_end;
	const u8 *__start_notes, *__stop_notes;
	int (*stop_machine_cpuslocked)(cpu_stop_fn_t fn, void *data,
				       const struct cpumask *cpus);
	void (*apic_send_IPI_allbutself)(unsigned int vector);
	struct static_call_key *__SCK__irqentry_exit_cond_resched;
	struct static_call_key *__SCK__preempt_schedule;
	struct mutex *static_call_mutex;
	/* modules */
	struct list_head *modules;
	struct module *(*__module_text_address)(unsigned long addr);
	/* paravirt and speculation */
	void *_paravirt_nop, *nop_func;		/* 6.1, 6.8+ */
	void **x86_return_thunk;		/* the pointer, 6.12 */
	void *__x86_return_thunk;		/* the function */
	struct static_key *cpu_buf_idle_clear, *mds_idle_clear; /* new, old */
	/* PV spinlocks */
	void (*native_queued_spin_lock_slowpath)(struct qspinlock *lock,
						 u32 val);
	void (*__pv_queued_spin_lock_slowpath)(struct qspinlock *lock,
					       u32 val);
	void *__raw_callee_save___pv_queued_spin_unlock;
	struct pv_hash_entry **pv_lock_hash;
	unsigned int *pv_lock_hash_bits;
	/* the retrofit */
	struct static_call_key *__SCK__pv_steal_clock;
	void *__SCT__pv_steal_clock;
	u64 (*native_steal_clock)(int cpu);
	struct static_key *paravirt_steal_enabled;
	void (*native_send_call_func_ipi)(const struct cpumask *mask);
	int (*idle_cpu)(int cpu);
};

extern struct vmi_ksyms vmi_ks;
/*
 * kallsyms lists functions only (no CONFIG_KALLSYMS_ALL): a variable's
 * NULL above means "not seen", not "not in this kernel". What reads one
 * then assumes the worst (ksyms.c).
 */
extern bool vmi_ksyms_data_hidden;

int vmi_ksyms_init(void);
/* For names only known at run time (the op table's natives): 0 if none. */
unsigned long vmi_ksym(const char *name);

#endif /* VMI_SHIM_KSYMS_H */
