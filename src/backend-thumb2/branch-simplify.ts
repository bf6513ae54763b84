// Branch clean-up after register allocation, in the final block order (the order itself is
// the selector's, or the profile's: this file never moves a block).
//
// Coalescing empties most edge blocks that carried block-argument copies, leaving chains
// like `beq exit; b edge` + `edge: b loop`. Three rewrites, repeated until none applies:
// - threading: a branch to an empty block or to a block that is only `b X` goes to X;
// - a branch to the block that control falls into anyway (the next non-empty one) is
//   dropped, and `b<c> next; b X` becomes `b<!c> X`;
// - a block nothing reaches any more (a threaded-over edge block) is emptied, so it takes
//   no space. Labels stay valid: an empty block is just a position in the layout.

import { invertCond } from './isel/compare.js';
import { PC, type Label, type MBlock, type MInst } from './mir.js';

const isUnconditional = (inst: MInst): boolean => inst.op === 'b' && (inst.cond === undefined || inst.cond === 'al');

/** Whether control can continue past the end of a block into the next one. */
function fallsThrough(block: MBlock): boolean {
  const last = block.insts[block.insts.length - 1];
  if (last === undefined) return true;
  if (isUnconditional(last) || last.op === 'udf') return false;
  return !(last.op === 'bx' || (last.op === 'pop' && last.regs.includes(PC)));
}

/**
 * The block control really arrives at when it enters a label: past empty blocks and lone
 * `b`s. Every label on a walked path shares its end, so the answers are remembered: deep
 * Wasm nesting leaves thousands of empty blocks in a row, and walking them again for each
 * branch took quadratic time.
 */
function finalTargets(blocks: readonly MBlock[]): (label: Label) => Label {
  const known = new Map<Label, Label>();
  return (label) => {
    const path: Label[] = [];
    const onPath = new Set<Label>();
    let current = label;
    let end: Label | undefined;
    while (end === undefined) {
      const remembered = known.get(current);
      if (remembered !== undefined) end = remembered;
      else if (onPath.has(current) || current >= blocks.length) break;
      else {
        path.push(current);
        onPath.add(current);
        const insts = blocks[current]!.insts;
        if (insts.length === 0) current++;
        else if (insts.length === 1 && insts[0]!.op === 'b' && isUnconditional(insts[0]!)) current = insts[0]!.target;
        else end = current;
      }
    }
    // Running off the end keeps each label as it is; a cycle of lone branches ends where it closes.
    for (const l of path) known.set(l, end ?? (current < blocks.length ? current : l));
    return known.get(label) ?? label;
  };
}

function nextNonEmpty(blocks: readonly MBlock[], after: Label): Label {
  let next = after + 1;
  while (next < blocks.length && blocks[next]!.insts.length === 0) next++;
  return next;
}

/** Retarget every branch to its final target. Returns whether anything changed. */
function threadBranches(blocks: MBlock[]): boolean {
  let changed = false;
  const finalTarget = finalTargets(blocks);
  for (const block of blocks) {
    block.insts = block.insts.map((inst) => {
      if (inst.op !== 'b' && inst.op !== 'cbz' && inst.op !== 'cbnz') return inst;
      const target = finalTarget(inst.target);
      if (target === inst.target) return inst;
      changed = true;
      return { ...inst, target };
    });
  }
  return changed;
}

/** `b<c> next; b X` -> `b<!c> X`; a trailing branch to the next block goes. */
function dropFallthroughBranches(blocks: MBlock[]): boolean {
  let changed = false;
  blocks.forEach((block, b) => {
    const insts = block.insts;
    if (insts.length === 0) return;
    const next = nextNonEmpty(blocks, b);
    const last = insts[insts.length - 1]!;
    const prev = insts[insts.length - 2];
    if (prev?.op === 'b' && prev.cond !== undefined && prev.cond !== 'al' && prev.target === next && isUnconditional(last) && last.op === 'b') {
      insts.splice(insts.length - 2, 2, { op: 'b', cond: invertCond(prev.cond), target: last.target });
      changed = true;
    }
    while (insts.length > 0) {
      const tail = insts[insts.length - 1]!;
      if (tail.op !== 'b' || tail.target !== next) break;
      insts.pop();
      changed = true;
    }
  });
  return changed;
}

/** Empty every block that no path from the entry reaches. */
function emptyUnreachable(blocks: MBlock[]): boolean {
  const reached = new Set<Label>();
  const work: Label[] = [0];
  while (work.length > 0) {
    const b = work.pop()!;
    if (b >= blocks.length || reached.has(b)) continue;
    reached.add(b);
    const block = blocks[b]!;
    for (const inst of block.insts) if (inst.op === 'b' || inst.op === 'cbz' || inst.op === 'cbnz') work.push(inst.target);
    if (fallsThrough(block)) work.push(b + 1);
  }
  let changed = false;
  blocks.forEach((block, b) => {
    if (!reached.has(b) && block.insts.length > 0) {
      block.insts = [];
      changed = true;
    }
  });
  return changed;
}

export function simplifyBranches(blocks: MBlock[]): void {
  for (;;) {
    const threaded = threadBranches(blocks);
    const dropped = dropFallthroughBranches(blocks);
    const emptied = emptyUnreachable(blocks);
    if (!threaded && !dropped && !emptied) return;
  }
}
