// SPDX-License-Identifier: GPL-2.0
/*
 * What the shim may use on a locked-down or a confidential guest.
 *
 * The shim runs or obeys three kinds of input: the ROM built into the
 * module, covered by the module's own signature; a ROM from the platform's
 * option-ROM area or a firmware file; and the site tables (sites=,
 * modsites=) that say which bytes of kernel text to rewrite. Nothing the
 * kernel checks at insmod authenticates the last two. On a kernel locked
 * down for integrity (Secure Boot, lockdown=integrity) using them would let
 * root run unsigned ring-0 code and write kernel text, which is what
 * lockdown exists to prevent. So there a ROM file or a table is used only
 * if it carries a valid signature from a key the kernel trusts, in the
 * format scripts/sign-file appends to modules (data, PKCS#7 message,
 * struct module_signature, MODULE_SIG_STRING), checked like a module's
 * against the secondary (else the built-in) trusted keyring. An option ROM
 * has no room for one: under lockdown it is never used.
 *
 * Without lockdown, a signature that is present is still checked: one
 * that does not verify is a warning and the data is used, as the module
 * loader does when signatures are not enforced; a malformed one is
 * refused, like any malformed input.
 *
 * Confidential-computing guests (SEV, TDX) are refused outright: the KVM
 * backends share memory with the host (steal time, PV EOI, the clock
 * areas), which there would have to be mapped decrypted, and the host the
 * guest distrusts would be handed code pointers to rewrite.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/security.h>
#include <linux/string.h>
#include <linux/verification.h>
#include <vmi/sigtrailer.h>

#include "base/fail_verify.h"
#include "compat/compat.h"
#include "romload/trust.h"

int vmi_trust_platform(void)
{
	if (vmi_cc_guest() || vmi_fail_verify(VMI_FAIL_CC_GUEST)) {
		pr_err("confidential-computing guest (encrypted memory): the ROM's KVM backends share memory with the host; refused\n");
		return -EOPNOTSUPP;
	}
	return 0;
}

/*
 * Integrity lockdown (or more). Asks for the reason closest to ours, so
 * the lockdown LSM's own log line reads "unsigned module loading is
 * restricted"; called only when unauthenticated input is in play.
 */
bool vmi_trust_locked_down(void)
{
	return security_locked_down(LOCKDOWN_MODULE_SIGNATURE) != 0;
}

static int sig_verify(const u8 *data, size_t len, const u8 *sig,
		      size_t sig_len)
{
#ifdef CONFIG_SYSTEM_DATA_VERIFICATION
	return verify_pkcs7_signature(data, len, sig, sig_len,
				      VERIFY_USE_SECONDARY_KEYRING,
				      VERIFYING_MODULE_SIGNATURE, NULL, NULL);
#else
	return -EOPNOTSUPP;	/* this kernel cannot check signatures */
#endif
}

/*
 * May @what ("firmware vmi-rom.bin", "site table /x") be used? 0 with *@len
 * cut to the data without its signature, if it had one; -ENOKEY if it is
 * unsigned and the kernel locked down; -EKEYREJECTED if its signature does
 * not verify and the kernel is locked down; -EBADMSG if it is malformed.
 */
int vmi_trust_blob(const char *what, const void *data, size_t *len)
{
	size_t n, sig_len;
	int err;

	err = vmi_sig_split(data, *len, &n, &sig_len);
	if (err == VMI_SIG_NONE) {
		if (!vmi_trust_locked_down())
			return 0;
		pr_err("%s is not signed and the kernel is locked down: not used (sign it with a key the kernel trusts, as scripts/sign-file signs modules)\n",
		       what);
		return -ENOKEY;
	}
	if (err) {
		pr_err("%s: malformed appended signature: refused\n", what);
		return -EBADMSG;
	}
	err = sig_verify(data, n, (const u8 *)data + n, sig_len);
	if (err && vmi_trust_locked_down()) {
		pr_err("%s: signature does not verify (%d) and the kernel is locked down: refused\n",
		       what, err);
		return -EKEYREJECTED;
	}
	if (err)
		pr_warn("%s: signature does not verify (%d); used anyway, as the kernel is not locked down\n",
			what, err);
	else
		pr_info("%s: signature verified by a trusted key\n", what);
	*len = n;
	return 0;
}
