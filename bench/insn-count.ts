// Deterministic instruction counts: boots a firmware on QEMU with our TCG plugin
// (qemu-plugin/insncount.c), which counts the instructions executed from the entry of one
// function to the entry of another. The plugin is compiled by the host gcc on first use
// and cached by a hash of its sources.

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { Board } from '../src/driver/board.js';
import { runOnQemu } from '../qemu/runner.js';
import { BENCH_DIR, REPO_ROOT } from './programs.js';
import { HOST_GCC, runTool } from './toolchain.js';

const PLUGIN_DIR = join(BENCH_DIR, 'qemu-plugin');
const PLUGIN_SOURCES = ['insncount.c', 'qemu-plugin-api.h'];
export const BENCH_CACHE_DIR = join(REPO_ROOT, 'node_modules', '.cache', 'mcu-aot', 'bench');

/** Builds libinsncount.so (or reuses the cached build) and returns its path. */
export async function buildInsnCountPlugin(): Promise<string> {
  const hash = createHash('sha256');
  for (const f of PLUGIN_SOURCES) hash.update(readFileSync(join(PLUGIN_DIR, f)));
  const so = join(BENCH_CACHE_DIR, `libinsncount-${hash.digest('hex').slice(0, 16)}.so`);
  if (existsSync(so)) return so;
  mkdirSync(BENCH_CACHE_DIR, { recursive: true });
  const temp = `${so}.${process.pid.toString()}.tmp`;
  await runTool(HOST_GCC, [
    '-shared', '-fPIC', '-O2', '-Wall', '-Wextra', '-Werror', '-fvisibility=hidden',
    '-o', temp, join(PLUGIN_DIR, 'insncount.c'),
  ]);
  renameSync(temp, so);
  return so;
}

export interface MeasuredRun {
  readonly exitCode: number;
  /** The firmware's console: UART output, then semihosting output (plugin lines removed). */
  readonly output: string;
  /** Instructions of each completed region, in order. */
  readonly regions: readonly number[];
  /** Instructions of the whole run. */
  readonly total?: number;
  readonly timedOut: boolean;
}

const REGION_LINE = /insncount: region \d+ (\d+)\n/g;
const TOTAL_LINE = /insncount: total (\d+)\n/g;

export async function runCounted(
  elf: string, board: Board, markers: { start: number; stop: number }, plugin: string, timeoutMs = 60_000,
): Promise<MeasuredRun> {
  const pluginArg = `${plugin},start=0x${markers.start.toString(16)},stop=0x${markers.stop.toString(16)}`;
  const run = await runOnQemu(elf, board, { timeoutMs, extraArgs: ['-d', 'plugin', '-plugin', pluginArg] });
  const regions = [...run.qemuStderr.matchAll(REGION_LINE)].map((m) => Number(m[1]));
  const total = [...run.qemuStderr.matchAll(TOTAL_LINE)].map((m) => Number(m[1]))[0];
  const semihosting = run.qemuStderr.replace(REGION_LINE, '').replace(TOTAL_LINE, '');
  return {
    exitCode: run.exitCode,
    output: run.output + semihosting,
    regions,
    ...(total !== undefined ? { total } : {}),
    timedOut: run.timedOut,
  };
}
