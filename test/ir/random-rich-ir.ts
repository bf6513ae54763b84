// Test support for the optimiser: random functions that use what the passes transform
// (integer arithmetic of both widths, divisions that may trap, comparisons, select,
// loads and stores to a small linear memory, repeated computations, loops, br_table), and
// an interpreter written independently of src/ir/constant-eval.ts (JS numbers for i32,
// bigints for i64) that reports the result or the trap and the memory contents, so a
// removed store or a hoisted trap shows.

import { createFunction, FunctionBuilder, type Inst, type IrFunction } from '../../src/ir/function.js';
import type { Opcode } from '../../src/ir/opcodes.js';
import { INT_CCS, type BlockId, type IntCC, type TrapKind, type Value } from '../../src/ir/types.js';
import { prng } from './random-ir.js';

export const MEMORY_BYTES = 64;

const INTERESTING = [0, 1, -1, 2, 3, 4, 7, 8, 16, 31, 32, 33, 64, -2, -8, -16, 0x7fffffff, -0x80000000, 1024, 12345];
const I32_BINARY: Opcode[] = ['iadd', 'isub', 'imul', 'band', 'bor', 'bxor', 'shl', 'sshr', 'ushr', 'rotl', 'rotr', 'sdiv', 'udiv', 'srem', 'urem'];
const I64_BINARY: Opcode[] = ['iadd', 'imul', 'sdiv', 'udiv', 'srem', 'urem', 'shl', 'sshr', 'ushr'];

/** A function of two i32 params returning i32, every local a param of every non-entry block. */
export function randomRichFunction(seed: number, blockCount: number, localCount: number): IrFunction {
  const rand = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[rand(xs.length)]!;
  const f = createFunction(seed, `rich${seed}`, { params: ['i32', 'i32'], results: ['i32'] });
  const b = new FunctionBuilder(f);
  const blocks: BlockId[] = [];
  for (let i = 0; i < blockCount; i++) blocks.push(b.createBlock(i * 16));
  const emitted: Inst[] = [];
  blocks.forEach((block, i) => {
    b.switchTo(block);
    b.srcOffset = i * 16;
    let locals: Value[];
    if (i === 0) {
      locals = [b.addBlockParam(block, 'i32'), b.addBlockParam(block, 'i32')];
      while (locals.length < localCount) locals.push(b.iconst('i32', pick(INTERESTING)));
    } else {
      locals = Array.from({ length: localCount }, () => b.addBlockParam(block, 'i32'));
    }
    const operand = (): Value => (rand(3) === 0 ? b.iconst('i32', pick(INTERESTING)) : pick(locals));
    // Accesses often reuse the block's previous address (load-store-elim, bounds-check-elim).
    let lastAddr: Value | undefined;
    const address = (fresh: () => Value): Value => {
      lastAddr = lastAddr !== undefined && rand(2) === 0 ? lastAddr : fresh();
      return lastAddr;
    };
    for (let n = rand(7); n > 0; n--) {
      b.srcOffset++;
      const j = rand(localCount);
      const kind = rand(12);
      if (kind <= 3) {
        locals[j] = b.value(pick(I32_BINARY), 'i32', { args: [operand(), operand()] });
      } else if (kind === 4) {
        locals[j] = b.value('icmp', 'i32', { cc: pick(INT_CCS) as IntCC, args: [operand(), operand()] });
      } else if (kind === 5) {
        locals[j] = b.value('select', 'i32', { args: [operand(), operand(), operand()] });
      } else if (kind === 6) {
        const op = pick(['clz', 'ctz', 'popcnt', 'sextend_low'] as const);
        locals[j] = b.value(op, 'i32', op === 'sextend_low' ? { imm: pick([8, 16]), args: [operand()] } : { args: [operand()] });
      } else if (kind === 7) {
        const wide = b.value(pick(['sextend', 'uextend'] as const), 'i64', { args: [operand()] });
        const c = b.iconst('i64', BigInt(pick(INTERESTING)) * (rand(2) === 0 ? 1n : 0x100000001n));
        const r = b.value(pick(I64_BINARY), 'i64', { args: rand(2) === 0 ? [wide, c] : [c, wide] });
        locals[j] = b.value('ireduce', 'i32', { args: [rand(2) === 0 ? r : b.value('ushr', 'i64', { args: [r, b.iconst('i64', 32)] })] });
      } else if (kind === 8) {
        const addr = address(() => (rand(2) === 0 ? b.iconst('i32', rand(MEMORY_BYTES + 8)) : b.value('band', 'i32', { args: [pick(locals), b.iconst('i32', 63)] })));
        const bytes = pick([1, 2, 4] as const);
        locals[j] = b.value('load', 'i32', { mem: { offset: rand(3) * 4, bytes, signed: bytes < 4 && rand(2) === 0 }, args: [addr] });
      } else if (kind === 9) {
        const addr = address(() => (rand(2) === 0 ? b.iconst('i32', rand(MEMORY_BYTES + 4)) : pick(locals)));
        b.emit('store', { mem: { offset: rand(3) * 4, bytes: pick([1, 2, 4] as const), signed: false }, args: [addr, operand()] });
      } else if (emitted.length > 0) {
        // Repeat an earlier computation of this block or a dominating one's (GVN, load elimination).
        const earlier = pick(emitted);
        if (f.blocks.find((x) => x.id === b.currentBlock)!.insts.includes(earlier) || rand(2) === 0) {
          if (earlier.results.length === 1 && f.values[earlier.results[0]!]!.type === 'i32' && earlier.args.every((a) => isDefinedBefore(f, b.currentBlock, a))) {
            locals[j] = b.value(earlier.op, 'i32', { ...copyImmediates(earlier), args: [...earlier.args] });
          }
        }
      }
      const last = f.blocks.find((x) => x.id === b.currentBlock)!.insts.at(-1);
      if (last !== undefined && last.op !== 'store') emitted.push(last);
    }
    const target = (): { block: BlockId; args: Value[] } => ({ block: blocks[1 + rand(blockCount - 1)]!, args: [...locals] });
    const kind = rand(8);
    if (kind === 0 || blockCount === 1) b.emit('return', { args: [pick(locals)] });
    else if (kind <= 2) b.jump(target().block, [...locals]);
    else if (kind === 3) b.emit('br_table', { args: [pick(locals)], targets: [target(), target(), target()] });
    else b.brif(pick(locals), target(), target());
  });
  return f;
}

/** Only the entry block's values and constants are safe to reuse in another block. */
function isDefinedBefore(f: IrFunction, current: BlockId, v: Value): boolean {
  const def = f.values[v]!.def;
  if (def.kind === 'param') return def.block === current || def.block === f.blocks[0]!.id;
  const home = f.blocks.find((blk) => blk.insts.includes(def.inst));
  return home !== undefined && (home.id === current || home.id === f.blocks[0]!.id);
}

function copyImmediates(inst: Inst): Partial<Inst> {
  const fields: Partial<Inst> = {};
  if (inst.imm !== undefined) fields.imm = inst.imm;
  if (inst.cc !== undefined) fields.cc = inst.cc;
  if (inst.mem !== undefined) fields.mem = inst.mem;
  if (inst.type !== undefined) fields.type = inst.type;
  return fields;
}

export type Outcome = { readonly result: string; readonly memory: string };

class Trap {
  constructor(readonly kind: TrapKind) {}
}

class Timeout {}

/** Runs `f(x, y)` on a zeroed memory of MEMORY_BYTES; 'timeout' after `maxBlocks` blocks
 *  (over every call). Direct calls run the functions in `callees` (by index). */
export function interpretRich(f: IrFunction, x: number, y: number, maxBlocks: number, callees: readonly IrFunction[] = []): Outcome {
  const memory = new Uint8Array(MEMORY_BYTES);
  const outcome = (result: string): Outcome => ({ result, memory: Buffer.from(memory).toString('hex') });
  let steps = 0;
  const run = (fn: IrFunction, params: (number | bigint)[]): number | bigint => {
    const env = new Map<Value, number | bigint>();
    const get = (v: Value): number | bigint => {
      const value = env.get(v);
      if (value === undefined) throw new Error(`v${v} read before it was set in ${fn.name}`);
      return value;
    };
    const byId = new Map(fn.blocks.map((bl) => [bl.id, bl]));
    let block = fn.blocks[0]!;
    let args = params;
    for (;;) {
      if (steps++ >= maxBlocks) throw new Timeout();
      block.params.forEach((p, i) => env.set(p, args[i]!));
      let next: { block: BlockId; args: Value[] } | undefined;
      for (const inst of block.insts) {
        const a = inst.args.map(get);
        if (inst.op === 'return') return a[0]!;
        if (inst.op === 'trap') throw new Trap(inst.trap!);
        if (inst.op === 'jump') next = inst.targets[0];
        else if (inst.op === 'brif') next = inst.targets[a[0] !== 0 ? 0 : 1];
        else if (inst.op === 'br_table') next = inst.targets[Math.min(Number(a[0]) >>> 0, inst.targets.length - 1)];
        else if (inst.op === 'store') store(memory, inst, Number(a[0]), a[1]!);
        else if (inst.op === 'call') env.set(inst.results[0]!, run(callees.find((c) => c.index === inst.index)!, a));
        else env.set(inst.results[0]!, execute(inst, a, memory, fn.values[inst.results[0]!]!.type === 'i64'));
      }
      if (next === undefined) throw new Error(`block${block.id} fell through`);
      args = next.args.map(get);
      block = byId.get(next.block)!;
    }
  };
  try {
    return outcome(String(run(f, [x | 0, y | 0])));
  } catch (e) {
    if (e instanceof Trap) return outcome(`trap: ${e.kind}`);
    if (e instanceof Timeout) return outcome('timeout');
    throw e;
  }
}

function address(inst: Inst, base: number): number {
  const start = (base >>> 0) + inst.mem!.offset;
  if (start + inst.mem!.bytes > MEMORY_BYTES) throw new Trap('out of bounds memory access');
  return start;
}

function store(memory: Uint8Array, inst: Inst, base: number, value: number | bigint): void {
  const at = address(inst, base);
  let v = BigInt(value);
  for (let i = 0; i < inst.mem!.bytes; i++, v >>= 8n) memory[at + i] = Number(v & 0xffn);
}

function execute(inst: Inst, a: (number | bigint)[], memory: Uint8Array, wide: boolean): number | bigint {
  if (inst.op === 'load') {
    const at = address(inst, Number(a[0]));
    let v = 0;
    for (let i = inst.mem!.bytes - 1; i >= 0; i--) v = v * 256 + memory[at + i]!;
    const bits = inst.mem!.bytes * 8;
    return inst.mem!.signed ? (v << (32 - bits)) >> (32 - bits) : v | 0;
  }
  if (inst.op === 'sextend') return BigInt(a[0]!);
  if (inst.op === 'uextend') return BigInt(Number(a[0]!) >>> 0);
  if (wide || a.some((x) => typeof x === 'bigint')) return execute64(inst, a);
  const [x, y, z] = a as number[];
  switch (inst.op) {
    case 'iconst': return Number(inst.imm);
    case 'iadd': return (x! + y!) | 0;
    case 'isub': return (x! - y!) | 0;
    case 'imul': return Math.imul(x!, y!);
    case 'band': return x! & y!;
    case 'bor': return x! | y!;
    case 'bxor': return x! ^ y!;
    case 'shl': return x! << y!;
    case 'sshr': return x! >> y!;
    case 'ushr': return (x! >>> y!) | 0;
    case 'rotl': return ((x! << (y! & 31)) | (x! >>> ((32 - (y! & 31)) & 31))) | 0;
    case 'rotr': return ((x! >>> (y! & 31)) | (x! << ((32 - (y! & 31)) & 31))) | 0;
    case 'sdiv':
      if (y === 0) throw new Trap('integer divide by zero');
      if (x === -0x80000000 && y === -1) throw new Trap('integer overflow');
      return Math.trunc(x! / y!) | 0;
    case 'udiv':
      if (y === 0) throw new Trap('integer divide by zero');
      return Math.trunc((x! >>> 0) / (y! >>> 0)) | 0;
    case 'srem':
      if (y === 0) throw new Trap('integer divide by zero');
      return (x! % y!) | 0;
    case 'urem':
      if (y === 0) throw new Trap('integer divide by zero');
      return ((x! >>> 0) % (y! >>> 0)) | 0;
    case 'clz': return Math.clz32(x!);
    case 'ctz': return x === 0 ? 32 : 31 - Math.clz32(x! & -x!);
    case 'popcnt': return [...(x! >>> 0).toString(2)].filter((c) => c === '1').length;
    case 'sextend_low': return (x! << (32 - Number(inst.imm))) >> (32 - Number(inst.imm));
    case 'select': return x !== 0 ? y! : z!;
    case 'icmp': return compare(inst.cc!, BigInt(x!), BigInt(y!), 32) ? 1 : 0;
    default: throw new Error(`interpreter: no ${inst.op}`);
  }
}

function execute64(inst: Inst, a: (number | bigint)[]): number | bigint {
  const [x, y] = a.map((v) => BigInt(v));
  const s = (v: bigint): bigint => BigInt.asIntN(64, v);
  const u = (v: bigint): bigint => BigInt.asUintN(64, v);
  switch (inst.op) {
    case 'iconst': return BigInt(inst.imm!);
    case 'iadd': return s(x! + y!);
    case 'isub': return s(x! - y!);
    case 'imul': return s(x! * y!);
    case 'band': return s(x! & y!);
    case 'bor': return s(x! | y!);
    case 'bxor': return s(x! ^ y!);
    case 'shl': return s(x! << (u(y!) & 63n));
    case 'sshr': return s(x! >> (u(y!) & 63n));
    case 'ushr': return s(u(x!) >> (u(y!) & 63n));
    case 'sdiv':
      if (y === 0n) throw new Trap('integer divide by zero');
      if (x === -(2n ** 63n) && y === -1n) throw new Trap('integer overflow');
      return s(x! / y!);
    case 'udiv':
      if (y === 0n) throw new Trap('integer divide by zero');
      return s(u(x!) / u(y!));
    case 'srem':
      if (y === 0n) throw new Trap('integer divide by zero');
      return s(x! % y!);
    case 'urem':
      if (y === 0n) throw new Trap('integer divide by zero');
      return s(u(x!) % u(y!));
    case 'ireduce': return Number(BigInt.asIntN(32, x!));
    case 'icmp': return compare(inst.cc!, x!, y!, 64) ? 1 : 0;
    case 'select': return a[0] !== 0 ? a[1]! : a[2]!;
    default: throw new Error(`interpreter: no i64 ${inst.op}`);
  }
}

function compare(cc: IntCC, x: bigint, y: bigint, width: number): boolean {
  const [p, q] = cc.startsWith('u') ? [BigInt.asUintN(width, x), BigInt.asUintN(width, y)] : [BigInt.asIntN(width, x), BigInt.asIntN(width, y)];
  switch (cc) {
    case 'eq': return p === q;
    case 'ne': return p !== q;
    case 'slt': case 'ult': return p < q;
    case 'sle': case 'ule': return p <= q;
    case 'sgt': case 'ugt': return p > q;
    case 'sge': case 'uge': return p >= q;
  }
}
