// A fuzz module as firmware: compiled by the driver at one -O level, its entry pointed at
// the spec runner's C harness (test/spec/harness-source.ts: any signature, floats as raw
// bits, traps survived through the driver's HARNESS_TRAP_RECOVERY_C), linked with runtime-c,
// libgcc and fuzzing-support.c (the logging imports), then booted on QEMU and in the
// simulator. Each boot's console becomes a transcript (transcript.ts).
//
// The harness makes the plan's calls in order, `hangLimitInitializer` before each export,
// all in one boot: module state carries over from call to call as it does in V8. A boot
// that dies (fault, timeout, instruction limit) ends its transcript with a `died` record.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportSymbol, functionSymbol } from '../../src/backend-thumb2/symbols.js';
import type { Board } from '../../src/driver/board.js';
import { compileToObject } from '../../src/driver/build.js';
import { compileHarnessC } from '../../src/driver/harness-firmware.js';
import { linkWithRuntime, loadFirmwareRuntime, type FirmwareRuntime } from '../../src/driver/link-firmware.js';
import { runtimeCompileFlags, runtimeSourceDir } from '../../src/driver/runtime.js';
import type { ObjectFile } from '../../src/elf/object.js';
import { readObject } from '../../src/elf/read-object.js';
import type { OptLevel } from '../../src/frontend/source-options.js';
import type { ValType } from '../../src/frontend/module.js';
import { importCount, type WasmModule } from '../../src/frontend/module.js';
import type { IrModule } from '../../src/ir/module.js';
import { describeStop, simulateElf } from '../../src/sim/simulate.js';
import { runOnQemu } from '../../qemu/runner.js';
import { harnessSource, type HarnessCall } from '../spec/harness-source.js';
import { parseHarnessOutput, withHarnessEntry } from '../spec/module-firmware.js';
import { harnessType, type ScalarType } from '../spec/values.js';
import type { CallPlan, ExportCall } from './call-plan.js';
import { trapClassOfCode, type CallRecord, type Transcript, type Value } from './transcript.js';

export interface FirmwareBudget {
  /** Wall-clock limit of one QEMU boot. */
  readonly qemuTimeoutMs: number;
  /** Instruction limit of one simulator run. */
  readonly simMaxInstructions: number;
}

/** What every fuzz firmware on one board shares: runtime-c, libgcc, the logging host. */
export interface FuzzFirmwareContext extends FirmwareRuntime {
  readonly host: ObjectFile;
  readonly budget: FirmwareBudget;
}

const HERE = import.meta.dirname;

/** fuzzing-support.c compiled like runtime-c for `board`. */
function fuzzingSupportObject(board: Board): ObjectFile {
  const dir = mkdtempSync(join(tmpdir(), 'mcu-aot-fuzz-host-'));
  try {
    const out = join(dir, 'fuzzing-support.o');
    execFileSync('arm-none-eabi-gcc', [...runtimeCompileFlags(board), `-I${runtimeSourceDir()}`, '-c', join(HERE, 'fuzzing-support.c'), '-o', out]);
    return readObject(readFileSync(out), 'fuzzing-support.o');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function fuzzFirmwareContext(board: Board, budget: FirmwareBudget): Promise<FuzzFirmwareContext> {
  return { ...(await loadFirmwareRuntime(board)), host: fuzzingSupportObject(board), budget };
}

/** The types a value crosses the harness as (references are words, values.ts harnessType). */
function scalarTypes(types: readonly ValType[]): ScalarType[] {
  return types.map((t) => harnessType(t)!);
}

function invoke(wasm: WasmModule, ir: IrModule, call: ExportCall): HarnessCall {
  // A re-exported import has no export symbol of its own: call what it is bound to.
  const symbol = call.funcIndex < importCount(wasm, 'func') ? functionSymbol(ir, call.funcIndex) : exportSymbol(ir, call.name);
  return { kind: 'invoke', symbol, params: scalarTypes(call.params), results: scalarTypes(call.results), args: call.params.map(() => 0n) };
}

/** The harness's calls: each planned export, after the hang-limit reset when there is one. */
function harnessCalls(wasm: WasmModule, ir: IrModule, plan: CallPlan): HarnessCall[] {
  const reset = plan.hangLimitInitializer;
  return plan.calls.flatMap((c) => (reset !== undefined ? [invoke(wasm, ir, reset), invoke(wasm, ir, c)] : [invoke(wasm, ir, c)]));
}

/** Index of planned call `k` among the harness's calls. */
const harnessIndex = (plan: CallPlan, k: number): number => (plan.hangLimitInitializer !== undefined ? 2 * k + 1 : k);

/** The linked firmware of `wasmPath` at `optLevel`, as ELF bytes. */
export async function buildFuzzFirmware(ctx: FuzzFirmwareContext, wasmPath: string, wasm: WasmModule, plan: CallPlan,
  optLevel: OptLevel, dir: string): Promise<Uint8Array> {
  const { object, ir } = await compileToObject({ input: wasmPath, board: ctx.board, emit: 'obj', log: () => {}, optLevel });
  // The harness names only export symbols, which do not depend on the -O level; gcc is
  // cheap next to QEMU, so it is simply compiled per firmware.
  const harness = await compileHarnessC(ctx.board, harnessSource(harnessCalls(wasm, ir, plan)), dir, 'fuzz harness');
  const linked = linkWithRuntime(ctx, [withHarnessEntry(object, new Map()), harness, ctx.host], { memory: ir.memory });
  return linked.elf;
}

const LOG_LINE = /^fuzz:log (i32|i64|f32|f64) ([0-9a-f]+)$/;

function resultValues(call: ExportCall, bits: readonly bigint[]): Value[] {
  return call.results.map((type, i) => {
    const raw = bits[i] ?? 0n;
    return { type, bits: type === 'funcref' || type === 'externref' ? (raw === 0n ? 0n : 1n) : raw };
  });
}

/**
 * The transcript of one boot's console `output` (the spec harness's protocol plus
 * fuzzing-support's log lines); `death` says why a boot that did not finish stopped.
 */
export function transcriptFromConsole(output: string, plan: CallPlan, death: string): Transcript {
  const byHarnessIndex = new Map(plan.calls.map((c, k) => [harnessIndex(plan, k), c]));
  const calls: CallRecord[] = [];
  let logs: Value[] = [];
  let ready = false;
  let ended = false;
  for (const line of output.split(/\r?\n/)) {
    const log = LOG_LINE.exec(line);
    if (log !== null) {
      logs.push({ type: log[1] as ValType, bits: BigInt(`0x${log[2]}`) });
      continue;
    }
    // One line at a time through the spec harness's own parser.
    const parsed = parseHarnessOutput(line);
    ready ||= parsed.ready;
    ended ||= parsed.ended;
    for (const [index, outcome] of parsed.outcomes) {
      const call = byHarnessIndex.get(index);
      if (call === undefined) continue; // the hang-limit reset
      calls.push({
        name: call.name,
        logs,
        outcome: outcome.kind === 'trap' ? { kind: 'trap', trap: trapClassOfCode(outcome.trap) } : { kind: 'return', values: resultValues(call, outcome.values) },
      });
      logs = [];
    }
  }
  if (!ready) return { instantiationFailure: death, calls: [] };
  const next = plan.calls[calls.length];
  if (!ended && next !== undefined) calls.push({ name: next.name, logs, outcome: { kind: 'died', reason: death } });
  return { calls };
}

/** Why a boot stopped, from what the runtime printed: its first fault/trap/error line, or the exit code. */
function consoleDeath(output: string, exitCode: number): string {
  const line = output.split(/\r?\n/).find((l) => /^(fault|trap|error):/.test(l));
  return line ?? `exit code ${exitCode}`;
}

export async function runFuzzOnQemu(ctx: FuzzFirmwareContext, elfPath: string, plan: CallPlan): Promise<Transcript> {
  const result = await runOnQemu(elfPath, ctx.board, { timeoutMs: ctx.budget.qemuTimeoutMs });
  const death = result.timedOut ? `timeout after ${ctx.budget.qemuTimeoutMs / 1000} s` : consoleDeath(result.output, result.exitCode);
  return transcriptFromConsole(result.output, plan, death);
}

export function runFuzzInSim(ctx: FuzzFirmwareContext, elf: Uint8Array, plan: CallPlan): Transcript {
  const limit = ctx.budget.simMaxInstructions;
  const result = simulateElf(elf, 'fuzz.elf', ctx.board, { maxInstructions: limit });
  const death = result.stop.kind === 'exit' ? consoleDeath(result.output, result.stop.code)
    : result.stop.kind === 'limit' ? `instruction limit (${limit})` : describeStop(result.stop, limit);
  return transcriptFromConsole(result.output, plan, death);
}
