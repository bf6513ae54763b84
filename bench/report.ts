// The benchmark report: one Markdown table per metric and board, each cell a value and
// its ratio to native -O2, failures and unsupported programs as rows with their reason,
// and the geometric mean of the ratios per configuration. The same text is printed and
// written to bench/RESULTS.md, headed by the command, date and tool versions.

import { CONFIGURATIONS, type ConfigId, type Measurement, type Outcome, type ProgramResult } from './harness.js';
import { PROFILE_GAIN_EXPLANATION, profileGainTable } from './profile-gain-report.js';
import { mips } from './sim-speed.js';
import type { ToolVersion } from './toolchain.js';

export interface ReportInput {
  readonly command: string;
  readonly date: string;
  readonly tools: readonly ToolVersion[];
  readonly notes: readonly string[];
  readonly results: readonly ProgramResult[];
}

const BASELINE: ConfigId = 'native-O2';

interface Metric {
  readonly title: string;
  readonly explanation: string;
  readonly configs: readonly ConfigId[];
  readonly value: (m: Measurement) => number | undefined;
  readonly format: (n: number) => string;
  /** Ratio against this configuration's value (native -O2 unless stated). */
  readonly baseline: ConfigId;
}

const grouped = (n: number): string => Math.round(n).toLocaleString('en-US');

const METRICS: readonly Metric[] = [
  {
    title: 'Instructions executed in the timed region',
    explanation: 'QEMU TCG plugin count (bench/qemu-plugin/insncount.c) from the entry of the start marker to the entry of the stop marker; deterministic. Ratio: against native -O2 (lower is better).',
    configs: CONFIGURATIONS.map((c) => c.id),
    value: (m) => m.instructions,
    format: grouped,
    baseline: BASELINE,
  },
  {
    title: "Code size of the program's own functions (bytes)",
    explanation: "Sum of the ELF symbol sizes of the benchmark's own functions (its C sources; support code, ports, runtime and libc excluded; gcc's .isra/.part/.constprop clones included; for Wasm builds the Wasm functions of those sources). Ratio: against native -O2.",
    configs: CONFIGURATIONS.map((c) => c.id),
    value: (m) => m.codeBytes,
    format: grouped,
    baseline: BASELINE,
  },
  {
    title: 'Compile time from .wasm to ELF (ms)',
    explanation: 'Wall-clock time on the host, fastest of two runs: wasm2c + arm-none-eabi-gcc -O2 of the translated module + link (wasm2c runtime prebuilt) against mcu-aot\'s build() (runtime-c prebuilt and cached). Ratio: mcu-aot against wasm2c + gcc.',
    configs: ['wasm2c-O2', 'mcu-aot'],
    value: (m) => m.compileMs,
    format: grouped,
    baseline: 'wasm2c-O2',
  },
];

const escapeCell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\s+/g, ' ').slice(0, 110);

function cell(outcome: Outcome | undefined, base: Outcome | undefined, metric: Metric, isBaseline: boolean): string {
  if (outcome === undefined) return 'not run';
  if (outcome.status === 'failed') return `**FAILURE**: ${escapeCell(outcome.reason)}`;
  if (outcome.status === 'unsupported') return `unsupported: ${escapeCell(outcome.reason)}`;
  const v = metric.value(outcome);
  if (v === undefined) return '';
  const b = base?.status === 'ok' ? metric.value(base) : undefined;
  if (isBaseline || b === undefined || b === 0) return metric.format(v);
  return `${metric.format(v)} (${(v / b).toFixed(2)}x)`;
}

function geomean(values: readonly number[]): number {
  return Math.exp(values.reduce((s, v) => s + Math.log(v), 0) / values.length);
}

function metricTable(metric: Metric, results: readonly ProgramResult[]): string[] {
  const lines = [
    `| program | ${metric.configs.join(' | ')} |`,
    `|---|${metric.configs.map(() => '---:').join('|')}|`,
  ];
  for (const r of results) {
    const base = r.outcomes[metric.baseline];
    lines.push(`| ${r.program} | ${metric.configs.map((c) => cell(r.outcomes[c], base, metric, c === metric.baseline)).join(' | ')} |`);
  }
  const means = metric.configs.map((c) => {
    if (c === metric.baseline) return '1.00x';
    const ratios: number[] = [];
    for (const r of results) {
      const o = r.outcomes[c];
      const b = r.outcomes[metric.baseline];
      if (o?.status !== 'ok' || b?.status !== 'ok') continue;
      const v = metric.value(o);
      const bv = metric.value(b);
      if (v !== undefined && bv !== undefined && v > 0 && bv > 0) ratios.push(v / bv);
    }
    return ratios.length === 0 ? 'n/a' : `**${geomean(ratios).toFixed(2)}x** (${ratios.length} programs)`;
  });
  lines.push(`| geometric mean of ratios | ${means.join(' | ')} |`);
  return lines;
}

const SPEED_EXPLANATION = [
  "The mcu-aot firmware of each program, whole run (boot to exit), in the host simulator (src/sim) and in QEMU, in the same bench run (bench/sim-speed.ts).",
  'Instructions: QEMU plugin total and the simulator\'s count (which also counts instructions an IT block skips); cycles: the simulator\'s Cortex-M3/M4 model (src/sim/timing.ts).',
  'MIPS = instructions / wall time of the run: the simulator with its JIT, with the interpreter alone (JIT off), and QEMU (its plugin count over a run without the plugin, process start included).',
  'Wall-clock figures depend on the host and its load; counts are deterministic. Geometric means over the programs with figures.',
].join(' ');

const SPEED_COLUMNS = ['QEMU insns', 'sim insns', 'sim cycles', 'CPI', 'JIT MIPS', 'interpreter MIPS', 'QEMU MIPS', 'JIT / interpreter', 'JIT / QEMU'];

/** The simulator's speed and counts beside QEMU's, per program, with geometric means. */
function simulatorSpeedTable(results: readonly ProgramResult[]): string[] {
  const lines = [`| program | ${SPEED_COLUMNS.join(' | ')} |`, `|---|${SPEED_COLUMNS.map(() => '---:').join('|')}|`];
  const figures: number[][] = [];
  for (const r of results) {
    const o = r.outcomes['mcu-aot'];
    if (o === undefined || o.status !== 'ok') {
      lines.push(`| ${r.program} | ${o === undefined ? 'not run' : `no mcu-aot firmware (${o.status})`} |${' |'.repeat(SPEED_COLUMNS.length - 1)}`);
      continue;
    }
    const s = o.simSpeed;
    if (s === undefined) {
      lines.push(`| ${r.program} | ${o.simFailure !== undefined ? `**FAILURE**: ${escapeCell(o.simFailure)}` : 'not run (--no-sim)'} |${' |'.repeat(SPEED_COLUMNS.length - 1)}`);
      continue;
    }
    const jit = mips(s.simInstructions, s.jitSeconds);
    const interpreter = mips(s.simInstructions, s.interpreterSeconds);
    const qemu = mips(s.qemuInstructions, s.qemuSeconds);
    figures.push([jit, interpreter, qemu, jit / interpreter, jit / qemu]);
    lines.push(`| ${r.program} | ${[
      grouped(s.qemuInstructions), grouped(s.simInstructions), grouped(s.simCycles), (s.simCycles / s.simInstructions).toFixed(2),
      jit.toFixed(1), interpreter.toFixed(1), qemu.toFixed(1), `${(jit / interpreter).toFixed(2)}x`, `${(jit / qemu).toFixed(3)}x`,
    ].join(' | ')} |`);
  }
  if (figures.length > 0) {
    const mean = (i: number): number => geomean(figures.map((f) => f[i]!));
    lines.push(`| geometric mean (${figures.length} programs) | | | | | **${mean(0).toFixed(1)}** | **${mean(1).toFixed(1)}** | **${mean(2).toFixed(1)}** | **${mean(3).toFixed(2)}x** | **${mean(4).toFixed(3)}x** |`);
  }
  return lines;
}

/** Per board and configuration: how many programs verified, failed or are unsupported. */
function summaryTable(results: readonly ProgramResult[]): string[] {
  const lines = ['| board | configuration | verified | FAILURE | unsupported |', '|---|---|---:|---:|---:|'];
  for (const board of new Set(results.map((r) => r.board))) {
    for (const c of CONFIGURATIONS) {
      const statuses = results.filter((r) => r.board === board).map((r) => r.outcomes[c.id]?.status);
      const count = (s: Outcome['status']): number => statuses.filter((x) => x === s).length;
      lines.push(`| ${board} | ${c.id} | ${count('ok')} | ${count('failed')} | ${count('unsupported')} |`);
    }
  }
  return lines;
}

export function renderReport(input: ReportInput): string {
  const out: string[] = [
    '# mcu-aot benchmark results',
    '',
    `Generated by \`${input.command}\` on ${input.date}.`,
    '',
    '## Tools',
    '',
    ...input.tools.map((t) => `- ${t.tool}: ${t.version}`),
    '',
    '## Configurations',
    '',
    ...CONFIGURATIONS.map((c) => `- **${c.id}**: ${c.description}`),
    '',
    ...(input.notes.length > 0 ? ['## Notes', '', ...input.notes.map((n) => `- ${n}`), ''] : []),
    '## Summary',
    '',
    ...summaryTable(input.results),
    '',
  ];
  const boards = [...new Set(input.results.map((r) => r.board))];
  for (const board of boards) {
    const rows = input.results.filter((r) => r.board === board);
    for (const metric of METRICS) {
      out.push(`## ${metric.title}: ${board}`, '', metric.explanation, '', ...metricTable(metric, rows), '');
    }
    if (rows.some((r) => r.outcomes['mcu-aot-pgo'] !== undefined)) {
      out.push(`## Profile gain (mcu-aot without and with a profile): ${board}`, '', PROFILE_GAIN_EXPLANATION, '', ...profileGainTable(rows), '');
    }
    out.push(`## Simulator speed (MIPS): ${board}`, '', SPEED_EXPLANATION, '', ...simulatorSpeedTable(rows), '');
  }
  return out.join('\n');
}
