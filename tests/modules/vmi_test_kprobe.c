// SPDX-License-Identifier: GPL-2.0
/*
 * A kprobe on a kernel text address, for the test that the shim never
 * overwrites another writer's breakpoint (tests/guest/kprobe_sites.sh):
 *   insmod vmi_test_kprobe.ko offset=N     probe _text + N
 *   insmod vmi_test_kprobe.ko symbol=S offset=N    probe S + N (S may be a
 *                                          module's symbol: the kprobe
 *                                          blacklist test, kprobe_entries.sh)
 * parameters/byte reads the first byte there now (0xcc while the
 * kprobe's breakpoint is in place), parameters/hits how often it fired.
 * The post handler keeps the kprobe from being optimized into a jump, so
 * its INT3 stays for the test to see.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/sysfs.h>
#include <linux/uaccess.h>

static unsigned int offset;
module_param(offset, uint, 0444);
MODULE_PARM_DESC(offset, "probe symbol + offset");

static char *symbol = "_text";
module_param(symbol, charp, 0444);
MODULE_PARM_DESC(symbol, "the symbol to probe at (default _text)");

static atomic_long_t hits;

static int kp_pre(struct kprobe *p, struct pt_regs *regs)
{
	atomic_long_inc(&hits);
	return 0;
}

static void kp_post(struct kprobe *p, struct pt_regs *regs,
		    unsigned long flags)
{
}

static struct kprobe kp = {
	.symbol_name = "_text",
	.pre_handler = kp_pre,
	.post_handler = kp_post,
};

static int byte_get(char *buf, const struct kernel_param *param)
{
	u8 b;

	if (!kp.addr || copy_from_kernel_nofault(&b, kp.addr, 1))
		return -EFAULT;
	return sysfs_emit(buf, "0x%02x\n", b);
}

static const struct kernel_param_ops byte_ops = {
	.get = byte_get,
};
module_param_cb(byte, &byte_ops, NULL, 0444);
MODULE_PARM_DESC(byte, "the first byte at the probed address now");

static int hits_get(char *buf, const struct kernel_param *param)
{
	return sysfs_emit(buf, "%ld\n", atomic_long_read(&hits));
}

static const struct kernel_param_ops hits_ops = {
	.get = hits_get,
};
module_param_cb(hits, &hits_ops, NULL, 0444);
MODULE_PARM_DESC(hits, "how often the probe fired");

static int __init kprobe_test_init(void)
{
	int err;

	kp.symbol_name = symbol;
	kp.offset = offset;
	err = register_kprobe(&kp);
	if (err) {
		pr_err("cannot probe %s+%#x: %d\n", symbol, offset, err);
		return err;
	}
	pr_info("armed at %pS\n", kp.addr);
	return 0;
}

static void __exit kprobe_test_exit(void)
{
	unregister_kprobe(&kp);
}

module_init(kprobe_test_init);
module_exit(kprobe_test_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("vmi-shim test: a kprobe at a given kernel text offset");
