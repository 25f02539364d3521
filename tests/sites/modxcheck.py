#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Independent re-implementation of `vmi-sites modules`, for the tests.

modxcheck.py sysfs KO NAME DIR BASE
    make a fake DIR/module/NAME/{sections,notes} for the .ko (plain or
    .xz): every SHF_ALLOC section of non-zero size gets an address, the
    first BASE, each next one page-aligned after the previous; the build
    ID note is the raw .note.gnu.build-id section. Prints "SECTION ADDR".
modxcheck.py sites KO NAME DIR
    print the module's sites as `vmi-sites list` does (NAME addr len
    slot, sorted by addr) from the fake sysfs addresses, computed with
    Python's struct module straight from the relocations:
      .parainstructions: 16-byte entries, R_X86_64_64 at +0 -> place,
          type at +8 (= slot), len at +9;
      .altinstructions: 14-byte entries, R_X86_64_PC32 at +0 -> place,
          cpuid u16 at +8, flags u16 at +10 (bit 1 direct call), instrlen
          at +12; sites: direct call, cpuid X86_FEATURE_ALWAYS (117),
          longest instrlen at the place 6, bytes ff 15;
      slot = (addend of the pv_ops relocation at place + 2 + 4) / 8.
    Places in .init* sections are left out; "# init N" goes to stderr.
"""
import lzma
import os
import struct
import sys


def load(path):
    d = open(path, 'rb').read()
    if path.endswith('.xz'):
        d = lzma.decompress(d)
    shoff, = struct.unpack_from('<Q', d, 40)
    shnum, shstrndx = struct.unpack_from('<HH', d, 60)
    secs = []
    for i in range(shnum):
        secs.append(struct.unpack_from('<IIQQQQIIQQ', d, shoff + i * 64))
    so = secs[shstrndx][4]
    names = [d[so + s[0]:d.index(b'\0', so + s[0])].decode() for s in secs]
    return d, secs, names


def symbols(d, secs):
    st = [s for s in secs if s[1] == 2][0]
    stro = secs[st[6]][4]
    out = []
    for k in range(st[5] // 24):
        name, info, other, shndx, value, size = struct.unpack_from(
            '<IBBHQQ', d, st[4] + k * 24)
        out.append((d[stro + name:d.index(b'\0', stro + name)].decode(),
                    shndx, value))
    return out


def relas(d, secs):
    """{target section index: [(offset, type, symbol, addend)]}"""
    out = {}
    for s in secs:
        if s[1] != 4:
            continue
        lst = out.setdefault(s[7], [])
        for k in range(s[5] // 24):
            off, info, add = struct.unpack_from('<QQq', d, s[4] + k * 24)
            lst.append((off, info & 0xffffffff, info >> 32, add))
    return out


def make_sysfs(ko, name, top, base):
    d, secs, names = load(ko)
    sec_dir = os.path.join(top, 'module', name, 'sections')
    note_dir = os.path.join(top, 'module', name, 'notes')
    os.makedirs(sec_dir, exist_ok=True)
    os.makedirs(note_dir, exist_ok=True)
    addr = base
    for s, n in zip(secs, names):
        if not s[2] & 2 or not s[5]:
            continue
        with open(os.path.join(sec_dir, n), 'w') as f:
            f.write('0x%016x\n' % addr)
        print(n, '0x%x' % addr)
        addr = (addr + s[5] + 4095) & ~4095
        if n == '.note.gnu.build-id':
            with open(os.path.join(note_dir, n), 'wb') as f:
                f.write(d[s[4]:s[4] + s[5]])


def sites(ko, name, top):
    d, secs, names = load(ko)
    syms = symbols(d, secs)
    rel = relas(d, secs)
    pv = {}
    for tgt, lst in rel.items():
        for off, typ, sym, add in lst:
            if syms[sym][0] == 'pv_ops' and typ in (2, 4):
                pv[(tgt, off)] = add

    def place(sym, add):
        return syms[sym][1], syms[sym][2] + add

    found = {}
    init = 0
    if '.parainstructions' in names:
        t = names.index('.parainstructions')
        o = secs[t][4]
        for off, typ, sym, add in rel[t]:
            assert typ == 1 and off % 16 == 0, 'unexpected relocation'
            sec, at = place(sym, add)
            if names[sec].startswith('.init'):
                init += 1
                continue
            slot, ln = d[o + off + 8], d[o + off + 9]
            code = d[secs[sec][4] + at:secs[sec][4] + at + 2]
            assert code == b'\xff\x15', 'not a call'
            assert (pv[(sec, at + 2)] + 4) // 8 == slot, 'slot mismatch'
            found[(sec, at)] = (ln, slot)
    elif '.altinstructions' in names:
        t = names.index('.altinstructions')
        o, size = secs[t][4], secs[t][5]
        where = {off // 14: place(sym, add)
                 for off, typ, sym, add in rel[t] if off % 14 == 0}
        if size % 14 == 0 and len(where) == size // 14:
            ents = []
            for i in range(size // 14):
                cpuid, flags, il = struct.unpack_from('<HHB', d, o + i * 14 + 8)
                ents.append((where[i], cpuid, flags, il))
            longest = {}
            for w, cpuid, flags, il in ents:
                longest[w] = max(longest.get(w, 0), il)
            for w, cpuid, flags, il in ents:
                if not flags & 2 or cpuid != 117:
                    continue
                sec, at = w
                if names[sec].startswith('.init'):
                    init += 1
                    continue
                code = d[secs[sec][4] + at:secs[sec][4] + at + 2]
                if longest[w] != 6 or code != b'\xff\x15':
                    continue
                found[w] = (6, (pv[(sec, at + 2)] + 4) // 8)
    out = []
    for (sec, at), (ln, slot) in found.items():
        p = os.path.join(top, 'module', name, 'sections', names[sec])
        out.append((int(open(p).read(), 16) + at, ln, slot))
    for addr, ln, slot in sorted(out):
        print('%s 0x%x %d %d' % (name, addr, ln, slot))
    print('# init %d' % init, file=sys.stderr)


if sys.argv[1] == 'sysfs':
    make_sysfs(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5], 0))
else:
    sites(sys.argv[2], sys.argv[3], sys.argv[4])
