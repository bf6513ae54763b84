// References and tables (docs/abi.md, "Tables and references"). A table is a header
// {size, capacity} followed by `capacity` 4-byte references; a funcref points at its
// function's descriptor {code | 1, canonical signature id}; null is 0.
//
// Accesses of one element and the bounds checks are inline; the loops (grow, fill, copy,
// init) are runtime-c helpers (runtime-c/table.c) called after the checks passed, so a
// trap always points at the Wasm instruction.

import type { Inst } from '../../ir/function.js';
import type { Opcode } from '../../ir/opcodes.js';
import type { Reg } from '../mir.js';
import { elemItemsSymbol, elemLengthSymbol, funcRefSymbol, tableSymbol } from '../symbols.js';
import { emitHelperCall } from './calls.js';
import type { Rule, SelectionContext } from './context.js';

/** Byte offset of element 0 after the {size, capacity} header. */
export const TABLE_HEADER_BYTES = 8;

/** movw/movt of a symbol's address into a fresh register. */
export function symbolAddress(ctx: SelectionContext, name: string): Reg {
  const rd = ctx.newVreg();
  ctx.emit({ op: 'movw', rd, imm: 0, sym: { name, addend: 0 } });
  ctx.emit({ op: 'movt', rd, imm: 0, sym: { name, addend: 0 } });
  return rd;
}

/** The table's current size, loaded from its header. */
export function tableSize(ctx: SelectionContext, table: Reg): Reg {
  const size = ctx.newVreg();
  ctx.emit({ op: 'ldr', rt: size, addr: { kind: 'imm', rn: table, offset: 0 } });
  return size;
}

/** Address of element `index` of `table` (the header skipped by the load's offset). */
function elementBase(ctx: SelectionContext, table: Reg, index: Reg): Reg {
  const entry = ctx.newVreg();
  ctx.emit({ op: 'add', rd: entry, rn: table, src: { kind: 'reg', rm: index, shift: { kind: 'lsl', amount: 2 } }, s: 'any' });
  return entry;
}

/** Traps 'out of bounds table access' unless start + count <= limit (no wrap-around). */
function checkRange(ctx: SelectionContext, start: Reg, count: Reg, limit: Reg, inst: Inst): void {
  const end = ctx.newVreg();
  ctx.emit({ op: 'add', rd: end, rn: start, src: { kind: 'reg', rm: count }, s: 'set' });
  ctx.trapIf('cs', 'out of bounds table access', inst);
  ctx.emit({ op: 'cmp', rn: end, src: { kind: 'reg', rm: limit } });
  ctx.trapIf('hi', 'out of bounds table access', inst);
}

/** A checked element: traps 'out of bounds table access' unless index < size. */
function checkedElement(ctx: SelectionContext, inst: Inst): { entry: Reg } {
  const table = symbolAddress(ctx, tableSymbol(ctx.mod, inst.table!));
  const index = ctx.useReg(inst.args[0]!);
  ctx.emit({ op: 'cmp', rn: index, src: { kind: 'reg', rm: tableSize(ctx, table) } });
  ctx.trapIf('cs', 'out of bounds table access', inst);
  return { entry: elementBase(ctx, table, index) };
}

/** func_ref f -> movw/movt of f's descriptor. */
const selectFuncRef: Rule = (ctx, inst) => {
  const rd = ctx.defReg(inst.results[0]!);
  const name = funcRefSymbol(ctx.mod, inst.index!);
  ctx.emit({ op: 'movw', rd, imm: 0, sym: { name, addend: 0 } });
  ctx.emit({ op: 'movt', rd, imm: 0, sym: { name, addend: 0 } });
};

/** table_get(i) -> i < size or trap; ldr r, [table + 8 + i*4]. */
const selectTableGet: Rule = (ctx, inst) => {
  const { entry } = checkedElement(ctx, inst);
  ctx.emit({ op: 'ldr', rt: ctx.defReg(inst.results[0]!), addr: { kind: 'imm', rn: entry, offset: TABLE_HEADER_BYTES } });
};

/** table_set(i, r) -> i < size or trap; str r, [table + 8 + i*4]. */
const selectTableSet: Rule = (ctx, inst) => {
  const { entry } = checkedElement(ctx, inst);
  ctx.emit({ op: 'str', rt: ctx.useReg(inst.args[1]!), addr: { kind: 'imm', rn: entry, offset: TABLE_HEADER_BYTES } });
};

/** table_size -> ldr size, [table]. */
const selectTableSize: Rule = (ctx, inst) => {
  const table = symbolAddress(ctx, tableSymbol(ctx.mod, inst.table!));
  ctx.emit({ op: 'ldr', rt: ctx.defReg(inst.results[0]!), addr: { kind: 'imm', rn: table, offset: 0 } });
};

/** table_grow(r, n) -> mcu_table_grow(table, r, n): old size or -1. */
const selectTableGrow: Rule = (ctx, inst) => {
  const table = symbolAddress(ctx, tableSymbol(ctx.mod, inst.table!));
  const args = [table, ctx.useReg(inst.args[0]!), ctx.useReg(inst.args[1]!)];
  emitHelperCall(ctx, 'mcu_table_grow', args, [[0, ctx.defReg(inst.results[0]!)]]);
};

/** table_fill(i, r, n) -> i + n <= size or trap; mcu_table_fill(&elem[i], r, n). */
const selectTableFill: Rule = (ctx, inst) => {
  const table = symbolAddress(ctx, tableSymbol(ctx.mod, inst.table!));
  const [start, ref, count] = inst.args.map((v) => ctx.useReg(v));
  checkRange(ctx, start!, count!, tableSize(ctx, table), inst);
  const first = elementAddress(ctx, table, start!);
  emitHelperCall(ctx, 'mcu_table_fill', [first, ref!, count!], []);
};

/** table_copy(d, s, n) -> both ranges in bounds or trap; memmove of n words. */
const selectTableCopy: Rule = (ctx, inst) => {
  const dst = symbolAddress(ctx, tableSymbol(ctx.mod, inst.table!));
  const src = symbolAddress(ctx, tableSymbol(ctx.mod, inst.index!));
  const [d, s, n] = inst.args.map((v) => ctx.useReg(v));
  checkRange(ctx, d!, n!, tableSize(ctx, dst), inst);
  checkRange(ctx, s!, n!, tableSize(ctx, src), inst);
  emitHelperCall(ctx, 'mcu_table_move', [elementAddress(ctx, dst, d!), elementAddress(ctx, src, s!), n!], []);
};

/** table_init(d, s, n) -> d + n <= size and s + n <= segment length or trap; copy n words. */
const selectTableInit: Rule = (ctx, inst) => {
  const dst = symbolAddress(ctx, tableSymbol(ctx.mod, inst.table!));
  const [d, s, n] = inst.args.map((v) => ctx.useReg(v));
  checkRange(ctx, d!, n!, tableSize(ctx, dst), inst);
  const lengthWord = symbolAddress(ctx, elemLengthSymbol(ctx.mod, inst.index!));
  const length = ctx.newVreg();
  ctx.emit({ op: 'ldr', rt: length, addr: { kind: 'imm', rn: lengthWord, offset: 0 } });
  checkRange(ctx, s!, n!, length, inst);
  const items = symbolAddress(ctx, elemItemsSymbol(ctx.mod, inst.index!));
  const from = ctx.newVreg();
  ctx.emit({ op: 'add', rd: from, rn: items, src: { kind: 'reg', rm: s!, shift: { kind: 'lsl', amount: 2 } }, s: 'any' });
  emitHelperCall(ctx, 'mcu_table_move', [elementAddress(ctx, dst, d!), from, n!], []);
};

/** elem_drop -> the segment's length word becomes 0. */
const selectElemDrop: Rule = (ctx, inst) => {
  const lengthWord = symbolAddress(ctx, elemLengthSymbol(ctx.mod, inst.index!));
  ctx.emit({ op: 'str', rt: ctx.materialize(0), addr: { kind: 'imm', rn: lengthWord, offset: 0 } });
};

/** &table.elements[index]. */
function elementAddress(ctx: SelectionContext, table: Reg, index: Reg): Reg {
  const entry = elementBase(ctx, table, index);
  const rd = ctx.newVreg();
  ctx.emit({ op: 'add', rd, rn: entry, src: { kind: 'imm', value: TABLE_HEADER_BYTES }, s: 'any' });
  return rd;
}

/**
 * call_indirect's checks and target: index < size (else 'undefined element'), the
 * reference not null ('uninitialized element'), the descriptor's signature id equal to
 * `canonicalSig` ('indirect call type mismatch'). Returns the register with the code address.
 */
export function checkedCallTarget(ctx: SelectionContext, inst: Inst, index: Reg, canonicalSig: number): Reg {
  const table = symbolAddress(ctx, tableSymbol(ctx.mod, inst.table ?? 0));
  ctx.emit({ op: 'cmp', rn: index, src: { kind: 'reg', rm: tableSize(ctx, table) } });
  ctx.trapIf('cs', 'undefined element', inst);
  const entry = elementBase(ctx, table, index);
  const ref = ctx.newVreg();
  ctx.emit({ op: 'ldr', rt: ref, addr: { kind: 'imm', rn: entry, offset: TABLE_HEADER_BYTES } });
  ctx.emit({ op: 'cmp', rn: ref, src: { kind: 'imm', value: 0 } });
  ctx.trapIf('eq', 'uninitialized element', inst);
  const sigId = ctx.newVreg();
  ctx.emit({ op: 'ldr', rt: sigId, addr: { kind: 'imm', rn: ref, offset: 4 } });
  ctx.emit({ op: 'cmp', rn: sigId, src: ctx.immOperand(canonicalSig) });
  ctx.trapIf('ne', 'indirect call type mismatch', inst);
  const code = ctx.newVreg();
  ctx.emit({ op: 'ldr', rt: code, addr: { kind: 'imm', rn: ref, offset: 0 } });
  return code;
}

export const TABLE_RULES = {
  func_ref: selectFuncRef,
  table_get: selectTableGet,
  table_set: selectTableSet,
  table_size: selectTableSize,
  table_grow: selectTableGrow,
  table_fill: selectTableFill,
  table_copy: selectTableCopy,
  table_init: selectTableInit,
  elem_drop: selectElemDrop,
} satisfies Partial<Record<Opcode, Rule>>;
