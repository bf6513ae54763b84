// `mcu-aot flash` for real, against QEMU's gdbstub: QEMU starts an empty machine (no -kernel),
// halted (-S), and the flash command writes the firmware through the GDB remote protocol,
// verifies it, sets SP/PC from the vector table and continues. The firmware's greeting on
// QEMU's stdout and QEMU's exit status (the firmware's semihosting exit code) prove that the
// whole image arrived and runs. The CLI tests run bin/mcu-aot.js over dist/ (npm run build).

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBoard } from '../../src/driver/board.js';
import { build } from '../../src/driver/build.js';
import { runCli } from '../support/cli.js';

const HELLO = new URL('../../examples/hello.wat', import.meta.url).pathname;
const EXIT_SEVEN = `(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "\\10\\00\\00\\00\\0c\\00\\00\\00")
  (data (i32.const 16) "flashed ok!\\n")
  (func (export "_start")
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
    (call $proc_exit (i32.const 7))))
`;

const dir = mkdtempSync(join(tmpdir(), 'mcu-aot-flash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

interface EmptyMachine {
  readonly port: number;
  readonly qemu: ChildProcess;
  stdout: string;
  readonly exited: Promise<number | null>;
}

/** QEMU with no firmware, halted, its gdbstub listening; resolves once it accepts connections. */
async function startEmptyMachine(machine: string): Promise<EmptyMachine> {
  const port = await freePort();
  const qemu = spawn('qemu-system-arm', [
    '-M', machine, '-nographic', '-monitor', 'none', '-serial', 'stdio',
    '-semihosting-config', 'enable=on,target=native', '-S', '-gdb', `tcp:127.0.0.1:${port}`,
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  const state: EmptyMachine = {
    port, qemu, stdout: '',
    exited: new Promise((resolve) => qemu.on('exit', (code) => resolve(code))),
  };
  qemu.stdout!.on('data', (chunk: Buffer) => (state.stdout += chunk.toString()));
  const killer = setTimeout(() => qemu.kill('SIGKILL'), 30_000); // never leave an emulator running
  void state.exited.then(() => clearTimeout(killer));
  for (let tries = 0; tries < 100 && !(await listening(port)); tries++) await new Promise((r) => setTimeout(r, 50));
  return state;
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function buildElf(source: string, board: string, name: string): Promise<string> {
  const output = join(dir, `${name}.elf`);
  await build({ input: source, board: loadBoard(board), emit: 'elf', output, log: () => undefined });
  return output;
}

describe('mcu-aot flash --method gdb against QEMU', () => {
  let exitSeven: string;
  beforeAll(async () => {
    const source = join(dir, 'exit-seven.wat');
    writeFileSync(source, EXIT_SEVEN);
    exitSeven = source;
  });

  it.each([
    ['lm3s6965', 'lm3s6965evb'],
    ['mps2-an385', 'mps2-an385'],
  ])('writes, verifies, resets and runs hello on %s', async (board, machine) => {
    const elf = await buildElf(HELLO, board, `hello-${board}`);
    const target = await startEmptyMachine(machine);
    try {
      const result = await runCli(['flash', elf, '--board', board, '--port', `localhost:${target.port}`]);
      expect(result.stderr).toMatch(/verified/);
      expect(result.stderr).toMatch(/reset \(vector table\) and running/);
      expect(result.exitCode).toBe(0);
      expect(await target.exited).toBe(0);
      expect(target.stdout).toBe('Hello from WebAssembly on an MCU!\n');
    } finally {
      target.qemu.kill('SIGKILL');
    }
  });

  it('builds a module first and QEMU exits with the firmware exit code', async () => {
    const target = await startEmptyMachine('lm3s6965evb');
    try {
      const result = await runCli(['flash', exitSeven, '--board', 'lm3s6965', '--port', String(target.port)]);
      expect(result.exitCode).toBe(0);
      expect(await target.exited).toBe(7);
      expect(target.stdout).toBe('flashed ok!\n');
    } finally {
      target.qemu.kill('SIGKILL');
    }
  });

  it('refuses firmware for memory the machine lacks before writing, naming the address and the board\'s ranges', async () => {
    // mps2-an385 has nothing at 0x60000000: written, it would vanish (QEMU's gdbstub drops it).
    const target = await startEmptyMachine('mps2-an385');
    const elf = join(dir, 'unmapped.elf');
    await execGcc(elf, '0x60000000');
    try {
      const result = await runCli(['flash', elf, '--board', 'mps2-an385', '--port', `127.0.0.1:${target.port}`]);
      expect(result.exitCode).toBe(1);
      expect(result.stderr).toMatch(/error\[firmware-board\]: .*load segment at 0x60000000-0x60000007 lies outside board 'mps2-an385' \(flash 0x00000000-0x003fffff, RAM 0x20000000-0x203fffff\)/);
    } finally {
      target.qemu.kill('SIGKILL');
    }
  });
});

/** An ELF whose only load segment sits at `address` (assembled and linked by binutils). */
async function execGcc(elf: string, address: string): Promise<void> {
  const { execa } = await import('execa');
  const source = join(dir, 'unmapped.s');
  writeFileSync(source, '.section .text\n.global _start\n_start:\n.word 0x11223344, 0x55667788\n');
  await execa('arm-none-eabi-gcc', ['-nostdlib', '-mcpu=cortex-m3', '-mthumb', `-Wl,-Ttext=${address}`, '-o', elf, source]);
}
