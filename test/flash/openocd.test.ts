// The openocd method: the command line as generated (there is no probe here), --dry-run
// without openocd installed, the install hint when it is missing, and OpenOCD's failure
// (exit status and stderr tail) as the error. Stand-in `openocd` scripts on PATH play OpenOCD.

import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/diagnostics/errors.js';
import { loadBoard } from '../../src/driver/board.js';
import { build } from '../../src/driver/build.js';
import { chooseMethod, parseGdbAddress } from '../../src/flash/flash.js';
import { flashWithOpenOcd, formatCommandLine, openOcdArgs } from '../../src/flash/openocd.js';
import { runCli } from '../support/cli.js';

const HELLO = new URL('../../examples/hello.wat', import.meta.url).pathname;
const lm3s = loadBoard('lm3s6965');
const mps2 = loadBoard('mps2-an385');
const dir = mkdtempSync(join(tmpdir(), 'mcu-aot-openocd-'));
const savedPath = process.env['PATH'];
let elf: string;

beforeAll(async () => {
  elf = join(dir, 'hello.elf');
  await build({ input: HELLO, board: lm3s, emit: 'elf', output: elf, log: () => undefined });
});
afterEach(() => {
  process.env['PATH'] = savedPath;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A folder holding an `openocd` shell script with this body, to put first on PATH. */
function standIn(name: string, body: string): string {
  const bin = join(dir, name);
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, 'openocd'), `#!/bin/sh\n${body}\n`);
  chmodSync(join(bin, 'openocd'), 0o755);
  return bin;
}

describe('openocd method', () => {
  it('programs, verifies, resets and exits with the board\'s adapter and target configs', () => {
    expect(openOcdArgs('/fw/app.elf', lm3s, { verify: true })).toEqual([
      '-f', 'interface/ftdi/luminary.cfg', '-f', 'target/stellaris.cfg', '-c', 'program /fw/app.elf verify reset exit',
    ]);
    expect(openOcdArgs('/fw/app.elf', lm3s, { verify: false, interface: 'cmsis-dap.cfg' })).toEqual([
      '-f', 'interface/cmsis-dap.cfg', '-f', 'target/stellaris.cfg', '-c', 'program /fw/app.elf reset exit',
    ]);
    expect(openOcdArgs('/fw/app.elf', lm3s, { verify: true, interface: 'interface/stlink.cfg' })[1]).toBe('interface/stlink.cfg');
  });

  it('quotes a path with spaces for Tcl and for the shell', () => {
    const args = openOcdArgs('/my fw/app.elf', lm3s, { verify: true });
    expect(args[5]).toBe('program {/my fw/app.elf} verify reset exit');
    expect(formatCommandLine(args)).toBe(
      "openocd -f interface/ftdi/luminary.cfg -f target/stellaris.cfg -c 'program {/my fw/app.elf} verify reset exit'",
    );
  });

  it('refuses a board without an OpenOCD target config', () => {
    expect(() => openOcdArgs('/fw/app.elf', mps2, { verify: true })).toThrow(/board 'mps2-an385' names no OpenOCD target config/);
  });

  it('picks the method: --method, else gdb when --port names a server, else the board\'s', () => {
    expect(chooseMethod({ board: lm3s })).toBe('openocd');
    expect(chooseMethod({ board: lm3s, port: '3333' })).toBe('gdb');
    expect(chooseMethod({ board: mps2, method: 'openocd' })).toBe('openocd');
    expect(chooseMethod({ board: mps2 })).toBe('gdb');
    expect(parseGdbAddress(undefined)).toEqual({ host: 'localhost', port: 3333 });
    expect(parseGdbAddress('1234')).toEqual({ host: 'localhost', port: 1234 });
    expect(parseGdbAddress('probe.local:2331')).toEqual({ host: 'probe.local', port: 2331 });
    expect(parseGdbAddress('[::1]:3333')).toEqual({ host: '::1', port: 3333 });
    expect(() => parseGdbAddress('localhost:99999')).toThrow(/not a gdbserver address/);
  });

  it('runs openocd with exactly those arguments', async () => {
    const record = join(dir, 'argv.txt');
    process.env['PATH'] = `${standIn('ok', `printf '%s\\n' "$@" > '${record}'`)}:${savedPath}`;
    await flashWithOpenOcd(elf, lm3s, { verify: true, log: () => undefined });
    expect(readFileSync(record, 'utf8').trimEnd().split('\n')).toEqual(openOcdArgs(elf, lm3s, { verify: true }));
  });

  it('turns openocd\'s exit status and stderr tail into the error', async () => {
    process.env['PATH'] = `${standIn('fails', 'echo "Open On-Chip Debugger 0.12.0" >&2; echo "Error: unable to open ftdi device with vid 0403, pid bcd9" >&2; exit 1')}:${savedPath}`;
    const e = await flashWithOpenOcd(elf, lm3s, { verify: true, log: () => undefined }).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(UserError);
    expect((e as UserError).code).toBe('flash');
    expect((e as UserError).message).toContain('openocd exited with status 1: Open On-Chip Debugger 0.12.0 | Error: unable to open ftdi device with vid 0403, pid bcd9');
  });

  it('gives the install hint when openocd is not installed', async () => {
    process.env['PATH'] = join(dir, 'empty');
    const e = await flashWithOpenOcd(elf, lm3s, { verify: true, log: () => undefined }).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(UserError);
    expect((e as UserError).code).toBe('toolchain');
    expect((e as UserError).hint).toBe('sudo apt-get install openocd');
  });
});

describe('mcu-aot flash --dry-run', () => {
  it('prints the exact openocd command line, with or without openocd installed', async () => {
    const result = await runCli(['flash', elf, '--board', 'lm3s6965', '--dry-run', '--no-verify']);
    expect(result.stdout).toBe(`openocd -f interface/ftdi/luminary.cfg -f target/stellaris.cfg -c 'program ${elf} reset exit'\n`);
    expect(result.exitCode).toBe(0);
  });

  it('prints the gdb steps: server, ranges and sizes, verify, reset', async () => {
    const result = await runCli(['flash', elf, '--board', 'lm3s6965', '--port', 'localhost:4444', '--dry-run']);
    expect(result.exitCode).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('connect to the gdbserver at localhost:4444 (GDB remote protocol)');
    expect(lines.some((l) => /^write \d+ bytes at 0x00000000-0x[0-9a-f]{8} /.test(l))).toBe(true);
    expect(lines).toContain('verify: read back all ' + lines.filter((l) => l.startsWith('write ')).length + ' range(s) and compare');
    expect(lines[lines.length - 1]).toMatch(/^reset and run: .*vector table at 0x00000000 \(reset handler 0x[0-9a-f]{8}\)/);
  });

  it('builds a module first and flashes the project\'s firmware by default', async () => {
    const project = join(dir, 'project');
    mkdirSync(project, { recursive: true });
    writeFileSync(join(project, 'mcu-aot.toml'), 'board = "mps2-an385"\ninput = "hello.wat"\n');
    writeFileSync(join(project, 'hello.wat'), readFileSync(HELLO));
    const result = await runCli(['flash', '--dry-run'], { cwd: project });
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^connect to the gdbserver at localhost:3333/); // mps2-an385's method is gdb
  });
});
