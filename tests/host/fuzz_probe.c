// SPDX-License-Identifier: GPL-2.0
/*
 * The smallest libFuzzer target: if the compiler cannot build this, the
 * toolchain has no libFuzzer and the fuzz step is a SKIP; if it can but
 * fuzz_romcheck.c does not build, that is a failure of ours.
 */
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	(void)data;
	(void)size;
	return 0;
}
