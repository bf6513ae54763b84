// The console UARTs of our boards, modelled on what QEMU 7.2 does (the oracle), not on
// the datasheets alone:
// - PL011 (hw/char/pl011.c): every DR write goes out, enabled or not; the TX interrupt is
//   raised after each byte. Receiving: a 16-byte FIFO with LCR_H.FEN, else one byte; the
//   RX interrupt is raised when a byte lands in an empty FIFO (QEMU fixes the trigger level
//   at 1 and has no receive-timeout interrupt) and dropped when a DR read empties it.
// - CMSDK APB UART (hw/char/cmsdk-apb-uart.c): a DATA write sets STATE.TXFULL and goes out
//   only while CTRL.TX_EN is set; without it the byte stays in the buffer and TXFULL stays
//   set for good (a later CTRL write does not send it). Receiving: one byte, taken only
//   while CTRL.RX_EN is set and STATE.RXFULL clear; INTSTATUS.RX is set on arrival with
//   CTRL.RX_INTEN and stays until INTCLEAR (a DATA read clears only RXFULL).
// Both receive only what the machine offers while `canReceive()` holds (Machine.feedUart).

import type { Device } from './memory.js';

export interface UartPorts {
  /** Called with each byte the UART sends. */
  readonly transmit: (byte: number) => void;
  /** Sets the level of the UART's interrupt line(s) in the NVIC. */
  readonly irq: (line: 'tx' | 'rx', level: boolean) => void;
}

/** A console UART: the bus side (Device) and the receive side the machine feeds. */
export interface ConsoleUart extends Device {
  /** Whether a byte typed now would be taken (QEMU's can_receive). */
  canReceive(): boolean;
  receive(byte: number): void;
}

const PL011_LUMINARY_ID = [0x11, 0x00, 0x18, 0x01, 0x0d, 0xf0, 0x05, 0xb1];
const PL011_INT_RX = 1 << 4;
const PL011_INT_TX = 1 << 5;
const PL011_FLAG_RXFE = 1 << 4;
const PL011_FLAG_RXFF = 1 << 6;
const PL011_FLAG_TXFE = 1 << 7;
const PL011_LCR_H = 0x02c;
const PL011_LCR_H_FEN = 1 << 4;
const PL011_FIFO_DEPTH = 16;

export class Pl011 implements ConsoleUart {
  private readonly regs = new Map<number, number>([[0x030, 0x300], [0x034, 0x12]]);
  private intLevel = 0;
  private intMask = 0;
  private readonly rxFifo: number[] = [];
  /** What DR reads with an empty FIFO: the last byte received (QEMU reads the stale slot). */
  private lastRx = 0;

  constructor(private readonly ports: UartPorts) {}

  read(offset: number): number {
    if (offset >= 0xfe0 && offset < 0x1000) return PL011_LUMINARY_ID[(offset - 0xfe0) >> 2] ?? 0;
    switch (offset) {
      case 0x000: return this.readData();
      case 0x018: return this.flags();
      case 0x038: return this.intMask;
      case 0x03c: return this.intLevel;
      case 0x040: return this.intLevel & this.intMask;
      default: return this.regs.get(offset) ?? 0;
    }
  }

  write(offset: number, value: number): void {
    switch (offset) {
      case 0x000:
        this.ports.transmit(value & 0xff);
        this.intLevel |= PL011_INT_TX;
        break;
      case 0x038: this.intMask = value & 0x7ff; break;
      case 0x044: this.intLevel &= ~value; break;
      default: this.regs.set(offset, value);
    }
    this.update();
  }

  canReceive(): boolean {
    return this.rxFifo.length < this.fifoDepth();
  }

  receive(byte: number): void {
    this.rxFifo.push(byte & 0xff);
    if (this.rxFifo.length === 1) this.intLevel |= PL011_INT_RX;
    this.update();
  }

  /** The transmitter is never busy; RXFF means the FIFO (or the one-byte holding register) is full. */
  private flags(): number {
    const count = this.rxFifo.length;
    return PL011_FLAG_TXFE | (count === 0 ? PL011_FLAG_RXFE : 0) | (count >= this.fifoDepth() ? PL011_FLAG_RXFF : 0);
  }

  private readData(): number {
    const byte = this.rxFifo.shift();
    if (byte !== undefined) this.lastRx = byte;
    if (this.rxFifo.length === 0) this.intLevel &= ~PL011_INT_RX;
    this.update();
    return this.lastRx;
  }

  private fifoDepth(): number {
    return ((this.regs.get(PL011_LCR_H) ?? 0) & PL011_LCR_H_FEN) !== 0 ? PL011_FIFO_DEPTH : 1;
  }

  /** One combined interrupt line (the lm3s6965 wires only that one). */
  private update(): void {
    this.ports.irq('rx', (this.intLevel & this.intMask) !== 0);
  }
}

const CMSDK_ID = [0x04, 0x00, 0x00, 0x00, 0x21, 0xb8, 0x1b, 0x00, 0x0d, 0xf0, 0x05, 0xb1];
const STATE_TXFULL = 1;
const STATE_RXFULL = 2;
const STATE_TXOVERRUN = 4;
const STATE_RXOVERRUN = 8;
const CTRL_TX_EN = 1;
const CTRL_RX_EN = 2;
const CTRL_TX_INTEN = 4;
const CTRL_RX_INTEN = 8;
const INT_TX = 1;
const INT_RX = 2;

export class CmsdkUart implements ConsoleUart {
  private state = 0;
  private ctrl = 0;
  private intStatus = 0;
  private bauddiv = 0;
  private txbuf = 0;
  private rxbuf = 0;

  constructor(private readonly ports: UartPorts) {}

  read(offset: number): number {
    if (offset >= 0xfd0 && offset < 0x1000) return CMSDK_ID[(offset - 0xfd0) >> 2] ?? 0;
    switch (offset) {
      case 0x000:
        this.state &= ~STATE_RXFULL;
        this.update();
        return this.rxbuf;
      case 0x004: return this.state;
      case 0x008: return this.ctrl;
      case 0x00c: return this.intStatus;
      case 0x010: return this.bauddiv;
      default: return 0;
    }
  }

  write(offset: number, value: number): void {
    switch (offset) {
      case 0x000:
        this.txbuf = value & 0xff;
        if ((this.state & STATE_TXFULL) !== 0) this.state |= STATE_TXOVERRUN;
        else {
          this.state |= STATE_TXFULL;
          this.transmit();
        }
        break;
      case 0x004: this.state &= ~(value & (STATE_TXOVERRUN | STATE_RXOVERRUN)); break;
      case 0x008: this.ctrl = value & 0x7f; break;
      case 0x00c: this.intStatus &= ~value; break;
      case 0x010: this.bauddiv = value & 0xfffff; break;
      default: break;
    }
    this.update();
  }

  canReceive(): boolean {
    return (this.ctrl & CTRL_RX_EN) !== 0 && (this.state & STATE_RXFULL) === 0;
  }

  receive(byte: number): void {
    if ((this.ctrl & CTRL_RX_EN) === 0) return; // dropped, as on the hardware
    if ((this.state & STATE_RXFULL) !== 0) this.state |= STATE_RXOVERRUN;
    this.rxbuf = byte & 0xff;
    this.state |= STATE_RXFULL;
    if ((this.ctrl & CTRL_RX_INTEN) !== 0) this.intStatus |= INT_RX;
    this.update();
  }

  private transmit(): void {
    if ((this.ctrl & CTRL_TX_EN) === 0) return;
    this.ports.transmit(this.txbuf);
    this.state &= ~STATE_TXFULL;
    this.intStatus |= INT_TX;
  }

  private update(): void {
    this.ports.irq('tx', (this.intStatus & INT_TX) !== 0 && (this.ctrl & CTRL_TX_INTEN) !== 0);
    this.ports.irq('rx', (this.intStatus & INT_RX) !== 0 && (this.ctrl & CTRL_RX_INTEN) !== 0);
  }
}
