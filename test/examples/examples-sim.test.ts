// The example projects in the host simulator: each example's firmware is built once, then
// booted both on QEMU (the oracle) and in the simulator with the same console input; the
// console output and exit code must be the same. Covers SysTick and UART receive
// interrupts (uart-echo on the PL011 and the CMSDK UART), and `mcu-aot sim` itself passing
// piped stdin to the UART in a project folder, as `mcu-aot run` does.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { execa } from 'execa';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { runOnQemu } from '../../qemu/runner.js';
import { loadBoard } from '../../src/driver/board.js';
import { build } from '../../src/driver/build.js';
import { findProjectConfig, resolveProjectSettings } from '../../src/driver/project.js';
import { sim } from '../../src/driver/sim.js';
import { simulateElf, simulateElfInteractive } from '../../src/sim/simulate.js';
import { UartInputQueue } from '../../src/sim/uart-input.js';

const EXAMPLES = new URL('../../examples/', import.meta.url).pathname;
const BIN = new URL('../../bin/mcu-aot.js', import.meta.url).pathname;
const BUILD_TIMEOUT_MS = 180_000;
const QEMU_TIMEOUT_MS = 30_000;
const MAX_CYCLES = 500_000_000;
const work = mkdtempSync(join(tmpdir(), 'mcu-aot-examples-sim-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The example's project settings, as `mcu-aot build` in its folder uses them. */
function projectOptions(example: string) {
  const config = findProjectConfig(join(EXAMPLES, example));
  if (config === undefined) throw new Error(`examples/${example} has no mcu-aot.toml`);
  const settings = resolveProjectSettings({}, config, '.elf');
  return {
    input: settings.input,
    board: loadBoard(settings.board),
    log: () => {},
    ...(settings.optLevel !== undefined ? { optLevel: settings.optLevel } : {}),
    grants: [...config.peripherals],
    interrupts: [...config.interrupts],
  };
}

async function buildExample(example: string): Promise<string> {
  const output = join(work, `${example.replace('/', '-')}.elf`);
  return (await build({ ...projectOptions(example), emit: 'elf', output })).outputs[0]!;
}

/** QEMU and the simulator on the same firmware and the same UART input. */
async function bothWays(example: string, input: string) {
  const elf = await buildExample(example);
  const board = projectOptions(example).board;
  const qemu = await runOnQemu(elf, board, { timeoutMs: QEMU_TIMEOUT_MS, input });
  const result = await simulateElfInteractive(readFileSync(elf), elf, board, { maxCycles: MAX_CYCLES, uartInput: UartInputQueue.of(Buffer.from(input, 'latin1')) });
  return { qemu: { output: qemu.output, exit: qemu.exitCode }, sim: { output: result.output, exit: result.stop.kind === 'exit' ? result.stop.code : result.stop.kind } };
}

describe.each(['hello-c', 'hello-as', 'systick-timer'])('%s', (example) => {
  it('prints the same and exits the same in the simulator as on QEMU', async () => {
    const { qemu, sim } = await bothWays(example, '');
    expect(qemu.exit).toBe(0);
    expect(sim).toEqual(qemu);
  }, BUILD_TIMEOUT_MS);
});

const BANNER = 'uart-echo: type a line; "quit" or Ctrl-D ends\n';
const LONG_LINE = Array.from({ length: 200 }, (_, i) => String.fromCharCode(0x21 + (i % 90))).join('');

describe.each(['lm3s6965', 'mps2-an385'])('uart-echo/%s', (folder) => {
  const example = `uart-echo/${folder}`;

  it('echoes what is typed from its receive interrupt, the same as on QEMU', async () => {
    // More than a PL011's 16-byte FIFO and a CMSDK UART's one byte: the UART holds input back.
    const { qemu, sim } = await bothWays(example, `hello\n${LONG_LINE}\rquit\n`);
    expect(qemu).toEqual({ output: `${BANNER}hello\n${LONG_LINE}\nquit\nbye: echoed ${6 + 201 + 5} bytes\n`, exit: 0 });
    expect(sim).toEqual(qemu);
  }, BUILD_TIMEOUT_MS);

  it('ends on Ctrl-D and ignores what follows', async () => {
    const { qemu, sim } = await bothWays(example, 'ab\n\x04cd\n');
    expect(qemu).toEqual({ output: `${BANNER}ab\nbye: echoed 3 bytes\n`, exit: 0 });
    expect(sim).toEqual(qemu);
  }, BUILD_TIMEOUT_MS);

  it('stops as a sleep nothing can wake once the input has ended without "quit"', async () => {
    const elf = await buildExample(example);
    const result = simulateElf(readFileSync(elf), elf, projectOptions(example).board, { maxCycles: MAX_CYCLES });
    expect(result.output).toBe(BANNER);
    expect(result.stop.kind).toBe('sleep');
  }, BUILD_TIMEOUT_MS);
});

describe('uart-echo typed at a terminal in `mcu-aot sim`', () => {
  it('waits for keys while the firmware sleeps, puts the terminal in raw mode and ends on Ctrl-C', async () => {
    const keys = new PassThrough();
    const setRawMode = vi.fn();
    const terminal = Object.assign(keys, { isTTY: true, setRawMode }) as unknown as NodeJS.ReadStream;
    let output = '';
    const run = await sim({
      ...projectOptions('uart-echo/mps2-an385'),
      input: await buildExample('uart-echo/mps2-an385'),
      uartInput: terminal,
      onOutput: (chunk) => {
        output += chunk;
        // Typed only once the firmware has started sleeping: the run must wait for it.
        if (output === BANNER) setTimeout(() => keys.write('typed\r'), 50);
        if (output.endsWith('typed\n')) setTimeout(() => keys.write('\x03'), 50);
      },
    });
    expect(run.interrupted).toBe(true);
    expect(run.result.stop).toMatchObject({ kind: 'error', message: 'interrupted (Ctrl-C)' });
    expect(output).toBe(`${BANNER}typed\n`);
    expect(setRawMode.mock.calls).toEqual([[true], [false]]);
  }, BUILD_TIMEOUT_MS);
});

describe('`mcu-aot sim` in an example folder (the CLI, built by npm test)', () => {
  it('builds the project\'s input and passes piped stdin to the UART', async () => {
    const result = await execa('node', [BIN, 'sim'], { cwd: join(EXAMPLES, 'uart-echo/lm3s6965'), input: 'from a pipe\nquit\n', reject: false, stripFinalNewline: false });
    expect(result.stdout).toBe(`${BANNER}from a pipe\nquit\nbye: echoed 17 bytes\n`);
    expect(result.exitCode).toBe(0);
  }, BUILD_TIMEOUT_MS);
});
