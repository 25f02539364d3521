// SPDX-License-Identifier: GPL-2.0
/* Printable names for VMI call numbers, relocation types and backends. */
#include "../include/vmi/abi.h"
#include "../include/vmi/names.h"

/* 0 if @cond holds; a build error (an array of size -1) if not. */
#define VMI_BUILD_CHECK(cond)	(sizeof(char[(cond) ? 1 : -1]) - 1)

/*
 * Each name at its number, which also checks the table's own rules
 * (include/vmi/calls.h): number order without gaps, minor 0 for VMI
 * 3.0's calls and 1 to VMI_API_MINOR for the appended ones (not one
 * minor per call: 3.14 appended none).
 */
static const char * const call_names[VMI_CALL_COUNT] = {
#define VMI_X(nr, id, name, minor, ret, params) \
	[VMI_CALL_##id + VMI_BUILD_CHECK(VMI_CALL_##id == (nr) && \
		((nr) < VMI_CALL_COUNT_3_0 ? (minor) == 0 : \
		 (minor) >= 1 && (minor) <= VMI_API_MINOR))] = name,
	VMI_CALLS(VMI_X)
#undef VMI_X
};

const char *vmi_call_name(unsigned long call)
{
	if (call >= VMI_CALL_COUNT || !call_names[call])
		return "(unknown)";
	return call_names[call];
}

const char *vmi_relocation_name(unsigned long type)
{
	switch (type) {
	case VMI_RELOCATION_NONE:	return "NONE";
	case VMI_RELOCATION_CALL_REL:	return "CALL_REL";
	case VMI_RELOCATION_JUMP_REL:	return "JUMP_REL";
	case VMI_RELOCATION_NOP:	return "NOP";
	}
	return "(bad type)";
}

const char *vmi_backend_name(unsigned long backend)
{
	switch (backend) {
	case VMI_BACKEND_NONE:		return "none";
	case VMI_BACKEND_NATIVE:	return "native";
	case VMI_BACKEND_KVM:		return "kvm";
	case VMI_BACKEND_NOP:		return "nop";
	case VMI_BACKEND_ROM:		return "rom";
	}
	return "(bad backend)";
}
