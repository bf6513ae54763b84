// A real peripheral interrupt on the MPS2 boards under QEMU: the CMSDK APB timer 0 (granted
// by the project, as mcu-aot.toml's [peripherals] would) counts down from RELOAD at the
// 25 MHz system clock and raises the board file's TIMER0 line; the handler bound to it by
// name clears the interrupt and counts in linear memory while the main loop sleeps. QEMU
// wires the device to an NVIC input (hw/arm/mps2.c), so the run checks that the board file's
// IRQ number, the vector table slot and the veneer agree with the hardware.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadBoard } from '../../src/driver/board.js';
import { run } from '../../src/driver/run.js';

const dir = mkdtempSync(join(tmpdir(), 'mcu-aot-mps2-timer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** CMSDK APB timer registers (Arm CMSDK TRM): CTRL bit 0 enable, bit 3 interrupt enable. */
const TIMER0 = 0x40000000;
const CTRL = TIMER0 + 0x0;
const RELOAD = TIMER0 + 0x8;
const INTCLEAR = TIMER0 + 0xc;
const UART0_DATA = 0x40004000;

const PROGRAM = `(module
  (import "mcu" "write32" (func $write32 (param i32 i32)))
  (import "mcu" "irq_enable" (func $irq_enable (param i32)))
  (import "mcu" "wait_for_interrupt" (func $wfi))
  (memory 1)
  (func (export "on_timer")
    (call $write32 (i32.const ${INTCLEAR}) (i32.const 1))
    (i32.store (i32.const 1024) (i32.add (i32.load (i32.const 1024)) (i32.const 1))))
  (func (export "_start")
    (call $write32 (i32.const ${RELOAD}) (i32.const 25000)) ;; 1 ms at 25 MHz
    (call $irq_enable (i32.const 8))
    (call $write32 (i32.const ${CTRL}) (i32.const 9))
    (loop $sleep (call $wfi) (br_if $sleep (i32.lt_u (i32.load (i32.const 1024)) (i32.const 5))))
    (call $write32 (i32.const ${CTRL}) (i32.const 0))
    (call $write32 (i32.const ${UART0_DATA}) (i32.const 0x6f)) ;; "ok\\n"
    (call $write32 (i32.const ${UART0_DATA}) (i32.const 0x6b))
    (call $write32 (i32.const ${UART0_DATA}) (i32.const 10))))
`;

describe.each(['mps2-an385', 'mps2-an386'])('the CMSDK timer interrupt on %s', (boardName) => {
  it('runs the handler bound to the board\'s TIMER0 line five times', async () => {
    const board = loadBoard(boardName);
    expect(board.irqs?.['TIMER0']).toBe(8);
    const input = join(dir, `timer-${boardName}.wat`);
    writeFileSync(input, PROGRAM);
    let output = '';
    const exit = await run({
      input,
      board,
      grants: [{ name: 'timer0', base: TIMER0, size: 0x1000, access: 'rw' }],
      interrupts: [{ irq: 'TIMER0', handler: 'on_timer' }],
      log: () => {},
      timeoutMs: 20_000,
      onOutput: (chunk) => (output += chunk),
    });
    expect(output).toBe('ok\n');
    expect(exit).toBe(0);
  }, 30_000);
});
