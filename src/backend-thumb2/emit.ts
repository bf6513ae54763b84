// Emission: an allocated machine function → its bytes, relocations, trap sites and block
// offsets.
//
// Blocks are laid out in order. Every non-branch instruction is encoded once (its size does
// not depend on where it lands). Branches start in their shortest form and grow, one form at
// a time, while their offset does not fit; sizes only grow, so the loop reaches a fixed
// point. Once a branch's offset has outgrown a form it never fits that form again: growing
// code only moves a forward target further forward and a backward target further back.

import { InternalError } from '../diagnostics/errors.js';
import type { ObjReloc } from '../elf/object.js';
import { encode, type Encoded } from './encoder.js';
import { ENCODINGS_BY_MNEMONIC } from './encodings.js';
import type { Cond, Label, MFunction, MInst } from './mir.js';
import { branchRange } from './operands.js';
import { blockKeysOf, callSiteOf, type BranchSite, type CallSite, type ProfileSites } from './profile-map.js';

export interface TrapSite {
  /** Offset of the `udf` from the function start. */
  readonly offset: number;
  /** The trap kind (src/ir/types.ts TRAP_KINDS), the udf immediate. */
  readonly kind: number;
  /** Wasm code offset reported when it traps. */
  readonly srcOffset: number;
  /** The Wasm function reported when it traps, when not the emitted one (inlined code). */
  readonly funcIndex?: number;
}

export interface EmittedFunction {
  readonly bytes: Uint8Array;
  /** Offsets relative to the function start. */
  readonly relocs: ObjReloc[];
  readonly trapSites: TrapSite[];
  /** Offset of each machine block (by label) from the function start. */
  readonly blockOffsets: number[];
  /** Branch and call sites and block keys, for the profile map (profile-map.ts). */
  readonly sites?: ProfileSites;
}

const STAGE = 'thumb2 emit';

/**
 * One way to encode a branch: its total size, where the actual branch instruction sits in
 * the sequence and the offsets (target - (branch address + 4)) it reaches. `compare`
 * forms start with `cmp rn, #0` (an expanded cbz); `inverted` forms are `b<!c>.n` over a
 * `b.w` (a conditional branch beyond ±1 MiB).
 */
interface BranchForm {
  readonly name: string;
  readonly size: number;
  readonly branchAt: number;
  readonly range: readonly [number, number];
  readonly compare?: boolean;
  readonly inverted?: boolean;
}

/** The reach of a branch encoding, from the offset field of its row in the encoding table. */
function tableBranchRange(mnemonic: string, name: string): readonly [number, number] {
  const encoding = ENCODINGS_BY_MNEMONIC.get(mnemonic)?.find((e) => e.name === name);
  const field = encoding?.operands.offset;
  if (encoding === undefined || field?.kind !== 'branch') throw new InternalError(STAGE, `no branch encoding ${mnemonic} ${name}`);
  const width = field.bits.split(':').reduce((sum, bits) => sum + (encoding.fields.get(bits)?.[0]?.width ?? 0), 0);
  return branchRange(width, field.signed);
}

const COND_T1 = tableBranchRange('b', 'T1'); // b<c> 16-bit: -256..254
const UNCOND_T2 = tableBranchRange('b', 'T2'); // b 16-bit: -2048..2046
const COND_T3 = tableBranchRange('b', 'T3'); // b<c>.w: ±1 MiB
const UNCOND_T4 = tableBranchRange('b', 'T4'); // b.w: ±16 MiB
const CBZ_RANGE = tableBranchRange('cbz', 'T1'); // cbz/cbnz: 0..126, forward only

/** Unconditional `b`, and a conditional one inside an IT block (same encodings, condition from IT). */
const UNCONDITIONAL_FORMS: readonly BranchForm[] = [
  { name: 'b.n', size: 2, branchAt: 0, range: UNCOND_T2 },
  { name: 'b.w', size: 4, branchAt: 0, range: UNCOND_T4 },
];
const CONDITIONAL_FORMS: readonly BranchForm[] = [
  { name: 'b<c>.n', size: 2, branchAt: 0, range: COND_T1 },
  { name: 'b<c>.w', size: 4, branchAt: 0, range: COND_T3 },
  { name: 'b<!c>.n + b.w', size: 6, branchAt: 2, range: UNCOND_T4, inverted: true },
];
/** cbz/cbnz; beyond its reach (or backwards) it becomes `cmp rn, #0` + a conditional branch. */
const COMPARE_BRANCH_FORMS: readonly BranchForm[] = [
  { name: 'cbz', size: 2, branchAt: 0, range: CBZ_RANGE },
  ...CONDITIONAL_FORMS.map((f) => ({ ...f, name: `cmp + ${f.name}`, size: f.size + 2, branchAt: f.branchAt + 2, compare: true })),
];

const INVERSE: Record<Exclude<Cond, 'al'>, Cond> = {
  eq: 'ne', ne: 'eq', cs: 'cc', cc: 'cs', mi: 'pl', pl: 'mi', vs: 'vc', vc: 'vs',
  hi: 'ls', ls: 'hi', ge: 'lt', lt: 'ge', gt: 'le', le: 'gt',
};

/** An instruction whose encoding does not depend on its address. */
interface FixedItem {
  readonly kind: 'fixed';
  readonly inst: MInst;
  readonly halfwords: readonly number[];
  readonly reloc?: Encoded['reloc'];
}

/** A branch to a label, with the index of its current form in `forms`. */
interface BranchItem {
  readonly kind: 'branch';
  readonly inst: Extract<MInst, { op: 'b' | 'cbz' | 'cbnz' }>;
  readonly target: Label;
  readonly inIT: boolean;
  readonly forms: readonly BranchForm[];
  form: number;
}

type Item = FixedItem | BranchItem;

export function emitFunction(mf: MFunction): EmittedFunction {
  const blocks = withoutFallThroughBranches(mf);
  const { items, blockStarts } = collectItems(mf, blocks);
  const addresses = relaxBranches(mf, items, blockStarts);
  return encodeItems(mf, items, blockStarts, addresses);
}

/**
 * Drop branches to the block that follows anyway (past empty blocks). Blocks are scanned
 * from the end so that a block made empty here lets its predecessor fall through it.
 */
function withoutFallThroughBranches(mf: MFunction): MInst[][] {
  const blocks = mf.blocks.map((b) => [...b.insts]);
  for (let i = blocks.length - 1; i >= 0; i--) {
    const insts = blocks[i]!;
    for (;;) {
      const last = insts[insts.length - 1];
      if (last?.op !== 'b' || isInsideIT(insts, insts.length - 1)) break;
      if (nextNonEmptyBlock(blocks, i + 1) !== nextNonEmptyBlock(blocks, checkLabel(mf, last.target))) break;
      insts.pop();
    }
  }
  return blocks;
}

function nextNonEmptyBlock(blocks: readonly MInst[][], from: number): number {
  let i = from;
  while (i < blocks.length && blocks[i]!.length === 0) i++;
  return i;
}

/** Whether insts[index] is covered by an earlier `it` in the same block. */
function isInsideIT(insts: readonly MInst[], index: number): boolean {
  for (let back = 1; back <= 4 && index - back >= 0; back++) {
    const prev = insts[index - back]!;
    if (prev.op === 'it') return back <= prev.mask.length + 1;
  }
  return false;
}

/** Flatten the blocks into items, encoding every address-independent instruction once. */
function collectItems(mf: MFunction, blocks: readonly MInst[][]): { items: Item[]; blockStarts: number[] } {
  const items: Item[] = [];
  const blockStarts: number[] = [];
  let itRemaining = 0;
  blocks.forEach((insts) => {
    blockStarts.push(items.length);
    for (const inst of insts) {
      const inIT = itRemaining > 0;
      if (inIT) itRemaining--;
      items.push(itemFor(mf, inst, inIT));
      if (inst.op === 'it') {
        if (inIT) throw new InternalError(STAGE, `it inside an IT block in ${mf.name}`);
        itRemaining = inst.mask.length + 1;
      }
    }
  });
  if (itRemaining > 0) throw new InternalError(STAGE, `IT block runs past the end of ${mf.name}`);
  return { items, blockStarts };
}

function itemFor(mf: MFunction, inst: MInst, inIT: boolean): Item {
  switch (inst.op) {
    case 'b': {
      const conditional = inst.cond !== undefined && inst.cond !== 'al' && !inIT;
      return { kind: 'branch', inst, target: checkLabel(mf, inst.target), inIT, forms: conditional ? CONDITIONAL_FORMS : UNCONDITIONAL_FORMS, form: 0 };
    }
    case 'cbz':
    case 'cbnz':
      if (inIT) throw new InternalError(STAGE, `${inst.op} inside an IT block in ${mf.name}`);
      return { kind: 'branch', inst, target: checkLabel(mf, inst.target), inIT, forms: COMPARE_BRANCH_FORMS, form: 0 };
    case 'copy':
      throw new InternalError(STAGE, `unlowered copy in ${mf.name}: the register allocator must remove copies`);
    default: {
      const encoded = encode(inst, { inIT });
      return { kind: 'fixed', inst, halfwords: encoded.halfwords, ...(encoded.reloc !== undefined ? { reloc: encoded.reloc } : {}) };
    }
  }
}

function checkLabel(mf: MFunction, target: Label): Label {
  if (!Number.isInteger(target) || target < 0 || target >= mf.blocks.length) {
    throw new InternalError(STAGE, `branch to missing block ${target} in ${mf.name}`);
  }
  return target;
}

const itemSize = (item: Item): number => (item.kind === 'fixed' ? 2 * item.halfwords.length : item.forms[item.form]!.size);

/** Address of every item, plus the end address at index items.length. */
function addressesOf(items: readonly Item[]): number[] {
  const addresses = [0];
  for (const item of items) addresses.push(addresses[addresses.length - 1]! + itemSize(item));
  return addresses;
}

/** Offset of a branch in its current form: target - (branch instruction address + 4). */
function branchOffset(item: BranchItem, address: number, targetAddress: number): number {
  return targetAddress - (address + item.forms[item.form]!.branchAt + 4);
}

const fits = (offset: number, [min, max]: readonly [number, number]): boolean => offset >= min && offset <= max;

/** Grow branches until every one reaches its target; returns the final item addresses. */
function relaxBranches(mf: MFunction, items: readonly Item[], blockStarts: readonly number[]): number[] {
  for (;;) {
    const addresses = addressesOf(items);
    let grew = false;
    items.forEach((item, i) => {
      if (item.kind !== 'branch') return;
      const offset = branchOffset(item, addresses[i]!, addresses[blockStarts[item.target]!]!);
      if (fits(offset, item.forms[item.form]!.range)) return;
      if (item.form + 1 >= item.forms.length) {
        throw new InternalError(STAGE, `branch to block ${item.target} in ${mf.name} is out of range (${offset} bytes)`);
      }
      item.form++;
      grew = true;
    });
    if (!grew) return addresses;
  }
}

/** The instructions a branch item stands for in its chosen form, with their branch offsets. */
function expandBranch(item: BranchItem, offset: number): { inst: MInst; branchOffset?: number }[] {
  const form = item.forms[item.form]!;
  const inst = item.inst;
  const far: MInst = { op: 'b', target: item.target };
  if (inst.op === 'b') {
    return form.inverted === true ? skipOver(inst.cond ?? 'al', far, offset) : [{ inst, branchOffset: offset }];
  }
  if (form.compare !== true) return [{ inst, branchOffset: offset }];
  const cond: Cond = inst.op === 'cbz' ? 'eq' : 'ne';
  const compare: MInst = { op: 'cmp', rn: inst.rn, src: { kind: 'imm', value: 0 } };
  if (form.inverted === true) return [{ inst: compare }, ...skipOver(cond, far, offset)];
  return [{ inst: compare }, { inst: { op: 'b', target: item.target, cond }, branchOffset: offset }];
}

/** `b<!cond>.n` past the following 4-byte `b.w`, then that `b.w`. */
function skipOver(cond: Cond, far: MInst, offset: number): { inst: MInst; branchOffset?: number }[] {
  if (cond === 'al') throw new InternalError(STAGE, 'cannot invert an unconditional branch');
  // The skip's target is the end of the b.w: skip address + 6 = (skip address + 4) + 2.
  const skip: MInst = { op: 'b', target: -1, cond: INVERSE[cond] };
  return [{ inst: skip, branchOffset: 2 }, { inst: far, branchOffset: offset }];
}

function encodeItems(mf: MFunction, items: readonly Item[], blockStarts: readonly number[], addresses: readonly number[]): EmittedFunction {
  const end = addresses[items.length]!;
  const bytes = new Uint8Array(end);
  const relocs: ObjReloc[] = [];
  const trapSites: TrapSite[] = [];
  const branches: BranchSite[] = [];
  const calls: CallSite[] = [];
  let blockIndex = 0;

  const place = (at: number, halfwords: readonly number[]): void => {
    halfwords.forEach((h, k) => {
      bytes[at + 2 * k] = h & 0xff;
      bytes[at + 2 * k + 1] = (h >>> 8) & 0xff;
    });
  };

  items.forEach((item, i) => {
    while (blockIndex + 1 < blockStarts.length && blockStarts[blockIndex + 1]! <= i) blockIndex++;
    const at = addresses[i]!;
    if (item.kind === 'fixed') {
      place(at, item.halfwords);
      if (item.reloc !== undefined) {
        relocs.push({ offset: at + item.reloc.at, type: item.reloc.type, symbol: item.reloc.symbol, addend: item.reloc.addend });
      }
      if (item.inst.op === 'udf') {
        const { srcOffset, funcIndex } = item.inst;
        trapSites.push({ offset: at, kind: item.inst.imm, srcOffset: srcOffset ?? mf.blocks[blockIndex]!.srcOffset, ...(funcIndex !== undefined && { funcIndex }) });
      }
      const call = callSiteOf(item.inst, at);
      if (call !== undefined) calls.push(call);
      return;
    }
    // The instruction that jumps to the target (after a cmp, or the b.w a skip jumps over).
    branches.push({ offset: at + item.forms[item.form]!.branchAt, target: item.target });
    const target = addresses[blockStarts[item.target]!]!;
    let cursor = at;
    for (const part of expandBranch(item, branchOffset(item, at, target))) {
      const encoded = encode(part.inst, { inIT: item.inIT, ...(part.branchOffset !== undefined ? { branchOffset: part.branchOffset } : {}) });
      place(cursor, encoded.halfwords);
      cursor += 2 * encoded.halfwords.length;
    }
    if (cursor - at !== itemSize(item)) {
      throw new InternalError(STAGE, `${item.forms[item.form]!.name} to block ${item.target} in ${mf.name} encoded in ${cursor - at} bytes, laid out in ${itemSize(item)}`);
    }
  });

  const blockOffsets = blockStarts.map((start) => addresses[start]!);
  return { bytes, relocs, trapSites, blockOffsets, sites: { branches, calls, blockKeys: blockKeysOf(mf) } };
}
