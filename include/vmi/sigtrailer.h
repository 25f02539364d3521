/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The signature trailer that scripts/sign-file appends to modules, and
 * that an operator appends the same way to a ROM file or a site table for
 * a locked-down kernel (docs/sysfs.md):
 *
 *   data | PKCS#7 message (sig_len bytes) | struct module_signature (12
 *   bytes, sig_len big-endian last) | "~Module signature appended~\n"
 *
 * Shared by the module (trust.c verifies the PKCS#7 message against the
 * kernel's keyrings) and vmirom (which reports it); common/sigtrailer.c.
 * Parsing only: nothing here says whether a signature is valid.
 */
#ifndef VMI_SIGTRAILER_H
#define VMI_SIGTRAILER_H

#include "types.h"

#define VMI_SIG_MARKER		"~Module signature appended~\n"
#define VMI_SIG_MARKER_LEN	(sizeof(VMI_SIG_MARKER) - 1)
#define VMI_SIG_INFO_LEN	12	/* struct module_signature */
#define VMI_SIG_ID_PKCS7	2	/* PKEY_ID_PKCS7 */

enum vmi_sig_result {
	VMI_SIG_FOUND = 0,
	VMI_SIG_NONE = 1,		/* no marker at the end */
	VMI_SIG_EMALFORMED = -1,	/* a marker, but not a valid trailer */
};

/*
 * @buf of @len bytes: VMI_SIG_FOUND with *@data_len (the signed data, at
 * the start of @buf) and *@sig_len (the PKCS#7 message right after it),
 * VMI_SIG_NONE, or VMI_SIG_EMALFORMED. Never reads outside @buf.
 */
int vmi_sig_split(const uint8_t *buf, size_t len, size_t *data_len,
		  size_t *sig_len);

#endif /* VMI_SIGTRAILER_H */
