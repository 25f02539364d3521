// SPDX-License-Identifier: GPL-2.0
/*
 * The guest's end of the port protocol (include/mbox.h): fill in the
 * mailbox, then OUT the event code to PORT_EVENT; the VMM has handled it
 * when the OUT returns.  One result is one TAP line on the VMM's stdout.
 */
#include "guest.h"

/* The name of what runs now, so an exception can be blamed on it. */
void begin(const char *name)
{
	size_t i;

	for (i = 0; name[i] && i < sizeof(MB->cur) - 1; i++)
		MB->cur[i] = name[i];
	MB->cur[i] = 0;
}

/*
 * One result, ST_PASS, ST_FAIL or ST_SKIP (then the message is the
 * reason, and mbox.cur the name).  Returns whether it passed.
 */
int result(int status, const char *f, ...)
{
	__builtin_va_list ap;

	__builtin_va_start(ap, f);
	vfmt(MB->msg, sizeof(MB->msg), f, ap);
	__builtin_va_end(ap);
	MB->status = (uint32_t)status;
	ucall(EV_RESULT);
	return status == ST_PASS;
}

void diag(const char *f, ...)
{
	__builtin_va_list ap;

	__builtin_va_start(ap, f);
	vfmt(MB->msg, sizeof(MB->msg), f, ap);
	__builtin_va_end(ap);
	ucall(EV_DIAG);
}
