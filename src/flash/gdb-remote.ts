// A client of the GDB Remote Serial Protocol over TCP: what `mcu-aot flash` needs to load
// firmware through any gdbserver (QEMU's gdbstub, OpenOCD, pyOCD, J-Link, Black Magic
// Probe). Requests are strictly one at a time: send a packet, wait for its `+` while the
// connection acknowledges, wait for the reply. Every wait has a deadline, and every failure
// (an `Exx` reply, a refused connection, a timeout, the server hanging up) is a UserError
// that names the operation and the address it was about.

import { connect, type Socket } from 'node:net';
import { userError, type UserError } from '../diagnostics/errors.js';
import {
  ascii,
  decodeReply,
  escapeBinary,
  escapedLength,
  FrameReader,
  framePacket,
  fromHex,
  latin1,
  toHex,
  u32LittleEndianHex,
  type Frame,
} from './rsp-framing.js';

export interface GdbRemoteOptions {
  readonly host: string;
  readonly port: number;
  /** Deadline of one request (and of connecting), in milliseconds. */
  readonly timeoutMs: number;
}

/** When the server states no PacketSize: the size GDB itself assumes. */
const DEFAULT_PACKET_SIZE = 400;
/** Room in a packet for `$`, the command letters, address, length, `:` and `#cs`. */
const PACKET_OVERHEAD = 40;
/** Erasing and finishing flash writes take the probe seconds per sector: allow for it. */
const SLOW_OPERATION_FACTOR = 12;
const MAX_RESENDS = 3;

/** What a server answers to qSupported, e.g. PacketSize=1000, qXfer:memory-map:read+. */
export type ServerFeatures = ReadonlyMap<string, string>;

export class GdbRemoteClient {
  private readonly reader = new FrameReader();
  private readonly frames: Frame[] = [];
  private wake: (() => void) | undefined;
  private closedBecause: string | undefined;
  private acknowledging = true;
  private binaryWrites: boolean | undefined;
  features: ServerFeatures = new Map();
  packetSize = DEFAULT_PACKET_SIZE;

  private constructor(
    private readonly socket: Socket,
    readonly options: GdbRemoteOptions,
  ) {
    socket.on('data', (chunk: Buffer) => {
      for (const frame of this.reader.push(chunk)) this.receive(frame);
    });
    socket.on('close', () => this.hangUp('the server closed the connection'));
    socket.on('error', (e) => this.hangUp(`connection error: ${e.message}`));
  }

  /** Connects to host:port; a refused or silent server is a UserError. */
  static connect(options: GdbRemoteOptions): Promise<GdbRemoteClient> {
    const where = `${options.host}:${options.port}`;
    return new Promise((resolve, reject) => {
      const socket = connect({ host: options.host, port: options.port });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(flashError(`cannot connect: no answer within ${options.timeoutMs} ms`, where));
      }, options.timeoutMs);
      socket.once('error', (e: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        const why = e.code === 'ECONNREFUSED' ? 'connection refused' : e.message;
        reject(flashError(`cannot connect: ${why}`, where, 'start the gdbserver first (qemu-system-arm -S -gdb tcp::3333, openocd, pyocd gdbserver, JLinkGDBServer) and pass its --port'));
      });
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.setNoDelay(true);
        resolve(new GdbRemoteClient(socket, options));
      });
    });
  }

  get where(): string {
    return `${this.options.host}:${this.options.port}`;
  }

  /** qSupported (PacketSize, features), then QStartNoAckMode when the server offers it. */
  async handshake(): Promise<void> {
    const reply = latin1(await this.request('qSupported:multiprocess-;swbreak+;hwbreak+;qRelocInsn-;xmlRegisters=arm', 'qSupported'));
    const features = new Map<string, string>();
    for (const item of reply.split(';')) {
      const eq = item.indexOf('=');
      if (eq >= 0) features.set(item.slice(0, eq), item.slice(eq + 1));
      else if (item.endsWith('+') || item.endsWith('-')) features.set(item.slice(0, -1), item.slice(-1));
    }
    this.features = features;
    const size = Number.parseInt(features.get('PacketSize') ?? '', 16);
    if (Number.isFinite(size) && size > PACKET_OVERHEAD * 2) this.packetSize = size;
    if (this.supports('QStartNoAckMode')) {
      this.expectOk(await this.request('QStartNoAckMode', 'QStartNoAckMode'), 'QStartNoAckMode');
      this.acknowledging = false;
    }
  }

  supports(feature: string): boolean {
    return this.features.get(feature) === '+';
  }

  /** Why the target last stopped (`?`): also makes sure it is halted, as all-stop servers are on attach. */
  async haltReason(): Promise<string> {
    return latin1(await this.request('?', 'halt query (?)'));
  }

  async readMemory(address: number, length: number): Promise<Uint8Array> {
    const out = new Uint8Array(length);
    const chunk = Math.max(1, Math.floor((this.packetSize - PACKET_OVERHEAD) / 2));
    let done = 0;
    while (done < length) {
      const at = address + done;
      const want = Math.min(chunk, length - done);
      const what = `read of ${want} bytes at ${hex32(at)}`;
      const reply = latin1(await this.request(`m${at.toString(16)},${want.toString(16)}`, what));
      this.failOnError(reply, what);
      const bytes = fromHex(reply);
      if (bytes === undefined || bytes.length === 0 || bytes.length > want) throw flashError(`${what}: unexpected reply '${reply.slice(0, 40)}'`, this.where);
      out.set(bytes, done);
      done += bytes.length;
    }
    return out;
  }

  /** Writes with `X` (binary) where the server takes it, else `M` (hex), in PacketSize chunks. */
  async writeMemory(address: number, data: Uint8Array, onProgress?: (written: number) => void): Promise<void> {
    const binary = await this.probeBinaryWrites(address);
    let done = 0;
    while (done < data.length) {
      const at = address + done;
      const count = binary ? this.binaryChunk(data, done) : Math.min(Math.floor((this.packetSize - PACKET_OVERHEAD) / 2), data.length - done);
      const piece = data.subarray(done, done + count);
      const what = `write of ${count} bytes at ${hex32(at)}`;
      const header = `${binary ? 'X' : 'M'}${at.toString(16)},${count.toString(16)}:`;
      const payload = binary ? concat(ascii(header), escapeBinary(piece)) : ascii(header + toHex(piece));
      this.expectOk(await this.request(payload, what), what);
      done += count;
      onProgress?.(done);
    }
  }

  /** Erases whole flash blocks through the server's flash driver. */
  async flashErase(address: number, length: number): Promise<void> {
    const what = `flash erase of ${length} bytes at ${hex32(address)}`;
    this.expectOk(await this.request(`vFlashErase:${address.toString(16)},${length.toString(16)}`, what, this.slowTimeout()), what);
  }

  /** Sends flash contents; the server may buffer them until `flashDone`. */
  async flashWrite(address: number, data: Uint8Array, onProgress?: (written: number) => void): Promise<void> {
    let done = 0;
    while (done < data.length) {
      const at = address + done;
      const count = this.binaryChunk(data, done);
      const what = `flash write of ${count} bytes at ${hex32(at)}`;
      const payload = concat(ascii(`vFlashWrite:${at.toString(16)}:`), escapeBinary(data.subarray(done, done + count)));
      this.expectOk(await this.request(payload, what, this.slowTimeout()), what);
      done += count;
      onProgress?.(done);
    }
  }

  async flashDone(): Promise<void> {
    this.expectOk(await this.request('vFlashDone', 'flash programming (vFlashDone)', this.slowTimeout()), 'flash programming (vFlashDone)');
  }

  /** Reads a whole `qXfer` object (memory-map, features) in PacketSize pieces. */
  async readXfer(object: string, annex: string): Promise<string> {
    let text = '';
    const piece = Math.max(64, this.packetSize - PACKET_OVERHEAD);
    for (;;) {
      const what = `qXfer:${object}:read:${annex}`;
      const reply = await this.request(`qXfer:${object}:read:${annex}:${text.length.toString(16)},${piece.toString(16)}`, what);
      const head = String.fromCharCode(reply[0] ?? 0);
      if (head !== 'm' && head !== 'l') throw flashError(`${what}: unexpected reply '${latin1(reply).slice(0, 40)}'`, this.where);
      text += latin1(decodeReply(reply.subarray(1)));
      if (head === 'l') return text;
    }
  }

  /** Sets one register with `P` (number and value as the target's little-endian hex). */
  async writeRegister(number: number, value: number, name: string): Promise<void> {
    const what = `write of register ${name} (${number}) = ${hex32(value)}`;
    this.expectOk(await this.request(`P${number.toString(16)}=${u32LittleEndianHex(value)}`, what), what);
  }

  /**
   * A `monitor` command (qRcmd): the console text the server printed, or undefined when the
   * server has no monitor commands at all (an empty reply).
   */
  async monitor(command: string): Promise<string | undefined> {
    const what = `monitor ${command}`;
    let output = '';
    let reply = latin1(await this.request(`qRcmd,${toHex(ascii(command))}`, what, this.slowTimeout()));
    for (;;) {
      if (reply === '') return undefined;
      if (reply === 'OK') return output;
      if (reply.startsWith('O') && reply !== 'OK') {
        output += latin1(fromHex(reply.slice(1)) ?? new Uint8Array(0));
      } else {
        this.failOnError(reply, what);
        output += latin1(fromHex(reply) ?? ascii(reply)); // some servers answer with the text itself
        return output;
      }
      reply = latin1(await this.nextPacket(what, this.slowTimeout()));
    }
  }

  /** Resumes the target (`c`). Its stop reply, if any ever comes, is not awaited. */
  async resume(): Promise<void> {
    await this.transmit(ascii('c'), 'continue (c)');
  }

  /** Detaches (`D`): the server resumes the target and drops the session. */
  async detach(): Promise<void> {
    const reply = latin1(await this.request('D', 'detach (D)'));
    this.failOnError(reply, 'detach (D)');
  }

  close(): void {
    this.closedBecause ??= 'closed by mcu-aot';
    this.socket.end();
    this.socket.destroy();
  }

  /** Sends a packet and returns its reply's payload (escapes and run-lengths undone). */
  async request(payload: string | Uint8Array, what: string, timeoutMs = this.options.timeoutMs): Promise<Uint8Array> {
    await this.transmit(typeof payload === 'string' ? ascii(payload) : payload, what, timeoutMs);
    return decodeReply(await this.nextPacket(what, timeoutMs));
  }

  private async transmit(payload: Uint8Array, what: string, timeoutMs = this.options.timeoutMs): Promise<void> {
    const packet = framePacket(payload);
    for (let attempt = 0; ; attempt++) {
      if (this.closedBecause !== undefined) throw flashError(`${what}: ${this.closedBecause}`, this.where);
      this.socket.write(packet);
      if (!this.acknowledging) return;
      const frame = await this.nextFrame(what, timeoutMs, (f) => f.kind === 'ack' || f.kind === 'nak');
      if (frame.kind === 'ack') return;
      if (attempt + 1 >= MAX_RESENDS) throw flashError(`${what}: the server rejected the packet ${MAX_RESENDS} times (bad checksum on the line?)`, this.where);
    }
  }

  private async nextPacket(what: string, timeoutMs: number): Promise<Uint8Array> {
    const frame = await this.nextFrame(what, timeoutMs, (f) => f.kind === 'packet');
    return frame.kind === 'packet' ? frame.payload : new Uint8Array(0);
  }

  /** Waits for the next frame that `wanted` accepts; others (stray acks) are dropped. */
  private async nextFrame(what: string, timeoutMs: number, wanted: (f: Frame) => boolean): Promise<Frame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const frame = this.frames.shift();
      if (frame !== undefined) {
        if (wanted(frame)) return frame;
        continue;
      }
      if (this.closedBecause !== undefined) throw flashError(`${what}: ${this.closedBecause} before it answered`, this.where);
      const left = deadline - Date.now();
      if (left <= 0) throw flashError(`${what}: no answer within ${timeoutMs} ms`, this.where, 'is the probe connected and the target powered? raise --timeout for slow probes');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }

  private receive(frame: Frame): void {
    if (frame.kind === 'packet' && this.acknowledging) {
      this.socket.write(ascii(frame.checksumOk ? '+' : '-'));
      if (!frame.checksumOk) return; // the server sends it again
    }
    this.frames.push(frame);
    this.wake?.();
  }

  private hangUp(reason: string): void {
    this.closedBecause ??= reason;
    this.wake?.();
  }

  /** The first write asks the server with an empty `X` whether it takes binary writes (as GDB does). */
  private async probeBinaryWrites(address: number): Promise<boolean> {
    if (this.binaryWrites === undefined) {
      const reply = latin1(await this.request(`X${address.toString(16)},0:`, `binary write probe at ${hex32(address)}`));
      this.binaryWrites = reply === 'OK';
    }
    return this.binaryWrites;
  }

  /** How many bytes from `from` fit one binary packet once escaped. */
  private binaryChunk(data: Uint8Array, from: number): number {
    const budget = this.packetSize - PACKET_OVERHEAD;
    let count = Math.min(budget, data.length - from);
    while (count > 1 && escapedLength(data, from, count) > budget) count = Math.max(1, Math.floor(count * 0.9));
    return count;
  }

  private slowTimeout(): number {
    return this.options.timeoutMs * SLOW_OPERATION_FACTOR;
  }

  private expectOk(reply: Uint8Array, what: string): void {
    const text = latin1(reply);
    this.failOnError(text, what);
    if (text === '') throw flashError(`${what}: the server does not support this request`, this.where);
    if (text !== 'OK') throw flashError(`${what}: unexpected reply '${text.slice(0, 40)}'`, this.where);
  }

  private failOnError(reply: string, what: string): void {
    if (/^E[0-9a-fA-F]{2}$/.test(reply) || reply.startsWith('E.')) {
      throw flashError(`${what}: the server answered error ${reply}`, this.where);
    }
  }
}

export function flashError(detail: string, where: string, hint?: string): UserError {
  return userError('flash', detail, { context: `gdbserver ${where}` }, hint);
}

export const hex32 = (n: number): string => `0x${(n >>> 0).toString(16).padStart(8, '0')}`;

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
