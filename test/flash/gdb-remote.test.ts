// The gdb flash method against a fake gdbserver: acks and resends, no-ack mode, X escaping,
// chunking by PacketSize, M fallback, Exx errors, timeouts, a server that hangs up half-way,
// a verify mismatch, flash programming through the memory map, monitor reset.

import { afterEach, describe, expect, it } from 'vitest';
import { UserError } from '../../src/diagnostics/errors.js';
import { loadBoard } from '../../src/driver/board.js';
import { GdbRemoteClient } from '../../src/flash/gdb-remote.js';
import { flashOverGdb, splitByFlash } from '../../src/flash/gdb-flash.js';
import type { FlashImage } from '../../src/flash/flash-image.js';
import { startFakeServer, type FakeServer, type FakeServerOptions } from './fake-gdbserver.js';

const board = loadBoard('lm3s6965');
let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(opts: FakeServerOptions): Promise<FakeServer> {
  server = await startFakeServer(opts);
  return server;
}

/** Bytes 0..n-1 with the four RSP specials sprinkled in, so escaping matters. */
function pattern(n: number): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => [0x23, 0x24, 0x7d, 0x2a][i % 7] ?? (i * 37) & 0xff);
}

/** A firmware image: vector table (SP, reset handler | 1) then code bytes. */
function image(size = 1000): FlashImage {
  const bytes = pattern(size);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, 0x20002000, true);
  view.setUint32(4, 0x00000101, true);
  return { file: 'fw.elf', entry: 0x101, ranges: [{ address: 0, bytes }, { address: 0x20000000, bytes: pattern(64) }] };
}

const options = (port: number) => ({ host: '127.0.0.1', port, verify: true, timeoutMs: 1000, log: () => undefined });

async function flashError(promise: Promise<unknown>): Promise<UserError> {
  const e = await promise.then(() => undefined, (err: unknown) => err);
  expect(e).toBeInstanceOf(UserError);
  expect((e as UserError).code).toBe('flash');
  return e as UserError;
}

const memoryAt = (s: FakeServer, address: number, length: number): number[] =>
  Array.from({ length }, (_, i) => s.memory.get(address + i) ?? -1);

describe('gdb flash over the remote protocol', () => {
  it('writes with escaped X packets within PacketSize, verifies, resets from the vector table', async () => {
    const s = await serve({ binaryWrites: true, packetSize: 0x80, noAckMode: true });
    const img = image();
    const result = await flashOverGdb(img, board, options(s.port));
    expect(result).toMatchObject({ bytesWritten: 1064, verified: true, reset: 'vector-table' });
    expect(memoryAt(s, 0, 1000)).toEqual(Array.from(img.ranges[0]!.bytes));
    expect(memoryAt(s, 0x20000000, 64)).toEqual(Array.from(img.ranges[1]!.bytes));
    const writes = s.packets.filter((p) => p[0] === 0x58 /* X */ && !p.toString('latin1').includes(',0:'));
    expect(writes.length).toBeGreaterThan(8);
    for (const p of s.packets) expect(p.length + 4).toBeLessThanOrEqual(0x80); // $ # cs
    // the raw packets carry the escapes: '}' followed by '#' ^ 0x20
    expect(writes.some((p) => p.includes(Buffer.from([0x7d, 0x03])))).toBe(true);
    // SP and PC from words 0 and 1 (Thumb bit cleared), xPSR with T set: classic numbering
    expect(s.registers.get(13)).toBe(0x20002000);
    expect(s.registers.get(15)).toBe(0x100);
    expect(s.registers.get(25)).toBe(0x01000000);
    expect(s.events).toContain('continue');
    expect(s.packets.map((p) => p.toString('latin1'))).toContain('QStartNoAckMode');
  });

  it('falls back to hex M packets when X is not supported, keeping acks on', async () => {
    const s = await serve({ binaryWrites: false, packetSize: 0x100 });
    await flashOverGdb(image(300), board, options(s.port));
    const writes = s.packets.map((p) => p.toString('latin1')).filter((p) => p.startsWith('M'));
    expect(writes[0]).toMatch(/^M0,[0-9a-f]+:[0-9a-f]+$/);
    expect(writes.length).toBeGreaterThanOrEqual(3);
    expect(memoryAt(s, 0, 300)).toEqual(Array.from(image(300).ranges[0]!.bytes));
  });

  it('resends a packet the server rejected with -', async () => {
    const s = await serve({ nakFirstPacket: true });
    const client = await GdbRemoteClient.connect({ host: '127.0.0.1', port: s.port, timeoutMs: 1000 });
    try {
      await client.handshake();
      expect(client.packetSize).toBe(0x100);
      expect(s.packets[0]!.toString('latin1')).toMatch(/^qSupported/);
    } finally {
      client.close();
    }
  });

  it('reports a verify mismatch with the first differing address and both bytes', async () => {
    const s = await serve({ binaryWrites: true, corruptReadAt: 0x123 });
    const img = image();
    const e = await flashError(flashOverGdb(img, board, options(s.port)));
    const expected = img.ranges[0]!.bytes[0x123]!;
    const hex = (b: number): string => `0x${b.toString(16).padStart(2, '0')}`;
    expect(e.message).toContain(`verify failed at 0x00000123: expected ${hex(expected)}, read ${hex(expected ^ 0xff)}`);
    expect(s.events).not.toContain('continue');
  });

  it('names the address of a write the server answers with Exx', async () => {
    const s = await serve({ binaryWrites: true, packetSize: 0x100, errorOnWriteAt: 0x20000010 });
    const e = await flashError(flashOverGdb(image(), board, options(s.port)));
    expect(e.message).toMatch(/write of 64 bytes at 0x20000000: the server answered error E0e/);
  });

  it('reports a server that hangs up half-way through the writes', async () => {
    const s = await serve({ binaryWrites: true, packetSize: 0x80, hangUpOnWrite: 4 });
    const e = await flashError(flashOverGdb(image(), board, options(s.port)));
    expect(e.message).toMatch(/write of \d+ bytes at 0x000000[0-9a-f]{2}: the server closed the connection/);
  });

  it('times out on a server that never answers', async () => {
    const s = await serve({ silentOn: 'm' });
    const started = Date.now();
    const e = await flashError(flashOverGdb(image(100), board, { ...options(s.port), timeoutMs: 300 }));
    expect(e.message).toMatch(/read of \d+ bytes at 0x00000000: no answer within 300 ms/);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('reports a refused connection', async () => {
    const s = await serve({});
    const port = s.port;
    await s.close();
    server = undefined;
    const e = await flashError(flashOverGdb(image(), board, options(port)));
    expect(e.message).toContain('cannot connect: connection refused');
    expect(e.hint).toMatch(/gdbserver/);
  });

  it('programs flash regions of the memory map with vFlash*, and resets with the monitor', async () => {
    const s = await serve({
      binaryWrites: true, packetSize: 0x200, noAckMode: true,
      flash: { start: 0, length: 0x40000, blockSize: 0x400 },
      monitorOutput: 'target halted due to debug-request\n',
    });
    const img = image(0x500);
    const result = await flashOverGdb(img, board, options(s.port));
    expect(result).toMatchObject({ flashBytes: 0x500, reset: 'monitor' });
    expect(s.erases).toEqual([[0, 0x800]]); // whole 1 KiB blocks covering 0x500 bytes
    expect(s.events).toContain('vFlashDone');
    const kinds = s.packets.map((p) => p.toString('latin1').split(/[:,]/)[0]);
    expect(kinds).toContain('vFlashWrite');
    expect(kinds.filter((k) => k?.startsWith('X')).length).toBeGreaterThan(0); // the RAM range
    expect(s.monitorCommands).toEqual(['reset halt', 'reset run']);
    expect(s.registers.size).toBe(0);
    expect(memoryAt(s, 0, 0x500)).toEqual(Array.from(img.ranges[0]!.bytes));
  });

  it('takes register numbers from the target description', async () => {
    const s = await serve({
      features: { 'target.xml': '<target><feature name="org.gnu.gdb.arm.m-profile">' +
        Array.from({ length: 13 }, (_, i) => `<reg name="r${i}" bitsize="32"/>`).join('') +
        '<reg name="sp" bitsize="32"/><reg name="lr" bitsize="32"/><reg name="pc" bitsize="32"/><reg name="xPSR" bitsize="32"/></feature></target>' },
    });
    await flashOverGdb(image(64), board, options(s.port));
    expect(s.registers.get(16)).toBe(0x01000000); // OpenOCD/pyOCD number xPSR 16
    expect(s.registers.get(15)).toBe(0x100);
  });

  it('splits a range at the edges of flash regions', () => {
    const bytes = new Uint8Array(0x300);
    const { inFlash, outside } = splitByFlash({ address: 0x100, bytes }, [{ type: 'flash', start: 0x200, length: 0x100 }]);
    expect(inFlash.map((r) => [r.address, r.bytes.length])).toEqual([[0x200, 0x100]]);
    expect(outside.map((r) => [r.address, r.bytes.length])).toEqual([[0x100, 0x100], [0x300, 0x100]]);
  });
});
