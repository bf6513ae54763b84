// Whole-function cases for the run tests: memory accesses and their bounds checks, loops
// with block arguments (including a swap), br_table, calls with stack arguments, register
// pressure across calls (spilling), globals. Each comes with equivalent Wasm text.

import type { FunctionBuilder } from '../../src/ir/function.js';
import type { MemAccess } from '../../src/ir/function.js';
import type { Type, Value } from '../../src/ir/types.js';
import type { OpFunction } from './op-cases.js';

const MEMORY = '(memory 1)';

function load(t: 'i32' | 'i64', bytes: 1 | 2 | 4 | 8, signed: boolean, offset = 0): OpFunction {
  const mem: MemAccess = { offset, bytes, signed };
  const suffix = bytes * 8 === (t === 'i64' ? 64 : 32) ? '' : `${bytes * 8}_${signed ? 's' : 'u'}`;
  return {
    name: `${t}_load${suffix}_o${offset}`, params: ['i32'], result: t, watModule: MEMORY,
    build: (b, [a]) => b.value('load', t, { args: [a!], mem }),
    wat: `local.get 0 ${t}.load${suffix} offset=${offset}`,
  };
}

function store(t: 'i32' | 'i64', bytes: 1 | 2 | 4 | 8): OpFunction {
  const suffix = bytes * 8 === (t === 'i64' ? 64 : 32) ? '' : `${bytes * 8}`;
  return {
    name: `${t}_store${suffix}`, params: ['i32', t], result: undefined, watModule: MEMORY,
    build: (b, [a, v]) => {
      b.emit('store', { args: [a!, v!], mem: { offset: 0, bytes, signed: false } });
      return undefined;
    },
    wat: `local.get 0 local.get 1 ${t}.store${suffix}`,
  };
}

export const MEMORY_FUNCTIONS: OpFunction[] = [
  store('i64', 8), store('i32', 4), store('i32', 1), store('i32', 2), store('i64', 4),
  load('i32', 4, false), load('i32', 1, true), load('i32', 1, false), load('i32', 2, true), load('i32', 2, false),
  load('i64', 8, false), load('i64', 1, true), load('i64', 2, false), load('i64', 4, true), load('i64', 4, false),
  load('i32', 4, false, 3), load('i32', 4, false, 0xfffffffc), load('i32', 1, false, 0x10000),
  {
    name: 'memory_size', params: [], result: 'i32', watModule: MEMORY,
    build: (b) => b.value('memory_size', 'i32', {}), wat: 'memory.size',
  },
];

/** fib(n) as a loop whose block parameters rotate: loop(i, a, b) -> loop(i - 1, b, a + b). */
const fibLoop: OpFunction = {
  name: 'fib_loop', params: ['i64'], result: 'i64',
  build: (b, [n]) => {
    const loop = b.createBlock();
    const done = b.createBlock();
    const body = b.createBlock();
    b.jump(loop, [n!, b.iconst('i64', 0), b.iconst('i64', 1)]);
    b.switchTo(loop);
    const [i, x, y] = (['i64', 'i64', 'i64'] as Type[]).map((t) => b.addBlockParam(loop, t)) as [Value, Value, Value];
    const zero = b.value('icmp', 'i32', { args: [i, b.iconst('i64', 0)], cc: 'eq' });
    b.brif(zero, { block: done, args: [x] }, { block: body, args: [] });
    b.switchTo(body);
    b.jump(loop, [b.value('isub', 'i64', { args: [i, b.iconst('i64', 1)] }), y, b.value('iadd', 'i64', { args: [x, y] })]);
    b.switchTo(done);
    const r = b.addBlockParam(done, 'i64');
    b.emit('return', { args: [r] });
    return undefined;
  },
  wat: `(local i64 i64 i64) i64.const 1 local.set 2
    (block (loop (br_if 1 (i64.eqz (local.get 0)))
      local.get 2 local.get 1 local.get 2 i64.add local.set 2 local.set 1
      (local.set 0 (i64.sub (local.get 0) (i64.const 1))) (br 0)))
    local.get 1`,
};

/** swap(n, x, y): n times loop(i, x, y) -> loop(i - 1, y, x); returns x * 3 - y (order matters). */
const swapLoop: OpFunction = {
  name: 'swap_loop', params: ['i32', 'i32', 'i32'], result: 'i32',
  build: (b, [n, x0, y0]) => {
    const loop = b.createBlock();
    const done = b.createBlock();
    const body = b.createBlock();
    b.jump(loop, [n!, x0!, y0!]);
    b.switchTo(loop);
    const [i, x, y] = (['i32', 'i32', 'i32'] as Type[]).map((t) => b.addBlockParam(loop, t)) as [Value, Value, Value];
    b.brif(i, { block: body, args: [] }, { block: done, args: [] });
    b.switchTo(body);
    b.jump(loop, [b.value('isub', 'i32', { args: [i, b.iconst('i32', 1)] }), y, x]);
    b.switchTo(done);
    b.emit('return', { args: [b.value('isub', 'i32', { args: [b.value('imul', 'i32', { args: [x, b.iconst('i32', 3)] }), y] })] });
    return undefined;
  },
  wat: `(local i32)
    (block (loop (br_if 1 (i32.eqz (local.get 0)))
      local.get 1 local.set 3 local.get 2 local.set 1 local.get 3 local.set 2
      (local.set 0 (i32.sub (local.get 0) (i32.const 1))) (br 0)))
    (i32.sub (i32.mul (local.get 1) (i32.const 3)) (local.get 2))`,
};

const SWITCH_VALUES = [5, 7, 7, 9, 11, 11, 11, 13, 2, 3];
const SWITCH_DEFAULT = 42;

/** br_table over 10 cases (runs of equal targets) and a default, each target returning a constant. */
const switchTable: OpFunction = {
  name: 'switch_table', params: ['i32'], result: 'i32',
  build: (b, [i]) => {
    const targets = new Map<number, ReturnType<FunctionBuilder['createBlock']>>();
    const blockFor = (value: number) => {
      let blk = targets.get(value);
      if (blk === undefined) targets.set(value, (blk = b.createBlock()));
      return blk;
    };
    const calls = [...SWITCH_VALUES, SWITCH_DEFAULT].map((v) => ({ block: blockFor(v), args: [] }));
    b.emit('br_table', { args: [i!], targets: calls });
    for (const [value, blk] of targets) {
      b.switchTo(blk);
      b.emit('return', { args: [b.iconst('i32', value)] });
    }
    return undefined;
  },
  wat: SWITCH_VALUES.reduceRight((acc, v, k) => `(if (result i32) (i32.eq (local.get 0) (i32.const ${k})) (then (i32.const ${v})) (else ${acc}))`, `(i32.const ${SWITCH_DEFAULT})`),
};

/** callee(a: i32, b: i64, c: i32, d: i64, e: i32, f: i32): d and e, f on the stack. */
const callee6: OpFunction = {
  name: 'callee6', params: ['i32', 'i64', 'i32', 'i64', 'i32', 'i32'], result: 'i64',
  build: (b, [a, bb, c, d, e, f]) => {
    const ext = (v: Value) => b.value('sextend', 'i64', { args: [v] });
    const t1 = b.value('imul', 'i64', { args: [bb!, b.iconst('i64', 3)] });
    const t2 = b.value('isub', 'i64', { args: [b.value('iadd', 'i64', { args: [t1, d!] }), ext(a!)] });
    const t3 = b.value('imul', 'i32', { args: [c!, e!] });
    return b.value('bxor', 'i64', { args: [b.value('iadd', 'i64', { args: [t2, ext(t3)] }), b.value('shl', 'i64', { args: [ext(f!), b.iconst('i64', 40)] })] });
  },
  wat: `(i64.xor (i64.add (i64.sub (i64.add (i64.mul (local.get 1) (i64.const 3)) (local.get 3)) (i64.extend_i32_s (local.get 0)))
    (i64.extend_i32_s (i32.mul (local.get 2) (local.get 4)))) (i64.shl (i64.extend_i32_s (local.get 5)) (i64.const 40)))`,
};

/** caller(x, y) = callee6(x, y, x + 1, y ^ 0x5555, x * 3, -x) + y: y lives across the call. */
const caller: OpFunction = {
  name: 'caller', params: ['i32', 'i64'], result: 'i64',
  build: (b, [x, y], indexOf) => {
    const args = [x!, y!, b.value('iadd', 'i32', { args: [x!, b.iconst('i32', 1)] }), b.value('bxor', 'i64', { args: [y!, b.iconst('i64', 0x5555)] }),
      b.value('imul', 'i32', { args: [x!, b.iconst('i32', 3)] }), b.value('isub', 'i32', { args: [b.iconst('i32', 0), x!] })];
    const r = b.emit('call', { args, index: indexOf('callee6') }, ['i64']).results[0]!;
    return b.value('iadd', 'i64', { args: [r, y!] });
  },
  wat: `(i64.add (call $callee6 (local.get 0) (local.get 1) (i32.add (local.get 0) (i32.const 1)) (i64.xor (local.get 1) (i64.const 0x5555))
    (i32.mul (local.get 0) (i32.const 3)) (i32.sub (i32.const 0) (local.get 0))) (local.get 1))`,
};

const identity: OpFunction = { name: 'identity', params: ['i32'], result: 'i32', build: (_b, [x]) => x, wat: 'local.get 0' };

const PRESSURE = 24;

/** 24 values live across a call and then combined: more than the registers, so some spill. */
const pressure: OpFunction = {
  name: 'pressure', params: ['i32'], result: 'i32',
  build: (b, [x], indexOf) => {
    const values = Array.from({ length: PRESSURE }, (_, k) =>
      b.value('iadd', 'i32', { args: [b.value('imul', 'i32', { args: [x!, b.iconst('i32', k + 3)] }), b.iconst('i32', k * 1000)] }));
    let acc = b.emit('call', { args: [x!], index: indexOf('identity') }, ['i32']).results[0]!;
    values.forEach((v, k) => {
      acc = b.value(k % 2 === 0 ? 'bxor' : 'iadd', 'i32', { args: [b.value('rotl', 'i32', { args: [acc, b.iconst('i32', 5)] }), v] });
    });
    return acc;
  },
  wat: `(local ${'i32 '.repeat(PRESSURE + 1)})
    ${Array.from({ length: PRESSURE }, (_, k) => `(local.set ${k + 1} (i32.add (i32.mul (local.get 0) (i32.const ${k + 3})) (i32.const ${k * 1000})))`).join('\n')}
    (local.set ${PRESSURE + 1} (call $identity (local.get 0)))
    ${Array.from({ length: PRESSURE }, (_, k) => `(local.set ${PRESSURE + 1} (i32.${k % 2 === 0 ? 'xor' : 'add'} (i32.rotl (local.get ${PRESSURE + 1}) (i32.const 5)) (local.get ${k + 1})))`).join('\n')}
    local.get ${PRESSURE + 1}`,
};

export const CONTROL_AND_CALL_FUNCTIONS: OpFunction[] = [fibLoop, swapLoop, switchTable, callee6, caller, identity, pressure];

export const GLOBAL_INIT = { i32: 7, i64: -5n } as const;

/** global_get / global_set of an i32 global (index 0) and an i64 global (index 1). */
export const GLOBAL_FUNCTIONS: OpFunction[] = (['i32', 'i64'] as const).flatMap((t, index): OpFunction[] => {
  const header = `(global $g0 (mut i32) (i32.const ${GLOBAL_INIT.i32})) (global $g1 (mut i64) (i64.const ${GLOBAL_INIT.i64}))`;
  return [
    { name: `get_${t}`, params: [], result: t, watModule: header, build: (b) => b.value('global_get', t, { index }), wat: `global.get ${index}` },
    {
      name: `set_${t}`, params: [t], result: undefined, watModule: header,
      build: (b, [v]) => {
        b.emit('global_set', { args: [v!], index });
        return undefined;
      },
      wat: `local.get 0 global.set ${index}`,
    },
  ];
});
