#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Independent re-implementation of the site selection, for the tests.

xcheck.py VMLINUX  prints the sites of an ELF vmlinux in the format of
`vmi-sites list` (addr len slot target orig-hex, sorted by addr), computed
straight from the section headers with Python's struct module:
  .parainstructions: {ptr instr; u8 type; u8 len; pad} (16 / 8 bytes;
      on x86_64 up to 5.10 the last entry is 12 bytes, without pad)
  .altinstructions (6.8+): {s32 instr; s32 repl; u16 cpuid; u16 flags;
      u8 instrlen; u8 repllen} (14 bytes), flags bit 1 = direct call,
      original bytes "ff 15 disp32".
It also prints "# table-bytes N entry-size M" on stderr.
"""
import struct
import sys


def sections(d):
    is64 = d[4] == 2
    if is64:
        shoff, = struct.unpack_from('<Q', d, 40)
        shentsize, shnum, shstrndx = struct.unpack_from('<HHH', d, 58)
    else:
        shoff, = struct.unpack_from('<I', d, 32)
        shentsize, shnum, shstrndx = struct.unpack_from('<HHH', d, 46)
    raw = []
    for i in range(shnum):
        o = shoff + i * shentsize
        if is64:
            name, typ, flags, addr, off, size = struct.unpack_from('<IIQQQQ', d, o)
        else:
            name, typ, flags, addr, off, size = struct.unpack_from('<IIIIII', d, o)
        raw.append((name, typ, flags, addr, off, size))
    stro = raw[shstrndx][4]
    secs = {}
    for name, typ, flags, addr, off, size in raw:
        n = d[stro + name:d.index(b'\0', stro + name)].decode()
        secs[n] = (typ, flags, addr, off, size)
    return is64, secs


def main():
    d = open(sys.argv[1], 'rb').read()
    is64, secs = sections(d)
    ps = 8 if is64 else 4
    mask = (1 << (8 * ps)) - 1
    execs = [(a, o, s) for (t, f, a, o, s) in secs.values()
             if t != 8 and f & 4 and a]

    def code(addr, n):
        for a, o, s in execs:
            if a <= addr and addr + n <= a + s:
                return d[o + addr - a:o + addr - a + n]
        raise SystemExit('site %#x not in an executable section' % addr)

    out = []
    if '.parainstructions' in secs:
        _, _, a, o, s = secs['.parainstructions']
        es = 16 if is64 else 8
        assert s % es == 0 or (is64 and s % es == 12), 'bad .parainstructions size'
        print('# table-bytes %d entry-size %d' % (s, es), file=sys.stderr)
        for i in range((s + es - 1) // es):
            addr, = struct.unpack_from('<Q' if is64 else '<I', d, o + i * es)
            typ, ln = d[o + i * es + ps], d[o + i * es + ps + 1]
            out.append((addr, ln, typ, 0, code(addr, ln).hex()))
    else:
        _, _, a, o, s = secs['.altinstructions']
        es = 14
        assert s % es == 0, 'bad .altinstructions size'
        print('# table-bytes %d entry-size %d' % (s, es), file=sys.stderr)
        ents = []
        for i in range(s // es):
            io, ro, cpuid, flags, il, rl = struct.unpack_from('<iiHHBB', d, o + i * es)
            ents.append(((a + i * es + io) & mask, flags, il))
        maxlen = {}
        for va, flags, il in ents:
            maxlen[va] = max(maxlen.get(va, 0), il)
        for va, flags, il in ents:
            if not flags & 2:
                continue
            ln = maxlen[va]
            c = code(va, ln)
            if ln != 6 or c[:2] != b'\xff\x15':
                continue
            disp, = struct.unpack_from('<i', c, 2)
            tgt = (va + 6 + disp) & mask if is64 else disp & mask
            out.append((va, ln, 0xffff, tgt, c.hex()))
    for addr, ln, slot, tgt, orig in sorted(out):
        print('0x%x %d %d 0x%x %s' % (addr, ln, slot, tgt, orig))


main()
