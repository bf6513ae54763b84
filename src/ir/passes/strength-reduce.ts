// strength-reduce: multiply, divide and remainder by a constant power of two become shifts
// and masks. On Cortex-M3/M4 MUL is one cycle, so a multiply by any other constant stays a
// multiply; SDIV/UDIV take 2-12 cycles and i64 division is a libgcc call.
//
//   imul x, 2^k           -> shl x, k
//   udiv x, 2^k           -> ushr x, k
//   urem x, 2^k           -> band x, 2^k - 1
//   sdiv x, 2^k  (k >= 1)  -> sshr (x + bias), k          bias = ushr (sshr x, w-1), w-k
//   srem x, +-2^k (k >= 1) -> x - ((x + bias) & -2^k)
//
// Signed division truncates towards zero; a plain arithmetic shift would round a negative
// dividend down, so `bias` adds 2^k - 1 to negative dividends first (the sign mask shifted
// right logically). A constant divisor that is a power of two is nonzero and, for sdiv,
// positive, so none of these could trap: the division goes. x / 1 and x * 1 are copy-prop's.
// Keeps the CFG.

import type { Block, Inst, IrFunction } from '../function.js';
import type { Opcode } from '../opcodes.js';
import type { PassContext } from '../pass.js';
import { makeInst, newResult, replaceInst } from '../rewrite.js';
import type { Type, Value } from '../types.js';

export const name = 'strength-reduce';

export function run(func: IrFunction, _ctx: PassContext): void {
  const consts = integerConstants(func);
  for (const block of func.blocks) {
    for (const inst of [...block.insts]) {
      if (inst.results.length !== 1) continue;
      const type = func.values[inst.results[0]!]!.type;
      if (type !== 'i32' && type !== 'i64') continue;
      reduce(new Emitter(func, block, inst, type), inst, consts);
    }
  }
}

function integerConstants(func: IrFunction): Map<Value, bigint> {
  const consts = new Map<Value, bigint>();
  for (const block of func.blocks) {
    for (const inst of block.insts) {
      if (inst.op === 'iconst' && inst.imm !== undefined) consts.set(inst.results[0]!, BigInt(inst.imm));
    }
  }
  return consts;
}

/** k when n = 2^k (n taken as unsigned `width`-bit), else undefined. */
function log2(n: bigint, width: number): number | undefined {
  const u = BigInt.asUintN(width, n);
  if (u === 0n || (u & (u - 1n)) !== 0n) return undefined;
  return u.toString(2).length - 1;
}

function reduce(e: Emitter, inst: Inst, consts: ReadonlyMap<Value, bigint>): void {
  const w = e.type === 'i64' ? 64 : 32;
  const [x, y] = inst.args;
  const k = y === undefined || !consts.has(y) ? undefined : log2(consts.get(y)!, w);
  switch (inst.op) {
    case 'imul': {
      const kx = x !== undefined && consts.has(x) ? log2(consts.get(x)!, w) : undefined;
      if (k !== undefined && k > 0) e.finish('shl', [x!, e.constant(k)]);
      else if (kx !== undefined && kx > 0) e.finish('shl', [y!, e.constant(kx)]);
      return;
    }
    case 'udiv':
      if (k !== undefined && k > 0) e.finish('ushr', [x!, e.constant(k)]);
      return;
    case 'urem':
      if (k !== undefined) e.finish('band', [x!, e.constant((1n << BigInt(k)) - 1n)]);
      return;
    case 'sdiv':
      if (k !== undefined && k > 0 && k < w - 1) e.finish('sshr', [biased(e, x!, k), e.constant(k)]);
      return;
    case 'srem': {
      const magnitude = y === undefined || !consts.has(y) ? undefined : log2(absolute(consts.get(y)!, w), w);
      if (magnitude === undefined || magnitude === 0 || magnitude > w - 2) return;
      const rounded = e.op('band', [biased(e, x!, magnitude), e.constant(-(1n << BigInt(magnitude)))]);
      e.finish('isub', [x!, rounded]);
      return;
    }
    default:
      return;
  }
}

const absolute = (n: bigint, w: number): bigint => BigInt.asUintN(w, BigInt.asIntN(w, n) < 0n ? -BigInt.asIntN(w, n) : n);

/** x + (2^k - 1 when x is negative, else 0). */
function biased(e: Emitter, x: Value, k: number): Value {
  const w = e.type === 'i64' ? 64 : 32;
  const sign = e.op('sshr', [x, e.constant(w - 1)]);
  const bias = e.op('ushr', [sign, e.constant(w - k)]);
  return e.op('iadd', [x, bias]);
}

/** Inserts instructions of one type before `inst`, then replaces it. */
class Emitter {
  constructor(private readonly func: IrFunction, private readonly block: Block, private readonly inst: Inst, readonly type: Type) {}

  constant(n: number | bigint): Value {
    const imm = this.type === 'i64' ? BigInt.asIntN(64, BigInt(n)) : Number(BigInt.asIntN(32, BigInt(n)));
    return this.insert(makeInst({ op: 'iconst', type: this.type, imm, args: [], srcOffset: this.inst.srcOffset }));
  }

  op(op: Opcode, args: Value[]): Value {
    return this.insert(makeInst({ op, args, srcOffset: this.inst.srcOffset }));
  }

  /** Replace the instruction by `op args`, keeping its result value. */
  finish(op: Opcode, args: Value[]): void {
    replaceInst(this.func, this.block, this.inst, { op, args, targets: [], srcOffset: this.inst.srcOffset });
  }

  private insert(inst: Inst): Value {
    const v = newResult(this.func, inst, this.type);
    this.block.insts.splice(this.block.insts.indexOf(this.inst), 0, inst);
    return v;
  }
}
