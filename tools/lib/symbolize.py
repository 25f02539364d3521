#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Name where each vCPU of a dead or hung guest was.

Reads QEMU's "info registers -a" output (as the JSON string QMP returned,
or plain) and prints one line per vCPU:

    CPU#0 RIP ffffffffc0a41234 vmi_shim:vmi_quiesce_cpu+0x14 (.text) CPL=0 CR2=...

and, where the runner asked QEMU for "info lapic" too, what each local
APIC has in service and pending:

    CPU#3 APIC ISR 251 IRR 236 253 TPR 0x00 PPR 0xf0

Kernel addresses are named from the kernel's symbols (a kallsyms dump of
the same release: `tools/vmi-kernel kallsyms`) moved by this boot's KASLR
slide, read from the guest's console line "vmi-init: ... ADDR T _text".
Module addresses are named from the .ko files, placed where the guest's
insmod announced their sections ("vmi-run: module NAME SECTION ADDR"),
each only by a section, and a function, whose size in the .ko holds it;
an address in the shim's ROM area is named inside the ROM as well.

A nested L2's RIP from kvm-amd's shutdown trace is also checked against
the L1 host's own modules (--host-ko-dir, their places from the L1's
console lines): QEMU's TCG SVM can hand an L2 the L1 host's own state
(docs/testing.md), and that must not be named as an L2 function.

usage: symbolize.py --regs FILE --console LOG [--prefix '[L2] ']
                    [--kallsyms FILE] [--ko-dir DIR]... [--rom-elf FILE]
                    [--host-ko-dir DIR]...
"""
import argparse
import bisect
import glob
import json
import os
import re
import subprocess
import sys


def read(path):
    try:
        with open(path, 'rb') as f:
            return f.read().decode('utf-8', 'replace').replace('\r', '')
    except OSError:
        return ''


def regs_text(raw):
    """The register dump, from QMP JSON lines or plain text."""
    out = []
    diag = '@@VMI-DIAG ' in raw     # a result port: only the evidence
    for line in raw.splitlines():
        line = line.strip()
        if line.startswith('@@VMI-DIAG '):
            line = line[len('@@VMI-DIAG '):]
        elif diag:
            continue
        if line.startswith('{'):
            try:
                msg = json.loads(line)
            except ValueError:
                continue
            ret = msg.get('return')
            if isinstance(ret, str) and 'IP=' in ret:
                out.append(ret.replace('\r', ''))
        elif 'IP=' in line or line.startswith('CPU#') or 'CR2=' in line \
                or line.startswith('CR0='):
            out.append(line)
    return '\n'.join(out)


def qmp_messages(raw):
    """The QMP answers (JSON objects) in the runner's evidence, in order,
    from "@@VMI-DIAG " lines or bare."""
    for line in raw.splitlines():
        line = line.strip()
        if line.startswith('@@VMI-DIAG '):
            line = line[len('@@VMI-DIAG '):]
        if not line.startswith('{'):
            continue
        try:
            msg = json.loads(line)
        except ValueError:
            continue
        if isinstance(msg, dict):
            yield msg


def lapic_lines(raw):
    """One line per vCPU from QEMU's "info lapic" answers: what is in
    service and pending, and the priorities that decide what gets in."""
    out = []
    for msg in qmp_messages(raw):
        ret = msg.get('return')
        if not isinstance(ret, str):
            continue
        m = re.search(r'dumping local APIC state for CPU (\d+)', ret)
        if not m:
            continue
        f = {}
        for k in ('ISR', 'IRR'):
            v = re.search(r'^%s\s+(.*?)\s*$' % k, ret, re.M)
            f[k] = v.group(1) if v else '?'
        for k in ('TPR', 'PPR'):
            v = re.search(r'\b%s (0x[0-9a-f]+)' % k, ret)
            f[k] = v.group(1) if v else '?'
        out.append('CPU#%s APIC ISR %s IRR %s TPR %s PPR %s' % (
            m.group(1), f['ISR'], f['IRR'], f['TPR'], f['PPR']))
    return out


STACK_BELOW = 0x20     # the runner's "x/128wx $sp-0x20": from 32 bytes below SP


def stack_lines(raw):
    """Lines of 16 words (8 quadwords) per vCPU from the runner's
    "x/128wx $sp-0x20" answers: from just below the stack pointer up.
    Below it lie the last call's arguments, gone from the registers (a
    halt loop's panic message's, say); above it the frames of the calls
    that led there, an earlier exception's among them. Each answer is
    the vCPU's its "stack-N" id says (one QEMU could not read, or an
    error, is said as such); untagged answers count up in order."""
    out, order = [], 0
    for msg in qmp_messages(raw):
        tag = msg.get('id')
        ret = msg.get('return')
        if isinstance(tag, str) and tag.startswith('stack-') and \
                tag[6:].isdigit():
            cpu = int(tag[6:])
        elif isinstance(ret, str) and re.match(r'\s*[0-9a-f]+:', ret):
            cpu = order
        else:
            continue
        order = cpu + 1
        if not isinstance(ret, str):
            err = msg.get('error', {})
            out.append('CPU#%d stack: %s' % (
                cpu, err.get('desc', 'no answer') if isinstance(err, dict)
                else 'no answer'))
            continue
        words = re.findall(r'0x([0-9a-f]{8})', ret)
        m = re.match(r'\s*([0-9a-f]+):', ret)
        if not words or not m:
            out.append('CPU#%d stack: %s' % (cpu, ret.strip()[:120]))
            continue
        start = m.group(1)
        if int(start, 16) > 0xffffffff:     # 64-bit: whole quadwords
            words = [hi + lo for lo, hi in zip(words[0::2], words[1::2])]
        size = len(words[0]) // 2                       # bytes per value
        per = 64 // size                                # 64 bytes a line
        for i in range(0, len(words), per):
            out.append('CPU#%d stack SP-0x%x+0x%03x (%x): %s' % (
                cpu, STACK_BELOW, i * size, int(start, 16) + i * size,
                ' '.join(words[i:i + per])))
    return out


def cpu_states(text):
    """[(cpu, state)] from QEMU's "info registers -a" text, in order

    state: rip, cpl, hlt, if (EFLAGS.IF, None if not shown), i386 (an
    EIP= dump: the vCPU is not in 64-bit mode), pe and pg (CR0, True
    when not shown), cr2.
    """
    out, st = [], None
    for line in text.splitlines():
        m = re.match(r'^CPU#(\d+)', line.strip())
        if m:
            st = {'if': None, 'pe': True, 'pg': True}
            out.append((m.group(1), st))
            continue
        if st is None:
            st = {'if': None, 'pe': True, 'pg': True}
            out.append((None, st))
        m = re.search(r'([ER])IP=([0-9a-f]+).*CPL=(\d).*HLT=(\d)', line)
        if m:
            st.update(rip=int(m.group(2), 16), cpl=int(m.group(3)),
                      hlt=m.group(4) == '1', i386=m.group(1) == 'E')
            f = re.search(r'EFL=([0-9a-f]+)', line)
            if f:
                st['if'] = bool(int(f.group(1), 16) & 0x200)
        m = re.search(r'CR0=([0-9a-f]+)', line)
        if m:
            cr0 = int(m.group(1), 16)
            st.update(pe=bool(cr0 & 1), pg=bool(cr0 & 0x80000000))
        m = re.search(r'CR2=([0-9a-f]+)', line)
        if m:
            st['cr2'] = int(m.group(1), 16)
    return out


class Table:
    """Sorted (address, name[, size]) symbols; lookup gives name+offset.

    A symbol with a size (an object's function) holds only the addresses
    inside it; one without (kallsyms, an assembler label) all up to the
    next symbol, within a limit.
    """

    def __init__(self):
        self.addrs, self.names, self.sizes = [], [], []

    def build(self, syms):
        # at one address the one with a size comes last, and is taken
        syms = sorted((s[0], s[2] if len(s) > 2 else 0, s[1]) for s in syms)
        self.addrs = [a for a, _, _ in syms]
        self.sizes = [z for _, z, _ in syms]
        self.names = [n for _, _, n in syms]

    def lookup(self, addr, limit=0x100000):
        i = bisect.bisect_right(self.addrs, addr) - 1
        if i < 0:
            return None
        off = addr - self.addrs[i]
        if off > limit or (self.sizes[i] and off >= self.sizes[i]):
            return None
        return '%s+0x%x' % (self.names[i], off)


def kernel_table(kallsyms, text_now):
    """Kernel symbols moved to this boot's _text."""
    t = Table()
    pairs, base = [], None
    for line in read(kallsyms).splitlines():
        f = line.split()
        if len(f) < 3 or f[1] not in 'tTwW' or len(f) > 3:
            continue
        a = int(f[0], 16)
        if f[2] == '_text':
            base = a
        pairs.append((a, f[2]))
    if base is None or text_now is None:
        return None
    t.build([(a - base + text_now, n) for a, n in pairs])
    return t


def objdump(flag, path):
    try:
        return subprocess.run(['objdump', flag, path], capture_output=True,
                              text=True, check=False).stdout
    except OSError:
        return ''


def object_symbols(path):
    """{section: [(offset, name, size)]} of the symbols in an ELF object."""
    syms = {}
    for line in objdump('-t', path).splitlines():
        # 0000000000000010 l     F .text  0000000000000022 name
        m = re.match(r'^([0-9a-f]+) .{7} (\S+)\s+([0-9a-f]+)\s+(\S+)$',
                     line)
        if m and m.group(2) not in ('*UND*', '*ABS*'):
            syms.setdefault(m.group(2), []).append(
                (int(m.group(1), 16), m.group(4), int(m.group(3), 16)))
    return syms


def object_sections(path):
    """{section: size} of an ELF object."""
    sects = {}
    for line in objdump('-h', path).splitlines():
        #   0 .text         00000062  0000000000000000  0000000000000000 ...
        m = re.match(r'^\s*\d+\s+(\S+)\s+([0-9a-f]+)\s+[0-9a-f]+\s', line)
        if m:
            sects[m.group(1)] = int(m.group(2), 16)
    return sects


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--regs', required=True)
    ap.add_argument('--console', required=True)
    ap.add_argument('--prefix', default='')
    ap.add_argument('--kallsyms')
    ap.add_argument('--ko-dir', action='append', default=[])
    ap.add_argument('--rom-elf')
    ap.add_argument('--host-ko-dir', action='append', default=[])
    a = ap.parse_args()

    console, host_console = [], []
    for line in read(a.console).splitlines():
        if a.prefix:
            if not line.startswith(a.prefix):
                host_console.append(line)
                continue
            line = line[len(a.prefix):]
        elif line.startswith('[L2] '):
            continue
        console.append(line)

    def announced(lines):
        """this boot's KASLR _text and module places, from console lines"""
        text, mods = None, []   # (start, name, section): latest wins
        for line in lines:
            m = re.search(r'vmi-init: .*\b([0-9a-f]{8,16}) T _text$', line)
            if m:
                text = int(m.group(1), 16)
            m = re.search(r'vmi-run: module (\S+) (\S+) 0x([0-9a-f]+)',
                          line)
            if m:
                start, mod, sect = int(m.group(3), 16), m.group(1), m.group(2)
                # a module seen again (reloaded): its old places are gone
                if sect in ('.text', '.init.text') and any(
                        n == mod and sc == sect and st != start
                        for st, n, sc in mods):
                    mods = [e for e in mods if e[1] != mod]
                mods.append((start, mod, sect))
            m = re.search(r'vmi-run: module (\S+) gone', line)
            if m:
                mods = [e for e in mods if e[1] != m.group(1)]
        return text, mods

    def ko_files(dirs):
        kos = {}
        for d in dirs:
            for ko in glob.glob(os.path.join(d, '*.ko')):
                kos[os.path.basename(ko)[:-3].replace('-', '_')] = ko
        return kos

    text_now, modules = announced(console)
    host_modules = announced(host_console)[1] if a.host_ko_dir else []
    ktab = kernel_table(a.kallsyms, text_now) if a.kallsyms else None
    kos = ko_files(a.ko_dir)
    host_kos = ko_files(a.host_ko_dir)
    rom = object_symbols(a.rom_elf) if a.rom_elf else {}
    rom_tab = Table()
    rom_tab.build([p for s in rom.values() for p in s])
    ko_cache = {}

    def ko(name, kos):
        """(symbols, section sizes) of a module's .ko, or ({}, {})"""
        if name not in kos:
            return {}, {}
        if kos[name] not in ko_cache:
            ko_cache[kos[name]] = (object_symbols(kos[name]),
                                   object_sections(kos[name]))
        return ko_cache[kos[name]]

    def in_module(addr, modules=modules, kos=kos, exact=False):
        # the announced section that holds addr: below it, within its
        # size in the .ko (a section whose size is not known, within
        # 2 MiB). A module's sections may be announced only in part: an
        # address past the end of the nearest one is in none of them.
        near = sorted((e for e in modules
                       if e[0] <= addr and addr - e[0] <= 0x200000),
                      reverse=True)
        held = [(start, name, sect) for start, name, sect in near
                if addr - start < ko(name, kos)[1].get(sect, 0x200001)]
        if not held:
            if not near or exact:
                return None
            start, name, sect = near[0]
            return ('%s:%s+0x%x (past %s\'s 0x%x bytes: no announced '
                    'section holds it)' % (name, sect, addr - start, sect,
                                           ko(name, kos)[1][sect]))
        start, name, sect = held[0]
        off = addr - start
        where = None if exact else '%s:%s+0x%x' % (name, sect, off)
        if name in kos:
            t = Table()
            t.build(ko(name, kos)[0].get(sect, []))
            s = t.lookup(off, 0x2000 if exact else 0x100000)
            if s:
                where = '%s:%s (%s)' % (name, s, sect)
                if s.startswith(('vmi_rom_area+', 'vmi_rom_area1+')):
                    r = rom_tab.lookup(int(s.split('+')[1], 16), 0x10000)
                    if r:
                        where += ' = ROM %s' % r
        return where

    def host_state(addr):
        """an L2 RIP that is the L1's own return from VMRUN: the L1's state

        Only that one function: L1 and L2 modules share the address
        range, so any other L1 name for an L2 address is a coincidence.
        """
        s = in_module(addr, host_modules, host_kos, exact=True)
        if s and s.startswith('kvm_amd:__svm_vcpu_run+'):
            return 'the L1 host\'s %s, not an L2 address' % s
        return None

    def name(addr, st=None):
        """what addr is; st: the CPU's state (cpu_state()), if known"""
        if st and not st['pe']:
            return 'real mode'
        if st and not st['pg']:
            return 'protected mode without paging (firmware or early boot)'
        if st and st['cpl'] == 3:
            return 'user space'
        if ktab:
            s = ktab.lookup(addr)
            if s and not s.startswith(('_etext', '__init_end', '_end')):
                return s
        s = in_module(addr)
        if s:
            return s
        why = ('no KASLR base: /init never ran' if text_now is None else
               'no kallsyms' if not ktab else
               'outside the kernel and the announced modules')
        if addr >= 0xffff800000000000:
            return 'kernel address, no symbol (%s)' % why
        # An i386 kernel (EIP=): its own code runs at CPL 0 with paging.
        if st and st['i386'] and st['cpl'] == 0:
            return 'i386 kernel address, no symbol (%s)' % why
        return 'user space or real mode'

    raw = read(a.regs)
    # kvm-amd's kvm_exit trace of a shutdown (the L1 sends it): the RIP
    # the vCPU had when it triple-faulted, which its registers no longer
    # show (kvm-amd re-initializes a vCPU on shutdown).
    for line in raw.splitlines():
        m = re.search(r'kvm_exit: vcpu (\d+) reason (\S+) rip (0x[0-9a-f]+)',
                      line)
        if m:
            rip = int(m.group(3), 16)
            print('CPU#%s RIP %016x %s (kvm_exit %s)' % (
                m.group(1), rip, host_state(rip) or name(rip), m.group(2)))
    text = regs_text(raw)
    if not text:
        print('no register dump')
        return 0
    for cpu, st in cpu_states(text):
        if 'rip' not in st:
            continue
        rip = st['rip']
        if rip == 0xfff0:
            print('CPU#%s at the reset vector (its state before is '
                  'lost)' % cpu)
            continue
        halted = ''
        if st['hlt']:
            # HLT with IF clear waits for an NMI only: with paging on, a
            # halt loop (the kernel's panic or stop paths, an early
            # exception); without, an AP firmware parked until INIT/SIPI.
            halted = (' halted' if st['if'] is not False or not st['pg'] else
                      ' halted with interrupts off (a halt loop: a panic, '
                      'a stop or an early exception)')
        print('CPU#%s RIP %016x %s CPL=%s%s' % (
            cpu, rip, name(rip, st), st['cpl'], halted))
        if st.get('cr2'):
            print('CPU#%s CR2 %x' % (cpu, st['cr2']))
    for line in lapic_lines(raw):
        print(line)
    for line in stack_lines(raw):
        print(line)
    return 0


if __name__ == '__main__':
    sys.exit(main())
