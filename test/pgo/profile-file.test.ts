// The profile file: it round-trips, refuses foreign, damaged and newer files naming the file,
// and its body hash tells a changed function from an unchanged one.

import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/diagnostics/errors.js';
import { decodeModule } from '../../src/frontend/decode.js';
import { watToBinary } from '../../src/frontend/load.js';
import {
  functionBodyBytes,
  functionBodyHash,
  parseProfile,
  profileOfFunction,
  serializeProfile,
  type Profile,
} from '../../src/pgo/profile.js';

const PROFILE: Profile = {
  format: 'mcu-aot-profile',
  version: 1,
  board: 'lm3s6965',
  module: { hash: 'ab'.repeat(32) },
  run: { instructions: 1234, cycles: 2000, exitCode: 0 },
  functions: [{
    index: 1,
    name: 'work <&"\'>',
    bodyHash: '0123456789abcdef',
    calls: 1,
    instructions: 1000,
    blocks: [{ srcOffset: 40, ordinal: 0, count: 1 }, { srcOffset: 44, ordinal: 1, count: 100 }],
    edges: [{ from: { srcOffset: 40, ordinal: 0 }, to: { srcOffset: 44, ordinal: 1 }, count: 1 }],
    callSites: [{ srcOffset: 50, callee: 0, count: 100 }],
    indirectCalls: [{ srcOffset: 60, targets: [{ funcIndex: 2, count: 70 }, { funcIndex: 3, count: 30 }] }],
  }],
};

function parseError(text: string): UserError {
  try {
    parseProfile(text, 'app.profile');
  } catch (e) {
    if (e instanceof UserError) return e;
    throw e;
  }
  throw new Error('parseProfile accepted it');
}

describe('profile file', () => {
  it('round-trips through serializeProfile and parseProfile', () => {
    const text = serializeProfile(PROFILE);
    expect(parseProfile(text, 'app.profile')).toEqual(PROFILE);
    expect(serializeProfile(parseProfile(text, 'app.profile'))).toBe(text);
  });

  it('rejects a file that is not JSON, naming it', () => {
    const e = parseError('\u0000ELF garbage');
    expect(e.code).toBe('profile');
    expect(e.message).toContain("'app.profile' is not an mcu-aot profile");
  });

  it('rejects JSON of another format', () => {
    expect(parseError('{"format":"chrome-trace","version":1}').message).toMatch(/'app\.profile' is not an mcu-aot profile \(format/);
    expect(parseError('[1,2,3]').message).toContain("'app.profile'");
  });

  it('rejects a newer version and says which one it reads', () => {
    const e = parseError(JSON.stringify({ ...PROFILE, version: 2 }));
    expect(e.message).toContain("'app.profile' is profile version 2; this mcu-aot reads version 1");
    expect(e.hint).toContain('mcu-aot profile');
  });

  it('rejects a damaged field with its path', () => {
    const damaged = JSON.parse(serializeProfile(PROFILE)) as { functions: { blocks: { count: unknown }[] }[] };
    damaged.functions[0]!.blocks[1]!.count = 'many';
    expect(parseError(JSON.stringify(damaged)).message).toContain("'app.profile' is damaged: functions[0].blocks[1].count is not an integer");
    const negative = JSON.parse(serializeProfile(PROFILE)) as { run: { cycles: number } };
    negative.run.cycles = -1;
    expect(parseError(JSON.stringify(negative)).message).toContain('run.cycles is negative');
  });

  it('profileOfFunction ignores a stale function', () => {
    expect(profileOfFunction(PROFILE, 1, '0123456789abcdef')?.name).toBe('work <&"\'>');
    expect(profileOfFunction(PROFILE, 1, 'fedcba9876543210')).toBeUndefined();
    expect(profileOfFunction(PROFILE, 7, '0123456789abcdef')).toBeUndefined();
  });
});

describe('functionBodyHash', () => {
  const hashes = async (wat: string): Promise<string[]> => {
    const bytes = await watToBinary(wat, 'test.wat');
    return decodeModule(bytes).codes.map((body) => functionBodyHash(functionBodyBytes(bytes, body)));
  };

  it('changes with the body and only with it', async () => {
    const before = await hashes('(module (func (result i32) (i32.const 1)) (func (result i32) (i32.const 7)))');
    const after = await hashes('(module (func (result i32) (i32.const 2)) (func (result i32) (i32.const 7)))');
    const local = await hashes('(module (func (result i32) (local i64) (i32.const 1)) (func (result i32) (i32.const 7)))');
    expect(before[0]).not.toBe(after[0]);
    expect(before[0]).not.toBe(local[0]); // locals are part of the body
    expect(before[1]).toBe(after[1]);
    expect(before[0]).toMatch(/^[0-9a-f]{16}$/);
  });

  it('covers exactly the body: size field through end', async () => {
    const bytes = await watToBinary('(module (func (nop)) (func (result i32) (i32.const 300)))', 'test.wat');
    const codes = decodeModule(bytes).codes;
    const first = functionBodyBytes(bytes, codes[0]!);
    expect(Array.from(first)).toEqual([0x03, 0x00, 0x01, 0x0b]); // size 3: no locals, nop, end
    expect(codes[0]!.offset + first.length).toBe(codes[1]!.offset);
  });
});
