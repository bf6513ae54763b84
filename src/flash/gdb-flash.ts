// The `gdb` flash method: load a firmware image through any gdbserver, verify it, reset and
// run it. The steps, in order:
//   1. connect, qSupported (PacketSize), QStartNoAckMode; `?` (all-stop servers halt on attach)
//   2. `monitor reset halt` where the server has it (OpenOCD, pyOCD, J-Link)
//   3. flash regions of the server's memory map (qXfer:memory-map:read) are erased and
//      programmed with vFlashErase/vFlashWrite/vFlashDone; everything else is written as
//      memory with X (binary) or M (hex): QEMU's gdbstub writes straight into its emulated
//      flash and SRAM, and offers no memory map
//   4. verify: read every written range back with `m` and compare
//   5. reset and run: `monitor reset run`, or on a plain gdbserver what the Cortex-M does at
//      reset: SP from vector table word 0, PC from word 1 (Thumb bit cleared, xPSR.T set),
//      then continue.

import { UserError } from '../diagnostics/errors.js';
import type { Board } from '../driver/board.js';
import { GdbRemoteClient, flashError, hex32 } from './gdb-remote.js';
import { imageWord, type FlashImage, type FlashRange } from './flash-image.js';
import { CLASSIC_ARM_REGISTERS, parseMemoryMap, registerNumbers, type MemoryMapRegion, type RegisterNumbers } from './target-xml.js';

export interface GdbFlashOptions {
  readonly host: string;
  readonly port: number;
  readonly verify: boolean;
  /** Deadline of each request, in milliseconds. */
  readonly timeoutMs: number;
  readonly log: (line: string) => void;
}

export type ResetMethod = 'monitor' | 'vector-table';

export interface GdbFlashResult {
  readonly bytesWritten: number;
  readonly flashBytes: number;
  readonly verified: boolean;
  readonly reset: ResetMethod;
}

const XPSR_THUMB = 1 << 24;
const WRITABLE_HINT = 'is that address writable on this board? check the board (--board) the firmware was built for';
/** After `c`, how long to let the server take it in before hanging up (QEMU may exit at once). */
const RESUME_GRACE_MS = 200;
/** A monitor that printed one of these did not run the command (QEMU's HMP: "unknown command"). */
const MONITOR_REFUSED = /unknown command|unrecognized|not supported|invalid command|error|failed/i;

export async function flashOverGdb(image: FlashImage, board: Board, opts: GdbFlashOptions): Promise<GdbFlashResult> {
  const client = await GdbRemoteClient.connect(opts);
  try {
    await client.handshake();
    await client.haltReason();
    const monitorReset = await tryMonitor(client, 'reset halt');
    const memoryMap = client.supports('qXfer:memory-map:read') ? parseMemoryMap(await client.readXfer('memory-map', '')) : [];
    const flashRegions = memoryMap.filter((r) => r.type === 'flash');

    let flashBytes = 0;
    const plainWrites: FlashRange[] = [];
    for (const range of image.ranges) {
      const { inFlash, outside } = splitByFlash(range, flashRegions);
      flashBytes += inFlash.reduce((n, r) => n + r.bytes.length, 0);
      plainWrites.push(...outside);
      if (inFlash.length > 0) await programFlash(client, inFlash, flashRegions, opts.log);
    }
    if (flashBytes > 0) await client.flashDone();
    for (const range of plainWrites) {
      opts.log(`writing ${range.bytes.length} bytes at ${hex32(range.address)}`);
      await client.writeMemory(range.address, range.bytes);
    }

    if (opts.verify) {
      for (const range of image.ranges) await verifyRange(client, range);
      opts.log(`verified ${image.ranges.length} range(s)`);
    }

    const reset: ResetMethod = monitorReset ? 'monitor' : 'vector-table';
    if (monitorReset) {
      await client.monitor('reset run');
      await client.detach();
    } else {
      await resetFromVectorTable(client, image, board, opts.log);
    }
    const bytesWritten = image.ranges.reduce((n, r) => n + r.bytes.length, 0);
    return { bytesWritten, flashBytes, verified: opts.verify, reset };
  } finally {
    client.close();
  }
}

/** What `--dry-run` prints for the gdb method. */
export function describeGdbFlash(image: FlashImage, board: Board, opts: Pick<GdbFlashOptions, 'host' | 'port' | 'verify'>): string[] {
  const reset = imageWord(image, board.flash.origin + 4);
  return [
    `connect to the gdbserver at ${opts.host}:${opts.port} (GDB remote protocol)`,
    `halt the target; 'monitor reset halt' where the server has it`,
    ...image.ranges.map((r) => `write ${r.bytes.length} bytes at ${hex32(r.address)}-${hex32(r.address + r.bytes.length - 1)} (vFlash* for flash regions of the server's memory map, else X/M)`),
    opts.verify ? `verify: read back all ${image.ranges.length} range(s) and compare` : 'no verify (--no-verify)',
    `reset and run: 'monitor reset run', or SP/PC from the vector table at ${hex32(board.flash.origin)}${reset !== undefined ? ` (reset handler ${hex32(reset)})` : ''} then continue`,
  ];
}

/** Runs a monitor command; false when the server has no monitor or refused that command. */
async function tryMonitor(client: GdbRemoteClient, command: string): Promise<boolean> {
  try {
    const output = await client.monitor(command);
    return output !== undefined && !MONITOR_REFUSED.test(output);
  } catch {
    return false; // an Exx reply: the server knows no such command
  }
}

/** The parts of a range inside flash regions of the memory map, and the parts outside. */
export function splitByFlash(range: FlashRange, flash: readonly MemoryMapRegion[]): { inFlash: FlashRange[]; outside: FlashRange[] } {
  const inFlash: FlashRange[] = [];
  const outside: FlashRange[] = [];
  const end = range.address + range.bytes.length;
  let at = range.address;
  while (at < end) {
    const region = flash.find((r) => at >= r.start && at < r.start + r.length);
    const stop = region !== undefined
      ? Math.min(end, region.start + region.length)
      : Math.min(end, ...flash.filter((r) => r.start > at).map((r) => r.start));
    const piece = { address: at, bytes: range.bytes.subarray(at - range.address, stop - range.address) };
    (region !== undefined ? inFlash : outside).push(piece);
    at = stop;
  }
  return { inFlash, outside };
}

/** Erases the blocks the pieces touch (whole erase blocks), then writes them. */
async function programFlash(client: GdbRemoteClient, pieces: readonly FlashRange[], flash: readonly MemoryMapRegion[], log: (line: string) => void): Promise<void> {
  for (const piece of pieces) {
    const region = flash.find((r) => piece.address >= r.start && piece.address < r.start + r.length)!;
    const block = region.blockSize ?? region.length;
    const eraseStart = region.start + Math.floor((piece.address - region.start) / block) * block;
    const eraseEnd = Math.min(region.start + region.length, region.start + Math.ceil((piece.address + piece.bytes.length - region.start) / block) * block);
    log(`erasing ${hex32(eraseStart)}-${hex32(eraseEnd - 1)}, programming ${piece.bytes.length} bytes at ${hex32(piece.address)}`);
    await client.flashErase(eraseStart, eraseEnd - eraseStart);
    await client.flashWrite(piece.address, piece.bytes);
  }
}

async function verifyRange(client: GdbRemoteClient, range: FlashRange): Promise<void> {
  const actual = await client.readMemory(range.address, range.bytes.length).catch((e: unknown) => {
    throw e instanceof UserError ? flashError(`verify failed: ${e.detail}`, client.where, e.hint ?? WRITABLE_HINT) : e;
  });
  const at = range.bytes.findIndex((b, i) => actual[i] !== b);
  if (at < 0) return;
  const byte = (b: number): string => `0x${b.toString(16).padStart(2, '0')}`;
  throw flashError(
    `verify failed at ${hex32(range.address + at)}: expected ${byte(range.bytes[at]!)}, read ${byte(actual[at]!)} (range ${hex32(range.address)}-${hex32(range.address + range.bytes.length - 1)})`,
    client.where,
    WRITABLE_HINT,
  );
}

/** A Cortex-M reset by hand: SP and PC from the vector table, Thumb state, continue. */
async function resetFromVectorTable(client: GdbRemoteClient, image: FlashImage, board: Board, log: (line: string) => void): Promise<void> {
  const table = board.flash.origin;
  const fromTarget = async (address: number): Promise<number> => {
    const bytes = await client.readMemory(address, 4);
    return new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0, true);
  };
  const sp = imageWord(image, table) ?? (await fromTarget(table));
  const pc = imageWord(image, table + 4) ?? (await fromTarget(table + 4));
  const registers = await targetRegisters(client);
  const number = (name: string): number => registers.get(name) ?? CLASSIC_ARM_REGISTERS.get(name)!;
  log(`reset: sp = ${hex32(sp)}, pc = ${hex32(pc & ~1)} (vector table at ${hex32(table)})`);
  await client.writeRegister(number('sp'), sp, 'sp');
  await client.writeRegister(number('pc'), pc & ~1, 'pc');
  await client.writeRegister(number('xpsr'), XPSR_THUMB, 'xpsr');
  await client.resume();
  await new Promise((resolve) => setTimeout(resolve, RESUME_GRACE_MS));
}

/** Register numbers from the server's target description, or GDB's classic ARM numbering. */
async function targetRegisters(client: GdbRemoteClient): Promise<RegisterNumbers> {
  if (!client.supports('qXfer:features:read')) return CLASSIC_ARM_REGISTERS;
  const root = await client.readXfer('features', 'target.xml');
  const numbers = await registerNumbers(root, (annex) => client.readXfer('features', annex));
  return ['sp', 'pc', 'xpsr'].every((n) => numbers.has(n)) ? numbers : CLASSIC_ARM_REGISTERS;
}
