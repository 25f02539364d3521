// SPDX-License-Identifier: GPL-2.0
/*
 * Addresses of unexported kernel symbols (ksyms.h), looked up once.
 *
 * kallsyms_lookup_name() has not been exported since 5.7. A kprobe on it
 * tells its address without executing it, which is the usual way out; the
 * probe is removed at once.
 *
 * Without CONFIG_KALLSYMS_ALL (Debian's 686-pae kernel) kallsyms lists
 * functions only. The two variables the core cannot do without are then
 * found another way: text_mutex in the code of the two functions that take
 * it first thing (ksym_text_mutex_from_code()), the modules list's head on
 * the list itself (ksym_modules_head()). The others stay NULL, and
 * vmi_ksyms_data_hidden tells their readers to assume the worst: the
 * kernel's selected return thunk unknown (ROM refused where the kernel
 * uses one), CPU buffers cleared before HLT, a preemption model switch
 * possibly under way (no inline site written whole).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kprobes.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/rculist.h>
#include <linux/printk.h>
#include <linux/uaccess.h>
#include <asm/text-patching.h>

#include "base/ksyms.h"

struct vmi_ksyms vmi_ks;
bool vmi_ksyms_data_hidden;

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

/* How far into a function its mutex_lock(&text_mutex) may be. */
#define TEXT_MUTEX_SCAN	128

/*
 * The text_mutex that @fn locks: the address loaded as mutex_lock()'s
 * first argument right before the call, "mov $imm32,%eax" (i386, regparm)
 * or "mov $simm32,%rdi" (x86-64), or 0 when no such pair is found.
 */
static unsigned long text_mutex_in(const u8 *fn)
{
	static const u8 mov_rdi[] = { 0x48, 0xc7, 0xc7 };
	const size_t mov_len = IS_ENABLED(CONFIG_X86_64) ? 7 : 5;
	unsigned long lock_fn = (unsigned long)&mutex_lock;
	u8 code[TEXT_MUTEX_SCAN + 16];
	unsigned int i;

#ifdef CONFIG_DEBUG_LOCK_ALLOC
	lock_fn = (unsigned long)&mutex_lock_nested;
#endif
	if (!fn || copy_from_kernel_nofault(code, fn, sizeof(code)))
		return 0;
	for (i = 0; i < TEXT_MUTEX_SCAN; i++) {
		const u8 *mov = code + i, *call = mov + mov_len;
		unsigned long next = (unsigned long)fn + i + mov_len +
				     CALL_INSN_SIZE;
		s32 imm, rel;

		if (IS_ENABLED(CONFIG_X86_64) ?
		    memcmp(mov, mov_rdi, sizeof(mov_rdi)) : *mov != 0xb8)
			continue;
		if (*call != CALL_INSN_OPCODE)
			continue;
		memcpy(&rel, call + 1, sizeof(rel));
		if (next + (long)rel != lock_fn)
			continue;
		memcpy(&imm, call - sizeof(imm), sizeof(imm));
		return IS_ENABLED(CONFIG_X86_64) ? (unsigned long)(long)imm :
						   (u32)imm;
	}
	return 0;
}

/*
 * text_poke_copy() and text_poke_set() both lock text_mutex before
 * anything else. Taken only when both name the same address and what is
 * there looks like an idle mutex's wait list (a list whose first entry
 * points back at it), and said in the log either way.
 */
static struct mutex *ksym_text_mutex_from_code(void)
{
	unsigned long a = text_mutex_in((const u8 *)vmi_ks.text_poke_copy);
	unsigned long b = text_mutex_in((const u8 *)vmi_ks.text_poke_set);
	struct list_head *head, *first, *back;

	if (!a || a != b) {
		pr_info("text_mutex is not in kallsyms (no KALLSYMS_ALL) and its users do not agree on it (%#lx, %#lx)\n",
			a, b);
		return NULL;
	}
	head = &((struct mutex *)a)->wait_list;
	if (get_kernel_nofault(first, &head->next) ||
	    get_kernel_nofault(back, &first->prev) || back != head) {
		pr_info("text_mutex: %#lx, read from text_poke_copy's code, is no mutex\n",
			a);
		return NULL;
	}
	pr_info("text_mutex is not in kallsyms (no KALLSYMS_ALL): %#lx, read from text_poke_copy's and text_poke_set's code\n",
		a);
	return (struct mutex *)a;
}

/*
 * The modules list's head, found on the list this module is on: the one
 * node in the kernel's own data (virt_addr_valid()), where every other is
 * inside a struct module in module memory (vmalloc'ed, or x86-64's module
 * area past the kernel image). NULL unless exactly one node is.
 */
static struct list_head *ksym_modules_head(void)
{
	struct list_head *pos, *head = NULL;
	unsigned int n = 0;

	rcu_read_lock();
	/* list_for_each_rcu() came back only in 5.6: spelled out. */
	for (pos = rcu_dereference(list_next_rcu(&THIS_MODULE->list));
	     pos != &THIS_MODULE->list;
	     pos = rcu_dereference(list_next_rcu(pos))) {
		if (virt_addr_valid(pos)) {
			head = pos;
			n++;
		}
	}
	rcu_read_unlock();
	if (n != 1) {
		pr_info("the modules list is not in kallsyms and %u of its nodes look like its head\n",
			n);
		return NULL;
	}
	return head;
}

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
	/* Every kernel has text_mutex: missing, kallsyms lists no data. */
	vmi_ksyms_data_hidden = !vmi_ks.text_mutex;
	if (!vmi_ks.text_mutex)
		vmi_ks.text_mutex = ksym_text_mutex_from_code();
	if (!vmi_ks.modules)
		vmi_ks.modules = ksym_modules_head();
	return 0;
}

/* 0 when the symbol does not exist in this kernel. */
unsigned long vmi_ksym(const char *name)
{
	return vmi_kallsyms_lookup_name ? vmi_kallsyms_lookup_name(name) : 0;
}
