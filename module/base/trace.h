/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The shim's trace events, system vmi_shim: what it does on a live system
 * for trace-cmd, perf and /sys/kernel/tracing/events/vmi_shim/, without
 * the kernel log. docs/sysfs.md ("Trace events") lists each with its
 * fields. base/trace.c defines them (CREATE_TRACE_POINTS); every layer
 * above may call them. Nothing here knows a ROM or an op: the callers
 * hand in names, counts and times.
 *
 * Reasons are VMI_WHY() strings ("token: sentence", base/why.h); an event
 * keeps the token, the word sysfs shows, and "" when there is none.
 * Strings are __string() fields written with vmi_assign_str(), which
 * gives each kernel its own __assign_str() (compat/kapi.h).
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM vmi_shim

#if !defined(VMI_SHIM_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define VMI_SHIM_TRACE_H

#include <linux/tracepoint.h>
#include <linux/types.h>

#include "base/why.h"

/* Cut a copied VMI_WHY() string to its token. */
#define vmi_trace_token(s)	((s)[vmi_why_token_len(s)] = '\0')

/* A ROM installed: at load (main.c), or the new one of a swap. */
TRACE_EVENT(vmi_rom_install,
	TP_PROTO(const char *product, unsigned int major, unsigned int minor,
		 unsigned int size, const char *source, const char *location),
	TP_ARGS(product, major, minor, size, source, location),
	TP_STRUCT__entry(
		__string(product, product)
		__field(unsigned int, major)
		__field(unsigned int, minor)
		__field(unsigned int, size)
		__string(source, source)
		__string(location, location)
	),
	TP_fast_assign(
		vmi_assign_str(product, product);
		__entry->major = major;
		__entry->minor = minor;
		__entry->size = size;
		vmi_assign_str(source, source);
		vmi_assign_str(location, location);
	),
	TP_printk("product=\"%s\" version=%u.%u size=%u source=%s location=%s",
		  __get_str(product), __entry->major, __entry->minor,
		  __entry->size, __get_str(source), __get_str(location))
);

/*
 * The installed ROM replaced by another while loaded: its minor before
 * and after, where the new one came from, how many features the swap
 * switched off and on, and how long it took.
 */
TRACE_EVENT(vmi_rom_swap,
	TP_PROTO(unsigned int old_minor, unsigned int new_minor,
		 const char *source, unsigned int features_off,
		 unsigned int features_on, u64 ns),
	TP_ARGS(old_minor, new_minor, source, features_off, features_on, ns),
	TP_STRUCT__entry(
		__field(unsigned int, old_minor)
		__field(unsigned int, new_minor)
		__string(source, source)
		__field(unsigned int, features_off)
		__field(unsigned int, features_on)
		__field(u64, ns)
	),
	TP_fast_assign(
		__entry->old_minor = old_minor;
		__entry->new_minor = new_minor;
		vmi_assign_str(source, source);
		__entry->features_off = features_off;
		__entry->features_on = features_on;
		__entry->ns = ns;
	),
	TP_printk("old_minor=%u new_minor=%u source=%s features_off=%u features_on=%u ns=%llu",
		  __entry->old_minor, __entry->new_minor, __get_str(source),
		  __entry->features_off, __entry->features_on,
		  (unsigned long long)__entry->ns)
);

/*
 * Every op the mode could route, once its pv_ops slot is written: routed
 * through @thunk (its counting entry in the module's executable area;
 * tracefs is root's), or the token of why not. Nothing when the routing
 * fails as a whole (nothing is routed then).
 */
TRACE_EVENT(vmi_op_route,
	TP_PROTO(const char *name, unsigned int call, bool routed,
		 unsigned long thunk, const char *why_not),
	TP_ARGS(name, call, routed, thunk, why_not),
	TP_STRUCT__entry(
		__string(name, name)
		__field(unsigned int, call)
		__field(bool, routed)
		__field(unsigned long, thunk)
		__string(why_not, why_not)
	),
	TP_fast_assign(
		vmi_assign_str(name, name);
		__entry->call = call;
		__entry->routed = routed;
		__entry->thunk = thunk;
		vmi_assign_str(why_not, why_not);
		vmi_trace_token(__get_str(why_not));
	),
	TP_printk("op=%s call=%u routed=%d thunk=0x%lx why_not=%s",
		  __get_str(name), __entry->call, __entry->routed,
		  __entry->thunk, __get_str(why_not))
);

/* An op's pv_ops slot given back its value from before the load. */
TRACE_EVENT(vmi_op_unroute,
	TP_PROTO(const char *name, unsigned int call, bool restored),
	TP_ARGS(name, call, restored),
	TP_STRUCT__entry(
		__string(name, name)
		__field(unsigned int, call)
		__field(bool, restored)
	),
	TP_fast_assign(
		vmi_assign_str(name, name);
		__entry->call = call;
		__entry->restored = restored;
	),
	TP_printk("op=%s call=%u restored=%d", __get_str(name),
		  __entry->call, __entry->restored)
);

/*
 * A batch of call sites re-patched to the op entries, or put back and
 * proven: the kernel's ("vmlinux") or one module's, how many, how long.
 */
DECLARE_EVENT_CLASS(vmi_sites_batch,
	TP_PROTO(const char *table, unsigned int sites, u64 ns),
	TP_ARGS(table, sites, ns),
	TP_STRUCT__entry(
		__string(table, table)
		__field(unsigned int, sites)
		__field(u64, ns)
	),
	TP_fast_assign(
		vmi_assign_str(table, table);
		__entry->sites = sites;
		__entry->ns = ns;
	),
	TP_printk("table=%s sites=%u ns=%llu", __get_str(table),
		  __entry->sites, (unsigned long long)__entry->ns)
);

DEFINE_EVENT(vmi_sites_batch, vmi_sites_patch,
	TP_PROTO(const char *table, unsigned int sites, u64 ns),
	TP_ARGS(table, sites, ns)
);

DEFINE_EVENT(vmi_sites_batch, vmi_sites_restore,
	TP_PROTO(const char *table, unsigned int sites, u64 ns),
	TP_ARGS(table, sites, ns)
);

/*
 * A retrofit feature set on, or off with the token of why (what sysfs's
 * features/NAME then shows): at every decision, the load's first "off"
 * for all of them included, and "unloaded" at the unload.
 */
TRACE_EVENT(vmi_feature,
	TP_PROTO(const char *name, bool on, const char *reason),
	TP_ARGS(name, on, reason),
	TP_STRUCT__entry(
		__string(name, name)
		__field(bool, on)
		__string(reason, reason)
	),
	TP_fast_assign(
		vmi_assign_str(name, name);
		__entry->on = on;
		vmi_assign_str(reason, reason);
		vmi_trace_token(__get_str(reason));
	),
	TP_printk("feature=%s on=%d reason=%s", __get_str(name),
		  __entry->on, __get_str(reason))
);

#endif /* VMI_SHIM_TRACE_H */

/* Out of tree: the kernel's define_trace.h finds this file by -I module/. */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH base
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
