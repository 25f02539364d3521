// SPDX-License-Identifier: GPL-2.0
/*
 * The compiler may emit calls to memset/memcpy for struct copies even in
 * freestanding code; the ROM links nothing else, so it carries its own.
 */
#include "rom.h"

#pragma GCC visibility push(hidden)
void *memset(void *dst, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
#pragma GCC visibility pop

void *memset(void *dst, int c, size_t n)
{
	volatile uint8_t *d = dst;

	while (n--)
		*d++ = (uint8_t)c;
	return dst;
}

void *memcpy(void *dst, const void *src, size_t n)
{
	volatile uint8_t *d = dst;
	const uint8_t *s = src;

	while (n--)
		*d++ = *s++;
	return dst;
}
