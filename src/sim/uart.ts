// The console UARTs of our boards, modelled on what QEMU 7.2 does (the oracle), not on
// the datasheets alone:
// - PL011 (hw/char/pl011.c): every DR write goes out, enabled or not; FR reads TXFE|RXFE;
//   the TX interrupt is raised after each byte.
// - CMSDK APB UART (hw/char/cmsdk-apb-uart.c): a DATA write sets STATE.TXFULL and goes out
//   only while CTRL.TX_EN is set; without it the byte stays in the buffer and TXFULL stays
//   set for good (a later CTRL write does not send it).

import type { Device } from './memory.js';

export interface UartPorts {
  /** Called with each byte the UART sends. */
  readonly transmit: (byte: number) => void;
  /** Sets the level of the UART's interrupt line(s) in the NVIC. */
  readonly irq: (line: 'tx' | 'rx', level: boolean) => void;
}

const PL011_LUMINARY_ID = [0x11, 0x00, 0x18, 0x01, 0x0d, 0xf0, 0x05, 0xb1];
const PL011_INT_TX = 1 << 5;

export class Pl011 implements Device {
  private readonly regs = new Map<number, number>([[0x030, 0x300], [0x034, 0x12]]);
  private intLevel = 0;
  private intMask = 0;

  constructor(private readonly ports: UartPorts) {}

  read(offset: number): number {
    if (offset >= 0xfe0 && offset < 0x1000) return PL011_LUMINARY_ID[(offset - 0xfe0) >> 2] ?? 0;
    switch (offset) {
      case 0x000: return 0; // no input
      case 0x018: return 0x90; // TXFE | RXFE: the transmitter is never busy
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
    this.ports.irq('tx', (this.intLevel & this.intMask) !== 0);
  }
}

const CMSDK_ID = [0x04, 0x00, 0x00, 0x00, 0x21, 0xb8, 0x1b, 0x00, 0x0d, 0xf0, 0x05, 0xb1];
const STATE_TXFULL = 1;
const STATE_TXOVERRUN = 4;
const CTRL_TX_EN = 1;
const CTRL_TX_INTEN = 4;
const INT_TX = 1;

export class CmsdkUart implements Device {
  private state = 0;
  private ctrl = 0;
  private intStatus = 0;
  private bauddiv = 0;
  private txbuf = 0;

  constructor(private readonly ports: UartPorts) {}

  read(offset: number): number {
    if (offset >= 0xfd0 && offset < 0x1000) return CMSDK_ID[(offset - 0xfd0) >> 2] ?? 0;
    switch (offset) {
      case 0x000: return 0;
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
      case 0x004: this.state &= ~(value & 0xc); break;
      case 0x008: this.ctrl = value & 0x7f; break;
      case 0x00c: this.intStatus &= ~value; break;
      case 0x010: this.bauddiv = value & 0xfffff; break;
      default: break;
    }
    this.ports.irq('tx', (this.intStatus & INT_TX) !== 0 && (this.ctrl & CTRL_TX_INTEN) !== 0);
  }

  private transmit(): void {
    if ((this.ctrl & CTRL_TX_EN) === 0) return;
    this.ports.transmit(this.txbuf);
    this.state &= ~STATE_TXFULL;
    this.intStatus |= INT_TX;
  }
}
