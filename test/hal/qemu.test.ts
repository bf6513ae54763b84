// The HAL and interrupts on QEMU, the oracle: register writes reach the console UART, a
// computed address outside the grants traps with kind 11, SysTick and NVIC interrupts run
// exported handlers that use linear memory with r9 set by the veneer, the clock advances
// across delay_ms, and the generated AssemblyScript and C bindings compile and run.

import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runOnQemu } from '../../qemu/runner.js';
import { buildInterruptVeneers } from '../../src/backend-thumb2/interrupt-veneers.js';
import { loadBoard, type Board } from '../../src/driver/board.js';
import { compileToObject } from '../../src/driver/build.js';
import { interruptVeneerSpecs } from '../../src/driver/interrupts.js';
import type { InterruptBinding } from '../../src/driver/project.js';
import { run } from '../../src/driver/run.js';
import { linkWithRuntime, loadFirmwareRuntime } from '../../src/driver/link-firmware.js';
import { readObject } from '../../src/elf/read-object.js';

const BOARDS = ['lm3s6965', 'mps2-an385', 'mps2-an386'] as const;
const root = new URL('../../', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'mcu-aot-hal-qemu-'));

/** The console UART's data and status registers, and the status bit that means "TX full"
 *  (PL011 FR.TXFF; CMSDK UART STATE.TXBF). */
const UARTS: Record<(typeof BOARDS)[number], { data: number; status: number; full: number }> = {
  'lm3s6965': { data: 0x4000c000, status: 0x4000c018, full: 0x20 },
  'mps2-an385': { data: 0x40004000, status: 0x40004004, full: 0x1 },
  'mps2-an386': { data: 0x40004000, status: 0x40004004, full: 0x1 },
};
/** An IRQ line nothing else uses, by the board's name for it, and its number. */
const SPARE_IRQ: Record<(typeof BOARDS)[number], { name: string; n: number }> = {
  'lm3s6965': { name: 'UART1', n: 6 },
  'mps2-an385': { name: 'UART1RX', n: 2 },
  'mps2-an386': { name: 'UART1TX', n: 3 },
};

/** A module printing through the HAL alone: $putc polls the UART's status register and
 *  writes its data register; $puts prints a string from linear memory, $putu a number. */
function program(board: (typeof BOARDS)[number], imports: string, body: string): string {
  const uart = UARTS[board];
  return `(module
  (import "mcu" "read32" (func $read32 (param i32) (result i32)))
  (import "mcu" "write32" (func $write32 (param i32 i32)))
  ${imports}
  (memory 1)
  (func $putc (param $c i32)
    (loop $busy (br_if $busy (i32.and (call $read32 (i32.const ${uart.status})) (i32.const ${uart.full}))))
    (call $write32 (i32.const ${uart.data}) (local.get $c)))
  (func $puts (param $p i32) (param $n i32)
    (block $done (loop $next
      (br_if $done (i32.eqz (local.get $n)))
      (call $putc (i32.load8_u (local.get $p)))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br $next))))
  (func $putu (param $v i32)
    (if (i32.ge_u (local.get $v) (i32.const 10)) (then (call $putu (i32.div_u (local.get $v) (i32.const 10)))))
    (call $putc (i32.add (i32.const 48) (i32.rem_u (local.get $v) (i32.const 10)))))
  ${body})`;
}

async function runProgram(board: Board, name: string, wat: string, interrupts: InterruptBinding[] = []): Promise<{ exit: number; output: string }> {
  const input = join(dir, `${name}-${board.name}.wat`);
  writeFileSync(input, wat);
  let output = '';
  const exit = await run({ input, board, interrupts, log: () => {}, timeoutMs: 20_000, onOutput: (c) => (output += c) });
  return { exit, output };
}

describe.each(BOARDS)('HAL on %s', (boardName) => {
  const board = loadBoard(boardName);

  it('writes the console UART through mcu.write32', async () => {
    const { exit, output } = await runProgram(board, 'uart', program(boardName, '', `
      (data (i32.const 2048) "Hello from mcu.write32\\n")
      (func (export "_start") (call $puts (i32.const 2048) (i32.const 23)))`));
    expect(output).toBe('Hello from mcu.write32\n');
    expect(exit).toBe(0);
  });

  it('traps with kind 11 on a computed address outside the grants', async () => {
    const wat = program(boardName, '', `
      (global $next_uart (mut i32) (i32.const ${UARTS[boardName].data + 0x1000}))
      (func $peek (export "peek") (param $a i32) (result i32) (call $read32 (local.get $a)))
      (func (export "_start")
        (call $putu (call $peek (i32.const ${UARTS[boardName].status})))
        (call $putc (i32.const 10))
        (drop (call $peek (global.get $next_uart))))`);
    const { exit, output } = await runProgram(board, 'computed', wat);
    // (the report names peek, or _start when the inliner put peek's access there)
    expect(output).toMatch(/^\d+\ntrap: mmio access outside granted ranges in (peek|_start) at wasm offset 0x[0-9a-f]+\n$/);
    expect(exit).toBe(111);
  });

  it('runs a SysTick handler that counts in linear memory while the main loop sleeps and writes it too', async () => {
    const wat = program(boardName, '(import "mcu" "wait_for_interrupt" (func $wfi))', `
      (data (i32.const 2048) " ticks, main loop woke up\\n")
      (func (export "on_tick") (i32.store (i32.const 1024) (i32.add (i32.load (i32.const 1024)) (i32.const 1))))
      (func (export "_start")
        (loop $sleep
          (call $wfi)
          (i32.store (i32.const 1028) (i32.add (i32.load (i32.const 1028)) (i32.const 1)))
          (br_if $sleep (i32.lt_u (i32.load (i32.const 1024)) (i32.const 50))))
        (call $putu (i32.const 50))
        (call $puts (i32.const 2048) (i32.const 26))
        ;; every wake-up was a tick: the main loop's count never runs ahead of the handler's
        (if (i32.gt_u (i32.load (i32.const 1028)) (i32.load (i32.const 1024))) (then unreachable)))`);
    const { exit, output } = await runProgram(board, 'systick', wat, [{ irq: 'SysTick', handler: 'on_tick' }]);
    expect(output).toBe('50 ticks, main loop woke up\n');
    expect(exit).toBe(0);
  });

  it('runs a handler bound by the board IRQ name when the line is pended, and clears it', async () => {
    const irq = SPARE_IRQ[boardName];
    const wat = program(boardName, `
      (import "mcu" "irq_enable" (func $irq_enable (param i32)))
      (import "mcu" "irq_set_pending" (func $irq_set_pending (param i32)))
      (import "mcu" "irq_pending" (func $irq_pending (param i32) (result i32)))
      (import "mcu" "interrupts_disable" (func $cpsid))
      (import "mcu" "interrupts_enable" (func $cpsie))`, `
      (func (export "on_irq") (i32.store (i32.const 1024) (i32.add (i32.load (i32.const 1024)) (i32.const 1))))
      (func $show
        (call $putu (i32.load (i32.const 1024))) (call $putc (i32.const 32))
        (call $putu (call $irq_pending (i32.const ${irq.n}))) (call $putc (i32.const 10)))
      (func (export "_start")
        (call $irq_enable (i32.const ${irq.n}))
        (call $irq_set_pending (i32.const ${irq.n}))
        (call $irq_set_pending (i32.const ${irq.n}))
        (call $show)
        (call $cpsid)
        (call $irq_set_pending (i32.const ${irq.n}))
        (call $show)
        (call $cpsie)
        (call $show))`);
    const { exit, output } = await runProgram(board, 'irq', wat, [{ irq: irq.name, handler: 'on_irq' }]);
    expect(output).toBe('2 0\n2 1\n3 0\n');
    expect(exit).toBe(0);
  });

  it('advances millis and cycles across delay_ms', async () => {
    const wat = program(boardName, `
      (import "mcu" "millis" (func $millis (result i32)))
      (import "mcu" "cycles" (func $cycles (result i32)))
      (import "mcu" "delay_ms" (func $delay_ms (param i32)))`, `
      (func (export "main") (result i32) (local $t0 i32) (local $c0 i32) (local $dt i32) (local $dc i32)
        (local.set $t0 (call $millis))
        (local.set $c0 (call $cycles))
        (call $delay_ms (i32.const 30))
        (local.set $dt (i32.sub (call $millis) (local.get $t0)))
        (local.set $dc (i32.sub (call $cycles) (local.get $c0)))
        ;; exit 0 when 30 <= dt < 1000 and the cycle counter moved. (How many cycles a
        ;; millisecond holds depends on how QEMU paces its virtual clock against the host's
        ;; load, so only the direction is checked.)
        (i32.or
          (i32.or (i32.lt_u (local.get $dt) (i32.const 30)) (i32.ge_u (local.get $dt) (i32.const 1000)))
          (i32.eqz (local.get $dc))))`);
    const { exit } = await runProgram(board, 'clock', wat);
    expect(exit).toBe(0);
  });
});

/** test.pend_clobbered(irq): pends `irq` while r9 holds 0x1000bad0, returns r9 afterwards. */
const CLOBBER_C = `
#include <stdint.h>
uint32_t test__pend_clobbered(uint32_t irq) {
  uint32_t after;
  __asm__ volatile(
      "push {r9}\\n\\t"
      "movw r9, #0xbad0\\n\\t"
      "movt r9, #0x1000\\n\\t"
      "str %[bit], [%[ispr]]\\n\\t"
      "dsb\\n\\t"
      "isb\\n\\t"
      "mov %[after], r9\\n\\t"
      "pop {r9}"
      : [after] "=&r"(after)
      : [bit] "r"(1u << (irq & 31u)), [ispr] "r"(0xE000E200u + 4u * (irq >> 5))
      : "memory");
  return after;
}
`;

describe.each(BOARDS)('interrupt veneers on %s', (boardName) => {
  const board = loadBoard(boardName);

  it('set r9 for the handler when the interrupted code had another value in it, and restore it', async () => {
    const irq = SPARE_IRQ[boardName];
    const wat = program(boardName, `
      (import "mcu" "irq_enable" (func $irq_enable (param i32)))
      (import "test" "pend_clobbered" (func $pend_clobbered (param i32) (result i32)))`, `
      (func (export "on_irq") (i32.store (i32.const 1024) (i32.add (i32.load (i32.const 1024)) (i32.const 1))))
      (func (export "main") (result i32) (local $r9 i32)
        (i32.store (i32.const 1024) (i32.const 100))
        (call $irq_enable (i32.const ${irq.n}))
        (local.set $r9 (call $pend_clobbered (i32.const ${irq.n})))
        (call $putu (i32.load (i32.const 1024)))
        (call $putc (i32.const 32))
        (call $putu (i32.shr_u (local.get $r9) (i32.const 16)))
        (call $putc (i32.const 10))
        (i32.const 0))`);
    const input = join(dir, `r9-${boardName}.wat`);
    writeFileSync(input, wat);
    const cFile = join(dir, `clobber-${boardName}.c`);
    const cObject = join(dir, `clobber-${boardName}.o`);
    writeFileSync(cFile, CLOBBER_C);
    execFileSync('arm-none-eabi-gcc', ['-mcpu=cortex-m3', '-mthumb', '-ffixed-r9', '-Os', '-c', cFile, '-o', cObject]);
    const { object, ir } = await compileToObject({ input, board, emit: 'elf', log: () => {} });
    const veneers = buildInterruptVeneers(interruptVeneerSpecs([{ irq: irq.name, handler: 'on_irq' }], board, ir));
    const result = linkWithRuntime(await loadFirmwareRuntime(board), [object, veneers, readObject(readFileSync(cObject), cObject)], { memory: ir.memory });
    const elf = join(dir, `r9-${boardName}.elf`);
    writeFileSync(elf, result.elf);
    const { exitCode, output } = await runOnQemu(elf, board, { timeoutMs: 20_000 });
    // 101: the handler's increment landed in linear memory; 4096 = 0x1000: r9 came back.
    expect(output).toBe(`101 ${0x1000}\n`);
    expect(exitCode).toBe(0);
  });
});

describe('generated bindings', () => {
  const board = loadBoard('lm3s6965');

  it('lib/assemblyscript/mcu.ts: an AssemblyScript program writes the UART', async () => {
    const work = mkdtempSync(join(dir, 'as-'));
    copyFileSync(join(root, 'lib/assemblyscript/mcu.ts'), join(work, 'mcu.ts'));
    const input = join(work, 'main.ts');
    writeFileSync(input, `import { read32, write32 } from "./mcu";
const DATA: u32 = 0x4000c000;
const FLAGS: u32 = 0x4000c018;
function putc(c: u32): void {
  while ((read32(FLAGS) & 0x20) != 0) {}
  write32(DATA, c);
}
export function main(): i32 {
  const text = "AssemblyScript says hi\\n";
  for (let i = 0; i < text.length; i++) putc(text.charCodeAt(i));
  return 0;
}
`);
    let output = '';
    const exit = await run({ input, board, log: () => {}, timeoutMs: 20_000, onOutput: (c) => (output += c) });
    expect(output).toBe('AssemblyScript says hi\n');
    expect(exit).toBe(0);
  });

  it('lib/c/mcu.h: a C program writes the UART', async () => {
    const work = mkdtempSync(join(dir, 'c-'));
    copyFileSync(join(root, 'lib/c/mcu.h'), join(work, 'mcu.h'));
    const input = join(work, 'main.c');
    writeFileSync(input, `#include "mcu.h"
static void putc_uart(char c) {
  while (mcu_read32(0x4000c018u) & 0x20u) {}
  mcu_write32(0x4000c000u, (uint32_t)c);
}
int main(void) {
  for (const char *p = "C says hi\\n"; *p; p++) putc_uart(*p);
  return 0;
}
`);
    let output = '';
    const exit = await run({ input, board, log: () => {}, timeoutMs: 20_000, onOutput: (c) => (output += c) });
    expect(output).toBe('C says hi\n');
    expect(exit).toBe(0);
  });
});
