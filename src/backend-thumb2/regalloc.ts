// Register allocation by graph colouring (Chaitin-Briggs with optimistic spilling and
// biased colour choice for copies), iterated with spill rewriting until every virtual
// register has a physical one. Allocatable: registers.ts ALLOCATABLE_REGS (never r9, sp, pc).
//
// Copies are coalesced by biasing: a register copied to or from an already coloured one
// takes the same colour when it is free, and the copy then disappears.

import { InternalError } from '../diagnostics/errors.js';
import { isVirtual, type MInst, type Reg } from './mir.js';
import { ALLOCATABLE_REGS } from './registers.js';
import { mapRegs } from './inst-registers.js';
import { buildInterference, type InterferenceGraph } from './interference.js';
import { coalesceCopies } from './coalesce.js';
import { spillRegisters } from './spill.js';
import { pressureSpills, PRESSURE_LIMIT } from './pressure.js';
import type { VFunction } from './vcode.js';

const K = ALLOCATABLE_REGS.length;
const MAX_ROUNDS = 50;

interface Colouring {
  readonly colours: Map<Reg, Reg>;
  readonly spilled: Reg[];
}

/** Pick the node to remove when none has degree < K: the cheapest per neighbour. */
function spillCandidate(remaining: Set<Reg>, graph: InterferenceGraph, degree: Map<Reg, number>, unspillable: ReadonlySet<Reg>): Reg {
  let best: Reg | undefined;
  let bestScore = Infinity;
  for (const r of remaining) {
    const score = unspillable.has(r) ? 1e30 : (graph.cost.get(r) ?? 0) / Math.max(degree.get(r)!, 1);
    if (best === undefined || score < bestScore) {
      best = r;
      bestScore = score;
    }
  }
  return best!;
}

function colour(graph: InterferenceGraph, unspillable: ReadonlySet<Reg>): Colouring {
  const degree = new Map<Reg, number>();
  for (const [r, adj] of graph.adjacency) degree.set(r, adj.size);
  const remaining = new Set(graph.adjacency.keys());
  const low = [...remaining].filter((r) => degree.get(r)! < K);
  const stack: Reg[] = [];
  const remove = (r: Reg): void => {
    remaining.delete(r);
    stack.push(r);
    for (const n of graph.adjacency.get(r)!) {
      if (!remaining.has(n)) continue;
      const d = degree.get(n)! - 1;
      degree.set(n, d);
      if (d === K - 1) low.push(n);
    }
  };
  while (remaining.size > 0) {
    const next = low.pop();
    if (next !== undefined) {
      if (remaining.has(next)) remove(next);
      continue;
    }
    remove(spillCandidate(remaining, graph, degree, unspillable));
  }

  const colours = new Map<Reg, Reg>();
  const spilled: Reg[] = [];
  const colourOf = (r: Reg): Reg | undefined => (isVirtual(r) ? colours.get(r) : r);
  while (stack.length > 0) {
    const r = stack.pop()!;
    const taken = new Set<Reg>();
    for (const n of graph.adjacency.get(r)!) {
      const c = colourOf(n);
      if (c !== undefined) taken.add(c);
    }
    const preferred = [...(graph.moves.get(r) ?? [])].map(colourOf).find((c) => c !== undefined && !taken.has(c) && ALLOCATABLE_REGS.includes(c));
    const choice = preferred ?? ALLOCATABLE_REGS.find((c) => !taken.has(c));
    if (choice === undefined) spilled.push(r);
    else colours.set(r, choice);
  }
  return { colours, spilled };
}

/** A copy between equal registers vanishes; any other becomes mov (flags untouched). */
function lowerCopy(inst: MInst): MInst[] {
  if (inst.op !== 'copy') return [inst];
  if (inst.rd === inst.rm) return [];
  return [{ op: 'mov', rd: inst.rd, src: { kind: 'reg', rm: inst.rm }, s: 'keep' }];
}

/**
 * Rewrite `f` in place so that it names only physical registers and has no copies left.
 * Spill slots are counted in f.spillSlots; frame references stay for frame.ts.
 */
export function allocateRegisters(f: VFunction): void {
  const unspillable = new Set<Reg>();
  for (let round = 0; round < MAX_ROUNDS; round++) {
    // Only the first round checks the pressure: afterwards the new registers are short-lived spill temporaries.
    const interference = buildInterference(f, round === 0 ? PRESSURE_LIMIT : Infinity);
    if (interference === undefined) {
      spillRegisters(f, pressureSpills(f, PRESSURE_LIMIT, unspillable), unspillable);
      continue;
    }
    const graph = coalesceCopies(interference, K, unspillable);
    const { colours, spilled } = colour(graph, unspillable);
    if (spilled.length > 0) {
      const spilledNodes = new Set(spilled);
      const members = [...graph.representative].filter(([, rep]) => spilledNodes.has(rep)).map(([r]) => r);
      spillRegisters(f, new Set(members), unspillable);
      continue;
    }
    const assign = (r: Reg): Reg => {
      if (!isVirtual(r)) return r;
      const c = colours.get(graph.representative.get(r) ?? r);
      if (c === undefined) throw new InternalError('thumb2 regalloc', `v${r} has no register in ${f.name}`);
      return c;
    };
    for (const block of f.blocks) {
      block.insts = block.insts.flatMap((vi) => lowerCopy(mapRegs(vi.inst, assign)).map((inst) => ({ ...vi, inst })));
    }
    return;
  }
  throw new InternalError('thumb2 regalloc', `allocation of ${f.name} did not converge`);
}
