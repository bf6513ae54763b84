// Runs IR functions compiled by the backend on QEMU: the module object is linked with a
// small C harness (its own vector table, semihosting output, a UDF trap handler that
// reports the trap kind and resumes with the next case through longjmp) and booted on
// mps2-an385 (4 MiB of code and of data RAM: room for thousands of cases). Each case prints one line: `r=<hex>` or `T<kind>`.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileModule } from '../../src/backend-thumb2/compile.js';
import { exportSymbol } from '../../src/backend-thumb2/symbols.js';
import { writeObject } from '../../src/elf/write-object.js';
import type { IrModule } from '../../src/ir/module.js';
import type { Type } from '../../src/ir/types.js';

export interface RunCase {
  /** Export name of the function to call. */
  readonly fn: string;
  readonly params: readonly Type[];
  readonly result: Type | undefined;
  readonly args: readonly bigint[];
}

/** Linear memory the harness gives the module: one 64 KiB page. */
export const HARNESS_MEMORY_BYTES = 65536;

const cType = (t: Type): string => (t === 'i64' ? 'uint64_t' : 'uint32_t');
const shapeKey = (c: RunCase): string => `${c.params.join(',')}->${c.result ?? ''}`;

function harnessSource(mod: IrModule, cases: readonly RunCase[]): string {
  const shapes = [...new Set(cases.map(shapeKey))];
  const fns = [...new Set(cases.map((c) => c.fn))];
  const shapeOf = new Map(cases.map((c) => [shapeKey(c), c]));
  const lines: string[] = [
    '#include <stdint.h>',
    '#include <setjmp.h>',
    `static uint32_t memory_block[2 + ${HARNESS_MEMORY_BYTES / 4}] __attribute__((aligned(8)));`,
    'static jmp_buf recover_point;',
    'static volatile uint32_t trapped;',
    'static char out[2048]; static unsigned out_len;',
    'static int semihost(int op, const void *arg) { register int r0 __asm__("r0") = op; register const void *r1 __asm__("r1") = arg;',
    '  __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory"); return r0; }',
    'static void flush(void) { out[out_len] = 0; if (out_len) semihost(4, out); out_len = 0; }',
    'static void put(const char *s) { while (*s) { if (out_len == sizeof out - 1) flush(); out[out_len++] = *s++; } }',
    'static void put_hex(uint64_t v) { char b[17]; for (int i = 15; i >= 0; i--) { b[i] = "0123456789abcdef"[v & 15]; v >>= 4; } b[16] = 0; put(b); }',
    'static void recover(void) { longjmp(recover_point, 1); }',
    'void fault_c(uint32_t *frame) { uint16_t insn = *(uint16_t *)(frame[6] & ~1u);',
    '  trapped = (insn & 0xff00) == 0xde00 ? (insn & 0xff) : 0xff; frame[6] = (uint32_t)recover & ~1u; frame[7] = 1u << 24; }',
    '__attribute__((naked)) void hard_fault(void) { __asm__ volatile("tst lr, #4\\n ite eq\\n mrseq r0, msp\\n mrsne r0, psp\\n b fault_c\\n"); }',
    'void reset(void);',
    'extern uint32_t __stack_top[];',
    '__attribute__((section(".vectors"), used)) void (*const vectors[16])(void) = { (void (*)(void))__stack_top, reset, hard_fault, hard_fault, hard_fault, hard_fault, hard_fault };',
  ];
  for (const name of fns) {
    const c = cases.find((x) => x.fn === name)!;
    lines.push(`extern ${c.result === undefined ? 'void' : cType(c.result)} ${exportSymbol(mod, name)}(${c.params.map(cType).join(', ') || 'void'});`);
  }
  const values = [...new Set(cases.flatMap((c) => c.args.map((a) => BigInt.asUintN(64, a))))];
  lines.push(`static const uint64_t values[] = { ${values.map((v) => `0x${v.toString(16)}ull`).join(', ') || '0'} };`);
  lines.push(`static void *const functions[] = { ${fns.map((name) => `(void *)${exportSymbol(mod, name)}`).join(', ')} };`);
  lines.push('typedef struct { uint16_t shape, fn, a[6]; } Case;');
  lines.push('static const Case cases[] = {');
  for (const c of cases) {
    const args = c.args.map((a) => values.indexOf(BigInt.asUintN(64, a)));
    lines.push(`  { ${shapes.indexOf(shapeKey(c))}, ${fns.indexOf(c.fn)}, { ${args.join(', ') || '0'} } },`);
  }
  lines.push('};');
  lines.push('static uint64_t call_case(const Case *c) {', '  switch (c->shape) {');
  shapes.forEach((key, i) => {
    const c = shapeOf.get(key)!;
    const proto = `${c.result === undefined ? 'void' : cType(c.result)} (*)(${c.params.map(cType).join(', ') || 'void'})`;
    const call = `((${proto})functions[c->fn])(${c.params.map((t, j) => `(${cType(t)})values[c->a[${j}]]`).join(', ')})`;
    lines.push(c.result === undefined ? `  case ${i}: ${call}; return 0;` : `  case ${i}: return ${call};`);
  });
  lines.push('  } return 0; }');
  lines.push(
    'extern uint32_t __data_load[], __data_start[], __data_end[];',
    'void reset(void) {',
    '  for (uint32_t *s = __data_load, *d = __data_start; d < __data_end;) *d++ = *s++;',
    `  memory_block[0] = ${HARNESS_MEMORY_BYTES / 65536}; memory_block[1] = ${HARNESS_MEMORY_BYTES};`,
    '  __asm__ volatile("mov r9, %0" : : "r"(&memory_block[2]));',
    '  for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {',
    '    trapped = 0;',
    '    if (setjmp(recover_point) == 0) { uint64_t r = call_case(&cases[i]); put("r="); put_hex(r); put("\\n"); }',
    '    else { char t[8] = "T000\\n"; t[1] = "0123456789"[trapped / 100]; t[2] = "0123456789"[trapped / 10 % 10]; t[3] = "0123456789"[trapped % 10]; put(t); }',
    '  }',
    '  flush();',
    '  static const uint32_t exit_block[2] = { 0x20026, 0 }; semihost(0x20, exit_block); for (;;) {}',
    '}',
  );
  return lines.join('\n');
}

const LINKER_SCRIPT = `
MEMORY { FLASH (rx) : ORIGIN = 0, LENGTH = 4M  RAM (rwx) : ORIGIN = 0x20000000, LENGTH = 4M }
SECTIONS {
  .text : { KEEP(*(.vectors)) *(.text*) *(.rodata*) } > FLASH
  .data : { __data_start = .; *(.data*) . = ALIGN(4); __data_end = .; } > RAM AT > FLASH
  __data_load = LOADADDR(.data);
  .bss (NOLOAD) : { *(.bss*) *(COMMON) } > RAM
  __stack_top = ORIGIN(RAM) + LENGTH(RAM);
  /* Compiled functions check their frames against it (docs/abi.md, "Stack exhaustion"). */
  __stack_bottom = __stack_top - 0x10000;
}
`;

function tool(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 60000 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** Compile `mod`, link it with the harness and run every case on QEMU; returns one line per case. */
export function runOnQemu(mod: IrModule, cases: readonly RunCase[]): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'mcu-aot-codegen-'));
  writeFileSync(join(dir, 'module.o'), writeObject(compileModule(mod)));
  writeFileSync(join(dir, 'harness.c'), harnessSource(mod, cases));
  writeFileSync(join(dir, 'link.ld'), LINKER_SCRIPT);
  const flags = ['-mcpu=cortex-m3', '-mthumb'];
  tool('arm-none-eabi-gcc', [...flags, '-O1', '-ffixed-r9', '-ffreestanding', '-c', join(dir, 'harness.c'), '-o', join(dir, 'harness.o')]);
  const elf = join(dir, 'test.elf');
  tool('arm-none-eabi-gcc', [...flags, '-nostartfiles', '-T', join(dir, 'link.ld'), join(dir, 'harness.o'), join(dir, 'module.o'), '-lc', '-lgcc', '-o', elf]);
  const r = spawnSync('qemu-system-arm', ['-M', 'mps2-an385', '-nographic', '-monitor', 'none', '-serial', 'null',
    '-semihosting-config', 'enable=on,target=native', '-kernel', elf], { encoding: 'utf8', timeout: 60000 });
  if (r.status !== 0) throw new Error(`qemu exited with ${r.status}:\n${r.stdout}\n${r.stderr}\n(in ${dir})`);
  // QEMU writes the semihosting console to stderr when stdout is not a terminal.
  return `${r.stdout}${r.stderr}`.split('\n').filter((l) => /^(r=|T\d)/.test(l));
}
