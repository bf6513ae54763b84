// A tiny gdbserver for tests: a node:net server speaking just enough of the Remote Serial
// Protocol (acks, qSupported, QStartNoAckMode, ?, m, M, X, P, qRcmd, qXfer, vFlash*, c, D)
// over a sparse memory, with knobs to misbehave: corrupt a byte on read-back, hang up after
// some writes, store only part of what it acknowledged, answer Exx, stay silent, reject the
// first packet with `-`.
// Its framing is written here independently of src/flash/rsp-framing.ts, so that a bug in
// one is not mirrored by the other.

import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';

export interface FakeServerOptions {
  /** Hex PacketSize sent in qSupported. */
  packetSize?: number;
  noAckMode?: boolean;
  /** Accept X packets (else answer X with the empty "unsupported" reply). */
  binaryWrites?: boolean;
  /** A flash region in qXfer:memory-map:read, with its erase block size. */
  flash?: { start: number; length: number; blockSize: number };
  /** Reading this address returns the stored byte XOR 0xff. */
  corruptReadAt?: number;
  /** Close the connection on this (1-based) memory-write packet instead of answering. */
  hangUpOnWrite?: number;
  /** Acknowledge every write, but store only the first this-many bytes written (a flash
   *  that silently stopped taking data half-way). */
  storeOnlyFirstBytes?: number;
  /** Answer E0e to a write covering this address. */
  errorOnWriteAt?: number;
  /** Never answer packets starting with this. */
  silentOn?: string;
  /** Send `-` for the first packet once, to force a resend. */
  nakFirstPacket?: boolean;
  /** Monitor commands answer OK with this console text (undefined: qRcmd unsupported). */
  monitorOutput?: string;
  /** Target description documents by annex (target.xml and its includes). */
  features?: Record<string, string>;
}

export interface FakeServer {
  readonly port: number;
  /** Raw payloads received, in order (after un-framing, before unescaping). */
  readonly packets: Buffer[];
  readonly memory: Map<number, number>;
  readonly registers: Map<number, number>;
  readonly monitorCommands: string[];
  /** Flash erases as [start, length]. */
  readonly erases: Array<[number, number]>;
  readonly events: string[];
  close(): Promise<void>;
}

const sum = (b: Buffer): string => (b.reduce((s, x) => (s + x) & 0xff, 0)).toString(16).padStart(2, '0');

function unescape(b: Buffer): Buffer {
  const out: number[] = [];
  for (let i = 0; i < b.length; i++) out.push(b[i] === 0x7d ? b[++i]! ^ 0x20 : b[i]!);
  return Buffer.from(out);
}

export async function startFakeServer(opts: FakeServerOptions = {}): Promise<FakeServer> {
  const packets: Buffer[] = [];
  const memory = new Map<number, number>();
  const registers = new Map<number, number>();
  const monitorCommands: string[] = [];
  const erases: Array<[number, number]> = [];
  const events: string[] = [];
  const sockets = new Set<Socket>();
  let writes = 0;
  let bytesStored = 0;

  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let acking = true;
    let pending = Buffer.alloc(0);
    let nakked = false;
    const send = (payload: string | Buffer): void => {
      const body = typeof payload === 'string' ? Buffer.from(payload, 'latin1') : payload;
      socket.write(Buffer.concat([Buffer.from('$'), body, Buffer.from(`#${sum(body)}`)]));
    };
    socket.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      for (;;) {
        const start = pending.indexOf(0x24);
        const hash = start < 0 ? -1 : pending.indexOf(0x23, start);
        if (start < 0 || hash < 0 || hash + 2 >= pending.length) return;
        const body = pending.subarray(start + 1, hash);
        const cs = pending.subarray(hash + 1, hash + 3).toString('latin1');
        pending = pending.subarray(hash + 3);
        if (cs !== sum(body)) {
          socket.write('-');
          continue;
        }
        if (opts.nakFirstPacket === true && !nakked) {
          nakked = true;
          socket.write('-');
          continue;
        }
        if (acking) socket.write('+');
        packets.push(Buffer.from(body));
        const reply = answer(Buffer.from(body));
        if (reply === 'hang-up') {
          socket.destroy();
          return;
        }
        if (reply === 'no-ack-mode') {
          send('OK');
          acking = false;
          continue;
        }
        if (Array.isArray(reply)) reply.forEach(send);
        else if (reply !== undefined) send(reply);
      }
    });
  });

  const readMemory = (addr: number, len: number): string => {
    let hex = '';
    for (let i = 0; i < len; i++) {
      const b = memory.get(addr + i) ?? 0;
      hex += (addr + i === opts.corruptReadAt ? b ^ 0xff : b).toString(16).padStart(2, '0');
    }
    return hex;
  };

  const store = (addr: number, data: Buffer): string | 'hang-up' => {
    writes++;
    if (writes === opts.hangUpOnWrite) return 'hang-up';
    if (opts.errorOnWriteAt !== undefined && opts.errorOnWriteAt >= addr && opts.errorOnWriteAt < addr + data.length) return 'E0e';
    const room = Math.max(0, (opts.storeOnlyFirstBytes ?? Infinity) - bytesStored);
    data.subarray(0, room).forEach((b, i) => memory.set(addr + i, b));
    bytesStored += Math.min(room, data.length);
    return 'OK';
  };

  const xfer = (object: string, annex: string, offset: number, length: number): string => {
    let doc: string | undefined;
    if (object === 'memory-map' && opts.flash !== undefined) {
      const f = opts.flash;
      doc = `<?xml version="1.0"?>\n<memory-map>\n  <memory type="ram" start="0x20000000" length="0x10000"/>\n` +
        `  <memory type="flash" start="0x${f.start.toString(16)}" length="0x${f.length.toString(16)}">\n` +
        `    <property name="blocksize">0x${f.blockSize.toString(16)}</property>\n  </memory>\n</memory-map>\n`;
    } else if (object === 'features') {
      doc = opts.features?.[annex];
    }
    if (doc === undefined) return 'E00';
    const piece = doc.slice(offset, offset + length);
    return (offset + length >= doc.length ? 'l' : 'm') + piece;
  };

  function answer(body: Buffer): string | string[] | undefined | 'hang-up' | 'no-ack-mode' {
    const text = body.toString('latin1');
    if (opts.silentOn !== undefined && text.startsWith(opts.silentOn)) return undefined;
    if (text.startsWith('qSupported')) {
      const features = [`PacketSize=${(opts.packetSize ?? 0x100).toString(16)}`];
      if (opts.noAckMode === true) features.push('QStartNoAckMode+');
      if (opts.flash !== undefined) features.push('qXfer:memory-map:read+');
      if (opts.features !== undefined) features.push('qXfer:features:read+');
      return features.join(';');
    }
    if (text === 'QStartNoAckMode') return 'no-ack-mode';
    if (text === '?') return 'S05';
    let m = /^m([0-9a-f]+),([0-9a-f]+)$/.exec(text);
    if (m !== null) return readMemory(parseInt(m[1]!, 16), parseInt(m[2]!, 16));
    m = /^M([0-9a-f]+),([0-9a-f]+):([0-9a-f]*)$/.exec(text);
    if (m !== null) return store(parseInt(m[1]!, 16), Buffer.from(m[3]!, 'hex'));
    if (text.startsWith('X')) {
      if (opts.binaryWrites !== true) return '';
      const colon = body.indexOf(0x3a);
      const [addr, len] = text.slice(1, colon).split(',').map((v) => parseInt(v, 16));
      if (len === 0) return 'OK';
      const data = unescape(body.subarray(colon + 1));
      if (data.length !== len) return 'E01';
      return store(addr!, data);
    }
    m = /^P([0-9a-f]+)=([0-9a-f]{8})$/.exec(text);
    if (m !== null) {
      registers.set(parseInt(m[1]!, 16), Buffer.from(m[2]!, 'hex').readUInt32LE(0));
      return 'OK';
    }
    if (text.startsWith('qRcmd,')) {
      if (opts.monitorOutput === undefined) return '';
      monitorCommands.push(Buffer.from(text.slice(6), 'hex').toString('latin1'));
      // console output first, as O packets, then OK
      return [`O${Buffer.from(opts.monitorOutput).toString('hex')}`, 'OK'];
    }
    m = /^qXfer:([a-z-]+):read:([^:]*):([0-9a-f]+),([0-9a-f]+)$/.exec(text);
    if (m !== null) return xfer(m[1]!, m[2]!, parseInt(m[3]!, 16), parseInt(m[4]!, 16));
    m = /^vFlashErase:([0-9a-f]+),([0-9a-f]+)$/.exec(text);
    if (m !== null) {
      erases.push([parseInt(m[1]!, 16), parseInt(m[2]!, 16)]);
      return 'OK';
    }
    if (text.startsWith('vFlashWrite:')) {
      const colon = body.indexOf(0x3a, 'vFlashWrite:'.length);
      const addr = parseInt(text.slice('vFlashWrite:'.length, colon), 16);
      return store(addr, unescape(body.subarray(colon + 1)));
    }
    if (text === 'vFlashDone') {
      events.push('vFlashDone');
      return 'OK';
    }
    if (text === 'c') {
      events.push('continue');
      return undefined;
    }
    if (text === 'D') return 'OK';
    return '';
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port, packets, memory, registers, monitorCommands, erases, events,
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}
