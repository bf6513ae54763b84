// Test support: random IR in the shape the Wasm lowering produces (every local a parameter
// of every non-entry block), and a small interpreter for the opcodes it uses, so that passes
// can be checked for keeping behaviour.

import { createFunction, FunctionBuilder, type IrFunction } from '../../src/ir/function.js';
import type { BlockId, Value } from '../../src/ir/types.js';

/** Deterministic PRNG (mulberry32): the same seed gives the same function. */
export function prng(seed: number): (n: number) => number {
  let a = seed >>> 0;
  return (n) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) % n);
  };
}

export function randomLoweredFunction(seed: number, blockCount: number, localCount: number): IrFunction {
  const rand = prng(seed);
  const f = createFunction(0, `random${seed}`, { params: ['i32'], results: ['i32'] });
  const b = new FunctionBuilder(f);
  const blocks: BlockId[] = [];
  for (let i = 0; i < blockCount; i++) blocks.push(b.createBlock(i * 4));
  const pickTarget = (): BlockId => blocks[1 + rand(blockCount - 1)]!;
  blocks.forEach((block, i) => {
    b.switchTo(block);
    b.srcOffset = i * 4;
    let locals: Value[];
    if (i === 0) {
      const arg = b.addBlockParam(block, 'i32');
      locals = [arg, ...Array.from({ length: localCount - 1 }, (_, j) => b.iconst('i32', j))];
    } else {
      locals = Array.from({ length: localCount }, () => b.addBlockParam(block, 'i32'));
    }
    for (let n = rand(3); n > 0; n--) {
      const j = rand(localCount);
      const op = (['iadd', 'isub', 'iconst'] as const)[rand(3)]!;
      locals[j] = op === 'iconst'
        ? b.iconst('i32', rand(5) - 2)
        : b.value(op, 'i32', { args: [locals[rand(localCount)]!, locals[rand(localCount)]!] });
    }
    const kind = rand(6);
    if (kind === 0) b.emit('return', { args: [locals[rand(localCount)]!] });
    else if (kind <= 2) b.jump(pickTarget(), [...locals]);
    else b.brif(locals[rand(localCount)]!, { block: pickTarget(), args: [...locals] }, { block: pickTarget(), args: [...locals] });
  });
  return f;
}

/** Runs `f` on `arg`: the returned value, or 'timeout' after `maxBlocks` blocks. */
export function interpret(f: IrFunction, arg: number, maxBlocks = 500): number | 'timeout' {
  const env = new Map<Value, number>();
  const get = (v: Value): number => {
    const x = env.get(v);
    if (x === undefined) throw new Error(`v${v} read before it was set`);
    return x;
  };
  let block = f.blocks[0]!;
  let args = [arg];
  for (let step = 0; step < maxBlocks; step++) {
    block.params.forEach((p, i) => env.set(p, args[i]!));
    for (const inst of block.insts) {
      const [x, y] = inst.args.map(get);
      switch (inst.op) {
        case 'iconst': env.set(inst.results[0]!, Number(inst.imm)); break;
        case 'iadd': env.set(inst.results[0]!, (x! + y!) | 0); break;
        case 'isub': env.set(inst.results[0]!, (x! - y!) | 0); break;
        case 'return': return x!;
        case 'jump':
        case 'brif': {
          const target = inst.op === 'jump' || x !== 0 ? inst.targets[0]! : inst.targets[1]!;
          args = target.args.map(get);
          block = f.blocks.find((b) => b.id === target.block)!;
          break;
        }
        default: throw new Error(`interpreter: no ${inst.op}`);
      }
    }
  }
  return 'timeout';
}
