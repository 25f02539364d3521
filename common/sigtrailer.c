// SPDX-License-Identifier: GPL-2.0
/*
 * Appended-signature trailer (include/vmi/sigtrailer.h). Compiled into the
 * kernel module and the userspace tools; the same checks as the kernel's
 * mod_check_sig(), which modules cannot call (it is not exported).
 */
#ifdef __KERNEL__
#include <linux/string.h>
#else
#include <string.h>
#endif

#include "../include/vmi/sigtrailer.h"

int vmi_sig_split(const uint8_t *buf, size_t len, size_t *data_len,
		  size_t *sig_len)
{
	const uint8_t *info;
	uint32_t slen;
	size_t n;
	int i;

	if (len < VMI_SIG_MARKER_LEN ||
	    memcmp(buf + len - VMI_SIG_MARKER_LEN, VMI_SIG_MARKER,
		   VMI_SIG_MARKER_LEN))
		return VMI_SIG_NONE;
	n = len - VMI_SIG_MARKER_LEN;
	if (n < VMI_SIG_INFO_LEN)
		return VMI_SIG_EMALFORMED;
	n -= VMI_SIG_INFO_LEN;
	info = buf + n;
	/* algo, hash, id_type, signer_len, key_id_len, pad[3], sig_len */
	if (info[2] != VMI_SIG_ID_PKCS7)
		return VMI_SIG_EMALFORMED;
	for (i = 0; i < 8; i++)
		if (i != 2 && info[i])
			return VMI_SIG_EMALFORMED;
	slen = (uint32_t)info[8] << 24 | (uint32_t)info[9] << 16 |
	       (uint32_t)info[10] << 8 | info[11];
	if (!slen || slen >= n)
		return VMI_SIG_EMALFORMED;
	*data_len = n - slen;
	*sig_len = slen;
	return VMI_SIG_FOUND;
}
