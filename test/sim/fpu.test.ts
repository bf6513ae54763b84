// The simulator's FPv4-SP (Cortex-M4F) against IEEE 754 single precision and against QEMU.
//
// - Fpu, instruction by instruction: values whose IEEE results are known (NaN payloads and
//   the default NaN, signed zeros, rounding ties and directed rounding, fused versus
//   chained multiply-add, conversions that round, truncate and saturate, flush-to-zero).
// - Access: NOCP without CPACR, and the extended exception frame.
// - Differential on mps2-an386: a gcc -O2 hard-float C firmware (every FP instruction by
//   inline assembly over edge values in every rounding mode, with FZ and DN; register
//   lists; an exception in the middle of FP code; ordinary float code), and every
//   end-to-end program that uses f32, give the same output and exit code as QEMU.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runOnQemu } from '../../qemu/runner.js';
import { loadBoard, type Board } from '../../src/driver/board.js';
import { build } from '../../src/driver/build.js';
import { readLoadImage } from '../../src/elf/read-executable.js';
import { DEFAULT_NAN, Fpu, FPSCR, RoundingMode } from '../../src/sim/fpu.js';
import { Machine } from '../../src/sim/machine.js';
import { describeStop, simulateElf } from '../../src/sim/simulate.js';
import { listPrograms, loadProgram, PROGRAMS_DIR } from '../support/programs.js';

const work = mkdtempSync(join(tmpdir(), 'mcu-aot-sim-fpu-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const m4f = loadBoard('mps2-an386');

const f32 = (x: number): number => new Int32Array(Float32Array.of(x).buffer)[0]!;
const ONE = 0x3f800000;
const MINUS_ZERO = 0x80000000 | 0;
const INF = 0x7f800000;
const SNAN = 0x7fa00001;
const QNAN_PAYLOAD = 0xffc12345 | 0;

function fpu(mode: RoundingMode = RoundingMode.nearest, extra = 0): Fpu {
  const unit = new Fpu();
  unit.fpscr = (mode << 22) | extra;
  return unit;
}

describe('FPv4-SP arithmetic (IEEE 754 single precision)', () => {
  it('propagates the first signalling NaN quieted (IOC), else the first quiet NaN, payloads kept', () => {
    const u = fpu();
    expect(u.add(QNAN_PAYLOAD, SNAN)).toBe(SNAN | 0x400000);
    expect(u.fpscr & FPSCR.IOC).toBe(FPSCR.IOC);
    const v = fpu();
    expect(v.mul(ONE, QNAN_PAYLOAD)).toBe(QNAN_PAYLOAD);
    expect(v.fpscr & FPSCR.IOC).toBe(0);
    expect(fpu(RoundingMode.nearest, FPSCR.DN).add(QNAN_PAYLOAD, ONE)).toBe(DEFAULT_NAN);
  });

  it('gives the default NaN for invalid operations: inf - inf, 0 * inf, 0 / 0, sqrt(-1)', () => {
    for (const result of [fpu().sub(INF, INF), fpu().mul(0, INF), fpu().div(0, 0), fpu().sqrt(f32(-1))]) expect(result).toBe(DEFAULT_NAN);
  });

  it('keeps signed zeros: -0 + -0 = -0, x - x = +0 (-0 rounding down), sqrt(-0) = -0, 1 / -0 = -inf (DZC)', () => {
    expect(fpu().add(MINUS_ZERO, MINUS_ZERO)).toBe(MINUS_ZERO);
    expect(fpu().sub(ONE, ONE)).toBe(0);
    expect(fpu(RoundingMode.minusInfinity).sub(ONE, ONE)).toBe(MINUS_ZERO);
    expect(fpu().sqrt(MINUS_ZERO)).toBe(MINUS_ZERO);
    const u = fpu();
    expect(u.div(ONE, MINUS_ZERO)).toBe(0xff800000 | 0);
    expect(u.fpscr & FPSCR.DZC).toBe(FPSCR.DZC);
  });

  it('rounds to nearest even and in the directed modes, with IXC and OFC', () => {
    const halfUlp = f32(2 ** -24); // 1 + 2^-24 is a tie between 1 and 1 + 2^-23
    expect(fpu().add(ONE, halfUlp)).toBe(ONE);
    expect(fpu().add(ONE + 1, halfUlp)).toBe(ONE + 2); // odd significand: the tie goes up
    expect(fpu(RoundingMode.plusInfinity).add(ONE, halfUlp)).toBe(ONE + 1);
    expect(fpu(RoundingMode.zero).div(ONE, f32(3))).toBe(0x3eaaaaaa);
    expect(fpu(RoundingMode.nearest).div(ONE, f32(3))).toBe(0x3eaaaaab);
    const max = 0x7f7fffff;
    const up = fpu(RoundingMode.plusInfinity);
    expect(up.add(max, ONE)).toBe(INF);
    expect(up.fpscr & (FPSCR.OFC | FPSCR.IXC)).toBe(FPSCR.OFC | FPSCR.IXC);
    expect(fpu(RoundingMode.zero).mul(max, f32(2))).toBe(max);
    const exact = fpu();
    expect(exact.mul(f32(1.5), f32(2))).toBe(f32(3));
    expect(exact.fpscr).toBe(0);
  });

  it('fuses VFMA (one rounding) but rounds the product of VMLA first', () => {
    // (1 + 2^-12)^2 = 1 + 2^-11 + 2^-24: the product alone rounds the 2^-24 away.
    const a = f32(1 + 2 ** -12);
    const minusProduct = f32(-(1 + 2 ** -11));
    expect(fpu().mulAdd(minusProduct, a, a)).toBe(f32(2 ** -24));
    const chained = fpu();
    expect(chained.add(minusProduct, chained.mul(a, a))).toBe(0);
    // A quiet NaN addend with 0 * inf is invalid: the default NaN, not the addend.
    expect(fpu().mulAdd(QNAN_PAYLOAD, 0, INF)).toBe(DEFAULT_NAN);
  });

  it('converts to integers: VCVT truncates, VCVTR rounds by RMode (ties to even), both saturate, NaN is 0 (IOC)', () => {
    expect(fpu().toInteger(f32(-2.5), false, true)).toBe(-2);
    expect(fpu().toInteger(f32(-2.5), false, false)).toBe(-2);
    expect(fpu().toInteger(f32(3.5), false, false)).toBe(4);
    expect(fpu(RoundingMode.minusInfinity).toInteger(f32(-2.5), false, false)).toBe(-3);
    expect(fpu().toInteger(f32(-1), true, true)).toBe(0);
    expect(fpu().toInteger(f32(5e9), true, true)).toBe(-1); // 0xffffffff
    expect(fpu().toInteger(f32(-5e9), false, true)).toBe(-(2 ** 31));
    const nan = fpu();
    expect(nan.toInteger(SNAN, false, true)).toBe(0);
    expect(nan.fpscr & FPSCR.IOC).toBe(FPSCR.IOC);
    expect(fpu().toInteger(f32(1.75), false, true, 16, 8)).toBe(448); // to fixed point s16.8
    expect(fpu().fromInteger(2 ** 24 + 1)).toBe(f32(2 ** 24)); // a tie, to even
    expect(fpu(RoundingMode.plusInfinity).fromInteger(2 ** 24 + 1)).toBe(f32(2 ** 24 + 2));
    expect(fpu(RoundingMode.plusInfinity).fromInteger(2 ** 24 + 1, 1, true)).toBe(f32(2 ** 23)); // fixed point: nearest
  });

  it('flushes subnormal operands (IDC) and results (UFC) to signed zero under FZ', () => {
    const u = fpu(RoundingMode.nearest, FPSCR.FZ);
    expect(u.add(0x807fffff | 0, 0)).toBe(0); // -subnormal flushed to -0; -0 + +0 = +0
    expect(u.fpscr & FPSCR.IDC).toBe(FPSCR.IDC);
    const v = fpu(RoundingMode.nearest, FPSCR.FZ);
    expect(v.mul(f32(2 ** -100), f32(-(2 ** -30)))).toBe(MINUS_ZERO);
    expect(v.fpscr & FPSCR.UFC).toBe(FPSCR.UFC);
    expect(fpu().mul(f32(2 ** -100), f32(2 ** -30))).toBe(f32(2 ** -130)); // without FZ: exact subnormal
  });

  it('compares: equal 0110, less 1000, greater 0010, unordered 0011 (VCMPE signals quiet NaNs)', () => {
    const nzcv = (a: number, b: number, e = false): number => {
      const u = fpu();
      u.compare(a, b, e);
      return u.fpscr >>> 28;
    };
    expect([nzcv(0, MINUS_ZERO), nzcv(ONE, f32(2)), nzcv(f32(2), ONE), nzcv(QNAN_PAYLOAD, ONE)]).toEqual([0b0110, 0b1000, 0b0010, 0b0011]);
    const e = fpu();
    e.compare(QNAN_PAYLOAD, ONE, true);
    expect(e.fpscr & FPSCR.IOC).toBe(FPSCR.IOC);
  });
});

/** Assemble `body` (after a vector table whose faults go to a handler that exits with 50 + IPSR) and run it. */
function runAssembly(board: Board, body: string): { machine: Machine; stop: ReturnType<Machine['run']> } {
  const vectors = ['0x20001000', 'reset + 1', ...Array.from({ length: 12 }, () => 'fault + 1'), 'pendsv + 1'];
  const source = `.syntax unified\n.thumb\n.section .vectors\n${vectors.map((v) => `.word ${v}`).join('\n')}
.text\n.thumb_func\nreset:\n${body}\n  movs r0, #0x18\n  ldr r1, =0x20026\n  bkpt 0xab
.thumb_func\nfault:\n  mrs r2, ipsr\n  adds r2, r2, #50\n  ldr r1, =exit_block\n  str r2, [r1, #4]\n  movs r0, #0x20\n  bkpt 0xab
.thumb_func\npendsv:\n  mov r4, lr\n  mrs r5, control\n  vmov.f32 s0, #2.0\n  vmov r6, s0\n  bx lr
.ltorg\n.data\nexit_block: .word 0x20026, 0\n`;
  writeFileSync(join(work, 'a.s'), source);
  writeFileSync(join(work, 'a.ld'), 'SECTIONS { .text 0 : { KEEP(*(.vectors)) *(.text*) } .data 0x20000000 : { *(.data*) } }');
  execFileSync('arm-none-eabi-as', ['-mthumb', '-mcpu=cortex-m4', '-mfpu=fpv4-sp-d16', join(work, 'a.s'), '-o', join(work, 'a.o')]);
  execFileSync('arm-none-eabi-ld', ['-T', join(work, 'a.ld'), join(work, 'a.o'), '-o', join(work, 'a.elf')]);
  const machine = new Machine(board, readLoadImage(readFileSync(join(work, 'a.elf')), 'a.elf'), { onConsole: () => {} });
  return { machine, stop: machine.run(100_000) };
}

const ENABLE_FPU = '  ldr r0, =0xE000ED88\n  mov r1, #0xf00000\n  str r1, [r0]\n  dsb\n  isb';
const ENABLE_USAGE_FAULT = '  ldr r0, =0xE000ED24\n  mov r1, #0x70000\n  str r1, [r0]';

describe('FPU access and context', () => {
  it('faults NOCP (UsageFault) until CPACR grants CP10/CP11', () => {
    const { machine, stop } = runAssembly(m4f, `${ENABLE_USAGE_FAULT}\n  vmov.f32 s0, #1.0`);
    expect(stop).toEqual({ kind: 'exit', code: 56 });
    expect(machine.scs.cfsr & (1 << 19)).not.toBe(0);
    expect(runAssembly(m4f, `${ENABLE_FPU}\n  vmov.f32 s0, #1.0\n  vmov r2, s0`).machine.cpu.r[2]).toBe(ONE);
  });

  it('stacks S0-S15 and FPSCR in an extended frame (EXC_RETURN 0xffffffe9) and restores them', () => {
    const { machine, stop } = runAssembly(m4f, `${ENABLE_FPU}
  vmov.f32 s0, #1.0
  mov r1, #0x00c00000
  vmsr fpscr, r1
  mov r10, sp
  ldr r1, =0xE000ED04
  mov r2, #0x10000000
  str r2, [r1]
  dsb
  isb
  vmov r7, s0
  vmrs r8, fpscr
  mrs r9, control`);
    expect(stop).toEqual({ kind: 'exit', code: 0 });
    const r = machine.cpu.r;
    expect(r[4]! >>> 0).toBe(0xffffffe9); // EXC_RETURN with the FP frame
    expect(r[5]).toBe(0); // CONTROL.FPCA clear in the handler before its first FP instruction
    expect(r[6]).toBe(f32(2)); // the handler's own S0
    expect([r[7], r[8], r[9]]).toEqual([ONE, 0x00c00000, 4]); // S0, FPSCR restored; FPCA set again
    expect(r[13]).toBe(r[10]); // the 0x68-byte frame popped
  });
});

describe('FPU differential against QEMU on mps2-an386', () => {
  const FIRMWARE = new URL('./firmware/', import.meta.url).pathname;

  function buildFloatFirmware(opt: '-O2' | '-Os'): string {
    const hex = (n: number): string => `0x${n.toString(16)}`;
    const script = join(work, 'an386.ld');
    writeFileSync(script, `MEMORY { FLASH (rx) : ORIGIN = ${hex(m4f.flash.origin)}, LENGTH = ${hex(m4f.flash.size)}
  RAM (rwx) : ORIGIN = ${hex(m4f.ram.origin)}, LENGTH = ${hex(m4f.ram.size)} }
SECTIONS {
  .text : { KEEP(*(.vectors)) *(.text*) *(.rodata*) } > FLASH
  .data : { __data_start = .; *(.data*) . = ALIGN(4); __data_end = .; } > RAM AT > FLASH
  __data_load = LOADADDR(.data);
  .bss (NOLOAD) : { __bss_start = .; *(.bss*) *(COMMON) . = ALIGN(4); __bss_end = .; } > RAM
  __stack_top = ORIGIN(RAM) + LENGTH(RAM);
}`);
    const elf = join(work, `float${opt}.elf`);
    execFileSync('arm-none-eabi-gcc', [
      '-mcpu=cortex-m4', '-mthumb', '-mfloat-abi=hard', '-mfpu=fpv4-sp-d16', opt, '-ffreestanding', '-nostdlib', '-nostartfiles', '-fno-builtin',
      '-DCONSOLE_CMSDK', `-DCONSOLE_BASE=0x${m4f.console.base.toString(16)}u`, '-T', script,
      join(FIRMWARE, 'crt.c'), join(FIRMWARE, 'float.c'), '-lgcc', '-o', elf,
    ], { stdio: 'pipe' });
    return elf;
  }

  it.each(['-O2', '-Os'] as const)('a gcc %s hard-float firmware prints and exits as on QEMU', async (opt) => {
    const elf = buildFloatFirmware(opt);
    const qemu = await runOnQemu(elf, m4f, { timeoutMs: 60_000 });
    const sim = simulateElf(readFileSync(elf), elf, m4f, { maxInstructions: 500_000_000 });
    expect(qemu.timedOut).toBe(false);
    expect(sim.output).toBe(qemu.output);
    expect(describeStop(sim.stop, 0)).toBe(`exited with code ${qemu.exitCode}`);
    expect(sim.output.split('\n').length).toBeGreaterThan(7 * 35); // every mode x every instruction
  }, 120_000);

  it('uses the instructions it is meant to test', () => {
    const text = execFileSync('arm-none-eabi-objdump', ['-d', buildFloatFirmware('-O2')], { encoding: 'utf8', maxBuffer: 1 << 26 });
    for (const needle of ['vfma.f32', 'vfnms.f32', 'vnmla.f32', 'vpush', 'vpop', 'vldmia', 'vstmdb', 'vcvtr.s32.f32', 'vcvt.f32.u16', 'vmov.f32\ts0, #112', 'vmsr', 'vcmpe.f32', 'vsqrt.f32']) {
      expect(text, needle).toContain(needle);
    }
  });

  /** Programs with f32 arithmetic: .wat with f32 instructions, C with float. */
  const usesF32 = (file: string): boolean => (file.endsWith('.c') ? /\bfloat\b/ : /\bf32\.[a-z]/).test(readFileSync(join(PROGRAMS_DIR, file), 'utf8'));
  const f32Programs = listPrograms().filter(usesF32);
  it.each(f32Programs)('end-to-end program %s gives the same output and exit code as QEMU', async (file) => {
    const program = loadProgram(file, work);
    const elf = join(work, `${program.name}-an386.elf`);
    await build({ input: program.wasmPath, board: m4f, emit: 'elf', output: elf, log: () => {} });
    const qemu = await runOnQemu(elf, m4f, { timeoutMs: 60_000 });
    const sim = simulateElf(readFileSync(elf), elf, m4f, { maxInstructions: 2_000_000_000 });
    expect(qemu.timedOut).toBe(false);
    expect(describeStop(sim.stop, 0)).toBe(`exited with code ${qemu.exitCode}`);
    expect(sim.output).toBe(qemu.output);
  }, 120_000);
});
