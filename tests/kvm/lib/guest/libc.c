// SPDX-License-Identifier: GPL-2.0
/*
 * The little of libc the guest needs: memset and memcpy (which the
 * compiler may emit calls to) and a formatter for the report lines.
 */
#include "guest.h"

void *memset(void *d, int c, size_t n)
{
	volatile uint8_t *p = d;

	while (n--)
		*p++ = (uint8_t)c;
	return d;
}

void *memcpy(void *d, const void *s, size_t n)
{
	uint8_t *p = d;
	const uint8_t *q = s;

	while (n--)
		*p++ = *q++;
	return d;
}

struct buf {
	char *p;
	size_t n, max;
};

static void put(struct buf *b, char c)
{
	if (b->n + 1 < b->max)
		b->p[b->n++] = c;
	b->p[b->n] = 0;
}

static void puts_(struct buf *b, const char *s)
{
	while (*s)
		put(b, *s++);
}

static void putu(struct buf *b, uint64_t v, unsigned int base)
{
	char t[24];
	int i = 0;

	do {
		t[i++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	while (i)
		put(b, t[--i]);
}

/* %s, %d (int64), %u (uint64), %x (uint64, 0x...), %c */
void vfmt(char *dst, size_t max, const char *f, __builtin_va_list ap)
{
	struct buf b = { dst, 0, max };

	dst[0] = 0;
	for (; *f; f++) {
		if (*f != '%') {
			put(&b, *f);
			continue;
		}
		switch (*++f) {
		case 's':
			puts_(&b, __builtin_va_arg(ap, const char *));
			break;
		case 'd': {
			int64_t v = __builtin_va_arg(ap, int64_t);

			if (v < 0) {
				put(&b, '-');
				v = -v;
			}
			putu(&b, (uint64_t)v, 10);
			break;
		}
		case 'u':
			putu(&b, __builtin_va_arg(ap, uint64_t), 10);
			break;
		case 'x':
			puts_(&b, "0x");
			putu(&b, __builtin_va_arg(ap, uint64_t), 16);
			break;
		case 'c':
			put(&b, (char)__builtin_va_arg(ap, int));
			break;
		default:
			put(&b, *f);
		}
	}
}
