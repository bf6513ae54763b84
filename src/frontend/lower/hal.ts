// Calls to the HAL module `mcu` (src/frontend/hal.ts). read8/16/32 and write8/16/32 become
// one absolute load or store (mmio_load / mmio_store) instead of a call, limited to the
// address ranges the board and the project grant:
//   constant address (an iconst, or constants combined by add/sub/or...) -> checked here:
//     outside every grant is a UserError naming the function, the offset and the address;
//   computed address -> an inline check before the access, trapping
//     'mmio access outside granted ranges' when no grant holds [addr, addr + width).
// Every other HAL function stays an ordinary call to runtime-c's `mcu__<name>`.

import { UserError } from '../../diagnostics/errors.js';
import type { IrFunction } from '../../ir/function.js';
import type { Value } from '../../ir/types.js';
import { HAL_MODULE, halFunction, halWasmType, HAL_FUNCTIONS, type HalFunction } from '../hal.js';
import type { FuncType, Instr, WasmModule } from '../module.js';
import type { FunctionLowering } from './context.js';

/** An address range the module may read and/or write (the board's and the project's grants). */
export interface MmioGrant {
  readonly name: string;
  readonly base: number;
  readonly size: number;
  readonly access: 'r' | 'w' | 'rw';
}

export interface HalOptions {
  readonly grants: readonly MmioGrant[];
}

const hex = (n: number): string => `0x${(n >>> 0).toString(16)}`;

/** The HAL function that imported function `funcIndex` is, when it is one compiled inline. */
export function inlineHalImport(m: WasmModule, funcIndex: number): HalFunction | undefined {
  const imp = m.imports.filter((i) => i.desc.kind === 'func')[funcIndex];
  if (imp === undefined || imp.module !== HAL_MODULE) return undefined;
  const f = halFunction(imp.name);
  return f !== undefined && f.implementation.kind !== 'runtime' ? f : undefined;
}

/** Every import from `mcu` names a HAL function with its exact signature (else a UserError). */
export function checkHalImports(m: WasmModule): void {
  for (const imp of m.imports) {
    if (imp.module !== HAL_MODULE) continue;
    const where = { section: 'import', offset: imp.offset };
    const f = halFunction(imp.name);
    if (imp.desc.kind !== 'func' || f === undefined) {
      throw new UserError('hal', `'${HAL_MODULE}.${imp.name}' is not a HAL function`, where, `the HAL functions are ${HAL_FUNCTIONS.map((h) => h.name).join(', ')} (docs/hal.md)`);
    }
    const want = halWasmType(f);
    const have = m.types[imp.desc.typeIndex]!;
    if (!sameType(want, have)) {
      throw new UserError('hal', `'${HAL_MODULE}.${imp.name}' is imported as ${formatType(have)}, the HAL function is ${formatType(want)}`, where);
    }
  }
}

const sameType = (a: FuncType, b: FuncType): boolean =>
  a.params.length === b.params.length && a.results.length === b.results.length && a.params.every((t, i) => t === b.params[i]) && a.results.every((t, i) => t === b.results[i]);
const formatType = (t: FuncType): string => `(${t.params.join(', ')}) -> (${t.results.join(', ')})`;

/** call mcu.readN(addr) -> [check] mmio_load.i32 uN; call mcu.writeN(addr, v) -> [check] mmio_store uN. */
export function lowerInlineHalCall(ctx: FunctionLowering, ins: Instr, f: HalFunction, hal: HalOptions | undefined): void {
  const impl = f.implementation;
  if (impl.kind === 'runtime') return;
  const value = impl.kind === 'write' ? ctx.pop() : undefined;
  const addr = ctx.pop();
  const grants = (hal?.grants ?? []).filter((g) => g.access.includes(impl.kind === 'read' ? 'r' : 'w'));
  const constant = constantI32(ctx.b.func, addr);
  if (constant !== undefined) checkConstantAddress(ctx, ins, f, constant, impl.bytes, grants);
  else emitRangeCheck(ctx, addr, impl.bytes, grants);
  const mem = { offset: 0, bytes: impl.bytes, signed: false } as const;
  if (impl.kind === 'read') ctx.push(ctx.b.value('mmio_load', 'i32', { args: [addr], mem }));
  else ctx.b.emit('mmio_store', { args: [addr, value!], mem });
}

/** Grants that hold [address, address + bytes) whole. */
function covers(g: MmioGrant, address: number, bytes: number): boolean {
  return address >= g.base && address + bytes <= g.base + g.size;
}

function checkConstantAddress(ctx: FunctionLowering, ins: Instr, f: HalFunction, address: number, bytes: number, grants: readonly MmioGrant[]): void {
  const where = { func: ctx.funcIndex, offset: ins.offset };
  if (address % bytes !== 0) {
    throw new UserError('mmio-grant', `${HAL_MODULE}.${f.name} at ${hex(address)} in function ${ctx.funcIndex} at offset ${hex(ins.offset)}: address not aligned to ${bytes} bytes`, { ...where, statedInDetail: true });
  }
  if (grants.some((g) => covers(g, address, bytes))) return;
  const granted = grants.length === 0 ? 'none' : grants.map((g) => `${g.name} ${hex(g.base)}..${hex(g.base + g.size)}`).join(', ');
  throw new UserError(
    'mmio-grant',
    `${HAL_MODULE}.${f.name} at ${hex(address)} in function ${ctx.funcIndex} at offset ${hex(ins.offset)} is outside the granted ranges (${granted})`,
    { ...where, statedInDetail: true },
    'grant the range in mcu-aot.toml ([peripherals] name = { base = ..., size = ..., access = "rw" }) or with --grant name=base:size',
  );
}

/**
 * ok = OR over grants of "addr - base is an aligned offset of a whole access in the range";
 * brif ok -> continue, else -> trap 'mmio access outside granted ranges' (a cold block).
 */
function emitRangeCheck(ctx: FunctionLowering, addr: Value, bytes: number, grants: readonly MmioGrant[]): void {
  const b = ctx.b;
  let ok: Value | undefined;
  for (const g of grants) {
    if (g.size < bytes) continue;
    const inside = insideGrant(ctx, addr, bytes, g);
    ok = ok === undefined ? inside : b.value('bor', 'i32', { args: [ok, inside] });
  }
  ok ??= b.iconst('i32', 0);
  const trapBlock = b.createBlock();
  const next = b.createBlock();
  b.brif(ok, { block: next, args: [] }, { block: trapBlock, args: [] });
  // Not entered: the trap block is laid out after the function's other blocks (cold).
  b.switchTo(trapBlock);
  b.emit('trap', { trap: 'mmio access outside granted ranges' });
  ctx.enter(next);
}

/**
 * One grant, with off = addr - base and k = log2(bytes):
 *   base aligned:  rotr(off, k) <u (size - bytes) / bytes + 1 -- rotating moves misaligned
 *                  low bits to the top, so one unsigned compare checks range and alignment;
 *   otherwise:     off <u size - bytes + 1, and addr & (bytes - 1) == 0.
 */
function insideGrant(ctx: FunctionLowering, addr: Value, bytes: number, g: MmioGrant): Value {
  const b = ctx.b;
  const offset = b.value('isub', 'i32', { args: [addr, b.iconst('i32', g.base)] });
  const shift = Math.log2(bytes);
  if (g.base % bytes === 0) {
    const rotated = shift === 0 ? offset : b.value('rotr', 'i32', { args: [offset, b.iconst('i32', shift)] });
    return b.value('icmp', 'i32', { cc: 'ult', args: [rotated, b.iconst('i32', Math.floor((g.size - bytes) / bytes) + 1)] });
  }
  const inRange = b.value('icmp', 'i32', { cc: 'ult', args: [offset, b.iconst('i32', g.size - bytes + 1)] });
  const low = b.value('band', 'i32', { args: [addr, b.iconst('i32', bytes - 1)] });
  const aligned = b.value('icmp', 'i32', { cc: 'eq', args: [low, b.iconst('i32', 0)] });
  return b.value('band', 'i32', { args: [inRange, aligned] });
}

const FOLDABLE: Readonly<Record<string, (x: number, y: number) => number>> = {
  iadd: (x, y) => (x + y) | 0,
  isub: (x, y) => (x - y) | 0,
  bor: (x, y) => x | y,
  band: (x, y) => x & y,
  bxor: (x, y) => x ^ y,
  shl: (x, y) => x << (y & 31),
  imul: (x, y) => Math.imul(x, y),
};

/** The value of i32 `v` as an unsigned number when the lowering already knows it (constant
 *  propagation over iconst and the integer operations above), else undefined. */
export function constantI32(f: IrFunction, v: Value, depth = 0): number | undefined {
  const def = f.values[v]?.def;
  if (def?.kind !== 'inst' || f.values[v]!.type !== 'i32' || depth > 16) return undefined;
  const inst = def.inst;
  if (inst.op === 'iconst') return Number(inst.imm) >>> 0;
  const fold = FOLDABLE[inst.op];
  if (fold === undefined || inst.args.length !== 2) return undefined;
  const x = constantI32(f, inst.args[0]!, depth + 1);
  const y = x === undefined ? undefined : constantI32(f, inst.args[1]!, depth + 1);
  return y === undefined ? undefined : fold(x! | 0, y | 0) >>> 0;
}
