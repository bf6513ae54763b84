// Runs the firmware-backed parts of a plan: a module with its actions (one firmware, every
// action in order, traps survived), and modules that must fail to instantiate or to link.
//
// When a firmware dies in the middle (a fault that is not a trap, a timeout), the action it
// was running fails with what the console said, and a fresh firmware carries on with the
// next action: one crash costs one command, not the rest of the file. The module's state
// starts over then, so results after a restart say so.

import { readFileSync } from 'node:fs';
import { exportSymbol, functionSymbol } from '../../src/backend-thumb2/symbols.js';
import { UserError } from '../../src/diagnostics/errors.js';
import { decodeModule } from '../../src/frontend/decode.js';
import { funcTypeOf, importCount, type WasmModule } from '../../src/frontend/module.js';
import { TRAP_KINDS } from '../../src/ir/types.js';
import { errorDetail, errorReason, failed, isNotSupported, passed, skipped, type CommandResult } from './command-result.js';
import type { HarnessCall } from './harness-source.js';
import {
  compileLinkedModules, compileSpecModule, parseHarnessOutput, runHarnessFirmware, withHarnessEntry,
  type CallOutcome, type CompiledModule, type FirmwareContext, type HarnessRun,
} from './module-firmware.js';
import type { ModuleUnit, PlanItem } from './plan.js';
import { argumentBits, describeBits, describeValue, harnessType, matchesExpected, type ScalarType } from './values.js';
import type { WastCommand, WastValue } from './wast-script.js';
import type { IrModule } from '../../src/ir/module.js';
import { describeDifference, type EngineDifference } from './boot-engine.js';

const REFERENCE_REASON = 'argument or result of a type the harness cannot pass (v128, or a funcref argument that is not null)';
const UNBOUND_GLOBAL_REASON = 'get of an imported global bound to no module of the firmware';
const STACK_EXHAUSTED = TRAP_KINDS['call stack exhausted'];

const trapName = (kind: number): string =>
  Object.entries(TRAP_KINDS).find(([, k]) => k === kind)?.[0] ?? `unknown trap kind ${kind}`;

type CallPlan = { readonly call: HarnessCall } | { readonly skip: string } | { readonly fail: string };

function harnessTypes(types: readonly string[]): ScalarType[] | undefined {
  const mapped = types.map(harnessType);
  return mapped.every((t) => t !== undefined) ? (mapped as ScalarType[]) : undefined;
}

/** A funcref argument other than null would need the address of a descriptor the script cannot name. */
const passable = (v: WastValue): boolean => v.type !== 'funcref' || v.value === 'null';

/** The module an action targets: the entry, or a linked module the action names. */
interface CallTarget {
  readonly wasm: WasmModule;
  readonly ir: IrModule;
}

function planCall(target: CallTarget, cmd: WastCommand): CallPlan {
  const { wasm } = target;
  const action = cmd.action!;
  const kind = action.type === 'invoke' ? 'func' : 'global';
  const exp = wasm.exports.find((e) => e.name === action.field && e.kind === kind);
  if (exp === undefined) return { fail: `no exported ${kind} named "${action.field}"` };
  if (action.type === 'get') {
    // Read through the export's global symbol, or for a re-exported import, the symbol it is bound to.
    const imported = exp.index < importCount(wasm, 'global');
    const valueType = harnessType(target.ir.globals[exp.index]!.type);
    if (valueType === undefined) return { skip: REFERENCE_REASON };
    const symbol = imported ? target.ir.globals[exp.index]!.import?.symbol : exportSymbol(target.ir, action.field);
    if (symbol === undefined) return { skip: UNBOUND_GLOBAL_REASON };
    return { call: { kind: 'get', symbol, type: valueType } };
  }
  const sig = funcTypeOf(wasm, exp.index);
  const params = harnessTypes(sig.params);
  const results = harnessTypes(sig.results);
  if (params === undefined || results === undefined || !(action.args ?? []).every(passable)) return { skip: REFERENCE_REASON };
  const args = (action.args ?? []).map(argumentBits);
  // A re-exported import has no export symbol of its own: call what it is bound to.
  const symbol = exp.index < importCount(wasm, 'func') ? functionSymbol(target.ir, exp.index) : exportSymbol(target.ir, action.field);
  return { call: { kind: 'invoke', symbol, params, results, args } };
}

function describeCall(cmd: WastCommand): string {
  const a = cmd.action!;
  const args = a.type === 'invoke' ? `(${(a.args ?? []).map(describeValue).join(', ')})` : '';
  return `line ${cmd.line}: ${cmd.type} ${a.type === 'get' ? 'get ' : ''}"${a.field}"${args}`;
}

function fittedNote(ctx: FirmwareContext, run: HarnessRun | undefined): string {
  const fit = run?.fittedMemory;
  if (fit === undefined) return '';
  const kib = (n: number): string => `${Math.floor(n / 1024)} KiB`;
  return ` (linear memory fitted to ${kib(fit.physicalBytes)} of ${kib(fit.declaredBytes)} on ${ctx.board.name})`;
}

/** Compare one call's outcome with what its command expects. */
function judge(ctx: FirmwareContext, file: string, cmd: WastCommand, outcome: CallOutcome, run: HarnessRun, restarted: boolean): CommandResult {
  const call = describeCall(cmd) + (restarted ? ' [after a firmware restart: module state was reset]' : '');
  const expected = cmd.expected ?? [];
  if (cmd.type === 'assert_trap' || cmd.type === 'assert_exhaustion') {
    const want = cmd.type === 'assert_exhaustion' ? trapName(STACK_EXHAUSTED) : cmd.text ?? '';
    if (outcome.kind === 'return') return failed(file, cmd, 'returned where a trap was expected', `${call}: expected trap "${want}", got a return`);
    const got = trapName(outcome.trap);
    if (want.startsWith(got) || got.startsWith(want)) return passed(file, cmd);
    return failed(file, cmd, `wrong trap: ${got} for ${want}`, `${call}: expected trap "${want}", got "${got}"`);
  }
  if (outcome.kind === 'trap') {
    const got = trapName(outcome.trap);
    const note = outcome.trap === TRAP_KINDS['out of bounds memory access'] ? fittedNote(ctx, run) : '';
    return failed(file, cmd, `unexpected trap: ${got}${note}`, `${call}: expected ${expected.map(describeValue).join(', ') || 'a return'}, got trap "${got}"`);
  }
  if (cmd.type === 'action') return passed(file, cmd);
  const values = outcome.values;
  if (values.length === expected.length && expected.every((want, k) => matchesExpected(want, values[k]!))) return passed(file, cmd);
  const got = values.map((bits, k) => describeBits(expected[k]?.type ?? '?', bits)).join(', ') || 'no result';
  return failed(file, cmd, 'wrong result', `${call}: expected ${expected.map(describeValue).join(', ') || 'no result'}, got ${got}`);
}

/** More RAM than any microcontroller we target has (SRAM plus external PSRAM). */
const ANY_MCU_BYTES = 16 * 1024 * 1024;

const kibOf = (bytes: number): number => Math.floor(bytes / 1024);

/** The skip reason of a result that needs more linear memory than the board has. */
function beyondPhysical(physicalBytes: number): string {
  return `memory: beyond ${kibOf(physicalBytes)} KiB physical`;
}

function refusedGrowthReason(pages: number, run: HarnessRun): string {
  const bytes = pages * 65536;
  if (bytes > ANY_MCU_BYTES) return `memory: growth to ${pages} pages (${Math.round(bytes / 1048576)} MiB) cannot hold on any MCU`;
  return beyondPhysical(run.physicalMemoryBytes ?? 0);
}

/**
 * A failed result that is the board's RAM rather than a bug: a memory.grow in this call
 * (or earlier in this boot, whose state the call sees) was refused for want of RAM, or an
 * out-of-bounds trap hit linear memory the linker fitted below its declared size.
 */
function asMemoryLimit(file: string, cmd: WastCommand, index: number, run: HarnessRun, commands: readonly WastCommand[], result: CommandResult): CommandResult {
  if (result.status !== 'fail') return result;
  const refused = [...run.refusedGrowth].filter(([at]) => at <= index).sort(([a], [b]) => a - b)[0];
  if (refused !== undefined) return skipped(file, cmd, refusedGrowthReason(refused[1], run));
  const beyond = firstAccessBeyondFitted(run, commands);
  if (beyond !== undefined && beyond <= index) return skipped(file, cmd, beyondPhysical(run.fittedMemory!.physicalBytes));
  return result;
}

/**
 * The first call of this boot that trapped out of bounds where no trap was expected, on
 * memory fitted below its declared size: that call, and the later ones that see the
 * memory it could not write, need RAM the board does not have.
 */
function firstAccessBeyondFitted(run: HarnessRun, commands: readonly WastCommand[]): number | undefined {
  if (run.fittedMemory === undefined) return undefined;
  const oob = TRAP_KINDS['out of bounds memory access'];
  const hits = [...run.outcomes].filter(([i, o]) => o.kind === 'trap' && o.trap === oob && commands[i]?.type !== 'assert_trap').map(([i]) => i);
  return hits.length === 0 ? undefined : Math.min(...hits);
}

/** A data segment the runtime could not place because linear memory was fitted below its offset. */
function segmentBeyondFittedMemory(run: HarnessRun): boolean {
  return run.fittedMemory !== undefined && run.otherLines.some((l) => /^error: data segment \d+ .*does not fit/.test(l));
}

/** A failure on fitted memory says so, even when the trap that explains it came earlier. */
function withFittingNote(ctx: FirmwareContext, run: HarnessRun, result: CommandResult): CommandResult {
  const note = fittedNote(ctx, run);
  if (result.status !== 'fail' || note === '' || result.reason?.endsWith(note) === true) return result;
  return { ...result, reason: `${result.reason ?? ''}${note}` };
}

function consoleSummary(run: HarnessRun): string {
  const said = run.otherLines.slice(-3).join(' | ');
  const how = run.timedOut ? `timed out after ${run.outcomes.size} results` : `exit code ${run.exitCode}`;
  return `${how}${said !== '' ? `: ${said}` : ''}`;
}

/**
 * Why the runtime stopped the firmware, as a grouping reason: its first console line
 * without addresses and numbers ("fault: HardFault", "error: data segment N ... does not
 * fit"), and the memory fitting when the board gave less than declared.
 */
function deathReason(ctx: FirmwareContext, run: HarnessRun): string {
  if (run.timedOut) return 'firmware timed out';
  const line = run.otherLines.find((l) => /^(fault|trap|error):/.test(l));
  const said = line?.replace(/ at (pc=|wasm offset ).*$/, '').replace(/0x[0-9a-f]+|\b\d+\b/g, 'N');
  return `firmware died: ${said ?? `exit code ${run.exitCode}`}${fittedNote(ctx, run)}`;
}

/** The grouping reason of a firmware the simulator ran otherwise than QEMU (engine `both`). */
const ENGINE_DIFFERENCE = 'simulator differs from QEMU';

const outcomeKey = (o: CallOutcome | undefined): string =>
  o === undefined ? 'none' : o.kind === 'trap' ? `trap ${o.trap}` : `return ${o.values.join(' ')}`;

/**
 * The first call from `first` on whose outcome (or refused growth) differs between the two
 * boots, parsed as every run is; undefined when only other lines or the exit code differ.
 */
function firstDifferingCall(diff: EngineDifference, first: number, count: number): number | undefined {
  const [q, s] = [parseHarnessOutput(diff.qemu.output), parseHarnessOutput(diff.sim.output)];
  for (let i = first; i < count; i++) {
    if (outcomeKey(q.outcomes.get(i)) !== outcomeKey(s.outcomes.get(i)) || q.refusedGrowth.get(i) !== s.refusedGrowth.get(i)) return i;
  }
  return undefined;
}

function skipAll(file: string, unit: ModuleUnit, reason: string): CommandResult[] {
  return [unit.command, ...unit.actions].map((c) => skipped(file, c, reason));
}

function failAll(file: string, unit: ModuleUnit, reason: string, detail: string): CommandResult[] {
  return [failed(file, unit.command, reason, detail), ...unit.actions.map((c) => failed(file, c, reason, `${describeCall(c)}: ${detail}`))];
}

/** The module alone, or as the entry of a firmware with the modules it links with. */
async function compileUnit(ctx: FirmwareContext, wasmPath: string, linked: ModuleUnit['linked']): Promise<CompiledModule> {
  return linked.length === 0 ? compileSpecModule(wasmPath, ctx.board) : compileLinkedModules(ctx, wasmPath, linked);
}

/** Where `cmd` calls: the entry, or the linked module its action names. */
function callTarget(unit: ModuleUnit, compiled: CompiledModule, entry: WasmModule, cmd: WastCommand): CallTarget {
  const label = cmd.action?.module;
  const linked = label === undefined || label === unit.command.name ? undefined : unit.linked.find((l) => l.label === label);
  if (linked?.wasmPath === undefined) return { wasm: entry, ir: compiled.ir };
  return { wasm: decodeModule(readFileSync(linked.wasmPath)), ir: compiled.linkedByLabel!.get(label!)! };
}

async function compileOrResults(file: string, unit: ModuleUnit, ctx: FirmwareContext): Promise<CompiledModule | CommandResult[]> {
  try {
    return await compileUnit(ctx, unit.wasmPath, unit.linked);
  } catch (e) {
    if (isNotSupported(e)) return skipAll(file, unit, errorReason(e));
    return failAll(file, unit, `valid module not built: ${errorReason(e)}`, errorDetail(e));
  }
}

/** Run `unit` (a module and its actions) on firmware; one result per command. */
export async function runModuleUnit(ctx: FirmwareContext, file: string, unit: ModuleUnit): Promise<CommandResult[]> {
  if (unit.skipReason !== undefined) return skipAll(file, unit, unit.skipReason);
  const compiled = await compileOrResults(file, unit, ctx);
  if (Array.isArray(compiled)) return compiled;
  const wasm = decodeModule(readFileSync(unit.wasmPath));

  const results = new Map<WastCommand, CommandResult>();
  const calls: HarnessCall[] = [];
  const callCommands: WastCommand[] = [];
  for (const cmd of unit.actions) {
    const plan = planCall(callTarget(unit, compiled, wasm, cmd), cmd);
    if ('skip' in plan) results.set(cmd, skipped(file, cmd, plan.skip));
    else if ('fail' in plan) results.set(cmd, failed(file, cmd, plan.fail, describeCall(cmd)));
    else {
      calls.push(plan.call);
      callCommands.push(cmd);
    }
  }
  const patched = withHarnessEntry(compiled.object, new Map());

  let moduleResult: CommandResult | undefined;
  const retried = new Set<number>();
  let first = 0;
  do {
    let run: HarnessRun;
    try {
      run = await runHarnessFirmware(ctx, compiled, patched, calls, first);
    } catch (e) {
      if (isNotSupported(e)) return skipAll(file, unit, errorReason(e));
      const reason = e instanceof UserError ? `link failed: ${errorReason(e)}` : `harness failed: ${errorReason(e)}`;
      return failAll(file, unit, reason, errorDetail(e));
    }
    if (run.difference !== undefined && !run.ready) return failAll(file, unit, ENGINE_DIFFERENCE, describeDifference(run.difference));
    if (!run.ready) {
      if (first === 0 && segmentBeyondFittedMemory(run)) return skipAll(file, unit, beyondPhysical(run.fittedMemory!.physicalBytes));
      if (first === 0) return failAll(file, unit, `instantiation failed: ${deathReason(ctx, run)}`, consoleSummary(run));
      // A restart that no longer instantiates: nothing more can run.
      callCommands.slice(first).forEach((c) => results.set(c, failed(file, c, deathReason(ctx, run), consoleSummary(run))));
      break;
    }
    moduleResult ??= passed(file, unit.command);
    for (const [index, outcome] of run.outcomes) {
      const judged = judge(ctx, file, callCommands[index]!, outcome, run, first > 0);
      results.set(callCommands[index]!, withFittingNote(ctx, run, asMemoryLimit(file, callCommands[index]!, index, run, callCommands, judged)));
    }
    if (run.difference !== undefined) {
      const at = firstDifferingCall(run.difference, first, calls.length);
      const cmd = at === undefined ? unit.command : callCommands[at]!;
      const result = failed(file, cmd, ENGINE_DIFFERENCE, `${at === undefined ? `line ${cmd.line}: ${cmd.type}` : describeCall(cmd)}: ${describeDifference(run.difference)}`);
      if (at === undefined) moduleResult = result;
      else results.set(cmd, result);
    }
    if (run.ended) break;
    let dead = first;
    while (run.outcomes.has(dead)) dead++;
    if (dead >= calls.length) break;
    // A timeout may be a loaded machine rather than a hang: the call gets one more boot.
    if (run.timedOut && !retried.has(dead)) {
      retried.add(dead);
      first = dead;
      continue;
    }
    results.set(callCommands[dead]!, failed(file, callCommands[dead]!, deathReason(ctx, run), `${describeCall(callCommands[dead]!)}: ${consoleSummary(run)}`));
    first = dead + 1;
  } while (first < calls.length);
  return [moduleResult ?? passed(file, unit.command), ...unit.actions.map((c) => results.get(c)!)];
}

/** assert_uninstantiable / assert_unlinkable: the module must be refused before any call. */
export async function runMustFail(ctx: FirmwareContext, file: string, item: Extract<PlanItem, { kind: 'must-fail' }>): Promise<CommandResult> {
  const cmd = item.command;
  if (item.skipReason !== undefined) return skipped(file, cmd, item.skipReason);
  const refusedAtBuild = (e: unknown): CommandResult => {
    if (isNotSupported(e)) return skipped(file, cmd, errorReason(e));
    // A valid module refused as malformed/invalid is our bug; anything else is a refusal.
    if (e instanceof UserError && e.code !== 'malformed' && e.code !== 'invalid') return passed(file, cmd);
    return failed(file, cmd, `refused for another reason: ${errorReason(e)}`, errorDetail(e));
  };
  let compiled: CompiledModule;
  try {
    compiled = await compileUnit(ctx, item.wasmPath, item.linked);
  } catch (e) {
    return refusedAtBuild(e);
  }
  let run: HarnessRun;
  try {
    run = await runHarnessFirmware(ctx, compiled, withHarnessEntry(compiled.object, new Map()), [], 0);
  } catch (e) {
    return refusedAtBuild(e);
  }
  if (run.difference !== undefined) return failed(file, cmd, ENGINE_DIFFERENCE, describeDifference(run.difference));
  if (cmd.type === 'assert_unlinkable') return failed(file, cmd, 'linked where a link error was expected', `expected "${cmd.text}"`);
  if (run.ready) return failed(file, cmd, 'instantiated where start-up should fail', `expected "${cmd.text}"`);
  return run.exitCode !== 0 ? passed(file, cmd) : failed(file, cmd, 'start-up ended with exit code 0 before the harness', consoleSummary(run));
}
