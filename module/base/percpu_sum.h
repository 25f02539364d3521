/* SPDX-License-Identifier: GPL-2.0 */
#ifndef VMI_SHIM_PERCPU_SUM_H
#define VMI_SHIM_PERCPU_SUM_H

#include <linux/cpumask.h>
#include <linux/percpu.h>

/*
 * A per-CPU event counter over every possible CPU: a CPU that went
 * offline keeps the events it counted.
 */
static inline u64 vmi_percpu_sum(u64 __percpu *c)
{
	u64 n = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		n += *per_cpu_ptr(c, cpu);
	return n;
}

#endif /* VMI_SHIM_PERCPU_SUM_H */
