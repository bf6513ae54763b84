// Firmware knows its board: every ELF mcu-aot links records the board in a non-allocated
// `.mcu_aot.board` section (binutils reads it; the .bin is what objcopy makes of the ELF, so
// nothing loadable changed), and `flash`, `sim` and `run` refuse an ELF built for another
// board, naming both, before they touch a probe, simulator or QEMU. An ELF without the record
// (linked by binutils here) is accepted when its segments fit the board's memory map and
// refused, naming the segment and the board's ranges, when they do not.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'mcu-aot-firmware-board-'));
const HELLO = new URL('../../examples/hello.wat', import.meta.url).pathname;
const elf = join(dir, 'firmware.elf');

/** A gdbserver stand-in that only counts connections: a refused flash must make none. */
let server: Server;
let connections = 0;
let port = 0;

beforeAll(async () => {
  server = createServer((socket) => {
    connections++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
  const built = await runCli(['build', HELLO, '--board', 'lm3s6965', '-o', elf]);
  expect(built.exitCode).toBe(0);
}, 60_000);

afterAll(() => {
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

/** An ELF linked by binutils whose only load segment (8 bytes of code) sits at `address`. */
function binutilsElf(name: string, address: string): string {
  const source = join(dir, `${name}.s`);
  const out = join(dir, `${name}.elf`);
  writeFileSync(source, '.syntax unified\n.thumb\n.section .text\n.global _start\n_start:\n.word 0x20001000, 0x00000009\n');
  execFileSync('arm-none-eabi-gcc', ['-nostdlib', '-mcpu=cortex-m3', '-mthumb', `-Wl,-Ttext=${address}`, '-o', out, source]);
  return out;
}

const WRONG_BOARD = "firmware.elf was built for board 'lm3s6965', not 'mps2-an385'";

describe('the board a firmware records', () => {
  it('is a non-allocated .mcu_aot.board section that binutils reads and objcopy leaves out of the image', () => {
    const dump = execFileSync('arm-none-eabi-readelf', ['-p', '.mcu_aot.board', elf], { encoding: 'utf8' });
    expect(dump).toMatch(/\[\s*0\]\s+lm3s6965\n/);
    const section = execFileSync('arm-none-eabi-readelf', ['-SW', elf], { encoding: 'utf8' }).split('\n').find((l) => l.includes('.mcu_aot.board'))!;
    expect(section.trim().split(/\s+/)).not.toContain('A'); // no SHF_ALLOC flag
    const objcopied = join(dir, 'objcopy.bin');
    execFileSync('arm-none-eabi-objcopy', ['-O', 'binary', elf, objcopied]);
    expect(readFileSync(join(dir, 'firmware.bin'))).toEqual(readFileSync(objcopied));
  });

  it('makes flash refuse another board before contacting the probe, and nothing is flashed', async () => {
    for (const extra of [[], ['--dry-run']]) {
      const result = await runCli(['flash', 'firmware.elf', '--board', 'mps2-an385', '--port', `127.0.0.1:${port}`, ...extra], { cwd: dir });
      expect(result.exitCode).toBe(1);
      expect(result.stderr).toContain(`error[firmware-board]: firmware does not match the board: ${WRONG_BOARD}\n`);
      expect(result.stderr).toContain('hint: build it again with --board mps2-an385, or pass --board lm3s6965');
      expect(result.stdout).toBe('');
    }
    expect(connections).toBe(0);
  });

  it('makes sim and run refuse another board without starting anything', async () => {
    for (const command of ['sim', 'run']) {
      const result = await runCli([command, 'firmware.elf', '--board', 'mps2-an385'], { cwd: dir });
      expect(result.exitCode).toBe(1);
      expect(result.stderr).toContain(WRONG_BOARD);
      expect(result.stdout).toBe('');
    }
  });

  it('lets run and sim boot it on its own board', async () => {
    for (const command of ['run', 'sim']) {
      const result = await runCli([command, elf, '--board', 'lm3s6965']);
      expect(result.stdout).toBe('Hello from WebAssembly on an MCU!\n');
      expect(result.exitCode).toBe(0);
    }
  }, 60_000);
});

describe('a firmware without a record', () => {
  it('is accepted when its segments lie in the board\'s flash', async () => {
    const fits = binutilsElf('fits', '0x0');
    const result = await runCli(['flash', fits, '--board', 'mps2-an385', '--port', `127.0.0.1:${port}`, '--dry-run']);
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/0x00000000/);
  });

  it('is refused by flash, sim and run when a segment lies outside, naming it and the board\'s ranges', async () => {
    const unmapped = binutilsElf('unmapped', '0x60000000');
    for (const command of ['flash', 'sim', 'run']) {
      const result = await runCli([command, unmapped, '--board', 'mps2-an385', '--port', `127.0.0.1:${port}`].slice(0, command === 'flash' ? 6 : 4));
      expect(result.exitCode).toBe(1);
      expect(result.stderr).toContain(
        "unmapped.elf: load segment at 0x60000000-0x60000007 lies outside board 'mps2-an385' (flash 0x00000000-0x003fffff, RAM 0x20000000-0x203fffff)");
    }
    expect(connections).toBe(0);
  });
});
