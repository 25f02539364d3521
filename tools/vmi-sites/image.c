// SPDX-License-Identifier: GPL-2.0
/*
 * vmi-sites: read a kernel image.  A bzImage (Documentation/x86/boot.rst)
 * is unpacked to its ELF vmlinux: the setup header gives the payload
 * (payload_offset/payload_length at 0x248/0x24c, relative to the
 * protected-mode code at (setup_sects + 1) * 512) and the kernel version
 * string (kernel_version at 0x20e, + 0x200).  The payload is compressed
 * with gzip, bzip2, lzma, xz, lzo, lz4 or zstd; all but gzip are followed
 * by the decompressed size as 4 little-endian bytes (size_append), and
 * gzip's own trailer ends with the same.  A plain ELF vmlinux is accepted
 * as is.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <lz4.h>
#include <lzma.h>
#include <zlib.h>
#include <zstd.h>

#include "vmi-sites.h"

#define MAX_FILE	(512u << 20)	/* images and vmlinux are < 512 MiB */
#define DECODE_STEP	(64u << 10)	/* output room per decoder call */
#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
/*
 * The fuzz targets' inputs are at most 128 KiB and their seeds unpack to
 * a few KiB: 10^7 inputs must not each map, and have ASan poison, a
 * decompressor's window or output of up to 2 GiB. The same code, with
 * smaller limits.
 */
#define MAX_VMLINUX	(2u << 20)
#define LZMA_MEMLIMIT	(4u << 20)
#define ZSTD_WINDOWLOG_MAX 20
#else
#define MAX_VMLINUX	(1024u << 20)
#define LZMA_MEMLIMIT	UINT64_MAX
/* the kernel compresses with zstd -22 --ultra: large windows */
#define ZSTD_WINDOWLOG_MAX 31
#endif
#define LZ4_LEGACY_MAGIC 0x184c2102u
#define LZ4_LEGACY_BLOCK (8u << 20)	/* uncompressed bytes per block */

int read_file(const char *path, struct buf *out)
{
	struct stat st;
	size_t done = 0;
	ssize_t n;
	int fd;

	out->data = NULL;
	out->len = 0;
	fd = open(path, O_RDONLY);
	if (fd < 0) {
		errmsg("%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		errmsg("%s: not a regular file", path);
		goto fail;
	}
	if ((uint64_t)st.st_size > MAX_FILE) {
		errmsg("%s: too large (%lld bytes)", path, (long long)st.st_size);
		goto fail;
	}
	out->data = malloc(st.st_size ? (size_t)st.st_size : 1);
	if (!out->data) {
		errmsg("out of memory");
		goto fail;
	}
	while (done < (size_t)st.st_size) {
		n = read(fd, out->data + done, (size_t)st.st_size - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			errmsg("%s: read error: %s", path,
			       n ? strerror(errno) : "file shrank");
			goto fail;
		}
		done += (size_t)n;
	}
	out->len = done;
	close(fd);
	return 0;
fail:
	free(out->data);
	out->data = NULL;
	close(fd);
	return -1;
}

/* Make room for @need more bytes after @used. */
static int grow(struct buf *out, size_t used, size_t need)
{
	size_t cap = out->len;
	uint8_t *p;

	if (cap - used >= need)
		return 0;
	while (cap - used < need) {
		cap = cap ? cap * 2 : DECODE_STEP;
		if (cap > MAX_VMLINUX) {
			errmsg("decompressed kernel larger than %u MiB",
			       MAX_VMLINUX >> 20);
			return -1;
		}
	}
	p = realloc(out->data, cap);
	if (!p) {
		errmsg("out of memory");
		return -1;
	}
	out->data = p;
	out->len = cap;
	return 0;
}

static int gunzip(const uint8_t *in, size_t len, struct buf *out, size_t *used)
{
	z_stream s;
	int ret;

	memset(&s, 0, sizeof(s));
	if (inflateInit2(&s, 16 + MAX_WBITS) != Z_OK) {
		errmsg("zlib: cannot initialise");
		return -1;
	}
	s.next_in = (Bytef *)in;
	s.avail_in = (uInt)len;
	do {
		if (grow(out, *used, DECODE_STEP) < 0)
			break;
		s.next_out = out->data + *used;
		s.avail_out = (uInt)(out->len - *used);
		ret = inflate(&s, Z_NO_FLUSH);
		*used = out->len - s.avail_out;
		if (ret == Z_STREAM_END) {
			inflateEnd(&s);
			return 0;
		}
		if (ret != Z_OK) {
			errmsg("gzip payload: %s", s.msg ? s.msg : "corrupt");
			break;
		}
		if (!s.avail_in) {
			errmsg("gzip payload: truncated");
			break;
		}
	} while (1);
	inflateEnd(&s);
	return -1;
}

/* xz (.xz container, BCJ x86 + LZMA2) and legacy .lzma */
static int unxz(const uint8_t *in, size_t len, struct buf *out, size_t *used,
		int alone)
{
	lzma_stream s = LZMA_STREAM_INIT;
	const char *name = alone ? "lzma" : "xz";
	lzma_ret ret;

	ret = alone ? lzma_alone_decoder(&s, LZMA_MEMLIMIT) :
		      lzma_stream_decoder(&s, LZMA_MEMLIMIT, 0);
	if (ret != LZMA_OK) {
		errmsg("liblzma: cannot initialise (%d)", ret);
		return -1;
	}
	s.next_in = in;
	s.avail_in = len;
	do {
		if (grow(out, *used, DECODE_STEP) < 0)
			break;
		s.next_out = out->data + *used;
		s.avail_out = out->len - *used;
		ret = lzma_code(&s, LZMA_FINISH);
		*used = out->len - s.avail_out;
		if (ret == LZMA_STREAM_END) {
			lzma_end(&s);
			return 0;
		}
		if (ret != LZMA_OK) {
			errmsg("%s payload: corrupt or truncated (liblzma error %d)",
			       name, ret);
			break;
		}
	} while (1);
	lzma_end(&s);
	return -1;
}

static int unzstd(const uint8_t *in, size_t len, struct buf *out,
		  size_t *used)
{
	ZSTD_DCtx *dctx = ZSTD_createDCtx();
	ZSTD_inBuffer zin = { in, len, 0 };
	ZSTD_outBuffer zout;
	size_t ret;

	if (!dctx) {
		errmsg("zstd: cannot initialise");
		return -1;
	}
	ZSTD_DCtx_setParameter(dctx, ZSTD_d_windowLogMax, ZSTD_WINDOWLOG_MAX);
	do {
		if (grow(out, *used, DECODE_STEP) < 0)
			break;
		zout.dst = out->data;
		zout.size = out->len;
		zout.pos = *used;
		ret = ZSTD_decompressStream(dctx, &zout, &zin);
		*used = zout.pos;
		if (ZSTD_isError(ret)) {
			errmsg("zstd payload: %s", ZSTD_getErrorName(ret));
			break;
		}
		if (ret == 0) {		/* frame complete */
			ZSTD_freeDCtx(dctx);
			return 0;
		}
		if (zin.pos == zin.size && zout.pos < zout.size) {
			errmsg("zstd payload: truncated");
			break;
		}
	} while (1);
	ZSTD_freeDCtx(dctx);
	return -1;
}

/*
 * lz4 -l (legacy format, what the kernel uses): magic, then blocks of
 * { le32 compressed size; data }, each at most 8 MiB decompressed.  The
 * magic may repeat where streams were concatenated.
 */
static int unlz4(const uint8_t *in, size_t len, struct buf *out,
		 size_t *used)
{
	size_t pos = 4, room;
	uint32_t csize;
	int n;

	while (len - pos >= 4) {
		csize = le32(in + pos);
		pos += 4;
		if (csize == LZ4_LEGACY_MAGIC)
			continue;
		if (!csize || csize > len - pos ||
		    csize > (uint32_t)LZ4_compressBound(LZ4_LEGACY_BLOCK)) {
			errmsg("lz4 payload: bad block size %u at offset %zu",
			       csize, pos - 4);
			return -1;
		}
		/*
		 * Room for the block: 8 MiB at most, and at most 255 bytes
		 * per compressed byte (a sequence of k + 3 bytes copies at
		 * most 19 + 255 k), so a small block needs no 8 MiB.
		 */
		room = csize < LZ4_LEGACY_BLOCK / 255 ? (size_t)csize * 255 :
							LZ4_LEGACY_BLOCK;
		if (grow(out, *used, room) < 0)
			return -1;
		n = LZ4_decompress_safe((const char *)in + pos,
					(char *)out->data + *used, (int)csize,
					(int)room);
		if (n < 0) {
			errmsg("lz4 payload: corrupt block at offset %zu",
			       pos - 4);
			return -1;
		}
		*used += (size_t)n;
		pos += csize;
	}
	if (pos != len) {
		errmsg("lz4 payload: %zu stray bytes at the end", len - pos);
		return -1;
	}
	return 0;
}

static const uint8_t m_xz[] = { 0xfd, '7', 'z', 'X', 'Z', 0 };
static const uint8_t m_zstd[] = { 0x28, 0xb5, 0x2f, 0xfd };

static int is_gzip(const uint8_t *in)
{
	return in[0] == 0x1f && (in[1] == 0x8b || in[1] == 0x9e);
}

int decompress_file(const char *path, const uint8_t *in, size_t len,
		    struct buf *out)
{
	const char *kind;
	size_t used = 0;
	int ret;

	out->data = NULL;
	out->len = 0;
	if (len >= sizeof(m_xz) && !memcmp(in, m_xz, sizeof(m_xz))) {
		kind = "xz";
		ret = unxz(in, len, out, &used, 0);
	} else if (len >= sizeof(m_zstd) &&
		   !memcmp(in, m_zstd, sizeof(m_zstd))) {
		kind = "zstd";
		ret = unzstd(in, len, out, &used);
	} else if (len >= 2 && is_gzip(in)) {
		kind = "gzip";
		ret = gunzip(in, len, out, &used);
	} else {
		return 1;
	}
	if (ret < 0) {
		errmsg("%s: cannot decompress the %s file", path, kind);
		free(out->data);
		out->data = NULL;
		out->len = 0;
		return -1;
	}
	out->len = used;
	return 0;
}

static int decompress(struct kimage *img, const uint8_t *in, size_t len)
{
	static const uint8_t m_lz4[] = { 0x02, 0x21, 0x4c, 0x18 };
	static const uint8_t m_lzma[] = { 0x5d, 0x00, 0x00 };
	static const uint8_t m_lzo[] = { 0x89, 'L', 'Z', 'O' };
	struct buf out = { NULL, 0 };
	uint32_t want;
	size_t used = 0;
	int ret;

	if (len < 16) {
		errmsg("%s: payload too short", img->path);
		return -1;
	}
	/*
	 * size_append / gzip ISIZE: the decompressed size, mod 2^32. Only
	 * compared with the result: allocating it up front would let four
	 * bytes of a file claim 1 GiB before anything is decompressed.
	 */
	want = le32(in + len - 4);

	if (is_gzip(in)) {
		img->compression = "gzip";
		ret = gunzip(in, len, &out, &used);
	} else if (!memcmp(in, m_xz, sizeof(m_xz))) {
		img->compression = "xz";
		ret = unxz(in, len - 4, &out, &used, 0);
	} else if (!memcmp(in, m_zstd, sizeof(m_zstd))) {
		img->compression = "zstd";
		ret = unzstd(in, len - 4, &out, &used);
	} else if (!memcmp(in, m_lz4, sizeof(m_lz4))) {
		img->compression = "lz4";
		ret = unlz4(in, len - 4, &out, &used);
	} else if (!memcmp(in, m_lzma, sizeof(m_lzma))) {
		img->compression = "lzma";
		ret = unxz(in, len - 4, &out, &used, 1);
	} else if (!memcmp(in, "\x7f" "ELF", 4)) {
		img->compression = "none";
		if (grow(&out, 0, len) < 0)
			return -1;
		memcpy(out.data, in, len);
		used = len;
		want = (uint32_t)len;
		ret = 0;
	} else if (!memcmp(in, "BZh", 3) || !memcmp(in, m_lzo, sizeof(m_lzo))) {
		errmsg("%s: %s-compressed payload is not supported (gzip, xz, lzma, zstd, lz4 are)",
		       img->path, in[0] == 'B' ? "bzip2" : "lzo");
		ret = -1;
	} else {
		errmsg("%s: unknown payload compression (magic %02x %02x %02x %02x)",
		       img->path, in[0], in[1], in[2], in[3]);
		ret = -1;
	}
	if (ret < 0) {
		free(out.data);
		return -1;
	}
	if ((uint32_t)used != want) {
		errmsg("%s: %s payload decompressed to %zu bytes, the image records %u",
		       img->path, img->compression, used, want);
		free(out.data);
		return -1;
	}
	img->elf.data = out.data;
	img->elf.len = used;
	return 0;
}

/* The release: first word of the kernel_version string. */
static void set_release(char *release, const char *version)
{
	size_t n = strcspn(version, " ");

	if (n >= RELEASE_MAX)
		n = 0;
	memcpy(release, version, n);
	release[n] = 0;
}

int find_banner_release(const uint8_t *data, size_t len, char *release,
			size_t size)
{
	static const char tag[] = "Linux version ";
	const size_t tlen = sizeof(tag) - 1;
	const uint8_t *p = data, *end = data + len, *r;
	size_t n;

	while (p < end && (p = memmem(p, (size_t)(end - p), tag, tlen))) {
		r = p + tlen;
		for (n = 0; r + n < end && r[n] > ' ' && r[n] < 0x7f; n++)
			;
		/* the banner, not a format string like "Linux version %s" */
		if (n && n < size && r + n < end && r[n] == ' ' &&
		    r[0] >= '0' && r[0] <= '9') {
			memcpy(release, r, n);
			release[n] = 0;
			return 0;
		}
		p = r;
	}
	return -1;
}

static int load_bzimage(struct kimage *img)
{
	const uint8_t *d = img->file.data;
	size_t len = img->file.len, pm, off, plen;
	unsigned int setup_sects;
	uint16_t kv;

	img->is_bzimage = 1;
	img->boot_protocol = le16(d + 0x206);
	if (img->boot_protocol < 0x208) {
		errmsg("%s: boot protocol %u.%02u has no payload fields (need 2.08+)",
		       img->path, img->boot_protocol >> 8,
		       img->boot_protocol & 0xff);
		return -1;
	}
	setup_sects = d[0x1f1] ? d[0x1f1] : 4;
	pm = (setup_sects + 1) * 512u;
	off = le32(d + 0x248);
	plen = le32(d + 0x24c);
	if (pm > len || off > len - pm || plen > len - pm - off) {
		errmsg("%s: truncated bzImage: payload %zu+%zu beyond the %zu-byte file",
		       img->path, pm + off, plen, len);
		return -1;
	}
	kv = le16(d + 0x20e);
	if (kv && kv + 0x200u < len) {
		size_t max = len - (kv + 0x200u);
		const char *s = (const char *)d + kv + 0x200;
		size_t n = strnlen(s, max < sizeof(img->version) ?
				   max : sizeof(img->version) - 1);

		memcpy(img->version, s, n);
		img->version[n] = 0;
		set_release(img->release, img->version);
	}
	return decompress(img, d + pm + off, plen);
}

int load_image(const char *path, struct kimage *img)
{
	memset(img, 0, sizeof(*img));
	img->path = path;
	if (read_file(path, &img->file) < 0)
		return -1;
	return parse_image(img);
}

int parse_image(struct kimage *img)
{
	const char *path = img->path;
	const uint8_t *d = img->file.data;
	char banner[RELEASE_MAX];

	if (img->file.len >= 4 && !memcmp(d, "\x7f" "ELF", 4)) {
		img->elf = img->file;
		img->elf_is_file = 1;
		img->compression = "none";
	} else if (img->file.len >= 0x250 && !memcmp(d + 0x202, "HdrS", 4) &&
		   le16(d + 0x1fe) == 0xaa55) {
		if (load_bzimage(img) < 0)
			goto fail;
	} else {
		errmsg("%s: not a Linux kernel image (no bzImage header, not an ELF vmlinux)",
		       path);
		goto fail;
	}
	if (find_banner_release(img->elf.data, img->elf.len, banner,
				sizeof(banner)) == 0) {
		if (!img->release[0]) {
			memcpy(img->release, banner, sizeof(banner));
		} else if (strcmp(img->release, banner)) {
			errmsg("%s: bzImage says release %s, its vmlinux says %s",
			       path, img->release, banner);
			goto fail;
		}
	}
	return 0;
fail:
	free_image(img);
	return -1;
}

void free_image(struct kimage *img)
{
	if (!img->elf_is_file)
		free(img->elf.data);
	free(img->file.data);
	img->elf.data = NULL;
	img->file.data = NULL;
}
