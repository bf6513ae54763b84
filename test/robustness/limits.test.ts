// Modules at and past mcu-aot's limits, generated here: they compile, or they are refused
// with a UserError that says what and where, never an InternalError, a crash or a stack
// overflow of the compiler itself.

import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/diagnostics/errors.js';
import { loadBoard } from '../../src/driver/board.js';
import { compileBytesToObject } from '../../src/driver/build.js';
import { linkWithRuntime, loadFirmwareRuntime } from '../../src/driver/link-firmware.js';
import { decodeModule } from '../../src/frontend/decode.js';
import { validateModule } from '../../src/frontend/validate.js';
import { MAX_CONTROL_NESTING } from '../../src/frontend/validate-code.js';
import { I32, uleb, writeModule } from './wasm-writer.js';

const board = loadBoard('lm3s6965');
const compile = (bytes: Uint8Array) => compileBytesToObject(bytes, 'limits.wasm', { board, log: () => undefined });

/** `depth` empty blocks nested in one exported function. */
function nestedBlocks(depth: number): Uint8Array {
  const body = new Uint8Array(depth * 3);
  body.fill(0x02, 0, depth * 2);
  for (let i = 0; i < depth; i++) body[2 * i + 1] = 0x40; // block (empty type)
  body.fill(0x0b, depth * 2); // end x depth
  return writeModule({ functions: [{ params: [], results: [], body, exportName: 'f' }] });
}

function refusal(run: () => unknown): UserError {
  try {
    run();
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error('expected a UserError, the module was accepted');
}

describe('implementation limits', () => {
  it('compiles a function with 10,000 locals that are all used', () => {
    const n = 10_000;
    const body: number[] = [];
    for (let i = 1; i <= n; i++) body.push(0x20, 0x00, 0x21, ...uleb(i)); // local.set i (local.get 0)
    body.push(0x41, 0x00);
    for (let i = 1; i <= n; i += 37) body.push(0x20, ...uleb(i), 0x6a); // sum some of them
    const { object } = compile(writeModule({ functions: [{ params: [I32], results: [I32], locals: [[n, I32]], body, exportName: 'f' }] }));
    expect(object.symbols.some((s) => s.name.endsWith('f'))).toBe(true);
  }, 120_000);

  it('decodes and validates 100,000 functions; compiles 2,000', () => {
    const functions = (count: number) => Array.from({ length: count }, (_, i) => ({
      params: [], results: [I32], body: [0x41, ...uleb(i & 0x3f)], ...(i === 0 ? { exportName: 'first' } : {}),
    }));
    const huge = decodeModule(writeModule({ functions: functions(100_000) }), 'many.wasm');
    validateModule(huge, 'many.wasm');
    expect(huge.codes).toHaveLength(100_000);
    const { ir } = compile(writeModule({ functions: functions(2_000) }));
    expect(ir.bodies).toHaveLength(2_000);
  }, 180_000);

  it(`accepts blocks nested ${MAX_CONTROL_NESTING} deep and refuses one more, naming the function and offset`, () => {
    validateModule(decodeModule(nestedBlocks(MAX_CONTROL_NESTING)));
    const e = refusal(() => validateModule(decodeModule(nestedBlocks(MAX_CONTROL_NESTING + 1))));
    expect(e.code).toBe('limit');
    expect(e.message).toMatch(new RegExp(`blocks nested more than ${MAX_CONTROL_NESTING} deep \\(section 'code', function 0, offset 0x[0-9a-f]+\\)`));
  });

  it.each([10_000, 100_000])('refuses %i nested blocks with a clear error, not a stack overflow', (depth) => {
    const e = refusal(() => compile(nestedBlocks(depth)));
    expect(e.code).toBe('limit');
    expect(e.where.func).toBe(0);
    // The offset of the first block past the limit: header, sections, then 2 bytes a block.
    expect(e.where.offset).toBeGreaterThan(2 * MAX_CONTROL_NESTING);
  });

  it('compiles a br_table with 100,000 targets', () => {
    const n = 100_000;
    const body = [0x02, 0x40, 0x02, 0x40, 0x20, 0x00, 0x0e, ...uleb(n)];
    for (let i = 0; i < n; i++) body.push(i & 1); // alternate between the two blocks
    body.push(0x00, 0x0b, 0x0b);
    const { object } = compile(writeModule({ functions: [{ params: [I32], results: [], body, exportName: 'f' }] }));
    const code = object.sections.filter((s) => s.name.startsWith('.text') || s.name.startsWith('.rodata')).reduce((n, s) => n + s.bytes.length, 0);
    // Large tables become a search over 32-case chunks with a bit mask each: at least one
    // bit per target survives (a dropped table would leave a few bytes).
    expect(code).toBeGreaterThan(n / 8);
  }, 120_000);

  it('refuses a 1 MiB data segment on the 256 KiB-flash lm3s6965 with a link error', async () => {
    const data = new Uint8Array(1 << 20).map((_, i) => i & 0xff);
    const { object, ir } = compile(writeModule({ functions: [{ params: [], results: [], body: [], exportName: '_start' }], memoryPages: 17, data: [{ offset: 0, bytes: data }] }));
    const runtime = await loadFirmwareRuntime(board);
    const e = refusal(() => linkWithRuntime(runtime, [object], { memory: ir.memory }));
    expect(e.message).toMatch(/flash/i);
  }, 120_000);
});
