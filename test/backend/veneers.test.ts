// Entry veneers (src/backend-thumb2/veneers.ts) disassembled by arm-none-eabi-objdump: the
// r9 switch around the call, and the copy of stacked arguments below the saved pair.
// (objdump spells the 32-bit push/pop of {r9, lr} as stmdb/ldmia.)

import { describe, expect, it } from 'vitest';
import { encodeVeneer } from '../../src/backend-thumb2/veneers.js';
import type { IrModule } from '../../src/ir/module.js';
import { disassembleRaw } from './object-oracle.js';

function moduleWith(params: IrModule['signatures'][number]['params']): IrModule {
  return {
    prefix: 'lib',
    signatures: [{ params, results: ['i64'] }],
    canonicalSig: [0],
    functions: [{ index: 0, name: 'f', sigIndex: 0, exports: ['f'] }],
    bodies: [],
    globals: [],
    tables: [],
    data: [],
  };
}

const texts = (m: IrModule): string[] => disassembleRaw(encodeVeneer(m, 0, 'lib$f0', 'lib$memory').bytes).map((l) => l.text);

describe('entry veneers', () => {
  it('save r9, load the module memory base, call, restore', () => {
    const veneer = encodeVeneer(moduleWith(['i32', 'i64']), 0, 'lib$f0', 'lib$memory');
    expect(texts(moduleWith(['i32', 'i64']))).toEqual([
      'stmdb sp!, {r9, lr}',
      'movw r9, #0',
      'movt r9, #0',
      expect.stringMatching(/^bl /),
      'ldmia.w sp!, {r9, pc}',
    ]);
    expect(veneer.relocs.map((r) => [r.type, r.symbol])).toEqual([
      ['R_ARM_THM_MOVW_ABS_NC', 'lib$memory'],
      ['R_ARM_THM_MOVT_ABS', 'lib$memory'],
      ['R_ARM_THM_CALL', 'lib$f0'],
    ]);
  });

  it('copy stacked arguments so the callee finds them at [sp]', () => {
    // r0-r3 take four i32s; the fifth i32 and the i64 (8-aligned) go on the stack: 16 bytes.
    const listing = texts(moduleWith(['i32', 'i32', 'i32', 'i32', 'i32', 'i64']));
    expect(listing.slice(0, 2)).toEqual(['stmdb sp!, {r9, lr}', 'sub sp, #16']);
    expect(listing.slice(2, 10)).toEqual([
      'ldr.w ip, [sp, #24]', 'str.w ip, [sp]',
      'ldr.w ip, [sp, #28]', 'str.w ip, [sp, #4]',
      'ldr.w ip, [sp, #32]', 'str.w ip, [sp, #8]',
      'ldr.w ip, [sp, #36]', 'str.w ip, [sp, #12]',
    ]);
    expect(listing.slice(-2)).toEqual(['add sp, #16', 'ldmia.w sp!, {r9, pc}']);
  });
});
