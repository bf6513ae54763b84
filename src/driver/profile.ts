// `mcu-aot profile`: build the firmware with its profile map, run it in the host simulator
// with execution counting on, and write the profile (src/pgo/profile.ts) and, on request, an
// HTML report. Every output is computed before the first one is written, so a failed run
// leaves nothing behind.

import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, extname, join } from 'node:path';
import { InternalError, userError } from '../diagnostics/errors.js';
import { decodeModule } from '../frontend/decode.js';
import { loadWasm } from '../frontend/load.js';
import { importCount } from '../frontend/module.js';
import { collectProfile } from '../pgo/collect.js';
import { readProfileMap } from '../pgo/map.js';
import { functionBodyBytes, functionBodyHash, moduleHash, serializeProfile, type Profile } from '../pgo/profile.js';
import { profileReportHtml } from '../pgo/report-html.js';
import { DEFAULT_MAX_INSTRUCTIONS, describeStop, type SimulateResult } from '../sim/simulate.js';
import { build, type BuildOptions } from './build.js';
import { writeFileAtomic } from './output.js';
import { simulateWithInput, type SimOptions } from './sim.js';

export interface ProfileOptions extends Omit<BuildOptions, 'emit' | 'output' | 'profileMap'> {
  /** The profile file; default: the input's name with `.profile`. */
  readonly output?: string;
  /** Also write an HTML report here. */
  readonly report?: string;
  /** Stop after this many cycles; the profile covers the run so far (a firmware's main loop never exits). */
  readonly maxCycles?: number;
  readonly onOutput: (chunk: string) => void;
  readonly onSemihosting?: (chunk: string) => void;
  /** Typed into the console UART during the run, as for `mcu-aot sim`. */
  readonly uartInput?: SimOptions['uartInput'];
}

export interface ProfileRun {
  readonly result: SimulateResult;
  readonly limit: number;
  readonly profile: Profile;
  /** Files written: the profile, then the report. */
  readonly outputs: readonly string[];
}

export async function profileFirmware(opts: ProfileOptions): Promise<ProfileRun> {
  if (extname(opts.input) === '.elf') {
    throw userError('usage', `'${opts.input}' is firmware; profile needs the module it is built from (.wasm, .wat, .c, .ts)`, {},
      'a profile is keyed by the module\'s functions, so mcu-aot profile builds it itself');
  }
  const limit = opts.maxCycles ?? DEFAULT_MAX_INSTRUCTIONS;
  const { bytes, file } = await loadWasm(opts.input, { log: opts.log, ...(opts.optLevel !== undefined ? { optLevel: opts.optLevel } : {}) });
  const bodies = bodiesOf(bytes, file);

  const dir = mkdtempSync(join(tmpdir(), 'mcu-aot-profile-'));
  let elf: Uint8Array;
  try {
    const { outputs } = await build({ ...opts, emit: 'elf', output: join(dir, 'app.elf'), profileMap: true });
    elf = readFileSync(outputs[0]!);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const map = readProfileMap(elf, opts.input);
  const { result, interrupted } = await simulateWithInput(elf, opts.input, opts.board, {
    maxCycles: limit,
    profile: true,
    onConsole: opts.onOutput,
    ...(opts.onSemihosting !== undefined ? { onSemihosting: opts.onSemihosting } : {}),
  }, opts.uartInput);
  if (interrupted) throw userError('sim', 'interrupted (Ctrl-C)', { file: opts.input }, 'no profile written');
  if (result.stop.kind !== 'exit' && result.stop.kind !== 'limit') {
    throw userError('sim', describeStop(result.stop, limit), { file: opts.input }, 'no profile written: the run did not end normally');
  }
  if (result.counts === undefined) throw new InternalError('profile', 'the simulator kept no execution counts');

  const profile = collectProfile(result.counts, map, {
    board: opts.board.name,
    moduleHash: moduleHash(bytes),
    bodyHashes: new Map(bodies.map((b) => [b.index, b.hash])),
    bodyRanges: bodies,
    run: { instructions: result.instructions, cycles: result.cycles, exitCode: result.stop.kind === 'exit' ? result.stop.code : null },
  });
  const output = opts.output ?? join(dirname(opts.input), `${basename(opts.input, extname(opts.input))}.profile`);
  const files: [string, string][] = [[output, serializeProfile(profile)]];
  if (opts.report !== undefined) files.push([opts.report, profileReportHtml(profile, basename(opts.input))]);
  for (const [path, text] of files) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileAtomic(path, text);
  }
  return { result, limit, profile, outputs: files.map(([path]) => path) };
}

/** Every defined function's Wasm function index, body byte range and functionBodyHash. */
function bodiesOf(bytes: Uint8Array, file: string | undefined): { index: number; start: number; end: number; hash: string }[] {
  const module = decodeModule(bytes, file);
  const first = importCount(module, 'func');
  return module.codes.map((body, i) => {
    const code = functionBodyBytes(bytes, body);
    return { index: first + i, start: body.offset, end: body.offset + code.length, hash: functionBodyHash(code) };
  });
}

/** The one-line summary the CLI prints after the firmware's output. */
export function formatProfileSummary(run: ProfileRun): string {
  const { profile } = run;
  const total = profile.functions.reduce((sum, f) => sum + f.instructions, 0);
  const hottest = [...profile.functions].sort((a, b) => b.instructions - a.instructions)[0];
  const hot = hottest !== undefined && total > 0 ? `; hottest ${hottest.name} (${((100 * hottest.instructions) / total).toFixed(1)}% of Wasm code)` : '';
  const ended = profile.run.exitCode !== null ? `exit ${profile.run.exitCode}` : `stopped at the cycle limit`;
  return `profile: ${profile.functions.length} functions ran, ${profile.run.instructions} instructions, ${profile.run.cycles} cycles (${ended})${hot}; wrote ${run.outputs.join(', ')}`;
}
