// The last stage of every firmware: the compiled objects linked with runtime-c and libgcc
// for one board, under one linear-memory policy. `mcu-aot build` (build.ts), multi-module
// firmware (multi-module.ts), `mcu-aot test` and the spec testsuite runner (harness-firmware.ts)
// all link through linkWithRuntime, so they get the same layout, vector table and memory fitting.

import { readFileSync } from 'node:fs';
import { readArchive } from '../elf/archive.js';
import type { ObjectFile } from '../elf/object.js';
import { readObject } from '../elf/read-object.js';
import type { IrModule } from '../ir/module.js';
import { link, type LinkOptions, type LinkResult } from '../linker/link.js';
import type { Board } from './board.js';
import { boardInfoSection } from './firmware-board.js';
import { buildRuntime } from './runtime.js';

const WASM_PAGE = 65536;
const WASM_MAX_PAGES = 65536;

/** runtime-c and libgcc for one board, read once: a runner linking many firmwares shares it. */
export interface FirmwareRuntime {
  readonly board: Board;
  readonly objects: readonly ObjectFile[];
  readonly libgcc: { name: string; members: ObjectFile[] };
}

export async function loadFirmwareRuntime(board: Board): Promise<FirmwareRuntime> {
  const runtime = await buildRuntime(board);
  const objects = runtime.objects.map((path) => readObject(readFileSync(path), path));
  const libgcc = readArchive(readFileSync(runtime.libgcc), runtime.libgcc);
  return { board, objects, libgcc: { name: runtime.libgcc, members: libgcc.members } };
}

export interface FirmwareLinkOptions {
  /** The primary linear memory (the one at __mcu_linear_memory); none for a module without one. */
  readonly memory?: IrModule['memory'];
  /** Physical size of that memory in bytes (--memory); default: fitted to the RAM left. */
  readonly physicalMemory?: number | undefined;
  /** Machine stack in bytes; default the board's. */
  readonly stackSize?: number | undefined;
  /** More non-allocated sections for tools (the profile map, src/pgo/map.ts). */
  readonly infoSections?: readonly { name: string; bytes: Uint8Array }[];
}

/** Link `objects` (the modules and whatever else they need) with the runtime into firmware. */
export function linkWithRuntime(runtime: FirmwareRuntime, objects: readonly ObjectFile[], opts: FirmwareLinkOptions = {}): LinkResult {
  const { board } = runtime;
  return link(
    { objects: [...objects, ...runtime.objects], archives: [runtime.libgcc] },
    {
      flash: board.flash,
      ram: board.ram,
      stackSize: opts.stackSize ?? board.stackSize,
      entry: 'Reset_Handler',
      vectorSection: '.vectors',
      gcSections: true,
      infoSections: [boardInfoSection(board), ...(opts.infoSections ?? [])], // flash, run and sim check the board (firmware-board.ts)
      ...(opts.memory !== undefined ? { linearMemory: linearMemoryRequest(opts.memory, opts.physicalMemory) } : {}),
    },
  );
}

/** What the linker is asked for a module's memory: the declared (initial) size, the size
 *  memory.grow may reach (the declared maximum, else the Wasm limit of 65536 pages) and the
 *  physical size when --memory sets it. Every firmware link uses this one policy. */
function linearMemoryRequest(memory: NonNullable<IrModule['memory']>, physicalBytes?: number): NonNullable<LinkOptions['linearMemory']> {
  return {
    declaredBytes: memory.minPages * WASM_PAGE,
    maximumBytes: Math.min(memory.maxPages ?? WASM_MAX_PAGES, WASM_MAX_PAGES) * WASM_PAGE,
    ...(physicalBytes !== undefined ? { physicalBytes } : {}),
  };
}
