// Runs spec scripts on one board: converts them, plans them, and runs every firmware-backed
// unit of every script on a small pool. QEMU and gcc are separate processes, so `jobs`
// units in flight keep both cores busy while this process compiles the next module.

import { join } from 'node:path';
import type { Board } from '../../src/driver/board.js';
import type { Engine } from './boot-engine.js';
import type { CommandResult } from './command-result.js';
import { runModuleUnit, runMustFail } from './execute-module.js';
import { firmwareContext, type FirmwareContext } from './module-firmware.js';
import { LINKING_PROVIDERS, planScript, type ImportProviders, type PlanItem } from './plan.js';
import { loadWastScript, SPEC_SUITE_DIR, wast2jsonVersion } from './wast-script.js';

export interface SpecRunOptions {
  readonly board: Board;
  /** Script names, e.g. ['i32.wast']. */
  readonly files: readonly string[];
  /** Units in flight at once. */
  readonly jobs: number;
  /** Wall-clock limit of one QEMU boot. */
  readonly timeoutMs?: number;
  /** Where firmware boots (boot-engine.ts); QEMU when absent. */
  readonly engine?: Engine;
  readonly providers?: ImportProviders;
  readonly suiteDir?: string;
  /** Called as each script finishes (results in command order). */
  readonly onFileDone?: (report: FileReport) => void;
}

export interface FileReport {
  readonly file: string;
  readonly board: string;
  readonly results: readonly CommandResult[];
}

const DEFAULT_TIMEOUT_MS = 20000;

async function runItem(ctx: FirmwareContext, file: string, item: PlanItem): Promise<CommandResult[]> {
  switch (item.kind) {
    case 'result': return [item.result];
    case 'module': return runModuleUnit(ctx, file, item.unit);
    case 'must-fail': return [await runMustFail(ctx, file, item)];
  }
}

/** Run `task(i)` for i in [0, count) with at most `jobs` in flight. */
async function pool(count: number, jobs: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(jobs, count)) }, worker));
}

export async function runSpec(opts: SpecRunOptions): Promise<FileReport[]> {
  const ctx = await firmwareContext(opts.board, opts.timeoutMs ?? DEFAULT_TIMEOUT_MS, opts.engine ?? 'qemu');
  const version = wast2jsonVersion();
  const suiteDir = opts.suiteDir ?? SPEC_SUITE_DIR;
  const scripts = opts.files.map((f) => loadWastScript(join(suiteDir, f), version));
  const plans = scripts.map((s) => planScript(s, opts.providers ?? LINKING_PROVIDERS));

  const outcomes = plans.map((items) => items.map((): CommandResult[] | undefined => undefined));
  const remaining = plans.map((items) => items.length);
  const tasks = plans.flatMap((items, f) => items.map((_, i) => ({ f, i })));
  const reports: FileReport[] = [];
  const finish = (f: number): void => {
    const report = { file: scripts[f]!.file, board: opts.board.name, results: outcomes[f]!.flatMap((r) => r ?? []) };
    reports.push(report);
    opts.onFileDone?.(report);
  };
  plans.forEach((items, f) => {
    if (items.length === 0) finish(f);
  });
  await pool(tasks.length, opts.jobs, async (t) => {
    const { f, i } = tasks[t]!;
    outcomes[f]![i] = await runItem(ctx, scripts[f]!.file, plans[f]![i]!);
    if (--remaining[f]! === 0) finish(f);
  });
  return reports.sort((a, b) => a.file.localeCompare(b.file));
}
