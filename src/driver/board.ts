// Boards: one TOML file per board in boards/. Adding a board is adding a file.

import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'smol-toml';
import { userError } from '../diagnostics/errors.js';

export type ConsoleKind = 'pl011' | 'cmsdk-uart';
export type Core = 'cortex-m3' | 'cortex-m4' | 'cortex-m7' | 'cortex-m0' | 'cortex-m33';

export interface MemoryRegion {
  readonly origin: number;
  readonly size: number;
}

/** A peripheral address range the board grants every module (`[[peripherals]]`): the HAL's
 *  inline register accesses may touch it without the project granting it. */
export interface BoardPeripheral {
  readonly name: string;
  readonly base: number;
  readonly size: number;
  readonly access: 'r' | 'w' | 'rw';
}

export interface Board {
  readonly name: string;
  readonly description: string;
  readonly cpu: { readonly core: Core; readonly arch: string; readonly fpu: 'none' | 'fpv4-sp-d16' | 'fpv5-d16' };
  /** Processor clock in Hz as the QEMU machine runs it (`cpu.clock_hz`): runtime-c's SysTick clock. */
  readonly clockHz?: number;
  /** Flash wait states (`cpu.flash_wait_states`): extra cycles per flash access the simulator's cycle model charges. */
  readonly flashWaitStates?: number;
  readonly flash: MemoryRegion;
  readonly ram: MemoryRegion;
  readonly stackSize: number;
  readonly console: { readonly kind: ConsoleKind; readonly base: number };
  readonly qemuMachine: string;
  /** `target`: OpenOCD target config; `interface`: its debug adapter config (both for `openocd`). */
  readonly flashMethod: { readonly method: 'gdb' | 'openocd'; readonly target?: string; readonly interface?: string };
  /** Granted peripheral ranges (`[[peripherals]]`); none when the file lists none. */
  readonly peripherals?: readonly BoardPeripheral[];
  /** IRQ line numbers by name (`[irqs]`): NVIC input n is exception 16 + n. */
  readonly irqs?: Readonly<Record<string, number>>;
}

/** boards/ of this package (works from src/ under vitest and from dist/src/ when built). */
export function boardsDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const candidate = join(dir, 'boards');
    try {
      if (readdirSync(candidate).some((f) => f.endsWith('.toml'))) return candidate;
    } catch {
      // not here: go up
    }
    dir = dirname(dir);
  }
  throw userError('board', 'cannot find the boards/ folder of mcu-aot');
}

export function listBoards(): string[] {
  return readdirSync(boardsDir())
    .filter((f) => f.endsWith('.toml'))
    .map((f) => f.slice(0, -'.toml'.length))
    .sort();
}

export function loadBoard(name: string): Board {
  if (!/^[A-Za-z0-9_.-]+$/.test(name) || !listBoards().includes(name)) {
    throw userError('board', `unknown board '${name}'`, {}, `known boards: ${listBoards().join(', ')}`);
  }
  const file = join(boardsDir(), `${name}.toml`);
  let doc: Record<string, unknown>;
  try {
    doc = parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (e) {
    throw userError('board', `cannot parse ${file}: ${(e as Error).message.split('\n')[0]}`);
  }
  const get = (path: string): unknown => {
    let cur: unknown = doc;
    for (const key of path.split('.')) {
      if (typeof cur !== 'object' || cur === null || !(key in cur)) return undefined;
      cur = (cur as Record<string, unknown>)[key];
    }
    return cur;
  };
  const num = (path: string): number => {
    const v = get(path);
    if (typeof v !== 'number' && typeof v !== 'bigint') throw userError('board', `'${path}' must be a number`, { file });
    return Number(v);
  };
  const str = (path: string, fallback?: string): string => {
    const v = get(path) ?? fallback;
    if (typeof v !== 'string') throw userError('board', `'${path}' must be a string`, { file });
    return v;
  };
  const target = get('flash.target');
  const adapter = get('flash.interface');
  const clockHz = get('cpu.clock_hz');
  const flashWaitStates = get('cpu.flash_wait_states');
  const peripherals = boardPeripherals(get('peripherals'), file);
  const irqs = boardIrqs(get('irqs'), file);
  return {
    name: str('name'),
    description: str('description', ''),
    cpu: { core: str('cpu.core') as Core, arch: str('cpu.arch'), fpu: str('cpu.fpu', 'none') as Board['cpu']['fpu'] },
    ...(clockHz !== undefined ? { clockHz: num('cpu.clock_hz') } : {}),
    ...(flashWaitStates !== undefined ? { flashWaitStates: num('cpu.flash_wait_states') } : {}),
    flash: { origin: num('memory.flash.origin'), size: num('memory.flash.size') },
    ram: { origin: num('memory.ram.origin'), size: num('memory.ram.size') },
    stackSize: num('stack.size'),
    console: { kind: str('console.kind') as ConsoleKind, base: num('console.base') },
    qemuMachine: str('qemu.machine'),
    flashMethod: {
      method: str('flash.method') as 'gdb' | 'openocd',
      ...(typeof target === 'string' ? { target } : {}),
      ...(typeof adapter === 'string' ? { interface: adapter } : {}),
    },
    ...(peripherals !== undefined ? { peripherals } : {}),
    ...(irqs !== undefined ? { irqs } : {}),
  };
}

function boardPeripherals(list: unknown, file: string): BoardPeripheral[] | undefined {
  if (list === undefined) return undefined;
  const bad = (detail: string) => userError('board', `[[peripherals]]: ${detail}`, { file });
  if (!Array.isArray(list)) throw bad('expected an array of tables ([[peripherals]])');
  return list.map((entry: unknown, i) => {
    const e = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>;
    const num = (key: string): number => {
      const v = e[key];
      const n = typeof v === 'number' || typeof v === 'bigint' ? Number(v) : NaN;
      if (!Number.isInteger(n) || n < 0 || n >= 2 ** 32) throw bad(`entry ${i}: '${key}' must be an integer below 2^32`);
      return n;
    };
    const access = e['access'] ?? 'rw';
    if (typeof e['name'] !== 'string') throw bad(`entry ${i}: 'name' must be a string`);
    if (access !== 'r' && access !== 'w' && access !== 'rw') throw bad(`entry ${i}: 'access' must be "r", "w" or "rw"`);
    return { name: e['name'], base: num('base'), size: num('size'), access };
  });
}

function boardIrqs(table: unknown, file: string): Record<string, number> | undefined {
  if (table === undefined) return undefined;
  if (typeof table !== 'object' || table === null || Array.isArray(table)) throw userError('board', '[irqs] must be a table of name = IRQ number', { file });
  return Object.fromEntries(
    Object.entries(table).map(([name, v]) => {
      const n = typeof v === 'number' || typeof v === 'bigint' ? Number(v) : NaN;
      if (!Number.isInteger(n) || n < 0 || n > 239) throw userError('board', `[irqs] ${name} must be an IRQ number 0-239`, { file });
      return [name, n];
    }),
  );
}
