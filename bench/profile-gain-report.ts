// The report's "profile gain" table: per program, the mcu-aot firmware without and with its
// profile (mcu-aot against mcu-aot-pgo): simulator cycles of the whole run and QEMU
// instructions of the timed region, each with the ratio profiled / plain and their
// geometric means.

import type { Outcome, ProgramResult } from './harness.js';

export const PROFILE_GAIN_EXPLANATION = [
  'mcu-aot without a profile against mcu-aot-pgo (profiled in the host simulator, rebuilt with the profile; bench/mcu-aot-pgo-build.ts).',
  'Cycles: the simulator\'s Cortex-M3/M4 model over the whole run, boot to exit (the plain figure is the profiling run\'s). Instructions: QEMU plugin count of the timed region, as in the table above.',
  'Ratio: profiled / plain (lower is better). Geometric means over the programs where both verified.',
].join(' ');

const grouped = (n: number): string => Math.round(n).toLocaleString('en-US');

function geomean(values: readonly number[]): number {
  return Math.exp(values.reduce((s, v) => s + Math.log(v), 0) / values.length);
}

const failureOf = (o: Outcome | undefined): string | undefined =>
  o === undefined ? 'not run' : o.status === 'ok' ? undefined : `${o.status === 'failed' ? '**FAILURE**' : 'unsupported'}: ${o.reason.replace(/\|/g, '\\|').slice(0, 80)}`;

export function profileGainTable(results: readonly ProgramResult[]): string[] {
  const lines = [
    '| program | sim cycles plain | sim cycles profiled | cycles ratio | QEMU insns plain | QEMU insns profiled | insns ratio |',
    '|---|---:|---:|---:|---:|---:|---:|',
  ];
  const cycleRatios: number[] = [];
  const insnRatios: number[] = [];
  for (const r of results) {
    const plain = r.outcomes['mcu-aot'];
    const profiled = r.outcomes['mcu-aot-pgo'];
    const failure = failureOf(profiled) ?? failureOf(plain);
    if (failure !== undefined || plain?.status !== 'ok' || profiled?.status !== 'ok') {
      lines.push(`| ${r.program} | ${failure ?? ''} | | | | | |`);
      continue;
    }
    const gain = profiled.profileGain;
    const cells: string[] = gain === undefined ? ['', '', ''] : (() => {
      const ratio = gain.profiled.cycles / gain.plain.cycles;
      cycleRatios.push(ratio);
      return [grouped(gain.plain.cycles), grouped(gain.profiled.cycles), `${ratio.toFixed(3)}x`];
    })();
    const insnRatio = profiled.instructions / plain.instructions;
    insnRatios.push(insnRatio);
    lines.push(`| ${r.program} | ${cells.join(' | ')} | ${grouped(plain.instructions)} | ${grouped(profiled.instructions)} | ${insnRatio.toFixed(3)}x |`);
  }
  const mean = (ratios: readonly number[]): string => (ratios.length === 0 ? 'n/a' : `**${geomean(ratios).toFixed(3)}x** (${ratios.length} programs)`);
  lines.push(`| geometric mean | | | ${mean(cycleRatios)} | | | ${mean(insnRatios)} |`);
  return lines;
}
