// Flag reuse after register allocation: `op r, ...; cmp r, #0; b<eq|ne|mi|pl>` becomes
// `ops r, ...; b<cond>`. The instruction that computed r sets N and Z from its result
// exactly as `cmp r, #0` would; only C and V differ, so the rewrite is made only when every
// reader of these flags asks for Z or N (eq, ne, mi, pl). A loop counter's `subs; cmp #0;
// bne` is the pattern this targets.
//
// Flags are dead at block boundaries: the selector computes the flags of a branch in the
// block that branches (isel/compare.ts), and edge and trap blocks never read them.

import { selectEncoding } from './encoder.js';
import type { Cond, MBlock, MInst, Reg } from './mir.js';
import { regOperands } from './inst-registers.js';

/** Conditions that read only Z or N. */
const ZN_CONDS: ReadonlySet<Cond> = new Set<Cond>(['eq', 'ne', 'mi', 'pl']);

type FlagSettable = Extract<MInst, { s: unknown }>;

/** Data-processing and shift-by-immediate ops whose S form sets N and Z from the result. */
function resultSettable(inst: MInst): inst is FlagSettable {
  if (!('s' in inst) || inst.cond !== undefined) return false;
  switch (inst.op) {
    case 'add': case 'sub': case 'rsb': case 'and': case 'orr': case 'eor': case 'bic': case 'orn':
    case 'mov': case 'mvn':
      return true;
    case 'lsl': case 'lsr': case 'asr': case 'ror':
      return inst.src.kind === 'imm';
    default:
      return false;
  }
}

/** Whether the instruction may write NZCV (a 16-bit 'any' form may, a call clobbers them). */
function mayWriteFlags(inst: MInst): boolean {
  if ('s' in inst) return inst.s !== 'keep';
  switch (inst.op) {
    case 'cmp': case 'cmn': case 'tst': case 'teq': case 'vmrs': case 'bl': case 'blx': case 'it':
      return true;
    default:
      return false;
  }
}

/** Whether the instruction reads a flag other than Z and N (or is a branch/IT on one). */
function readsOtherFlags(inst: MInst): boolean {
  if (inst.op === 'adc' || inst.op === 'sbc') return true;
  if (inst.op === 'it') return !ZN_CONDS.has(inst.firstCond);
  const cond = 'cond' in inst ? inst.cond : undefined;
  return cond !== undefined && cond !== 'al' && !ZN_CONDS.has(cond);
}

/** After the cmp at `at`: every reader until the flags are next written wants only Z or N. */
function onlyZnReaders(insts: readonly MInst[], at: number): boolean {
  for (let i = at + 1; i < insts.length; i++) {
    const inst = insts[i]!;
    if (readsOtherFlags(inst)) return false;
    if (inst.op !== 'it' && mayWriteFlags(inst)) return true;
  }
  return true;
}

/** The index of the instruction defining `r` right before `at`, past instructions that
 *  neither touch the flags nor write `r` (spill stores, loads of other registers). */
function definingIndex(insts: readonly MInst[], at: number, r: Reg): number | undefined {
  for (let i = at - 1; i >= 0; i--) {
    const inst = insts[i]!;
    const writes = regOperands(inst).defs.includes(r);
    if (writes) return resultSettable(inst) ? i : undefined;
    const readsFlags = ('cond' in inst && inst.cond !== undefined) || inst.op === 'adc' || inst.op === 'sbc';
    if (mayWriteFlags(inst) || readsFlags || inst.op === 'b' || inst.op === 'it') return undefined;
  }
  return undefined;
}

/** The flag-setting form of `inst`, when the encoding table has one for these operands. */
function withFlags(inst: FlagSettable): MInst | undefined {
  const set = { ...inst, s: 'set' } as MInst;
  try {
    return selectEncoding(set, { inIT: false }).setsFlags ? set : undefined;
  } catch {
    return undefined; // e.g. addw #imm12 has no flag-setting form
  }
}

function isCompareWithZero(inst: MInst): inst is MInst & { op: 'cmp' } {
  return inst.op === 'cmp' && inst.cond === undefined && inst.src.kind === 'imm' && inst.src.value === 0;
}

/** Rewrite one block; returns how many compares were removed. */
function reuseFlagsInBlock(block: MBlock): number {
  let removed = 0;
  for (let at = 0; at < block.insts.length; at++) {
    const cmp = block.insts[at]!;
    if (!isCompareWithZero(cmp) || !onlyZnReaders(block.insts, at)) continue;
    const def = definingIndex(block.insts, at, cmp.rn);
    if (def === undefined) continue;
    const flagged = withFlags(block.insts[def] as FlagSettable);
    if (flagged === undefined) continue;
    block.insts[def] = flagged;
    block.insts.splice(at, 1);
    at--;
    removed++;
  }
  return removed;
}

/** Drop `cmp r, #0` where the instruction that computed r can set the flags itself. */
export function reuseFlags(blocks: readonly MBlock[]): number {
  return blocks.reduce((n, block) => n + reuseFlagsInBlock(block), 0);
}
