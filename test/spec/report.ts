// The spec run's report: one row per script (passed, failed, skipped), the skip and
// failure reasons grouped with counts, and the closing line `N passed, N failed, N skipped`.

import type { CommandResult, Status } from './command-result.js';
import type { FileReport } from './runner.js';

export interface Totals {
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
}

export function totals(results: readonly CommandResult[]): Totals {
  const count = (s: Status): number => results.filter((r) => r.status === s).length;
  return { passed: count('pass'), failed: count('fail'), skipped: count('skip') };
}

export const totalLine = (t: Totals): string => `${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped`;

/** Reasons of the results with `status`, most frequent first. */
export function groupReasons(results: readonly CommandResult[], status: Status): [string, number][] {
  const counts = new Map<string, number>();
  for (const r of results) {
    if (r.status === status) counts.set(r.reason ?? '', (counts.get(r.reason ?? '') ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

function table(reports: readonly FileReport[]): string[] {
  const width = Math.max(4, ...reports.map((r) => r.file.length));
  const row = (name: string, t: Totals | [string, string, string]): string => {
    const cells = Array.isArray(t) ? t : [String(t.passed), String(t.failed), String(t.skipped)];
    return `${name.padEnd(width)}  ${cells.map((c) => c.padStart(7)).join('  ')}`;
  };
  return [
    row('file', ['passed', 'failed', 'skipped']),
    ...reports.map((r) => row(r.file, totals(r.results))),
  ];
}

function reasonLines(title: string, groups: readonly [string, number][]): string[] {
  if (groups.length === 0) return [];
  return ['', `${title}:`, ...groups.map(([reason, n]) => `${String(n).padStart(7)}  ${reason}`)];
}

/** The whole report for one board; `verbose` adds every failure's command, expected and got. */
export function formatReport(board: string, reports: readonly FileReport[], seconds: number, verbose: boolean): string {
  const all = reports.flatMap((r) => r.results);
  const lines = [`spec testsuite on ${board}`, '', ...table(reports)];
  lines.push(...reasonLines('skipped, by reason', groupReasons(all, 'skip')));
  lines.push(...reasonLines('failed, by reason', groupReasons(all, 'fail')));
  if (verbose) {
    const failures = all.filter((r) => r.status === 'fail');
    if (failures.length > 0) lines.push('', 'failures:');
    for (const f of failures) lines.push(`  ${f.file}:${f.line} ${f.type}: ${f.reason}${f.detail !== undefined ? `\n      ${f.detail}` : ''}`);
  }
  lines.push('', `${board}: ${totalLine(totals(all))} (${reports.length} scripts in ${seconds.toFixed(1)} s)`);
  return lines.join('\n');
}
