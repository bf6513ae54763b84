// The bus: the board's flash and RAM as typed arrays, and memory-mapped devices.
//
// Aligned word and halfword accesses to RAM and flash take the fast path (one typed-array
// access); everything else goes through `slowRead`/`slowWrite`: unaligned accesses as
// bytes, devices by their mapping, and anything unmapped raises a precise BusFault, as
// QEMU's unassigned-access handling does for M-profile cores. Flash is read-only (QEMU maps
// it as ROM: writes are dropped). A write to RAM that holds decoded code tells the
// decoder cache through `onCodeWrite`, so self-modifying or loaded code is re-decoded.

import { busFault, memManageFault } from './fault.js';

/** A memory-mapped device: offsets are from its base; size is 1, 2 or 4 bytes. */
export interface Device {
  read(offset: number, size: number): number;
  write(offset: number, value: number, size: number): void;
}

export interface DeviceMapping {
  readonly base: number;
  readonly size: number;
  readonly device: Device;
}

/** RAM granule that marks decoded code (writes into a marked page invalidate the cache). */
export const CODE_PAGE_BITS = 10;

export class Memory {
  readonly flash: Uint8Array;
  readonly ram: Uint8Array;
  private readonly flash16: Uint16Array;
  private readonly flash32: Int32Array;
  private readonly ram16: Uint16Array;
  private readonly ram32: Int32Array;
  /** One byte per RAM page: 1 when the decoder cache holds instructions from it. */
  readonly ramCodePages: Uint8Array;
  onCodeWrite: (address: number) => void = () => {};

  constructor(
    readonly flashBase: number,
    flashSize: number,
    readonly ramBase: number,
    ramSize: number,
    private readonly devices: readonly DeviceMapping[],
  ) {
    this.flash = new Uint8Array(flashSize);
    this.ram = new Uint8Array(ramSize);
    this.flash16 = new Uint16Array(this.flash.buffer);
    this.flash32 = new Int32Array(this.flash.buffer);
    this.ram16 = new Uint16Array(this.ram.buffer);
    this.ram32 = new Int32Array(this.ram.buffer);
    this.ramCodePages = new Uint8Array((ramSize >> CODE_PAGE_BITS) + 1);
  }

  read32(address: number): number {
    if ((address & 3) === 0) {
      const r = (address - this.ramBase) >>> 0;
      if (r < this.ram.length) return this.ram32[r >>> 2]!;
      const f = (address - this.flashBase) >>> 0;
      if (f < this.flash.length) return this.flash32[f >>> 2]!;
    }
    return this.slowRead(address, 4);
  }

  read16(address: number): number {
    if ((address & 1) === 0) {
      const r = (address - this.ramBase) >>> 0;
      if (r < this.ram.length) return this.ram16[r >>> 1]!;
      const f = (address - this.flashBase) >>> 0;
      if (f < this.flash.length) return this.flash16[f >>> 1]!;
    }
    return this.slowRead(address, 2);
  }

  read8(address: number): number {
    const r = (address - this.ramBase) >>> 0;
    if (r < this.ram.length) return this.ram[r]!;
    const f = (address - this.flashBase) >>> 0;
    if (f < this.flash.length) return this.flash[f]!;
    return this.slowRead(address, 1);
  }

  write32(address: number, value: number): void {
    const r = (address - this.ramBase) >>> 0;
    if ((address & 3) === 0 && r < this.ram.length) {
      this.ram32[r >>> 2] = value;
      if (this.ramCodePages[r >>> CODE_PAGE_BITS] !== 0) this.onCodeWrite(address);
      return;
    }
    this.slowWrite(address, value, 4);
  }

  write16(address: number, value: number): void {
    const r = (address - this.ramBase) >>> 0;
    if ((address & 1) === 0 && r < this.ram.length) {
      this.ram16[r >>> 1] = value;
      if (this.ramCodePages[r >>> CODE_PAGE_BITS] !== 0) this.onCodeWrite(address);
      return;
    }
    this.slowWrite(address, value, 2);
  }

  write8(address: number, value: number): void {
    const r = (address - this.ramBase) >>> 0;
    if (r < this.ram.length) {
      this.ram[r] = value;
      if (this.ramCodePages[r >>> CODE_PAGE_BITS] !== 0) this.onCodeWrite(address);
      return;
    }
    this.slowWrite(address, value, 1);
  }

  /**
   * An instruction halfword. Execution from the Peripheral, Device and System regions
   * (0x40000000-0x5fffffff, 0xa0000000 up: eXecute Never in the default memory map) is a
   * MemManage fault; from an unmapped address in an executable region, a BusFault.
   */
  fetch16(address: number): number {
    const region = address >>> 29;
    if (region === 2 || region >= 5) throw memManageFault(address, true);
    const r = (address - this.ramBase) >>> 0;
    if (r < this.ram.length - 1) return this.ram16[r >>> 1]!;
    const f = (address - this.flashBase) >>> 0;
    if (f < this.flash.length - 1) return this.flash16[f >>> 1]!;
    throw busFault(address, true);
  }

  /** Whether `address` is in RAM (its decoded code must be invalidated on writes). */
  inRam(address: number): boolean {
    return (address - this.ramBase) >>> 0 < this.ram.length;
  }

  /** Copy bytes in at load time (flash included). False when they do not fit flash or RAM. */
  load(address: number, bytes: Uint8Array): boolean {
    for (const [base, mem] of [[this.flashBase, this.flash], [this.ramBase, this.ram]] as const) {
      const offset = address - base;
      if (offset >= 0 && offset + bytes.length <= mem.length) {
        mem.set(bytes, offset);
        return true;
      }
    }
    return bytes.length === 0;
  }

  private device(address: number): DeviceMapping | undefined {
    for (const mapping of this.devices) if ((address - mapping.base) >>> 0 < mapping.size) return mapping;
    return undefined;
  }

  private slowRead(address: number, size: number): number {
    const mapping = this.device(address);
    if (mapping !== undefined && (address & (size - 1)) === 0) return mapping.device.read((address - mapping.base) >>> 0, size);
    if (size > 1 && (this.inRam(address) || (address - this.flashBase) >>> 0 < this.flash.length || mapping !== undefined)) {
      let value = 0;
      for (let i = size - 1; i >= 0; i--) value = (value << 8) | this.read8(address + i);
      return size === 4 ? value | 0 : value;
    }
    throw busFault(address, false);
  }

  private slowWrite(address: number, value: number, size: number): void {
    const mapping = this.device(address);
    if (mapping !== undefined && (address & (size - 1)) === 0) {
      mapping.device.write((address - mapping.base) >>> 0, size === 4 ? value : value & ((1 << (size * 8)) - 1), size);
      return;
    }
    if ((address - this.flashBase) >>> 0 < this.flash.length) return; // ROM: dropped
    if (size > 1 && (this.inRam(address) || mapping !== undefined)) {
      for (let i = 0; i < size; i++) this.write8(address + i, (value >>> (8 * i)) & 0xff);
      return;
    }
    throw busFault(address, false);
  }
}
