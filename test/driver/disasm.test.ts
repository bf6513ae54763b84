// `mcu-aot disasm`: our listing of linked firmware against arm-none-eabi-objdump -d of the
// same file (every instruction line, same address, same text once objdump's aliases are
// spelled our way), Wasm names from the module, function selection, and trap sites
// annotated with the kind and the Wasm offset wasm-objdump gives for the trapping opcode.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBoard } from '../../src/driver/board.js';
import { build } from '../../src/driver/build.js';
import { disasmFirmware, formatListing, type FunctionListing } from '../../src/driver/disasm.js';
import { UserError } from '../../src/diagnostics/errors.js';
import { normalizeObjdump } from '../backend/objdump-text.js';
import { loadProgram } from '../support/programs.js';

const dir = mkdtempSync(join(tmpdir(), 'mcu-aot-disasm-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const HELLO = new URL('../../examples/hello.wat', import.meta.url).pathname;

/** objdump -d's instruction (and data) text by address, branch targets as `0x<hex>`. */
function objdumpByAddress(elf: string): Map<number, string> {
  const listing = execFileSync('arm-none-eabi-objdump', ['-d', '-z', '-M', 'reg-names-std', elf], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const out = new Map<number, string>();
  for (const line of listing.split('\n')) {
    const m = /^\s*([0-9a-f]+):\t[0-9a-f ]+\t(.*)$/.exec(line);
    if (m !== null) out.set(parseInt(m[1]!, 16), m[2]!.replace(/\b([0-9a-f]+) <[^>]*>$/, '0x$1'));
  }
  return out;
}

const COND = '(eq|ne|cs|cc|mi|pl|vs|vc|hi|ls|ge|lt|gt|le)?';

/**
 * objdump-text.ts's normal form, plus the aliases objdump prefers inside IT blocks in
 * libgcc (the conditional forms of the ones it rewrites) and RRX as a MOV.
 */
function canonical(text: string): string {
  return normalizeObjdump(text)
    .replace(new RegExp(`^neg(s?)${COND} (\\S+), (\\S+)$`), 'rsb$1$2 $3, $4, #0')
    .replace(new RegExp(`^mov(s?)${COND} (\\S+), (\\S+), (lsl|lsr|asr|ror) #(\\d+)$`), '$5$1$2 $3, $4, #$6')
    .replace(new RegExp(`^mov(s?)${COND} (\\S+), (\\S+), rrx$`), 'rrx$1$2 $3, $4');
}

function mismatches(elf: string, listings: readonly FunctionListing[]): string[] {
  const theirs = objdumpByAddress(elf);
  const out: string[] = [];
  for (const f of listings) {
    for (const line of f.lines.filter((l) => l.kind === 'inst')) {
      const expected = canonical(theirs.get(line.address) ?? '<nothing>');
      const ours = canonical(line.text);
      if (ours !== expected) out.push(`${f.symbols[0]} 0x${line.address.toString(16)}: '${ours}' vs objdump '${expected}'`);
    }
  }
  return out;
}

describe('mcu-aot disasm on hello.wat', () => {
  const elf = join(dir, 'hello.elf');
  beforeAll(async () => {
    await build({ input: HELLO, board: loadBoard('lm3s6965'), emit: 'elf', output: elf, log: () => {} });
  }, 60_000);

  it('agrees with arm-none-eabi-objdump on every instruction of every function', async () => {
    const listings = await disasmFirmware(elf);
    const instructions = listings.flatMap((f) => f.lines.filter((l) => l.kind === 'inst'));
    expect(instructions.length).toBeGreaterThan(200);
    expect(mismatches(elf, listings)).toEqual([]);
  });

  it('lists functions in address order, literal pools as data where objdump has them', async () => {
    const listings = await disasmFirmware(elf);
    const addresses = listings.map((f) => f.address);
    expect(addresses).toEqual([...addresses].sort((a, b) => a - b));
    const theirs = objdumpByAddress(elf);
    const words = listings.flatMap((f) => f.lines.filter((l) => l.text.startsWith('.word')));
    expect(words.length).toBeGreaterThan(5);
    for (const w of words) expect(canonical(theirs.get(w.address) ?? '')).toBe(canonical(w.text));
  });

  it('names the Wasm function and its export alias in the header', async () => {
    const [start] = await disasmFirmware(elf, { module: HELLO, function: '_start' });
    expect(start!.symbols[0]).toMatch(/^wasm\$f\d+$/);
    expect(start!.symbols).toContain('wasm__start');
    const text = formatListing([start!]);
    expect(text.split('\n')[0]).toMatch(/^[0-9a-f]{8} wasm\$f\d+ \(_start\) \[wasm__start\]:$/);
    // The call to the import, with its target symbolized; the stack check's trap site.
    expect(text).toMatch(/^\s+[0-9a-f]+:  f[0-9a-f]{3} [0-9a-f]{4}\s+bl 0x[0-9a-f]+ <wasi_snapshot_preview1__fd_write>$/m);
    expect(text).toMatch(/udf\.n #9  ; trap: call stack exhausted at wasm offset 0x[0-9a-f]+$/m);
  });

  it('selects a function by symbol, export symbol or C name', async () => {
    const bySymbol = await disasmFirmware(elf, { function: 'wasm__start' });
    expect(bySymbol).toHaveLength(1);
    expect((await disasmFirmware(elf, { function: bySymbol[0]!.symbols[0]! }))[0]!.address).toBe(bySymbol[0]!.address);
    const putc = await disasmFirmware(elf, { function: 'mcu_console_putc' });
    expect(putc.map((f) => f.symbols[0])).toEqual(['mcu_console_putc']);
  });

  it('rejects an unknown function, naming some it knows', async () => {
    const error = await disasmFirmware(elf, { module: HELLO, function: 'console' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toMatch(/no function 'console'/);
    expect((error as UserError).hint).toMatch(/known functions include 'mcu_console_\w+'.* \(\d+ in all\)/);
  });
});

describe('mcu-aot disasm on a C e2e program (libgcc soft float, IT blocks)', () => {
  it('agrees with arm-none-eabi-objdump on every instruction', async () => {
    const program = loadProgram('float-printf.c', dir);
    const elf = join(dir, 'float-printf.elf');
    await build({ input: program.wasmPath, board: loadBoard('lm3s6965'), emit: 'elf', output: elf, log: () => {} });
    const listings = await disasmFirmware(elf);
    expect(listings.flatMap((f) => f.lines.filter((l) => l.kind === 'inst')).length).toBeGreaterThan(5000);
    expect(mismatches(elf, listings)).toEqual([]);
  }, 60_000);
});

describe('mcu-aot disasm on a trapping e2e program', () => {
  const program = loadProgram('trap-div-zero-i32.wat', dir);
  const elf = join(dir, 'trap.elf');
  beforeAll(async () => {
    await build({ input: program.wasmPath, board: loadBoard('mps2-an385'), emit: 'elf', output: elf, log: () => {} });
  }, 60_000);

  it('agrees with arm-none-eabi-objdump on every instruction', async () => {
    expect(mismatches(elf, await disasmFirmware(elf))).toEqual([]);
  });

  it('annotates the divide-by-zero trap with the offset of i32.div_u in the module', async () => {
    const [div] = await disasmFirmware(elf, { module: program.wasmPath, function: 'div' });
    expect(div!.wasmName).toBe('div');
    const trap = div!.lines.find((l) => l.text.startsWith('udf'))!;
    expect(trap.text).toBe('udf.n #2');
    const wasmOffset = /^ 0*([0-9a-f]+): 6e\s+\| i32\.div_u$/m.exec(execFileSync('wasm-objdump', ['-d', program.wasmPath], { encoding: 'utf8' }))![1]!;
    expect(trap.annotation).toBe(`trap: integer divide by zero at wasm offset 0x${wasmOffset}`);
    // objdump sees the same UDF at that address.
    expect(canonical(objdumpByAddress(elf).get(trap.address)!)).toBe('udf #2');
  });

  it('takes Wasm names from the trap table when no module is given', async () => {
    const listings = await disasmFirmware(elf, { function: 'div' });
    expect(listings).toHaveLength(1);
    expect(listings[0]!.symbols[0]).toMatch(/^wasm\$f\d+$/);
    expect(listings[0]!.wasmName).toBe('div');
  });
});
