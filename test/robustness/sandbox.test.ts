// Sandbox attacks (test/robustness/sandbox/, sandbox-firmware.ts): one firmware per board
// runs every attack of attacker.wat on QEMU and in the simulator. Each must end as its
// annotation says (the trap kind, or the value Node's engine computes for the same call),
// and afterwards the attacker's own memory and tables, the victim module's memory and
// runtime-c's state (stack canary, memory contexts, r9, the bytes past the bound) must be
// intact. Node's engine is the oracle for what Wasm says each attack does when memory is
// exactly its declared page: it must agree with every annotation it can run.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runOnQemu } from '../../qemu/runner.js';
import { loadBoard, type Board } from '../../src/driver/board.js';
import { loadFirmwareRuntime } from '../../src/driver/link-firmware.js';
import { buildFirmware } from '../../src/driver/multi-module.js';
import { grantedRanges } from '../../src/driver/peripherals.js';
import { watToBinary } from '../../src/frontend/load.js';
import { simulateElf } from '../../src/sim/simulate.js';
import { v8TrapKind } from '../support/node-oracle.js';
import { TRAP_KINDS } from '../../src/ir/types.js';
import {
  buildSandboxFirmware, loadSandboxModules, parseSandboxOutput, type Attack, type AttackOutcome, type SandboxModules, type SandboxRun,
} from './sandbox-firmware.js';

const WASM_PAGE = 65536;
const work = mkdtempSync(join(tmpdir(), 'mcu-aot-sandbox-test-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

let modules: SandboxModules;
beforeAll(async () => {
  modules = await loadSandboxModules();
});

/** What Node cannot run: HAL register accesses, and physical limits below the declared memory
 *  (the primary one's, and the victim's 1024 reserved bytes). */
const PHYSICAL_LIMIT_ATTACKS = new Set(['attack_grow_past_physical', 'attack_victim_fill_past_end', 'attack_victim_copy_past_end', 'attack_victim_init_past_end', 'attack_victim_grow']);
const nodeCannot = (attack: Attack): boolean =>
  attack.name.startsWith('attack_mmio_') || attack.name.startsWith('attack_victim_wasi_') || PHYSICAL_LIMIT_ATTACKS.has(attack.name);

type NodeOutcome = { kind: 'value'; value: number } | { kind: 'trap'; message: string };

/** Fresh instances in Node (victim, then attacker): init, the attack, then the attacker's own check. */
function runInNode(wasm: Uint8Array, attack: string, bound: number, physical: number): { outcome: NodeOutcome; check: number } {
  const wasi = { fd_write: () => { throw new Error('fd_write in Node'); } }; // only the victim_wasi_* attacks call it
  const victim = new WebAssembly.Instance(new WebAssembly.Module(modules.victim as Uint8Array<ArrayBuffer>), { wasi_snapshot_preview1: wasi });
  const imports = {
    victim: victim.exports,
    mcu: Object.fromEntries(['read32', 'read16', 'write32', 'write8'].map((n) => [n, () => { throw new Error(`mcu.${n} in Node`); }])),
  };
  const instance = new WebAssembly.Instance(new WebAssembly.Module(wasm as Uint8Array<ArrayBuffer>), imports);
  const call = (name: string): number => (instance.exports[name] as (b: number, p: number) => number)(bound, physical);
  call('init');
  let outcome: NodeOutcome;
  try {
    outcome = { kind: 'value', value: call(attack) };
  } catch (e) {
    if (!(e instanceof WebAssembly.RuntimeError) && !(e instanceof RangeError)) throw e;
    outcome = { kind: 'trap', message: (e as Error).message };
  }
  return { outcome, check: call('check') };
}

describe('sandbox attacks in Node (the Wasm semantics the annotations claim)', () => {
  it('every attack Node can run ends as annotated, and writes nothing when it traps', () => {
    const problems: string[] = [];
    for (const attack of modules.attacks.filter((a) => !nodeCannot(a))) {
      const { outcome, check } = runInNode(modules.attacker, attack.name, WASM_PAGE, WASM_PAGE);
      if (check !== 0) problems.push(`${attack.name}: check ${check} after it`);
      if (attack.expect.kind === 'trap') {
        if (outcome.kind !== 'trap') problems.push(`${attack.name}: returned ${outcome.value}, expected trap ${attack.expect.trap}`);
        // V8 names memory and stack traps exactly; its table messages do not separate kinds 6/7/8/10.
        const kind = outcome.kind === 'trap' ? v8TrapKind(outcome.message) : undefined;
        const exact = attack.expect.trap === TRAP_KINDS['out of bounds memory access'] || attack.expect.trap === TRAP_KINDS['call stack exhausted'];
        if (exact && outcome.kind === 'trap' && (kind === undefined || TRAP_KINDS[kind] !== attack.expect.trap)) {
          problems.push(`${attack.name}: Node trapped '${outcome.message}', expected kind ${attack.expect.trap}`);
        }
      } else if (outcome.kind === 'trap') {
        problems.push(`${attack.name}: Node trapped '${outcome.message}'`);
      } else if (attack.expect.value !== undefined && outcome.value !== attack.expect.value) {
        problems.push(`${attack.name}: Node returned ${outcome.value}, annotated ${attack.expect.value}`);
      }
    }
    expect(problems).toEqual([]);
    expect(modules.attacks.length).toBeGreaterThan(200);
  });
});

/** Everything wrong with one run: outcomes against the annotations, and the checks after each. */
function problemsOf(run: SandboxRun, attacks: readonly Attack[]): string[] {
  const problems: string[] = [...run.otherLines.map((l) => `console: ${l}`)];
  if (run.ready === undefined) return [...problems, 'the harness never started'];
  if (run.ready.runtime !== 0) problems.push(`runtime integrity ${run.ready.runtime} before any attack`);
  const { bound, physical } = run.ready;
  attacks.forEach((attack, i) => {
    const got = run.outcomes.get(i);
    if (got === undefined) {
      problems.push(`${attack.name}: no outcome`);
      return;
    }
    const wanted = expectedOutcome(attack, bound, physical);
    const show = (r: AttackOutcome['result']): string => (r.kind === 'trap' ? `trap ${r.trap}` : `value ${r.value}`);
    if (show(got.result) !== wanted) problems.push(`${attack.name}: ${show(got.result)}, expected ${wanted}`);
    if (got.check !== 0) problems.push(`${attack.name}: attacker check ${got.check} after it`);
    if (got.victim !== 0) problems.push(`${attack.name}: victim check ${got.victim} after it`);
    if (got.runtime !== 0) problems.push(`${attack.name}: runtime integrity ${got.runtime} after it`);
    if (got.bound !== bound) problems.push(`${attack.name}: bound ${got.bound} after it, was ${bound}`);
  });
  if (!run.ended) problems.push('the harness did not finish');
  return problems;
}

/** `trap <k>` or `value <v>`; an unnumbered `value` is what Node returns for the same call. */
function expectedOutcome(attack: Attack, bound: number, physical: number): string {
  if (attack.expect.kind === 'trap') return `trap ${attack.expect.trap}`;
  if (attack.expect.value !== undefined) return `value ${attack.expect.value}`;
  const { outcome } = runInNode(modules.attacker, attack.name, bound, physical);
  return outcome.kind === 'value' ? `value ${outcome.value}` : `(Node trapped: ${outcome.message})`;
}

describe.each(['mps2-an385', 'lm3s6965'])('sandbox attacks on %s', (boardName) => {
  let board: Board;
  let elfPath: string;
  let elf: Uint8Array;
  beforeAll(async () => {
    board = loadBoard(boardName);
    elf = await buildSandboxFirmware(await loadFirmwareRuntime(board), modules);
    elfPath = join(work, `${boardName}.elf`);
    writeFileSync(elfPath, elf);
  }, 120_000);

  let qemuRun: SandboxRun;
  it('QEMU: every attack ends as annotated and leaves every memory intact', async () => {
    const result = await runOnQemu(elfPath, board, { timeoutMs: 60_000 });
    qemuRun = parseSandboxOutput(result.output);
    expect(problemsOf(qemuRun, modules.attacks)).toEqual([]);
    expect(result.exitCode).toBe(0);
    const { bound, physical } = qemuRun.ready!;
    if (boardName === 'lm3s6965') {
      // One page does not fit in 64 KiB of RAM: the physical limit is the bound.
      expect(bound).toBeLessThan(WASM_PAGE);
      expect(physical).toBe(bound);
    } else {
      expect(bound).toBe(WASM_PAGE);
      expect(physical).toBeGreaterThan(WASM_PAGE);
    }
  }, 120_000);

  it('the simulator agrees with QEMU on every attack', () => {
    const result = simulateElf(elf, elfPath, board, { maxInstructions: 2_000_000_000 });
    const simRun = parseSandboxOutput(result.output);
    expect(result.stop).toEqual({ kind: 'exit', code: 0 });
    expect(problemsOf(simRun, modules.attacks)).toEqual([]);
    expect(simRun.outcomes).toEqual(qemuRun.outcomes);
  }, 120_000);
});

describe('control: a sandbox broken on purpose (the HAL granted all of RAM)', () => {
  // runtime-c/integrity.h's bits, and the checks' own (attacker.wat, victim.wat).
  const STACK_CANARY = 1, MEMORY_CONTEXT = 2, GUARD = 8;
  const seen: Record<string, (o: AttackOutcome) => boolean> = {
    attack_rogue_stack_canary: (o) => (o.runtime & STACK_CANARY) !== 0,
    attack_rogue_memory_context: (o) => (o.runtime & MEMORY_CONTEXT) !== 0 && (o.check & 2) !== 0,
    attack_rogue_past_bound: (o) => (o.runtime & GUARD) !== 0,
    attack_rogue_victim_memory: (o) => (o.victim & 1) !== 0,
    attack_rogue_own_memory: (o) => (o.check & 1) !== 0,
    attack_rogue_table: (o) => (o.check & 4) !== 0,
  };

  it('every check sees the damage a rogue attack does (mps2-an385, QEMU)', async () => {
    const board = loadBoard('mps2-an385');
    const rogue = await loadSandboxModules({ rogue: true });
    const ram = { name: 'RAM', base: board.ram.origin, size: board.ram.size, access: 'rw' as const };
    const elf = await buildSandboxFirmware(await loadFirmwareRuntime(board), rogue, { grants: [...grantedRanges(board), ram] });
    const elfPath = join(work, 'control.elf');
    writeFileSync(elfPath, elf);
    const run = parseSandboxOutput((await runOnQemu(elfPath, board, { timeoutMs: 60_000 })).output);
    const unseen = Object.entries(seen).filter(([name, ok]) => {
      const outcome = run.outcomes.get(rogue.attacks.findIndex((a) => a.name === name));
      return outcome === undefined || outcome.result.kind !== 'value' || !ok(outcome);
    }).map(([name]) => name);
    expect(unseen).toEqual([]);
    expect(run.ended).toBe(true);
  }, 120_000);
});

describe('HAL grants in a multi-module firmware', () => {
  // buildFirmware once lowered every module without the board's grants: each register
  // access was refused. Now they are the board's, as in a single-module build.
  const uartRead = (base: number): string => `(module (import "mcu" "read32" (func $r (param i32) (result i32)))
    (func (export "_start") (drop (call $r (i32.const ${base})))))`;

  it('grants the board console UART and refuses a constant address outside it', async () => {
    const board = loadBoard('lm3s6965');
    const granted = await watToBinary(uartRead(board.console.base), 'uart.wat');
    await expect(buildFirmware([{ name: 'app', wasm: granted }], board)).resolves.toBeDefined();
    const refused = await watToBinary(uartRead(0xe000ed08), 'vtor.wat');
    await expect(buildFirmware([{ name: 'app', wasm: refused }], board)).rejects.toThrow(/peripheral access not granted/);
  }, 60_000);
});
