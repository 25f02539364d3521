# SPDX-License-Identifier: GPL-2.0
#
# The flags that give a file the kernel-difference probes and the generic
# API fallbacks (compat/kapi.h), for module/Kbuild and for the test
# modules built with the shim: include it with vmi_module set to the
# absolute path of module/, then add $(vmi_kapi) to ccflags-y and
# asflags-y.
#
# kapi.h is force-included (-include) rather than included where used:
# base/, the lowest layer, may not include compat/ (tools/check-includes)
# but needs fallbacks too, and this way no call site differs between
# kernels. kapi.h includes no header, so it changes nothing a file
# includes or defines before its own first line. compat/include/ holds
# stand-ins for whole headers older kernels lack; -idirafter searches it
# after the kernel's own directories, so a kernel that has a header
# always uses its own.
vmi_kapi := $(shell sh $(vmi_module)/compat/compat-probe.sh $(srctree) $(objtree)) \
	-include $(vmi_module)/compat/kapi.h \
	-idirafter $(vmi_module)/compat/include
