// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for common/sigtrailer.c, which the module runs on a
 * firmware ROM or a site table before it asks the kernel to verify the
 * signature (module/romload/trust.c). ASan catches any read outside the input; a
 * trailer found must describe exactly the input: data, a non-empty PKCS#7
 * message, the 12-byte struct module_signature and the marker.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../include/vmi/sigtrailer.h"

#define REQUIRE(c)	do { if (!(c)) abort(); } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	size_t data_len = (size_t)-1, sig_len = (size_t)-1;
	int ret = vmi_sig_split(d, n, &data_len, &sig_len);

	REQUIRE(ret == VMI_SIG_FOUND || ret == VMI_SIG_NONE ||
		ret == VMI_SIG_EMALFORMED);
	if (ret != VMI_SIG_FOUND)
		return 0;
	REQUIRE(sig_len > 0);
	REQUIRE(data_len + sig_len + VMI_SIG_INFO_LEN + VMI_SIG_MARKER_LEN == n);
	REQUIRE(!memcmp(d + n - VMI_SIG_MARKER_LEN, VMI_SIG_MARKER,
			VMI_SIG_MARKER_LEN));
	REQUIRE(d[data_len + sig_len + 2] == VMI_SIG_ID_PKCS7);
	return 0;
}
