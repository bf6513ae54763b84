// The sandbox firmware: the attacker module (attacker.wat with the load/store matrix) as the
// entry of a two-module firmware built by the driver's multi-module path, the victim module
// instantiated before it with a memory of its own, and a C harness as the entry (as the
// spec runner and `mcu-aot test` do, src/driver/harness-firmware.ts). The harness calls
// `init`, arms runtime-c's integrity report (runtime-c/integrity.c), then calls every
// attack, surviving its trap through the trap hook, and after each one the attacker's
// `check`, the victim's `check` and mcu_integrity_check.
//
// Console protocol, one line each:
//   sandbox:ready bound=<n> physical=<n> runtime=<bits>
//   sandbox:<i> = <value> check=<n> victim=<n> runtime=<bits> bound=<n>    attack i returned
//   sandbox:<i> ! <kind> check=<n> victim=<n> runtime=<bits> bound=<n>     attack i trapped
//   sandbox:end
// A check that itself traps reports 1000 + its trap kind.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildInstanceList } from '../../src/backend-thumb2/module-instance.js';
import type { Board } from '../../src/driver/board.js';
import { compileHarnessC, HARNESS_TRAP_RECOVERY_C, withEntryRelocated } from '../../src/driver/harness-firmware.js';
import { linkWithRuntime, type FirmwareRuntime } from '../../src/driver/link-firmware.js';
import { compileFirmwareModules } from '../../src/driver/multi-module.js';
import { grantedRanges } from '../../src/driver/peripherals.js';
import { watToBinary } from '../../src/frontend/load.js';
import type { MmioGrant } from '../../src/frontend/lower/hal.js';
import { ownMemorySymbol } from '../../src/backend-thumb2/symbols.js';
import { withMemoryAccessMatrix } from './sandbox-matrix.js';

const SANDBOX_DIR = new URL('./sandbox/', import.meta.url).pathname;
const HARNESS_ENTRY = 'sandbox_main';
/** Bytes the victim's memory gets (buildFirmware's moduleMemory); victim.wat checks them all. */
export const VICTIM_MEMORY_BYTES = 1024;

export type Expectation = { readonly kind: 'trap'; readonly trap: number } | { readonly kind: 'value'; readonly value?: number };

export interface Attack {
  /** The export name, `attack_*`. */
  readonly name: string;
  readonly expect: Expectation;
}

export interface SandboxModules {
  readonly attackerWat: string;
  readonly attacker: Uint8Array;
  readonly victim: Uint8Array;
  readonly attacks: readonly Attack[];
}

/** The attacks of attacker.wat in export order, from the `;; trap <k>` / `;; value [n]` line before each. */
export function parseAttacks(wat: string): Attack[] {
  const attacks: Attack[] = [];
  const pattern = /;; (trap (\d+)|value(?: (-?\d+))?)\s*\n\s*\(func \(export "(attack_\w+)"\)/g;
  for (const m of wat.matchAll(pattern)) {
    const expect: Expectation = m[2] !== undefined ? { kind: 'trap', trap: Number(m[2]) } : { kind: 'value', ...(m[3] !== undefined && { value: Number(m[3]) }) };
    attacks.push({ name: m[4]!, expect });
  }
  const exported = [...wat.matchAll(/\(export "(attack_\w+)"\)/g)].length;
  if (exported !== attacks.length) throw new Error(`${exported - attacks.length} attacks without a ';; trap <kind>' or ';; value' line`);
  return attacks;
}

/**
 * The victim and the attacker (with the load/store matrix). `rogue` adds rogue.wat's
 * attacks, which damage what the checks watch: only for the control run, which grants the
 * HAL all of RAM (buildSandboxFirmware's `grants`).
 */
export async function loadSandboxModules(opts: { rogue?: boolean } = {}): Promise<SandboxModules> {
  const rogue = opts.rogue === true ? readFileSync(join(SANDBOX_DIR, 'rogue.wat'), 'utf8') : '';
  const attackerWat = withMemoryAccessMatrix(readFileSync(join(SANDBOX_DIR, 'attacker.wat'), 'utf8')).replace(';; @rogue', rogue);
  const attacker = await watToBinary(attackerWat, 'attacker.wat');
  const victim = await watToBinary(readFileSync(join(SANDBOX_DIR, 'victim.wat'), 'utf8'), 'victim.wat');
  return { attackerWat, attacker, victim, attacks: parseAttacks(attackerWat) };
}

/** A side-effect-free register of the console UART: PL011 flags, CMSDK state. */
const UART_STATUS_OFFSET: Record<string, number> = { 'pl011': 0x18, 'cmsdk-uart': 0x04 };

function harnessSource(board: Board, prefixes: { attacker: string; victim: string }, attacks: readonly Attack[]): string {
  const a = (name: string): string => `${prefixes.attacker}_${name}`;
  const status = UART_STATUS_OFFSET[board.console.kind];
  if (status === undefined) throw new Error(`no UART status register known for console kind ${board.console.kind}`);
  return [
    HARNESS_TRAP_RECOVERY_C,
    '#include "integrity.h"',
    'typedef uint32_t (*attack_fn)(uint32_t, uint32_t);',
    `extern uint32_t ${a('uart_base')}, ${a('uart_status')}, ${a('memory_base')}, ${a('victim_memory')};`,
    `extern uint8_t victim_memory_base[] __asm__("${ownMemorySymbol(prefixes.victim)}");`,
    `extern uint32_t ${a('init')}(uint32_t, uint32_t);`,
    `extern uint32_t ${a('check')}(uint32_t, uint32_t);`,
    `extern uint32_t ${prefixes.victim}_check(void);`,
    ...attacks.map((t) => `extern uint32_t ${a(t.name)}(uint32_t, uint32_t);`),
    'static const attack_fn attacks[] = {',
    ...attacks.map((t) => `  ${a(t.name)},`),
    '};',
    String.raw`
static uint32_t check_victim(uint32_t bound, uint32_t physical) {
  (void)bound; (void)physical;
  return ${prefixes.victim}_check();
}

/* A check must not trap; if it does, say so (1000 + kind) instead of ending the run. */
static uint32_t guarded(attack_fn check, uint32_t bound, uint32_t physical) {
  harness_armed = 1;
  if (harness_setjmp(harness_recover) != 0) return 1000u + harness_trap_kind;
  uint32_t r = check(bound, physical);
  harness_armed = 0;
  return r;
}

static void field(const char *name, uint32_t value) {
  mcu_console_putc(' '); mcu_console_puts(name); mcu_console_putc('='); mcu_console_put_dec(value);
}

void ${HARNESS_ENTRY}(void) {
  ${a('uart_base')} = ${board.console.base >>> 0}u;
  ${a('uart_status')} = ${status}u;
  ${a('memory_base')} = (uint32_t)(uintptr_t)__mcu_linear_memory;
  ${a('victim_memory')} = (uint32_t)(uintptr_t)victim_memory_base;
  uint32_t bound = mcu_memory_bound(), physical = mcu_memory_physical_size();
  ${a('init')}(bound, physical);
  mcu_integrity_arm();
  mcu_console_puts("sandbox:ready");
  field("bound", bound); field("physical", physical); field("runtime", mcu_integrity_check());
  mcu_console_putc('\n');
  for (volatile uint32_t i = 0; i < sizeof attacks / sizeof attacks[0]; i++) {
    mcu_console_puts("sandbox:"); mcu_console_put_dec(i);
    harness_armed = 1;
    if (harness_setjmp(harness_recover) == 0) {
      uint32_t r = attacks[i](bound, physical);
      harness_armed = 0;
      mcu_console_puts(" = "); mcu_console_put_dec(r);
    } else {
      mcu_console_puts(" ! "); mcu_console_put_dec(harness_trap_kind);
    }
    field("check", guarded(${a('check')}, bound, physical));
    field("victim", guarded(check_victim, bound, physical));
    field("runtime", mcu_integrity_check());
    field("bound", mcu_memory_bound());
    mcu_console_putc('\n');
  }
  mcu_console_puts("sandbox:end\n");
}
`,
  ].join('\n');
}

/** The linked sandbox firmware for the runtime's board; `grants` replaces the board's HAL grants. */
export async function buildSandboxFirmware(runtime: FirmwareRuntime, modules: SandboxModules, opts: { grants?: readonly MmioGrant[] } = {}): Promise<Uint8Array> {
  const { board } = runtime;
  const inputs = [
    { name: 'victim', wasm: modules.victim, file: 'victim.wat' },
    { name: 'attacker', wasm: modules.attacker, file: 'attacker.wat' },
  ];
  const { objects, prefixes, primary } = compileFirmwareModules(inputs, {
    target: { fpu: board.cpu.fpu },
    hal: { grants: opts.grants ?? grantedRanges(board) },
    moduleMemory: VICTIM_MEMORY_BYTES,
  });
  const [victimObject, attackerObject] = objects as [typeof objects[0], typeof objects[0]];
  const dir = mkdtempSync(join(tmpdir(), 'mcu-aot-sandbox-'));
  try {
    const source = harnessSource(board, { victim: prefixes[0]!, attacker: prefixes[1]! }, modules.attacks);
    const harness = await compileHarnessC(board, source, dir, 'sandbox harness');
    const entry = withEntryRelocated(attackerObject, HARNESS_ENTRY);
    return linkWithRuntime(runtime, [entry, victimObject, buildInstanceList(prefixes), harness], { memory: primary }).elf;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface AttackOutcome {
  readonly result: { readonly kind: 'value'; readonly value: number } | { readonly kind: 'trap'; readonly trap: number };
  readonly check: number;
  readonly victim: number;
  readonly runtime: number;
  readonly bound: number;
}

export interface SandboxRun {
  readonly ready?: { readonly bound: number; readonly physical: number; readonly runtime: number };
  readonly outcomes: ReadonlyMap<number, AttackOutcome>;
  readonly ended: boolean;
  /** Console lines outside the protocol (runtime reports). */
  readonly otherLines: readonly string[];
}

export function parseSandboxOutput(output: string): SandboxRun {
  const outcomes = new Map<number, AttackOutcome>();
  const otherLines: string[] = [];
  let ready: SandboxRun['ready'];
  let ended = false;
  for (const line of output.split(/\r?\n/)) {
    const r = /^sandbox:ready bound=(\d+) physical=(\d+) runtime=(\d+)$/.exec(line);
    const m = /^sandbox:(\d+) ([=!]) (\d+) check=(\d+) victim=(\d+) runtime=(\d+) bound=(\d+)$/.exec(line);
    if (r !== null) {
      ready = { bound: Number(r[1]), physical: Number(r[2]), runtime: Number(r[3]) };
    } else if (m !== null) {
      const n = Number(m[3]);
      outcomes.set(Number(m[1]), {
        result: m[2] === '=' ? { kind: 'value', value: n | 0 } : { kind: 'trap', trap: n },
        check: Number(m[4]), victim: Number(m[5]), runtime: Number(m[6]), bound: Number(m[7]),
      });
    } else if (line === 'sandbox:end') {
      ended = true;
    } else if (line.trim() !== '') {
      otherLines.push(line);
    }
  }
  return { ...(ready !== undefined && { ready }), outcomes, ended, otherLines };
}
