// `mcu-aot flash`: write firmware to a board through a debug probe. An .elf is flashed as it
// is; a module (.wasm, .wat, .c, .ts) is built first, exactly as `mcu-aot build` would, into
// a temporary folder. The method is the board's (`[flash] method`) unless --method says
// otherwise; --port names a gdbserver, so it implies the gdb method. Firmware for another
// board is refused before anything is touched (src/driver/firmware-board.ts).

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { UserError, userError } from '../diagnostics/errors.js';
import { build, type BuildOptions } from '../driver/build.js';
import { readFirmwareForBoard } from '../driver/firmware-board.js';
import { describeGdbFlash, flashOverGdb, type ResetMethod } from './gdb-flash.js';
import { readFlashImage, totalBytes } from './flash-image.js';
import { flashWithOpenOcd, formatCommandLine, openOcdArgs } from './openocd.js';

export type FlashMethod = 'gdb' | 'openocd';

export interface FlashOptions extends Omit<BuildOptions, 'emit' | 'output'> {
  readonly method?: FlashMethod;
  /** `host:port` or `port` of the gdbserver (gdb method). */
  readonly port?: string;
  /** OpenOCD debug adapter config (openocd method), overriding the board's. */
  readonly interface?: string;
  readonly dryRun: boolean;
  readonly verify: boolean;
  /** Deadline of each gdbserver request, in milliseconds. */
  readonly timeoutMs: number;
  /** What --dry-run prints (stdout in the CLI). */
  readonly print: (line: string) => void;
}

export interface FlashOutcome {
  readonly method: FlashMethod;
  readonly elf: string;
  readonly dryRun: boolean;
  readonly bytesWritten?: number;
  readonly reset?: ResetMethod;
}

/** Where a gdbserver listens when --port is not given: OpenOCD's and pyOCD's default. */
export const DEFAULT_GDB_PORT = 3333;
export const DEFAULT_GDB_HOST = 'localhost';

export async function flash(opts: FlashOptions): Promise<FlashOutcome> {
  if (extname(opts.input) === '.elf') return flashElf(opts.input, opts);
  const dir = mkdtempSync(join(tmpdir(), 'mcu-aot-flash-'));
  try {
    const { outputs } = await build({ ...opts, emit: 'elf', output: join(dir, 'app.elf') });
    return await flashElf(outputs[0]!, opts);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** --method, else gdb when --port names a gdbserver, else the board's method. */
export function chooseMethod(opts: Pick<FlashOptions, 'method' | 'port' | 'board'>): FlashMethod {
  return opts.method ?? (opts.port !== undefined ? 'gdb' : opts.board.flashMethod.method);
}

/** `host:port`, `:port` or `port` → host and port number. */
export function parseGdbAddress(text: string | undefined): { host: string; port: number } {
  if (text === undefined) return { host: DEFAULT_GDB_HOST, port: DEFAULT_GDB_PORT };
  const m = /^(?:(\[[^\]]+\]|[^:]*):)?(\d+)$/.exec(text.trim());
  const port = m !== null ? Number(m[2]) : NaN;
  if (m === null || port < 1 || port > 65535) {
    throw userError('usage', `'${text}' is not a gdbserver address`, {}, 'pass --port host:port or --port port, e.g. --port localhost:3333');
  }
  const host = (m[1] ?? '').replace(/^\[|\]$/g, '');
  return { host: host === '' ? DEFAULT_GDB_HOST : host, port };
}

async function flashElf(elf: string, opts: FlashOptions): Promise<FlashOutcome> {
  readFirmwareForBoard(elf, opts.board);
  const method = chooseMethod(opts);
  if (method === 'openocd') {
    const openocd = { verify: opts.verify, ...(opts.interface !== undefined ? { interface: opts.interface } : {}) };
    if (opts.dryRun) {
      opts.print(formatCommandLine(openOcdArgs(elf, opts.board, openocd)));
      return { method, elf, dryRun: true };
    }
    readFlashImage(elf); // a broken ELF is our error to report, not OpenOCD's
    await flashWithOpenOcd(elf, opts.board, { ...openocd, log: opts.log });
    return { method, elf, dryRun: false };
  }

  const { host, port } = parseGdbAddress(opts.port);
  const image = readFlashImage(elf);
  if (opts.dryRun) {
    for (const line of describeGdbFlash(image, opts.board, { host, port, verify: opts.verify })) opts.print(line);
    return { method, elf, dryRun: true };
  }
  const result = await flashOverGdb(image, opts.board, { host, port, verify: opts.verify, timeoutMs: opts.timeoutMs, log: opts.log })
    .catch((e: unknown) => {
      throw naming(e, elf, opts.board);
    });
  opts.log(`flashed ${totalBytes(image)} bytes to ${opts.board.name} over ${host}:${port}${result.verified ? ', verified' : ''}, reset (${result.reset === 'monitor' ? 'monitor reset run' : 'vector table'}) and running`);
  return { method, elf, dryRun: false, bytesWritten: result.bytesWritten, reset: result.reset };
}

/** A flash failure that names the firmware and the board besides the gdbserver: after an
 *  interrupted write the board holds part of that firmware, and the user flashes it again. */
function naming(e: unknown, elf: string, board: FlashOptions['board']): unknown {
  if (!(e instanceof UserError) || e.code !== 'flash') return e;
  const context = [e.where.context, `board '${board.name}'`].filter((c) => c !== undefined).join(', ');
  return userError('flash', e.detail, { ...e.where, file: elf, context }, e.hint);
}
