// SPDX-License-Identifier: GPL-2.0
/*
 * A VM's memory: RAM in slot 0 with the page tables, GDT and guest image
 * the guest starts on (include/layout.h), and the VM's own copy of the
 * ROM in a read-only slot 1, so that a write to it exits as MMIO.
 */
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include "vmm.h"

/* The guest image, linked in by lib/vmm/guest_blob.S. */
extern const uint8_t guest_bin[], guest_bin_end[];

static void set_memslot(struct vm *vm, uint32_t slot, uint64_t gpa, void *hva,
			uint64_t size, uint32_t flags)
{
	struct kvm_userspace_memory_region r = {
		.slot = slot, .flags = flags, .guest_phys_addr = gpa,
		.memory_size = size, .userspace_addr = (uintptr_t)hva,
	};

	if (ioctl(vm->fd, KVM_SET_USER_MEMORY_REGION, &r) < 0)
		die("KVM_SET_USER_MEMORY_REGION slot %u", slot);
}

static void build_memory(struct vm *vm)
{
	uint64_t *pml4 = g2h(vm, GPA_PML4), *pdpt = g2h(vm, GPA_PDPT);
	uint64_t *gdt = g2h(vm, GPA_GDT), *pt = g2h(vm, GPA_PT);
	size_t gsize = (size_t)(guest_bin_end - guest_bin);
	int i, j;

	/* Identity map 0..8 GiB with 2 MiB pages (covers both ROM copies). */
	pml4[0] = GPA_PDPT | 3;
	for (i = 0; i < NR_PD; i++) {
		uint64_t *pd = g2h(vm, GPA_PD + i * 0x1000ULL);

		pdpt[i] = (GPA_PD + i * 0x1000ULL) | 3;
		for (j = 0; j < 512; j++)
			pd[j] = ((uint64_t)(i * 512 + j) << 21) | 0x83;
	}
	/* The TLB window: one 4 KiB page table under the last 2 MiB of GiB 0. */
	((uint64_t *)g2h(vm, GPA_PD))[TLB_VA >> 21] = GPA_PT | 3;
	pt[0] = GPA_TLB_P1 | 3;

	gdt[1] = 0x00af9b000000ffffULL;		/* 64-bit code */
	gdt[2] = 0x00cf93000000ffffULL;		/* data */
	gdt[3] = 0x67 | (GPA_TSS & 0xffffff) << 16 | 0x8bULL << 40 |
		 ((GPA_TSS >> 24) & 0xff) << 56;	/* busy 64-bit TSS */
	gdt[4] = GPA_TSS >> 32;

	if (gsize > GPA_CODE_MAX)
		die("guest image too large (%zu)", gsize);
	memcpy(g2h(vm, GPA_CODE), guest_bin, gsize);
}

/* RAM and the ROM copy at vm->rom_gpa, both mapped into the VM. */
void vm_memory_create(struct vm *vm)
{
	vm->ram = mmap(NULL, RAM_SIZE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	vm->rom_map = (rom_len + 0xfff) & ~0xfffULL;
	vm->rom = mmap(NULL, vm->rom_map, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (vm->ram == MAP_FAILED || vm->rom == MAP_FAILED)
		die("mmap guest memory");
	memcpy(vm->rom, rom_img, rom_len);
	set_memslot(vm, 0, 0, vm->ram, RAM_SIZE, 0);
	set_memslot(vm, 1, vm->rom_gpa, vm->rom, vm->rom_map, KVM_MEM_READONLY);
	build_memory(vm);
}

void vm_memory_destroy(struct vm *vm)
{
	munmap(vm->ram, RAM_SIZE);
	munmap(vm->rom, vm->rom_map);
}
