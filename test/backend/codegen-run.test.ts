// The oracle for the code generator: IR functions compiled by the backend run on QEMU
// (through a C harness) and must give exactly what Node's WebAssembly engine gives for the
// same operations in Wasm, edge cases included (shifts by 0/31/32/63/64, INT_MIN, division
// by negative numbers and by zero, rotates).

import { describe, expect, test } from 'vitest';
import type { Opcode } from '../../src/ir/opcodes.js';
import { INT_CCS, TRAP_KINDS, type Type } from '../../src/ir/types.js';
import type { IrModule } from '../../src/ir/module.js';
import { binary, binaryConst, buildModule, compare, unary, watModule, type OpFunction } from './op-cases.js';
import { CONTROL_AND_CALL_FUNCTIONS, GLOBAL_FUNCTIONS, GLOBAL_INIT, MEMORY_FUNCTIONS } from './program-cases.js';
import { runOnQemu, type RunCase } from './run-harness.js';
import { expectedLines, instantiateWat } from './wasm-oracle.js';

const I32_VALUES = [0n, 1n, -1n, 2n, 0x7fffffffn, -0x80000000n, 31n, 32n, 33n, 63n, 64n, 0x12345678n, -7n, 100n];
const I64_VALUES = [
  0n, 1n, -1n, 2n, 0x7fffffffffffffffn, -0x8000000000000000n, 31n, 32n, 33n, 63n, 64n,
  0x123456789abcdef0n, -7n, 0xffffffffn, 0x100000000n, -0x100000000n, 0x7fffffff80000000n,
];
const BINARY_OPS: Opcode[] = ['iadd', 'isub', 'imul', 'sdiv', 'udiv', 'srem', 'urem', 'band', 'bor', 'bxor', 'shl', 'sshr', 'ushr', 'rotl', 'rotr'];
const SHIFT_OPS: Opcode[] = ['shl', 'sshr', 'ushr', 'rotl', 'rotr'];

function casesFor(fns: readonly OpFunction[], values: readonly bigint[]): RunCase[] {
  const cases: RunCase[] = [];
  for (const f of fns) {
    const argLists = f.params.length === 1 ? values.map((v) => [v]) : values.flatMap((a) => values.map((b) => [a, b]));
    for (const args of argLists) cases.push({ fn: f.name, params: f.params, result: f.result, args });
  }
  return cases;
}

async function checkAgainstWasm(fns: readonly OpFunction[], values: readonly bigint[] | RunCase[], extra: Partial<IrModule> = {}): Promise<void> {
  const cases = typeof values[0] === 'bigint' ? casesFor(fns, values as bigint[]) : (values as RunCase[]);
  const expected = expectedLines(await instantiateWat(watModule(fns)), cases);
  const actual = runOnQemu(buildModule(fns, extra), cases);
  const described = (lines: string[]) => lines.map((line, i) => `${cases[i]!.fn}(${cases[i]!.args.map((a) => a.toString(16)).join(', ')}) ${line}`);
  expect(described(actual)).toEqual(described(expected));
}

function constantVariants(t: 'i32' | 'i64'): OpFunction[] {
  const shiftCounts = [0n, 1n, 5n, 31n, 32n, 33n, 63n, 64n, 65n, -1n];
  const operands = [0n, 1n, -1n, 7n, -7n, 255n, 256n, 0xff00n, 0x12345n, -0x80000000n, 0x55555555n];
  const fns: OpFunction[] = [];
  for (const op of SHIFT_OPS) for (const c of shiftCounts) fns.push(binaryConst(t, op, c));
  for (const op of ['iadd', 'isub', 'band', 'bor', 'bxor', 'imul'] as Opcode[]) for (const c of operands) fns.push(binaryConst(t, op, c));
  for (const op of ['sdiv', 'udiv', 'srem', 'urem'] as Opcode[]) for (const c of [1n, -1n, 3n, -3n, 0n]) fns.push(binaryConst(t, op, c));
  for (const c of [0n, 5n, -0x80000000n]) fns.push(binaryConst(t, 'isub', c, true), binaryConst(t, 'sdiv', c, true));
  for (const cc of INT_CCS) for (const c of [0n, 1n, -1n, 255n, 0x12345n]) fns.push(compare(t, cc, c));
  return fns;
}

const sext = (t: 'i32' | 'i64', bits: 8 | 16 | 32): OpFunction =>
  unary(`${t}_sextend_low${bits}`, t, t, (b, x) => b.value('sextend_low', t, { args: [x], imm: bits }), `${t}.extend${bits}_s`);

function unaryOps(t: 'i32' | 'i64'): OpFunction[] {
  const fns = (['clz', 'ctz', 'popcnt'] as Opcode[]).map((op) => unary(`${t}_${op}`, t, t, (b, x) => b.value(op, t, { args: [x] }), `${t}.${op}`));
  fns.push(sext(t, 8), sext(t, 16));
  if (t === 'i64') {
    fns.push(sext(t, 32));
    fns.push(unary('ireduce', 'i64', 'i32', (b, x) => b.value('ireduce', 'i32', { args: [x] }), 'i32.wrap_i64'));
  } else {
    fns.push(unary('sextend', 'i32', 'i64', (b, x) => b.value('sextend', 'i64', { args: [x] }), 'i64.extend_i32_s'));
    fns.push(unary('uextend', 'i32', 'i64', (b, x) => b.value('uextend', 'i64', { args: [x] }), 'i64.extend_i32_u'));
  }
  return fns;
}

/** select(icmp) fused and select on a plain i32 condition. */
function selects(t: Type): OpFunction[] {
  return [
    {
      name: `${t}_min_s`, params: [t, t], result: t,
      build: (b, [x, y]) => b.value('select', t, { args: [b.value('icmp', 'i32', { args: [x!, y!], cc: 'slt' }), x!, y!] }),
      wat: `local.get 0 local.get 1 local.get 0 local.get 1 ${t}.lt_s select`,
    },
    {
      name: `${t}_select_nonzero`, params: [t, t], result: t,
      build: (b, [x, y]) => b.value('select', t, { args: [t === 'i64' ? b.value('ireduce', 'i32', { args: [x!] }) : x!, y!, x!] }),
      wat: `local.get 1 local.get 0 local.get 0 ${t === 'i64' ? 'i32.wrap_i64' : ''} select`,
    },
  ];
}

function allOps(t: 'i32' | 'i64'): OpFunction[] {
  return [
    ...BINARY_OPS.map((op) => binary(t, op)),
    ...INT_CCS.map((cc) => compare(t, cc)),
    ...unaryOps(t),
    ...selects(t),
  ];
}

describe('generated code computes what Wasm specifies (QEMU vs Node)', () => {
  test('i32 operations on registers', async () => {
    await checkAgainstWasm(allOps('i32'), I32_VALUES);
  }, 120_000);

  test('i64 operations on register pairs', async () => {
    await checkAgainstWasm(allOps('i64'), I64_VALUES);
  }, 120_000);

  test('operations with constant operands', async () => {
    await checkAgainstWasm([...constantVariants('i32'), ...constantVariants('i64')].filter((f) => f.params.length === 1), [0n, 1n, -1n, 0x7fffffffn, -0x80000000n, 0x123456789abcdef0n, -0x8000000000000000n, 3n, -7n]);
  }, 120_000);

  test('loads and stores of every width, with the bounds check', async () => {
    const call = (fn: string, ...args: bigint[]): RunCase => {
      const f = MEMORY_FUNCTIONS.find((x) => x.name === fn)!;
      return { fn, params: f.params, result: f.result, args };
    };
    const loads = MEMORY_FUNCTIONS.filter((f) => f.name.includes('_load'));
    const cases: RunCase[] = [
      call('i64_store', 8n, 0x8899aabbccddeeffn), call('i32_store', 20n, 0x80402010n), call('i32_store8', 17n, 0x1ffn),
      call('i32_store16', 18n, 0xfedcn), call('i64_store32', 24n, -2n), call('memory_size'),
      ...[0n, 8n, 9n, 12n, 15n, 17n, 20n, 21n, 24n, 65528n, 65532n, 65533n, 65535n, 0xfffffffcn, -1n]
        .flatMap((addr) => loads.map((f) => call(f.name, addr))),
      call('i32_store8', 65535n, 0x77n), call('i32_load8_u_o0', 65535n), call('i32_store16', 65535n, 1n), call('i64_store', 65529n, 1n),
      call('i64_store', 65528n, -1n), call('i64_load_o0', 65528n), call('i32_store', -4n, 1n),
    ];
    await checkAgainstWasm(MEMORY_FUNCTIONS, cases, { memory: { minPages: 1, exports: [] } });
  }, 120_000);

  test('loops with block arguments, br_table, calls with stack arguments, spilling', async () => {
    const call = (fn: string, ...args: bigint[]): RunCase => {
      const f = CONTROL_AND_CALL_FUNCTIONS.find((x) => x.name === fn)!;
      return { fn, params: f.params, result: f.result, args };
    };
    const cases: RunCase[] = [
      ...[0n, 1n, 2n, 10n, 50n, 90n].map((n) => call('fib_loop', n)),
      ...[0n, 1n, 2n, 3n, 7n].map((n) => call('swap_loop', n, 11n, 5n)),
      ...[0n, 1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n, 9n, 10n, 11n, 100n, -1n, 0x80000000n].map((i) => call('switch_table', i)),
      ...[[0n, 0n], [1n, 2n], [-5n, 0x123456789n], [0x7fffffffn, -1n]].map(([x, y]) => call('caller', x!, y!)),
      call('callee6', 1n, 2n, 3n, 4n, 5n, 6n), call('callee6', -1n, -0x100000000n, 7n, 0x7fffffffffffffffn, -3n, -9n),
      ...[0n, 1n, 17n, -1n, 0x12345678n].map((x) => call('pressure', x)),
    ];
    await checkAgainstWasm(CONTROL_AND_CALL_FUNCTIONS, cases);
  }, 120_000);

  test('globals of both widths', async () => {
    const call = (fn: string, ...args: bigint[]): RunCase => {
      const f = GLOBAL_FUNCTIONS.find((x) => x.name === fn)!;
      return { fn, params: f.params, result: f.result, args };
    };
    const cases = [call('get_i32'), call('get_i64'), call('set_i32', -9n), call('set_i64', 0x123456789abcdefn), call('get_i32'), call('get_i64')];
    const globals = [
      { type: 'i32', mutable: true, init: GLOBAL_INIT.i32, exports: [] },
      { type: 'i64', mutable: true, init: GLOBAL_INIT.i64, exports: [] },
    ] as const;
    await checkAgainstWasm(GLOBAL_FUNCTIONS, cases, { globals });
  }, 120_000);

  test('call_indirect: a call through the table and its three traps', () => {
    const add2: OpFunction = { name: 'add2', params: ['i32', 'i32'], result: 'i32', build: (b, [x, y]) => b.value('iadd', 'i32', { args: [x!, y!] }), wat: '' };
    const neg: OpFunction = { name: 'neg', params: ['i32'], result: 'i32', build: (b, [x]) => b.value('isub', 'i32', { args: [b.iconst('i32', 0), x!] }), wat: '' };
    const dispatch: OpFunction = {
      name: 'dispatch', params: ['i32', 'i32', 'i32'], result: 'i32', wat: '',
      // Signature index 0 is add2's type (one signature per function in buildModule).
      build: (b, [i, x, y]) => b.emit('call_indirect', { args: [x!, y!, i!], index: 0, table: 0 }, ['i32']).results[0]!,
    };
    const mod = buildModule([add2, neg, dispatch], { tables: [{ minSize: 3, elements: [0, null, 1] }] });
    const call = (i: bigint): RunCase => ({ fn: 'dispatch', params: dispatch.params, result: 'i32', args: [i, 5n, 37n] });
    const trap = (kind: keyof typeof TRAP_KINDS) => `T${String(TRAP_KINDS[kind]).padStart(3, '0')}`;
    expect(runOnQemu(mod, [call(0n), call(1n), call(2n), call(3n), call(-1n), call(0n)])).toEqual([
      'r=000000000000002a', trap('uninitialized element'), trap('indirect call type mismatch'),
      trap('undefined element'), trap('undefined element'), 'r=000000000000002a',
    ]);
  }, 120_000);
});
