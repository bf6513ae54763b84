// The example projects in examples/, end to end under QEMU: each is built from its own
// folder exactly as `mcu-aot run` there would (its mcu-aot.toml: input, board, interrupt
// bindings), booted, and its console output and exit code compared with what its README
// promises. The board-independent examples also run on mps2-an385 (the `--board` override);
// uart-echo has a folder per board, since the UART and its IRQ line differ.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { execa } from 'execa';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { runOnQemu } from '../../qemu/runner.js';
import { loadBoard } from '../../src/driver/board.js';
import { build } from '../../src/driver/build.js';
import { findProjectConfig, resolveProjectSettings } from '../../src/driver/project.js';
import { EXIT_INTERRUPTED, run, type RunOptions } from '../../src/driver/run.js';

const EXAMPLES = new URL('../../examples/', import.meta.url).pathname;
const BIN = new URL('../../bin/mcu-aot.js', import.meta.url).pathname;
const BUILD_TIMEOUT_MS = 180_000; // clang or asc, our compiler and QEMU, on a shared machine
const QEMU_TIMEOUT_MS = 30_000;
const work = mkdtempSync(join(tmpdir(), 'mcu-aot-examples-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** What `mcu-aot run` in the example's folder passes the driver (src/cli/main.ts), `board` overriding the config's. */
function projectOptions(example: string, board?: string) {
  const config = findProjectConfig(join(EXAMPLES, example));
  if (config === undefined) throw new Error(`examples/${example} has no mcu-aot.toml`);
  const settings = resolveProjectSettings(board !== undefined ? { board } : {}, config, '.elf');
  return {
    input: settings.input,
    board: loadBoard(settings.board),
    log: () => {},
    ...(settings.optLevel !== undefined ? { optLevel: settings.optLevel } : {}),
    grants: [...config.peripherals],
    interrupts: [...config.interrupts],
  };
}

async function runExample(example: string, opts: { board?: string; uartInput?: RunOptions['uartInput'] } = {}): Promise<{ exit: number; output: string }> {
  let output = '';
  const exit = await run({
    ...projectOptions(example, opts.board),
    timeoutMs: QEMU_TIMEOUT_MS,
    onOutput: (chunk) => (output += chunk),
    ...(opts.uartInput !== undefined ? { uartInput: opts.uartInput } : {}),
  });
  return { exit, output };
}

const HELLO_SQUARES = '1 squared is 1\n2 squared is 4\n3 squared is 9\n';

describe.each(['lm3s6965', 'mps2-an385'])('on %s', (board) => {
  it('hello-c prints through wasi-libc and exits 0', async () => {
    const { exit, output } = await runExample('hello-c', { board });
    expect(output).toBe(`Hello from C on a microcontroller!\n${HELLO_SQUARES}`);
    expect(exit).toBe(0);
  }, BUILD_TIMEOUT_MS);

  it('hello-as prints from AssemblyScript and exits 0', async () => {
    const { exit, output } = await runExample('hello-as', { board });
    expect(output).toBe(`Hello from AssemblyScript on a microcontroller!\n${HELLO_SQUARES}`);
    expect(exit).toBe(0);
  }, BUILD_TIMEOUT_MS);

  it('systick-timer counts SysTick interrupts in its handler and reports every 100 ticks', async () => {
    const { exit, output } = await runExample('systick-timer', { board });
    expect(output).toBe('systick-timer: a line every 100 ms\ntick 100\ntick 200\ntick 300\ntick 400\ntick 500\ndone\n');
    expect(exit).toBe(0);
  }, BUILD_TIMEOUT_MS);
});

const BANNER = 'uart-echo: type a line; "quit" or Ctrl-D ends\n';

describe.each(['lm3s6965', 'mps2-an385'])('uart-echo/%s', (folder) => {
  const example = `uart-echo/${folder}`;
  let elf: string | undefined;
  /** Builds the example once, then boots it with `input` typed into its UART. */
  async function echo(input: string, timeoutMs = QEMU_TIMEOUT_MS): Promise<{ exitCode: number; output: string; timedOut: boolean }> {
    const opts = projectOptions(example);
    elf ??= (await build({ ...opts, emit: 'elf', output: join(work, `uart-echo-${folder}.elf`) })).outputs[0]!;
    return runOnQemu(elf, opts.board, { timeoutMs, input });
  }

  it('echoes every line typed into the UART from its receive interrupt and exits on "quit"', async () => {
    const result = await echo('hello\nmcu-aot\nquit\n');
    expect(result.output).toBe(`${BANNER}hello\nmcu-aot\nquit\nbye: echoed 19 bytes\n`);
    expect(result.exitCode).toBe(0);
  }, BUILD_TIMEOUT_MS);

  it('echoes a line longer than the UART can buffer, takes Enter as \\r, and exits on Ctrl-D', async () => {
    // 200 bytes: more than a PL011's 16-byte FIFO and a CMSDK UART's single byte, so the
    // handler runs many times while QEMU holds the rest back.
    const long = Array.from({ length: 200 }, (_, i) => String.fromCharCode(0x21 + (i % 90))).join('');
    const result = await echo(`${long}\rquitting is not quit\n\x04ignored after Ctrl-D\n`);
    expect(result.output).toBe(`${BANNER}${long}\nquitting is not quit\nbye: echoed ${200 + 1 + 21} bytes\n`);
    expect(result.exitCode).toBe(0);
  }, BUILD_TIMEOUT_MS);

  it('keeps sleeping in wait-for-interrupt when the input ends without "quit"', async () => {
    const result = await echo('', 3_000);
    expect(result.output).toBe(BANNER);
    expect(result.timedOut).toBe(true);
  }, BUILD_TIMEOUT_MS);
});

describe('uart-echo through `mcu-aot run`', () => {
  it('passes piped stdin to the UART (the CLI, built by npm test)', async () => {
    const result = await execa('node', [BIN, 'run'], { cwd: join(EXAMPLES, 'uart-echo/lm3s6965'), input: 'from a pipe\nquit\n', reject: false, stripFinalNewline: false });
    expect(result.stdout).toBe(`${BANNER}from a pipe\nquit\nbye: echoed 17 bytes\n`);
    expect(result.exitCode).toBe(0);
  }, BUILD_TIMEOUT_MS);

  it('puts a terminal in raw mode for the run, passes keys through and stops QEMU on Ctrl-C', async () => {
    const keys = new PassThrough();
    const setRawMode = vi.fn();
    const terminal = Object.assign(keys, { isTTY: true, setRawMode }) as unknown as NodeJS.ReadStream;
    let output = '';
    let typed = false;
    const exit = await run({
      ...projectOptions('uart-echo/lm3s6965'),
      timeoutMs: QEMU_TIMEOUT_MS,
      uartInput: terminal,
      onOutput: (chunk) => {
        output += chunk;
        // The banner may arrive split over several chunks: type once all of it is out.
        if (!typed && output.startsWith(BANNER)) {
          typed = true;
          keys.write('typed\r');
        }
        if (output.endsWith('typed\n')) keys.write('\x03');
      },
    });
    expect(output).toBe(`${BANNER}typed\n`);
    expect(exit).toBe(EXIT_INTERRUPTED);
    expect(setRawMode.mock.calls).toEqual([[true], [false]]);
  }, BUILD_TIMEOUT_MS);
});
