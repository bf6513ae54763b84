// A flash interrupted half-way, through the real `mcu-aot flash` command against the fake
// gdbserver: a server that acknowledges every write but keeps only the first half is caught
// by verify, which names the first address that differs; a server that drops the
// connection mid-write is one clear error line. Both exit 1, name the firmware and the
// board, and never reset the half-written board into running. The firmware is a real build
// of examples/hello.wat, run by bin/mcu-aot.js over dist/ (npm run build).

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadBoard } from '../../src/driver/board.js';
import { build } from '../../src/driver/build.js';
import { readFlashImage, totalBytes, type FlashImage } from '../../src/flash/flash-image.js';
import { runCli } from '../support/cli.js';
import { startFakeServer, type FakeServer, type FakeServerOptions } from './fake-gdbserver.js';

const HELLO = new URL('../../examples/hello.wat', import.meta.url).pathname;
const board = loadBoard('lm3s6965');
const dir = mkdtempSync(join(tmpdir(), 'mcu-aot-flash-cut-'));
let elf = '';
let image: FlashImage;

beforeAll(async () => {
  elf = join(dir, 'hello.elf');
  await build({ input: HELLO, board, output: elf, emit: 'elf', log: () => undefined });
  image = readFlashImage(elf);
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function flashThrough(opts: FakeServerOptions): Promise<{ exitCode: number; stderr: string; server: FakeServer }> {
  server = await startFakeServer({ binaryWrites: true, packetSize: 0x100, ...opts });
  const result = await runCli(['flash', elf, '--board', board.name, '--port', `127.0.0.1:${server.port}`, '--timeout', '2'], { cwd: dir });
  return { ...result, server };
}

/** The error lines of stderr (the progress log before them says what was being written). */
const errorLines = (stderr: string): string[] => stderr.split('\n').filter((l) => l.startsWith('error['));

const hex32 = (n: number): string => `0x${n.toString(16).padStart(8, '0')}`;

describe('an interrupted flash', () => {
  it('is caught by verify when the probe acknowledged writes it did not store', async () => {
    const half = Math.floor(totalBytes(image) / 2);
    const { exitCode, stderr, server: s } = await flashThrough({ storeOnlyFirstBytes: half });
    expect(exitCode).toBe(1);
    // The writes go range by range, in order: the bytes past the first `half` were dropped,
    // and read back as 0, so the first bad address is the first nonzero byte after those.
    const written = image.ranges.flatMap((r) => Array.from(r.bytes, (byte, i) => ({ address: r.address + i, byte })));
    const firstBad = written.slice(half).find((w) => w.byte !== 0)!;
    const lines = errorLines(stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^error\\[flash\\]: cannot flash the board: verify failed at ${hex32(firstBad.address)}: expected 0x[0-9a-f]{2}, read 0x00 `));
    expect(lines[0]).toContain(`board '${board.name}'`);
    expect(lines[0]).toContain(`in ${elf}`);
    expect(s.events).not.toContain('continue'); // the half-written board is not started
    expect(s.registers.size).toBe(0);
  });

  it('is one clear error when the connection drops mid-write', async () => {
    const { exitCode, stderr, server: s } = await flashThrough({ hangUpOnWrite: 3 });
    expect(exitCode).toBe(1);
    const lines = errorLines(stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^error\[flash\]: cannot flash the board: write of \d+ bytes at 0x[0-9a-f]{8}: the server closed the connection/);
    expect(lines[0]).toContain(`gdbserver 127.0.0.1:${s.port}, board '${board.name}'`);
    expect(lines[0]).toContain(`in ${elf}`);
    expect(stderr).not.toMatch(/\bat .*\.(js|ts):\d+/); // no stack trace
    expect(s.events).not.toContain('continue');
  });

  it('flashes and verifies the same firmware through an honest server (the control)', async () => {
    const { exitCode, server: s } = await flashThrough({});
    expect(exitCode).toBe(0);
    for (const r of image.ranges) {
      expect(Array.from(r.bytes, (_, i) => s.memory.get(r.address + i) ?? -1)).toEqual(Array.from(r.bytes));
    }
    expect(s.events).toContain('continue');
  });
});
