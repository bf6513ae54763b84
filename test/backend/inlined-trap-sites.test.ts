// Trap sites in inlined code name the function they came from. The e2e programs
// trap-inlined-*.wat check the runtime's message on QEMU; here the firmware's trap table,
// read back by `mcu-aot disasm`, shows that at -O2 the callee really is inlined (its trap
// site sits in the caller's machine code), names the callee and keeps the callee's Wasm
// offset (that of the trapping opcode, as wasm-objdump gives it), while at -O0 (no inline)
// or with the callee kept out of line (BuildOptions.keepOutOfLine) the caller holds no trap
// site of the callee's.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadBoard } from '../../src/driver/board.js';
import { build } from '../../src/driver/build.js';
import { disasmFirmware } from '../../src/driver/disasm.js';
import type { OptLevel } from '../../src/frontend/source-options.js';
import { loadProgram } from '../support/programs.js';

const dir = mkdtempSync(join(tmpdir(), 'mcu-aot-inlined-traps-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CASES = [
  { file: 'trap-inlined-div.wat', callee: 'average', kind: 'integer divide by zero', opcode: 'i32.div_s' },
  { file: 'trap-inlined-load.wat', callee: 'field', kind: 'out of bounds memory access', opcode: 'i32.load 2 8' },
  { file: 'trap-inlined-unreachable.wat', callee: 'expect_positive', kind: 'unreachable', opcode: 'unreachable' },
];

/** The trap annotations in `_start`'s listing of the program built at `optLevel`. */
async function callerTrapAnnotations(file: string, optLevel: OptLevel, keepOutOfLine: readonly string[] = []): Promise<string[]> {
  const program = loadProgram(file, dir);
  const elf = join(dir, `${program.name}-O${optLevel}-${keepOutOfLine.length}.elf`);
  await build({ input: program.wasmPath, board: loadBoard('mps2-an385'), emit: 'elf', output: elf, optLevel, keepOutOfLine, log: () => {} });
  const [caller] = await disasmFirmware(elf, { module: program.wasmPath, function: '_start' });
  return caller!.lines.flatMap((l) => (l.annotation?.startsWith('trap: ') === true ? [l.annotation] : []));
}

/** The module offset of the first `opcode` instruction, from wasm-objdump's listing. */
function wasmOffsetOf(wasmPath: string, opcode: string): string {
  const listing = execFileSync('wasm-objdump', ['-d', wasmPath], { encoding: 'utf8' });
  const escaped = opcode.replace(/[.]/g, '\\.');
  return new RegExp(`^ 0*([0-9a-f]+):[0-9a-f ]+\\|\\s+${escaped}$`, 'm').exec(listing)![1]!;
}

describe.each(CASES)('$file', ({ file, callee, kind, opcode }) => {
  it(`at -O2 the caller holds ${callee}'s trap site, named ${callee}, at ${opcode}'s offset`, async () => {
    const annotations = await callerTrapAnnotations(file, '2');
    const offset = wasmOffsetOf(loadProgram(file, dir).wasmPath, opcode);
    expect(annotations).toContain(`trap: ${kind} in ${callee} at wasm offset 0x${offset}`);
  }, 60_000);

  it(`at -O0, or with ${callee} kept out of line, the caller holds no trap site of ${callee}'s`, async () => {
    const notInlined = [...await callerTrapAnnotations(file, '0'), ...await callerTrapAnnotations(file, '2', [callee])];
    expect(notInlined.filter((a) => a.includes(` in ${callee} `))).toEqual([]);
  }, 60_000);
});
