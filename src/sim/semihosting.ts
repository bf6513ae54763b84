// ARM semihosting (BKPT 0xAB on M-profile): r0 is the operation, r1 the argument (a value
// or a pointer to a parameter block), the result goes back in r0. The subset firmware
// uses to print and exit; exit codes follow QEMU: SYS_EXIT with
// ADP_Stopped_ApplicationExit is 0, other reasons 1; SYS_EXIT_EXTENDED takes {reason, code}.

import type { Memory } from './memory.js';

export const SYS = {
  WRITEC: 0x03, WRITE0: 0x04, WRITE: 0x05, CLOCK: 0x10, TIME: 0x11, ERRNO: 0x13, EXIT: 0x18, EXIT_EXTENDED: 0x20,
} as const;
const ADP_STOPPED_APPLICATION_EXIT = 0x20026;
/** Longest SYS_WRITE0 string we follow before deciding the pointer is wild. */
const MAX_STRING = 1 << 20;

export interface SemihostingHost {
  readonly mem: Memory;
  /** Bytes written to the host console (QEMU prints them on its stderr). */
  readonly output: (bytes: Uint8Array) => void;
  readonly exit: (code: number) => void;
  /** Elapsed processor cycles, for SYS_CLOCK. */
  readonly cycles: () => number;
  readonly clockHz: number;
}

/** Performs one call; the result is r0's new value, or a string saying why the call is unsupported. */
export function semihostingCall(host: SemihostingHost, op: number, arg: number): number | string {
  const { mem } = host;
  const word = (i: number): number => mem.read32((arg + 4 * i) | 0);
  switch (op) {
    case SYS.WRITEC:
      host.output(Uint8Array.of(mem.read8(arg)));
      return arg;
    case SYS.WRITE0: {
      const bytes: number[] = [];
      for (let a = arg; bytes.length < MAX_STRING; a = (a + 1) | 0) {
        const byte = mem.read8(a);
        if (byte === 0) break;
        bytes.push(byte);
      }
      host.output(Uint8Array.from(bytes));
      return arg;
    }
    case SYS.WRITE: {
      const [handle, buffer, length] = [word(0), word(1), word(2) >>> 0];
      if (handle !== 1 && handle !== 2) return -1;
      const bytes = new Uint8Array(Math.min(length, MAX_STRING));
      for (let i = 0; i < bytes.length; i++) bytes[i] = mem.read8((buffer + i) | 0);
      host.output(bytes);
      return length - bytes.length;
    }
    case SYS.CLOCK: return Math.floor((host.cycles() * 100) / host.clockHz);
    case SYS.TIME: return Math.floor(Date.now() / 1000);
    case SYS.ERRNO: return 0;
    case SYS.EXIT:
      host.exit(arg === ADP_STOPPED_APPLICATION_EXIT ? 0 : 1);
      return 0;
    case SYS.EXIT_EXTENDED:
      host.exit(word(0) === ADP_STOPPED_APPLICATION_EXIT ? word(1) : 1);
      return 0;
    default:
      return `unsupported semihosting call 0x${op.toString(16)}`;
  }
}
