// The HAL's register accesses through the whole compiler, checked with arm-none-eabi-objdump
// and readelf: one inline ldr/str on the absolute address, no call and no undefined symbol
// for it; constant addresses outside the grants are compile errors, computed ones get a
// range check that traps. Also the import checks and the interrupt binding checks.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildInterruptVeneers } from '../../src/backend-thumb2/interrupt-veneers.js';
import { compileModule } from '../../src/backend-thumb2/compile.js';
import { UserError } from '../../src/diagnostics/errors.js';
import { loadBoard } from '../../src/driver/board.js';
import { interruptVeneerSpecs } from '../../src/driver/interrupts.js';
import { grantedRanges, parseGrantFlag } from '../../src/driver/peripherals.js';
import { decodeModule } from '../../src/frontend/decode.js';
import { watToBinary } from '../../src/frontend/load.js';
import { lowerModule } from '../../src/frontend/lower/module.js';
import type { MmioGrant } from '../../src/frontend/lower/hal.js';
import { validateModule } from '../../src/frontend/validate.js';
import type { ObjectFile } from '../../src/elf/object.js';
import { writeObject } from '../../src/elf/write-object.js';
import type { IrModule } from '../../src/ir/module.js';
import { runPipeline } from '../../src/ir/pipeline.js';
import { printFunction } from '../../src/ir/printer.js';

const lm3s = loadBoard('lm3s6965');
const UART0: MmioGrant = { name: 'UART0', base: 0x4000c000, size: 0x1000, access: 'rw' };

async function lower(wat: string, grants: readonly MmioGrant[] = [UART0]): Promise<IrModule> {
  const m = decodeModule(await watToBinary(wat, 'test.wat'));
  validateModule(m);
  const ir = lowerModule(m, { prefix: 'wasm', hal: { grants } });
  for (const f of ir.bodies) runPipeline(f, { disable: [], dumpAfter: [], verify: true, dump: () => {} });
  return ir;
}

const dir = mkdtempSync(join(tmpdir(), 'mcu-aot-hal-'));
function objdump(object: ObjectFile, name: string): { disassembly: string; symbols: string } {
  const path = join(dir, `${name}.o`);
  writeFileSync(path, writeObject(object));
  return {
    disassembly: execFileSync('arm-none-eabi-objdump', ['-d', '-r', path], { encoding: 'utf8' }),
    symbols: execFileSync('arm-none-eabi-readelf', ['-s', path], { encoding: 'utf8' }),
  };
}

/** The error a promise rejects with, which must be a UserError. */
async function userErrorOf(p: Promise<unknown>): Promise<UserError> {
  const e = await p.then(() => undefined, (err: unknown) => err);
  expect(e).toBeInstanceOf(UserError);
  return e as UserError;
}

const imports = `
  (import "mcu" "read32" (func $read32 (param i32) (result i32)))
  (import "mcu" "read8" (func $read8 (param i32) (result i32)))
  (import "mcu" "write32" (func $write32 (param i32 i32)))
  (import "mcu" "write16" (func $write16 (param i32 i32)))`;

describe('inline register accesses', () => {
  it('compile to one ldr/str on the absolute address, without a call or an import symbol', async () => {
    const ir = await lower(`(module ${imports}
      (func (export "go") (param $v i32) (result i32)
        (call $write32 (i32.const 0x4000c000) (local.get $v))
        (call $write16 (i32.add (i32.const 0x4000c000) (i32.const 0x24)) (local.get $v))
        (call $read8 (i32.const 0x4000c018))))`);
    const { disassembly, symbols } = objdump(compileModule(ir), 'constant');
    const body = disassembly.slice(disassembly.indexOf('<wasm_go>:'));
    expect(body).toMatch(/movw\s+\w+, #49152\s+@ 0xc000/);
    expect(body).toMatch(/movt\s+\w+, #16384\s+@ 0x4000/);
    expect(body).toMatch(/\sstr\s+r0, \[\w+(, #0)?\]/);
    expect(body).toMatch(/\sstrh\s+r0, \[\w+, #36\]/);
    expect(body).toMatch(/\sldrb\s+r0, \[\w+, #24\]/);
    expect(body).not.toMatch(/\sbl\s|r9|udf/);
    expect(symbols).not.toContain('mcu__');
  });

  it('check a computed address inline: trap 11 when no grant holds it', async () => {
    const ir = await lower(`(module ${imports}
      (func (export "peek") (param $a i32) (result i32) (call $read32 (local.get $a))))`);
    expect(printFunction(ir.bodies[0]!)).toContain('trap "mmio access outside granted ranges"');
    const { disassembly } = objdump(compileModule(ir), 'computed');
    expect(disassembly).toMatch(/ror/);
    expect(disassembly).toMatch(/udf\s+#11/);
    expect(disassembly).toMatch(/\sldr\s+r0, \[r0(, #0)?\]/);
  });

  it('reject a constant address outside the grants, naming function, offset and address', async () => {
    const e = await userErrorOf(lower(`(module ${imports}
      (func (export "systick") (call $write32 (i32.const 0xe000e010) (i32.const 7))))`));
    expect(e.code).toBe('mmio-grant');
    expect(e.message).toMatch(/mcu\.write32 at 0xe000e010 in function 4 at offset 0x[0-9a-f]+ is outside the granted ranges \(UART0 0x4000c000\.\.0x4000d000\)/);
  });

  it('fold iconst + offset before checking, and respect read-only grants and alignment', async () => {
    const past = await userErrorOf(lower(`(module ${imports}
      (func (export "f") (drop (call $read32 (i32.add (i32.const 0x4000c000) (i32.const 0x1000))))))`));
    expect(past.message).toContain('mcu.read32 at 0x4000d000');
    const readOnly: MmioGrant = { ...UART0, access: 'r' };
    const write = await userErrorOf(lower(`(module ${imports}
      (func (export "f") (call $write32 (i32.const 0x4000c000) (i32.const 1))))`, [readOnly]));
    expect(write.message).toContain('mcu.write32 at 0x4000c000');
    const unaligned = await userErrorOf(lower(`(module ${imports}
      (func (export "f") (drop (call $read32 (i32.const 0x4000c002)))))`));
    expect(unaligned.message).toContain('not aligned to 4 bytes');
  });

  it('reject imports that are not HAL functions or have another signature', async () => {
    const unknown = await userErrorOf(lower(`(module (import "mcu" "poke" (func (param i32))))`));
    expect(unknown.code).toBe('hal');
    expect(unknown.message).toContain("'mcu.poke' is not a HAL function");
    const wrong = await userErrorOf(lower(`(module (import "mcu" "read32" (func (param i32))))`));
    expect(wrong.message).toContain("'mcu.read32' is imported as (i32) -> (), the HAL function is (i32) -> (i32)");
  });

  it('leave the other HAL functions as calls to runtime-c', async () => {
    const ir = await lower(`(module (import "mcu" "irq_enable" (func $e (param i32)))
      (func (export "f") (call $e (i32.const 5))))`);
    const { disassembly } = objdump(compileModule(ir), 'runtime');
    expect(disassembly).toContain('R_ARM_THM_CALL\tmcu__irq_enable');
  });
});

describe('grants', () => {
  it('come from the board file (its console UART) and --grant', () => {
    expect(grantedRanges(lm3s)).toEqual([{ name: 'UART0', base: lm3s.console.base, size: 0x1000, access: 'rw' }]);
    const mps2 = loadBoard('mps2-an385');
    expect(grantedRanges(mps2)[0]!.base).toBe(mps2.console.base);
    expect(parseGrantFlag('timer0=0x40030000:0x1000')).toEqual({ name: 'timer0', base: 0x40030000, size: 0x1000, access: 'rw' });
    expect(parseGrantFlag('adc=1073971200:4096:r')).toEqual({ name: 'adc', base: 0x40038000, size: 4096, access: 'r' });
    expect(parseGrantFlag('bad=0x10')).toBeUndefined();
    expect(parseGrantFlag('top=0xfffff000:0x2000')).toBeUndefined();
  });
});

describe('interrupt bindings', () => {
  const handlers = `(module (func (export "on_tick")) (func (export "value") (result i32) (i32.const 1)))`;

  it('map board IRQ names, numbers and SysTick to veneers calling the export', async () => {
    const ir = await lower(handlers);
    const specs = interruptVeneerSpecs([{ irq: 'UART0', handler: 'on_tick' }, { irq: '33', handler: 'on_tick' }, { irq: 'SysTick', handler: 'on_tick' }], lm3s, ir);
    expect(specs).toEqual([
      { vector: '__mcu_irq5_handler', handler: 'wasm_on_tick' },
      { vector: '__mcu_irq33_handler', handler: 'wasm_on_tick' },
      { vector: '__mcu_systick_handler', handler: 'wasm_on_tick' },
    ]);
    const { disassembly, symbols } = objdump(buildInterruptVeneers(specs.slice(0, 1)), 'veneers');
    const lines = disassembly.split('\n').filter((l) => /^\s+[0-9a-f]+:\t/.test(l)).map((l) => l.split('\t').slice(2).join('\t').trim());
    expect(lines).toEqual(['stmdb\tsp!, {r9, lr}', 'movw\tr9, #0', 'movt\tr9, #0', 'bl\t0 <wasm_on_tick>', 'ldmia.w\tsp!, {r9, pc}']);
    expect(disassembly).toContain('R_ARM_THM_MOVW_ABS_NC\t__mcu_linear_memory');
    expect(symbols).toMatch(/FUNC\s+GLOBAL\s+DEFAULT\s+\d+ __mcu_irq5_handler/);
  });

  it('reject unknown IRQs, handlers that are not exported () -> () functions, and double bindings', async () => {
    const ir = await lower(handlers);
    const fail = (irq: string, handler: string, extra: { irq: string; handler: string }[] = []): string => {
      try {
        interruptVeneerSpecs([...extra, { irq, handler }], lm3s, ir);
      } catch (e) {
        expect(e).toBeInstanceOf(UserError);
        expect((e as UserError).code).toBe('interrupts');
        return (e as UserError).message;
      }
      throw new Error('no error');
    };
    expect(fail('UART9', 'on_tick')).toContain("'UART9' is not an IRQ line of board lm3s6965");
    expect(fail('UART0', 'on_rx')).toContain("the handler 'on_rx' bound to UART0 is not an exported function");
    expect(fail('UART0', 'value')).toContain('must take and return nothing');
    expect(interruptVeneerSpecs([{ irq: '47', handler: 'on_tick' }], lm3s, ir)[0]!.vector).toBe('__mcu_irq47_handler');
    expect(fail('48', 'on_tick')).toContain("beyond runtime-c's vector table of 48 lines");
    expect(fail('5', 'on_tick', [{ irq: 'UART0', handler: 'on_tick' }])).toContain('bound twice');
  });
});
