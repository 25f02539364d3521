# SPDX-License-Identifier: GPL-2.0
"""Name the tasks that rcu_tasks points to, in a guest hung at boot.

rcu_tasks_owner.py DIR ADDR: DIR/rcu_tasks.words holds the monitor's
"x /96gx ADDR" of struct rcu_tasks; DIR/mon is the QEMU monitor. For
each word that points into the direct map, the task it names is found
by its comm (a task_struct's comm is a short NUL-terminated name), and a
struct mutex_waiter (list, task) names its task. The deadlock of
tools/kernel-patches/0001 reads: word 0 (cbs_wait.task) is
rcu_tasks_kthread, the mutex's owner word is that task with flag 1
(waiters), and the one waiter is PID 1 (still named swapper/0).
"""
import re
import struct
import subprocess
import sys

d, base = sys.argv[1], int(sys.argv[2], 16)
COMM = re.compile(rb"(rcu_[a-z_]{4,15}|swapper/\d+|kthreadd|init)\x00")


def mon(cmd):
    return subprocess.run(["socat", "-t", "5", "-", "UNIX-CONNECT:%s/mon" % d],
                          input=cmd + "\n", capture_output=True, text=True,
                          timeout=30).stdout


def words(txt):
    out = []
    for m in re.finditer(r"^[0-9a-f]{16}:((?:\s+0x[0-9a-f]{16})+)", txt, re.M):
        out += [int(w, 16) for w in m.group(1).split()]
    return out


def comm(p):
    raw = b"".join(struct.pack("<Q", v) for v in words(mon("x /896gx %#x" % p)))
    m = COMM.search(raw)
    return m.group(1).decode() if m else None


def direct(p):
    return (p >> 40) == 0xffff88


w = words(open(d + "/rcu_tasks.words").read())
print("rcu_tasks at %#x, %d words read" % (base, len(w)))
names = {}
for x in w:
    p = x & ~7
    if direct(p) and p not in names:
        names[p] = comm(p)
for i, x in enumerate(w):
    p = x & ~7
    if not direct(p):
        continue
    if names[p]:
        print("+%#05x = %#x (flags %d): task %s" % (i * 8, x, x & 7, names[p]))
        continue
    waiter = words(mon("x /3gx %#x" % p))
    if len(waiter) == 3 and direct(waiter[2]):
        print("+%#05x = %#x: mutex waiter of task %#x %s"
              % (i * 8, x, waiter[2], comm(waiter[2]) or "?"))
