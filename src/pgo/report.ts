// `--pgo-report`: what each profile-driven decision changed, per function, in plain lines:
//
//   pgo report for app.profile
//     f3 main: 4 blocks moved, 1 site inlined
//     f7 log_error: compiled for size (never ran)
//     total: 4 blocks moved, 1 site inlined, 0 calls promoted, 0 br_tables reordered; 1 function for size, 0 for speed
//
// Functions the profile changed nothing in are left out.

import type { PgoDecisions } from '../ir/passes/pgo-profile.js';
import type { BuildProfile, LevelChange } from './build-profile.js';

export interface NamedFunction {
  readonly index: number;
  readonly name: string;
}

/** The report's lines for the functions of one build, in index order. */
export function formatPgoReport(profile: BuildProfile, functions: readonly NamedFunction[]): string[] {
  const lines = [`pgo report for ${profile.file}`];
  const total: PgoDecisions = { blocksMoved: 0, sitesInlined: 0, callsPromoted: 0, switchesReordered: 0 };
  const levels: Record<LevelChange, number> = { size: 0, speed: 0 };
  for (const f of [...functions].sort((a, b) => a.index - b.index)) {
    const d = profile.decisions.get(f.index);
    const level = profile.levelChanges.get(f.index);
    const parts = d === undefined ? [] : decisionParts(d);
    if (level !== undefined) {
      levels[level]++;
      parts.push(level === 'size' ? 'compiled for size (never ran)' : 'compiled for speed (hot)');
    }
    if (d !== undefined) for (const k of Object.keys(total) as (keyof PgoDecisions)[]) total[k] += d[k];
    if (parts.length > 0) lines.push(`  f${f.index} ${f.name}: ${parts.join(', ')}`);
  }
  const totals = [
    plural(total.blocksMoved, 'block', 'moved'),
    plural(total.sitesInlined, 'site', 'inlined'),
    plural(total.callsPromoted, 'call_indirect', 'promoted'),
    plural(total.switchesReordered, 'br_table', 'reordered'),
  ];
  lines.push(`  total: ${totals.join(', ')}; ${plural(levels.size, 'function', 'for size')}, ${levels.speed} for speed`);
  return lines;
}

function decisionParts(d: PgoDecisions): string[] {
  const parts: string[] = [];
  if (d.blocksMoved > 0) parts.push(plural(d.blocksMoved, 'block', 'moved'));
  if (d.sitesInlined > 0) parts.push(plural(d.sitesInlined, 'site', 'inlined'));
  if (d.callsPromoted > 0) parts.push(plural(d.callsPromoted, 'call_indirect', 'promoted'));
  if (d.switchesReordered > 0) parts.push(plural(d.switchesReordered, 'br_table', 'reordered'));
  return parts;
}

const plural = (n: number, noun: string, verb: string): string => `${n} ${noun}${n === 1 ? '' : 's'} ${verb}`;
