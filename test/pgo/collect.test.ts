// The profile map through the linker, and a profile of a loop: counts checked against what
// the program must do (100 iterations, every 10th takes the `if`, a 25/75 indirect split),
// the map's addresses against arm-none-eabi-nm/objdump of the linked ELF.

import { execa } from 'execa';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBoard } from '../../src/driver/board.js';
import { build } from '../../src/driver/build.js';
import { profileFirmware, type ProfileRun } from '../../src/driver/profile.js';
import { decodeModule } from '../../src/frontend/decode.js';
import { loadWasm } from '../../src/frontend/load.js';
import { readProfileMap, type PlacedProfileMap } from '../../src/pgo/map.js';
import { blockCountOf, blockKeyString, type FunctionProfile } from '../../src/pgo/profile.js';

const LOOP = new URL('./programs/loop.wat', import.meta.url).pathname;
const board = loadBoard('lm3s6965');
const dir = mkdtempSync(join(tmpdir(), 'mcu-aot-pgo-'));
const log = (): void => {};
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let elfPath: string;
let map: PlacedProfileMap;
let run: ProfileRun;
let wasm: Uint8Array;

beforeAll(async () => {
  elfPath = join(dir, 'loop.elf');
  await build({ input: LOOP, board, emit: 'elf', output: elfPath, profileMap: true, log });
  map = readProfileMap(readFileSync(elfPath), elfPath);
  run = await profileFirmware({ input: LOOP, board, log, output: join(dir, 'loop.profile'), onOutput: () => {} });
  wasm = (await loadWasm(LOOP)).bytes;
}, 120_000);

describe('profile map', () => {
  it('places every function at its symbol address in the linked ELF (nm)', async () => {
    const { stdout } = await execa('arm-none-eabi-nm', [elfPath]);
    const nm = new Map(stdout.split('\n').map((line) => line.split(' ')).map(([addr, , name]) => [name, parseInt(addr!, 16) & ~1]));
    expect(map.functions.map((f) => f.symbol)).toEqual(['wasm$f0', 'wasm$f1', 'wasm$f2', 'wasm$f3']);
    for (const f of map.functions) {
      expect(f.address).toBe(nm.get(f.symbol));
      expect(f.blocks[0]!.start).toBe(f.address);
      expect(f.blocks[f.blocks.length - 1]!.end).toBe(f.address + f.size);
    }
  });

  it('names branch and call instructions at the addresses objdump shows them', async () => {
    const { stdout } = await execa('arm-none-eabi-objdump', ['-d', elfPath]);
    const mnemonicAt = new Map<number, string>();
    for (const m of stdout.matchAll(/^\s+([0-9a-f]+):\s+(?:[0-9a-f]{4} ?){1,2}\s+(\S+)/gm)) mnemonicAt.set(parseInt(m[1]!, 16), m[2]!);
    const work = map.functions[2]!;
    expect(work.calls).toEqual([expect.objectContaining({ indirect: true })]);
    expect(mnemonicAt.get(work.calls[0]!.at)).toBe('blx');
    const main = map.functions[3]!;
    expect(main.calls).toEqual([expect.objectContaining({ callee: 2 })]);
    expect(mnemonicAt.get(main.calls[0]!.at)).toBe('bl');
    expect(work.branches.length).toBeGreaterThan(0);
    for (const b of work.branches) {
      expect(mnemonicAt.get(b.at)).toMatch(/^(b|cb)/);
      expect(work.blocks[b.to]).toBeDefined();
    }
  });

  it('is not loaded: the section has no ALLOC flag and the flash image does not change', async () => {
    const { stdout } = await execa('arm-none-eabi-readelf', ['-S', '-W', elfPath]);
    const line = stdout.split('\n').find((l) => l.includes('.mcu_aot.pgo_map'));
    expect(line).toBeDefined();
    expect(line).not.toMatch(/ A[XWM]* /);
    const plain = join(dir, 'plain.elf');
    await build({ input: LOOP, board, emit: 'elf', output: plain, log });
    expect(readFileSync(join(dir, 'plain.bin'))).toEqual(readFileSync(join(dir, 'loop.bin')));
  });
});

describe('profile of a loop', () => {
  const work = (): FunctionProfile => run.profile.functions.find((f) => f.index === 2)!;
  const offsetOf = (op: string): number => {
    const body = decodeModule(wasm).codes[2]!.body;
    return body.find((i) => i.op === op)!.offset;
  };

  it('exits as Node runs it', async () => {
    const instance = await WebAssembly.instantiate(await WebAssembly.compile(new Uint8Array(wasm)));
    const main = instance.exports['main'] as () => number;
    expect(run.profile.run.exitCode).toBe(main());
  });

  it('counts the loop block once per iteration and the if-block every 10th', () => {
    expect(blockCountOf(work(), { srcOffset: offsetOf('loop'), ordinal: 0 })).toBe(100);
    const thenBlocks = work().blocks.filter((b) => b.srcOffset === offsetOf('if'));
    expect(thenBlocks.map((b) => b.count)).toContain(10);
    expect(work().calls).toBe(1);
  });

  it('has edges that add up to the block counts', () => {
    const f = work();
    const into = new Map<string, number>();
    const out = new Map<string, number>();
    for (const e of f.edges) {
      into.set(blockKeyString(e.to), (into.get(blockKeyString(e.to)) ?? 0) + e.count);
      out.set(blockKeyString(e.from), (out.get(blockKeyString(e.from)) ?? 0) + e.count);
    }
    const entry = f.blocks[0]!;
    for (const b of f.blocks) {
      const key = blockKeyString(b);
      if (b !== entry) expect(into.get(key) ?? 0, `into ${key}`).toBe(b.count);
      const leaves = out.get(key) ?? 0;
      if (leaves > 0) expect(leaves, `out of ${key}`).toBe(b.count); // blocks that return have no out-edges
    }
    expect(f.edges.find((e) => e.from.srcOffset === offsetOf('loop') && e.to.srcOffset === offsetOf('loop'))).toBeUndefined();
    expect(f.edges.reduce((s, e) => s + (blockKeyString(e.to) === blockKeyString({ srcOffset: offsetOf('loop'), ordinal: 0 }) ? e.count : 0), 0)).toBe(100);
  });

  it('names the callees of the call_indirect with their counts', () => {
    expect(work().indirectCalls).toEqual([{ srcOffset: offsetOf('call_indirect'), targets: [{ funcIndex: 1, count: 75 }, { funcIndex: 0, count: 25 }] }]);
    const callees = run.profile.functions.filter((f) => f.index < 2).map((f) => [f.index, f.calls]);
    expect(callees).toEqual([[0, 25], [1, 75]]);
  });

  it('counts the direct call site in main', () => {
    const main = run.profile.functions.find((f) => f.index === 3)!;
    expect(main.name).toBe('main');
    expect(main.callSites).toEqual([{ srcOffset: decodeModule(wasm).codes[3]!.body.find((i) => i.op === 'call')!.offset, callee: 2, count: 1 }]);
  });
});
