// SPDX-License-Identifier: GPL-2.0
/*
 * vmi-sites: extract the paravirt call-site table of a kernel image, or
 * of the loaded modules, for vmi_shim.ko; print it, check it
 * (include/vmi/sites.h, include/vmi/modsites.h, docs/sites.md).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "vmi-sites.h"

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "vmi-sites writes its tables in host byte order: little-endian only"
#endif

static int usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "vmi-sites: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n%s", vmi_sites_usage);
	return 2;
}

static const char *kind_name(uint32_t kind)
{
	switch (kind) {
	case VMI_SITES_KIND_PARAINSTR:
		return "parainstr";
	case VMI_SITES_KIND_ALTCALL:
		return "altcall";
	}
	return "unknown";
}

static uint32_t distinct_targets(const struct vmi_site *s, uint32_t nr,
				 uint64_t lo, uint32_t ptr_size)
{
	uint8_t seen[VMI_SITES_WINDOW_MAX / 4] = { 0 };
	uint32_t i, n = 0, idx;

	for (i = 0; i < nr; i++) {
		if (s[i].target < lo)
			continue;
		idx = (uint32_t)((s[i].target - lo) / ptr_size);
		if (idx < sizeof(seen) && !seen[idx]) {
			seen[idx] = 1;
			n++;
		}
	}
	return n;
}

static uint32_t distinct_slots(const struct vmi_site *s, uint32_t nr)
{
	static uint8_t seen[65536];
	uint32_t i, n = 0;

	memset(seen, 0, sizeof(seen));
	for (i = 0; i < nr; i++)
		if (!seen[s[i].slot]) {
			seen[s[i].slot] = 1;
			n++;
		}
	return n;
}

/*
 * The exported member of struct paravirt_patch_template in @sym that
 * holds global @g's pointers: the highest at or below the first one
 * called, a whole number of pointers above @g's base. NULL if none.
 */
static const char *member_name(const struct vmi_sites_global *g,
			       uint32_t ptr_size, const uint64_t *sym,
			       uint64_t *at)
{
	uint64_t lo = g->base + (uint64_t)g->slot_lo * ptr_size;
	const char *name = NULL;
	unsigned int k;

	*at = 0;
	for (k = 0; k < NR_PV_MEMBERS; k++)
		if (sym[k] && sym[k] >= g->base && sym[k] <= lo &&
		    !((sym[k] - g->base) % ptr_size) && sym[k] >= *at) {
			name = pv_members[k];
			*at = sym[k];
		}
	return name;
}

/*
 * A table whose calls read several globals (4.19 and older): each
 * one's slots and the pointers they are, and with @sym (extract) the
 * member of the template that holds them. Returns how many globals no
 * exported member holds.
 */
static unsigned int print_globals(FILE *f, const char *pfx,
				  const struct vmi_sites_info *info,
				  const uint64_t *sym)
{
	const struct vmi_sites_global *g = NULL, *h;
	const char *name;
	unsigned int i, j, unnamed = 0;
	uint32_t p = info->ptr_size;
	uint64_t at;

	/* in the template's order: the next slot range up from @g's */
	for (i = 0; i < info->nr_globals; i++) {
		for (j = 0, h = g, g = NULL; j < info->nr_globals; j++)
			if ((!h || info->globals[j].slot_lo > h->slot_hi) &&
			    (!g || info->globals[j].slot_lo < g->slot_lo))
				g = &info->globals[j];
		fprintf(f, "%sslots %u..%u read %#llx..%#llx (base %#llx)", pfx,
			g->slot_lo, g->slot_hi,
			(unsigned long long)(g->base + (uint64_t)g->slot_lo * p),
			(unsigned long long)(g->base +
					     (uint64_t)g->slot_hi * p + p - 1),
			(unsigned long long)g->base);
		name = sym ? member_name(g, p, sym, &at) : NULL;
		if (name)
			fprintf(f, ": %s at %#llx, template slot %llu", name,
				(unsigned long long)at,
				(unsigned long long)((at - g->base) / p));
		else if (sym)
			unnamed++;
		fputc('\n', f);
	}
	return unnamed;
}

static int cmd_extract(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "elf", required_argument, NULL, 'E' },
		OPT_HELP,
		{ NULL, 0, NULL, 0 }
	};
	const char *out = NULL, *elf_out = NULL, *image = NULL;
	char def[512], id[81];
	struct vmi_sites_expect exp;
	struct vmi_sites_info info;
	struct kimage img;
	struct table tab;
	struct utsname u;
	uint8_t *buf;
	size_t len;
	unsigned int unnamed;
	int c, quiet = 0, ret;

	while ((c = cmd_getopt(argc, argv, "hqo:", opts)) != -1) {
		if (c == 'o')
			out = optarg;
		else if (c == 'E')
			elf_out = optarg;
		else
			quiet = 1;
	}
	if (optind < argc - 1)
		return usage_error("extract: extra argument %s", argv[optind + 1]);
	image = argv[optind];	/* argv[argc] is NULL */
	if (!image) {
		if (uname(&u) < 0) {
			errmsg("uname: %s", strerror(errno));
			return 1;
		}
		snprintf(def, sizeof(def), "/boot/vmlinuz-%s", u.release);
		image = def;
	}
	if (load_image(image, &img) < 0)
		return 1;
	if (elf_out &&
	    write_out(elf_out, img.elf.data, img.elf.len, NULL, 0) < 0) {
		free_image(&img);
		return 1;
	}
	if (extract_table(&img, &tab) < 0) {
		free_image(&img);
		return 1;
	}

	/* serialise and check it exactly as the module will */
	len = sizeof(tab.hdr) + (size_t)tab.nr * sizeof(*tab.sites);
	buf = malloc(len);
	if (!buf) {
		errmsg("out of memory");
		return 1;
	}
	memcpy(buf, &tab.hdr, sizeof(tab.hdr));
	memcpy(buf + sizeof(tab.hdr), tab.sites, len - sizeof(tab.hdr));
	memset(&exp, 0, sizeof(exp));
	exp.kind = tab.hdr.kind;
	exp.ptr_size = tab.hdr.ptr_size;
	exp.build_id = tab.hdr.build_id;
	exp.build_id_len = tab.hdr.build_id_len;
	exp.release = tab.hdr.release;
	ret = vmi_sites_check(buf, len, &exp, &info);
	if (ret) {
		errmsg("%s: extracted table fails its own check: %s%s", image,
		       vmi_sites_strerror(ret),
		       info.bad_site >= 0 ? " (at a site)" : "");
		if (info.bad_site >= 0)
			errmsg("site #%d at %#llx", info.bad_site,
			       (unsigned long long)tab.sites[info.bad_site].addr);
		ret = 1;
		goto done;
	}
	ret = write_out(out, buf, len, NULL, 0) < 0;
	if (ret || quiet)
		goto done;

	hex(id, tab.hdr.build_id, tab.hdr.build_id_len);
	fprintf(stderr, "vmi-sites: %s: %s, %s, ELF%u, build ID %s\n", image,
		tab.hdr.release, img.is_bzimage ? img.compression : "vmlinux",
		tab.hdr.ptr_size * 8, id);
	if (tab.hdr.kind == VMI_SITES_KIND_PARAINSTR && info.nr_globals > 1) {
		fprintf(stderr, "vmi-sites: %u parainstr sites (%u in init, %u not calls), slots %u used, max %u, calls read %u globals, struct paravirt_patch_template's members:\n",
			tab.nr, info.nr_init, tab.nr_not_call,
			distinct_slots(tab.sites, tab.nr), info.max_slot,
			info.nr_globals);
		unnamed = print_globals(stderr, "vmi-sites:   ", &info,
					tab.member_sym);
		if (unnamed)
			warnmsg("%u of the %u globals the calls read are no pv_*_ops of __ksymtab",
				unnamed, info.nr_globals);
		goto done;
	}
	if (tab.hdr.kind == VMI_SITES_KIND_PARAINSTR)
		fprintf(stderr, "vmi-sites: %u parainstr sites (%u in init, %u not calls), slots %u used, max %u, calls read pv_ops at %#llx\n",
			tab.nr, info.nr_init, tab.nr_not_call,
			distinct_slots(tab.sites, tab.nr), info.max_slot,
			(unsigned long long)info.pv_ops);
	else
		fprintf(stderr, "vmi-sites: %u altcall sites (%u in init), targets %#llx..%#llx (%llu bytes, %u distinct)\n",
			tab.nr, info.nr_init,
			(unsigned long long)info.call_min,
			(unsigned long long)info.call_max,
			(unsigned long long)(info.call_max - info.call_min +
					     tab.hdr.ptr_size),
			distinct_targets(tab.sites, tab.nr, info.call_min,
					 tab.hdr.ptr_size));
	if (!tab.pv_ops_sym)
		warnmsg("pv_ops not found in __ksymtab");
	else if (tab.hdr.kind == VMI_SITES_KIND_PARAINSTR) {
		if (tab.pv_ops_sym != info.pv_ops)
			warnmsg("pv_ops is at %#llx in __ksymtab, the calls say %#llx",
				(unsigned long long)tab.pv_ops_sym,
				(unsigned long long)info.pv_ops);
	} else if (info.call_min >= tab.pv_ops_sym) {
		fprintf(stderr, "vmi-sites: pv_ops at %#llx (__ksymtab): targets are slots %llu..%llu\n",
			(unsigned long long)tab.pv_ops_sym,
			(unsigned long long)((info.call_min - tab.pv_ops_sym) /
					     tab.hdr.ptr_size),
			(unsigned long long)((info.call_max - tab.pv_ops_sym) /
					     tab.hdr.ptr_size));
	} else {
		warnmsg("call targets start below pv_ops (%#llx)",
			(unsigned long long)tab.pv_ops_sym);
	}
	if (tab.nr_direct_skipped || tab.nr_other_feature)
		warnmsg("%u direct-call alternatives skipped (not \"ff 15\"), %u with a feature other than X86_FEATURE_ALWAYS",
			tab.nr_direct_skipped, tab.nr_other_feature);
done:
	free(buf);
	free(tab.sites);
	free_image(&img);
	return ret;
}

static int parse_hex(const char *s, uint8_t *out, uint32_t max, uint32_t *n)
{
	size_t len = strlen(s), i;
	unsigned int v;

	if (!len || len % 2 || len / 2 > max)
		return -1;
	for (i = 0; i < len; i += 2) {
		if (sscanf(s + i, "%2x", &v) != 1 ||
		    !strchr("0123456789abcdefABCDEF", s[i]) ||
		    !strchr("0123456789abcdefABCDEF", s[i + 1]))
			return -1;
		out[i / 2] = (uint8_t)v;
	}
	*n = (uint32_t)(len / 2);
	return 0;
}

static int running_build_id(uint8_t *out, uint32_t *n)
{
	struct buf notes = { NULL, 0 };
	uint8_t tmp[4096];
	const uint8_t *id;
	ssize_t r;
	int fd, ret = -1;

	/* sysfs reports size 0: read it as a stream */
	fd = open("/sys/kernel/notes", O_RDONLY);
	if (fd < 0) {
		errmsg("/sys/kernel/notes: %s", strerror(errno));
		return -1;
	}
	r = read(fd, tmp, sizeof(tmp));
	close(fd);
	if (r > 0) {
		notes.data = tmp;
		notes.len = (size_t)r;
	}
	if (vmi_find_build_id(notes.data, notes.len, &id, n) == 0 && *n &&
	    *n <= 40) {
		memcpy(out, id, *n);
		ret = 0;
	} else {
		errmsg("/sys/kernel/notes: no build ID");
	}
	return ret;
}

/* Print the validator's verdict with the details behind it. */
static void explain(const char *file, int err, const uint8_t *buf, size_t len,
		    const struct vmi_sites_expect *exp,
		    const struct vmi_sites_info *info)
{
	const struct vmi_sites_header *h = (const void *)buf;
	char a[81], b[81], where[80] = "";
	const struct vmi_site *s;

	if (info->bad_site >= 0) {
		s = (const void *)(buf + sizeof(*h) +
				   (size_t)info->bad_site * sizeof(*s));
		snprintf(where, sizeof(where), " (site #%d at %#llx)",
			 info->bad_site, (unsigned long long)s->addr);
	}
	switch (err) {
	case VMI_SITES_ETRUNC:
	case VMI_SITES_ETRAILING:
		snprintf(where, sizeof(where),
			 " (%zu bytes, %u sites need %zu)", len, h->nr_sites,
			 sizeof(*h) + (size_t)h->nr_sites * sizeof(*s));
		break;
	case VMI_SITES_ECRC:
		snprintf(where, sizeof(where),
			 " (stored %#010x, computed %#010x)", h->entries_crc32,
			 vmi_crc32(0, buf + sizeof(*h),
				   (size_t)h->nr_sites * sizeof(*s)));
		break;
	case VMI_SITES_EWRONG_BUILD_ID:
		hex(a, h->build_id, h->build_id_len);
		hex(b, exp->build_id, exp->build_id_len);
		errmsg("%s: %s: table %s, kernel %s", file,
		       vmi_sites_strerror(err), a, b);
		return;
	case VMI_SITES_EWRONG_RELEASE:
		errmsg("%s: %s: table %s, kernel %s", file,
		       vmi_sites_strerror(err), h->release, exp->release);
		return;
	case VMI_SITES_EWRONG_PTR_SIZE:
		snprintf(where, sizeof(where), " (table %u, expected %u)",
			 h->ptr_size, exp->ptr_size);
		break;
	case VMI_SITES_EWRONG_KIND:
		snprintf(where, sizeof(where), " (table %s, expected %s)",
			 kind_name(h->kind), kind_name(exp->kind));
		break;
	case VMI_SITES_ETARGET_WINDOW:
		snprintf(where, sizeof(where), " (%#llx..%#llx)",
			 (unsigned long long)info->call_min,
			 (unsigned long long)info->call_max);
		break;
	}
	errmsg("%s: %s%s", file, vmi_sites_strerror(err), where);
}

static int load_table(const char *file, struct buf *b)
{
	if (read_file(file, b) < 0)
		return -1;
	return 0;
}

static int cmd_check(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "build-id", required_argument, NULL, 'B' },
		{ "release", required_argument, NULL, 'R' },
		{ "ptr-size", required_argument, NULL, 'P' },
		{ "kind", required_argument, NULL, 'K' },
		{ "slots", required_argument, NULL, 'S' },
		OPT_HELP,
		{ NULL, 0, NULL, 0 }
	};
	static uint8_t id[40];
	struct vmi_sites_expect exp;
	struct vmi_sites_info info;
	const char *file = NULL;
	struct utsname u;
	struct buf b;
	char *end;
	int c, ret;

	memset(&exp, 0, sizeof(exp));
	while ((c = cmd_getopt(argc, argv, "h", opts)) != -1) {
		const char *val = optarg;

		if (c == 'B') {
			if (!strcmp(val, "running")) {
				if (running_build_id(id, &exp.build_id_len) < 0)
					return 1;
			} else if (parse_hex(val, id, sizeof(id),
					     &exp.build_id_len) < 0) {
				return usage_error("check: bad build ID %s", val);
			}
			exp.build_id = id;
		} else if (c == 'R') {
			if (!strcmp(val, "running")) {
				if (uname(&u) < 0)
					return 1;
				exp.release = strdup(u.release);
			} else {
				exp.release = val;
			}
		} else if (c == 'P') {
			exp.ptr_size = (uint32_t)strtoul(val, &end, 0);
			if (*end || (exp.ptr_size != 4 && exp.ptr_size != 8))
				return usage_error("check: bad pointer size %s", val);
		} else if (c == 'K') {
			if (!strcmp(val, "parainstr"))
				exp.kind = VMI_SITES_KIND_PARAINSTR;
			else if (!strcmp(val, "altcall"))
				exp.kind = VMI_SITES_KIND_ALTCALL;
			else
				return usage_error("check: bad kind %s", val);
		} else {	/* --slots */
			exp.nr_slots = (uint32_t)strtoul(val, &end, 0);
			if (*end || !exp.nr_slots)
				return usage_error("check: bad slot count %s", val);
		}
	}
	if (optind < argc - 1)
		return usage_error("check: extra argument %s", argv[optind + 1]);
	file = argv[optind];	/* argv[argc] is NULL */
	if (!file)
		return usage_error("check: %s", "no FILE given");
	if (load_table(file, &b) < 0)
		return 1;
	if (is_modsites(&b)) {
		if (exp.build_id || exp.ptr_size || exp.kind) {
			free(b.data);
			return usage_error("check: %s is a module site table: only --release and --slots apply",
					   file);
		}
		ret = modsites_check(file, &b, exp.release, exp.nr_slots);
		free(b.data);
		return ret;
	}
	ret = vmi_sites_check(b.data, b.len, &exp, &info);
	if (ret)
		explain(file, ret, b.data, b.len, &exp, &info);
	else if (info.nr_globals > 1)
		printf("%s: ok: %u %s sites for %s, calls read %u globals\n",
		       file, info.nr_sites, kind_name(info.kind),
		       ((const struct vmi_sites_header *)b.data)->release,
		       info.nr_globals);
	else
		printf("%s: ok: %u %s sites for %s\n", file, info.nr_sites,
		       kind_name(info.kind),
		       ((const struct vmi_sites_header *)b.data)->release);
	free(b.data);
	return ret ? 1 : 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* info and list: no option but -h, and exactly one FILE (or NULL) */
static const char *only_file(int argc, char **argv)
{
	static const struct option opts[] = { OPT_HELP, { NULL, 0, NULL, 0 } };

	/* the only option ends in cmd_getopt(), as a bad one does */
	cmd_getopt(argc, argv, "h", opts);
	return optind == argc - 1 ? argv[optind] : NULL;
}

static int cmd_info(int argc, char **argv)
{
	const char *file;
	const struct vmi_sites_header *h;
	const struct vmi_site *s;
	struct vmi_sites_info info;
	uint64_t *keys;
	uint32_t i, j, nr;
	struct buf b;
	char id[81];
	int ret;

	file = only_file(argc, argv);
	if (!file)
		return usage_error("info: %s", "need exactly one FILE");
	if (load_table(file, &b) < 0)
		return 1;
	if (is_modsites(&b)) {
		ret = modsites_info(file, &b);
		free(b.data);
		return ret;
	}
	h = (const void *)b.data;
	ret = vmi_sites_check(b.data, b.len, NULL, &info);
	if (ret == VMI_SITES_ETRUNC_HEADER || ret == VMI_SITES_EMAGIC) {
		explain(file, ret, b.data, b.len, NULL, &info);
		free(b.data);
		return 1;
	}
	hex(id, h->build_id, h->build_id_len <= 40 ? h->build_id_len : 40);
	printf("file        %s (%zu bytes)\n", file, b.len);
	printf("release     %.*s\n", (int)sizeof(h->release) - 1, h->release);
	printf("build_id    %s\n", id);
	printf("version     %u (header %u, entry %u bytes)\n", h->version,
	       h->header_size, h->entry_size);
	printf("kind        %s (%u)\n", kind_name(h->kind), h->kind);
	printf("ptr_size    %u\n", h->ptr_size);
	printf("nr_sites    %u\n", h->nr_sites);
	printf("link_text   %#llx\n", (unsigned long long)h->link_text);
	printf("init        %#llx..%#llx", (unsigned long long)h->init_begin,
	       (unsigned long long)h->init_end);
	if (!ret)
		printf(" (%u sites inside)", info.nr_init);
	printf("\ncrc32       %#010x\n", h->entries_crc32);
	printf("check       %s\n", ret ? vmi_sites_strerror(ret) : "ok");
	if (ret) {
		explain(file, ret, b.data, b.len, NULL, &info);
		free(b.data);
		return 1;
	}

	nr = h->nr_sites;
	s = (const void *)(b.data + sizeof(*h));
	if (h->kind == VMI_SITES_KIND_PARAINSTR && info.nr_globals > 1) {
		printf("globals     %u, struct paravirt_patch_template's members (from the original calls)\n",
		       info.nr_globals);
		print_globals(stdout, "            ", &info, NULL);
		printf("slots       %u used, highest %u\n",
		       distinct_slots(s, nr), info.max_slot);
	} else if (h->kind == VMI_SITES_KIND_PARAINSTR) {
		printf("pv_ops      %#llx (from the original calls)\n",
		       (unsigned long long)info.pv_ops);
		printf("slots       %u used, highest %u\n",
		       distinct_slots(s, nr), info.max_slot);
	} else {
		printf("targets     %#llx..%#llx (%llu bytes, %u distinct)\n",
		       (unsigned long long)info.call_min,
		       (unsigned long long)info.call_max,
		       (unsigned long long)(info.call_max - info.call_min +
					    h->ptr_size),
		       distinct_targets(s, nr, info.call_min, h->ptr_size));
	}
	keys = malloc(nr * sizeof(*keys));
	if (!keys) {
		free(b.data);
		return 1;
	}
	for (i = 0; i < nr; i++)
		keys[i] = h->kind == VMI_SITES_KIND_PARAINSTR ? s[i].slot :
								s[i].target;
	qsort(keys, nr, sizeof(*keys), cmp_u64);
	if (h->kind == VMI_SITES_KIND_PARAINSTR)
		printf("\n slot  sites\n");
	else
		printf("\n target               offset  index  sites\n");
	for (i = 0; i < nr; i = j) {
		for (j = i; j < nr && keys[j] == keys[i]; j++)
			;
		if (h->kind == VMI_SITES_KIND_PARAINSTR)
			printf("%5llu  %5u\n", (unsigned long long)keys[i],
			       j - i);
		else
			printf(" %#llx  %6llu  %5llu  %5u\n",
			       (unsigned long long)keys[i],
			       (unsigned long long)(keys[i] - info.call_min),
			       (unsigned long long)((keys[i] - info.call_min) /
						    h->ptr_size),
			       j - i);
	}
	free(keys);
	free(b.data);
	return 0;
}

static int cmd_list(int argc, char **argv)
{
	const char *file;
	const struct vmi_sites_header *h;
	const struct vmi_site *s;
	struct vmi_sites_info info;
	char orig[2 * VMI_SITE_MAX_LEN + 1];
	uint32_t i;
	struct buf b;
	int ret;

	file = only_file(argc, argv);
	if (!file)
		return usage_error("list: %s", "need exactly one FILE");
	if (load_table(file, &b) < 0)
		return 1;
	if (is_modsites(&b)) {
		ret = modsites_list(file, &b);
		free(b.data);
		return ret;
	}
	ret = vmi_sites_check(b.data, b.len, NULL, &info);
	if (ret) {
		explain(file, ret, b.data, b.len, NULL, &info);
		free(b.data);
		return 1;
	}
	h = (const void *)b.data;
	s = (const void *)(b.data + sizeof(*h));
	for (i = 0; i < h->nr_sites; i++) {
		hex(orig, s[i].orig, s[i].orig_len);
		printf("0x%llx %u %u 0x%llx %s\n", (unsigned long long)s[i].addr,
		       s[i].len, s[i].slot, (unsigned long long)s[i].target,
		       orig);
	}
	free(b.data);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage_error("%s", "no command given");
	/*
	 * The command's options follow its name. getopt's messages begin with
	 * argv[0]: "vmi-sites", as all others do.
	 */
	argv[0] = "vmi-sites";
	optind = 2;
	if (!strcmp(argv[1], "extract"))
		return cmd_extract(argc, argv);
	if (!strcmp(argv[1], "modules"))
		return cmd_modules(argc, argv);
	if (!strcmp(argv[1], "info"))
		return cmd_info(argc, argv);
	if (!strcmp(argv[1], "list"))
		return cmd_list(argc, argv);
	if (!strcmp(argv[1], "check"))
		return cmd_check(argc, argv);
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") ||
	    !strcmp(argv[1], "help")) {
		fputs(vmi_sites_usage, stdout);
		return 0;
	}
	return usage_error("unknown command %s", argv[1]);
}
