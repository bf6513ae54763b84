// Hard-float f32 on the Cortex-M4F board (mps2-an386): what the driver compiles for it,
// read back by arm-none-eabi-objdump, against the soft-float code for the Cortex-M3 boards;
// and the runtime-c build the FPU board gets (softfp: VFP code under the base AAPCS, the
// FPU enabled before any VFP instruction). Whether the code computes the right values is
// the spec testsuite's job (hard-float-spec.test.ts).

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadBoard } from '../../src/driver/board.js';
import { compileToObject } from '../../src/driver/build.js';
import { buildRuntime, runtimeCompileFlags } from '../../src/driver/runtime.js';
import { writeObject } from '../../src/elf/write-object.js';

const WAT = `(module
  (func (export "add32") (param f32 f32) (result f32) (f32.add (local.get 0) (local.get 1)))
  (func (export "div32") (param f32 f32) (result f32) (f32.div (local.get 0) (local.get 1)))
  (func (export "sqrt32") (param f32) (result f32) (f32.sqrt (local.get 0)))
  (func (export "le32") (param f32 f32) (result i32) (f32.le (local.get 0) (local.get 1)))
  (func (export "gtzero32") (param f32) (result i32) (f32.gt (local.get 0) (f32.const -0)))
  (func (export "trunc32") (param f32) (result i32) (i32.trunc_f32_u (local.get 0)))
  (func (export "sat32") (param f32) (result i32) (i32.trunc_sat_f32_s (local.get 0)))
  (func (export "from32") (param i32) (result f32) (f32.convert_i32_u (local.get 0)))
  (func (export "neg32") (param f32) (result f32) (f32.neg (local.get 0)))
  (func (export "trunc64") (param f32) (result i64) (i64.trunc_f32_s (local.get 0)))
  (func (export "add64") (param f64 f64) (result f64) (f64.add (local.get 0) (local.get 1))))
`;

const work = mkdtempSync(join(tmpdir(), 'mcu-aot-hardfloat-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** objdump -d of the module compiled for `boardName`, by function symbol. */
async function disassemble(boardName: string): Promise<Map<string, string>> {
  const source = join(work, 'floats.wat');
  writeFileSync(source, WAT);
  const { object } = await compileToObject({ input: source, board: loadBoard(boardName), emit: 'obj', log: () => {} });
  const path = join(work, `floats-${boardName}.o`);
  writeFileSync(path, writeObject(object));
  const listing = execFileSync('arm-none-eabi-objdump', ['-d', '-r', path], { encoding: 'utf8' });
  const functions = new Map<string, string>();
  for (const chunk of listing.split(/\n(?=[0-9a-f]{8} <)/)) {
    const name = /^[0-9a-f]{8} <(wasm_\w+)>:/.exec(chunk)?.[1];
    if (name !== undefined) functions.set(name, chunk);
  }
  return functions;
}

describe('f32 code for an FPU board (mps2-an386) and a soft-float one (mps2-an385)', () => {
  it('adds with vadd.f32 on mps2-an386 and calls __aeabi_fadd on mps2-an385', async () => {
    const hard = await disassemble('mps2-an386');
    const soft = await disassemble('mps2-an385');
    expect(hard.get('wasm_add32')).toMatch(/\tvadd\.f32\ts0, s0, s1/);
    expect(hard.get('wasm_add32')).not.toMatch(/__aeabi_fadd/);
    expect(soft.get('wasm_add32')).toMatch(/R_ARM_THM_CALL\t__aeabi_fadd/);
    expect(soft.get('wasm_add32')).not.toMatch(/\tv[a-z]+/);
  });

  it('uses the FPU for f32 division, sqrt, comparisons and i32 conversions', async () => {
    const hard = await disassemble('mps2-an386');
    expect(hard.get('wasm_div32')).toMatch(/\tvdiv\.f32\t/);
    expect(hard.get('wasm_sqrt32')).toMatch(/\tvsqrt\.f32\t/);
    // le is ls after vcmp: false when unordered (NZCV = 0011), unlike le.
    expect(hard.get('wasm_le32')).toMatch(/\tvcmp\.f32\ts0, s1\n.*\tvmrs\tAPSR_nzcv, fpscr\n.*\tit\tls\n/);
    // -0.0 compares as 0.0: the #0.0 form, no second operand to move.
    expect(hard.get('wasm_gtzero32')).toMatch(/\tvcmp\.f32\ts0, #0\.0\n/);
    // Trapping truncation: range checks (NaN -> udf #5, out of range -> udf #3), then vcvt.
    const trunc = hard.get('wasm_trunc32')!;
    expect(trunc).toMatch(/\tbvs\.n\t/);
    expect(trunc).toMatch(/\tvcvt\.u32\.f32\ts0, s0/);
    expect(trunc).toMatch(/\tudf\t#5/);
    expect(trunc).toMatch(/\tudf\t#3/);
    // Saturating truncation is VCVT itself: no check, no helper.
    expect(hard.get('wasm_sat32')).toMatch(/\tvcvt\.s32\.f32\ts0, s0/);
    expect(hard.get('wasm_sat32')).not.toMatch(/\tb[a-z]*\.n|R_ARM_THM_CALL/);
    expect(hard.get('wasm_from32')).toMatch(/\tvcvt\.f32\.u32\ts0, s0/);
  });

  it('keeps sign operations as bit operations and f64 and i64 conversions soft', async () => {
    const hard = await disassemble('mps2-an386');
    // NaN payloads must survive neg: an eor of the sign bit, no FPU move at all.
    expect(hard.get('wasm_neg32')).toMatch(/\teor\.w\tr0, r0, #2147483648/);
    expect(hard.get('wasm_neg32')).not.toMatch(/\tv[a-z]+/);
    expect(hard.get('wasm_trunc64')).toMatch(/R_ARM_THM_CALL\t__mcu_f32_trunc_check_s64/);
    expect(hard.get('wasm_add64')).toMatch(/R_ARM_THM_CALL\t__aeabi_dadd/);
  });
});

describe('runtime-c for mps2-an386', () => {
  const board = loadBoard('mps2-an386');

  it('is built softfp for FPv4-SP and links the matching libgcc multilib', async () => {
    const flags = runtimeCompileFlags(board);
    expect(flags).toEqual(expect.arrayContaining(['-mcpu=cortex-m4', '-mfpu=fpv4-sp-d16', '-mfloat-abi=softfp', '-DMCU_HAS_FPU']));
    const { objects, libgcc } = await buildRuntime(board);
    expect(libgcc).toMatch(/thumb\/v7e-m\+fp\/softfp\/libgcc\.a$/);
    const attributes = execFileSync('arm-none-eabi-readelf', ['-A', objects.find((o) => o.endsWith('float.o'))!], { encoding: 'utf8' });
    expect(attributes).toContain('Tag_FP_arch: VFPv4-D16');
    // Floats in core registers at calls: no "VFP registers" argument passing.
    expect(attributes).not.toContain('Tag_ABI_VFP_args');
  });

  it('enables CP10/CP11 and zeroes FPSCR before the first other VFP instruction of the reset handler', async () => {
    const startup = (await buildRuntime(board)).objects.find((o) => o.endsWith('startup.o'))!;
    const listing = execFileSync('arm-none-eabi-objdump', ['-d', startup], { encoding: 'utf8' });
    const reset = listing.slice(listing.indexOf('<Reset_Handler>:')).split('\n');
    const cpacrStore = reset.findIndex((line) => /\tstr(\.w)?\t.*@ 0xd88$/.test(line));
    const fpscrWrite = reset.findIndex((line) => /\tvmsr\tfpscr, /.test(line));
    const firstVfp = reset.findIndex((line) => /\tv(?!msr)[a-z]+/.test(line));
    expect(cpacrStore).toBeGreaterThan(0);
    expect(fpscrWrite).toBeGreaterThan(cpacrStore);
    expect(firstVfp === -1 || firstVfp > fpscrWrite).toBe(true);
  });
});
