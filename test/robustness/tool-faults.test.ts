// Faults in the tools around the compiler, through the real `mcu-aot` command (bin/mcu-aot.js
// over dist/: npm run build first):
// - a build killed with SIGKILL at any moment leaves its output absent or whole (readelf
//   accepts it and it has the bytes of an undisturbed build), and the next build removes the
//   temporary file the killed one left; a refused write leaves no temporary file;
// - a QEMU that hangs ignoring SIGTERM, crashes, fails with garbage on stderr or leaves a
//   process holding its pipes never hangs `mcu-aot run`, and its failure names the board and
//   the firmware (a stand-in qemu-system-arm first on PATH);
// - `run`, `sim` and `flash` of an ELF with no --board and no project take the board the
//   ELF records.
// Interrupted flashing is in test/flash/interrupted-flash.test.ts.

import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, watch, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/diagnostics/errors.js';
import { loadBoard } from '../../src/driver/board.js';
import { build } from '../../src/driver/build.js';
import { removeStaleTemps, tempPathFor, writeFileAtomic } from '../../src/driver/output.js';
import { I32, sleb, uleb, writeModule } from './wasm-writer.js';

const BIN = new URL('../../bin/mcu-aot.js', import.meta.url).pathname;
const HELLO = new URL('../../examples/hello.wat', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'mcu-aot-tool-faults-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface CliRun {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

/** The command in `dir` (outside any project), with `pathFirst` ahead of PATH. */
async function cli(args: readonly string[], pathFirst?: string): Promise<CliRun> {
  const started = Date.now();
  const env = { NO_COLOR: '1', ...(pathFirst !== undefined ? { PATH: `${pathFirst}:${process.env['PATH'] ?? ''}` } : {}) };
  const r = await execa('node', [BIN, ...args], { cwd: dir, reject: false, env, stdin: 'ignore', stripFinalNewline: false });
  return { exitCode: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr), ms: Date.now() - started };
}

const errorLines = (stderr: string): string[] => stderr.split('\n').filter((l) => l.startsWith('error['));

/** A process with this id still runs (a zombie waiting for a container's init to reap it does not). */
function running(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** `n` functions in a call chain from _start, each doing a little arithmetic, so none is dead. */
function chainModule(n: number): Uint8Array {
  const call = (f: number): number[] => [0x10, ...uleb(f)];
  const functions = Array.from({ length: n }, (_, i) => ({
    params: [I32], results: [I32],
    // local.get 0; i32.const k; i32.mul; i32.const i; i32.xor; call next (or nothing at the end)
    body: [0x20, 0x00, 0x41, ...sleb(i * 7 + 3), 0x6c, 0x41, ...sleb(i), 0x73, ...(i + 1 < n ? call(i + 1) : [])],
  }));
  // _start: drop (call f0 (i32.const 1))
  const start = { params: [], results: [], body: [0x41, 0x01, ...call(0), 0x1a], exportName: '_start' };
  return writeModule({ functions: [...functions, start], memoryPages: 1 });
}

/** readelf's verdict on a file: accepted as a whole ELF (headers, sections, segments). */
async function readelfAccepts(path: string): Promise<boolean> {
  const r = await execa('arm-none-eabi-readelf', ['-h', '-S', '-l', '-W', path], { reject: false });
  return r.exitCode === 0 && !/error|warning/i.test(String(r.stderr));
}

/** Start `mcu-aot build`; `kill` SIGKILLs it; `done` is its end. */
function startBuild(input: string, output: string): { pid: number; kill: () => void; done: Promise<void> } {
  const child = spawn('node', [BIN, 'build', input, '--board', 'lm3s6965', '-o', output], { cwd: dir, stdio: 'ignore', env: { ...process.env, NO_COLOR: '1' } });
  const done = new Promise<void>((resolve) => child.on('close', () => resolve()));
  return { pid: child.pid!, kill: () => child.kill('SIGKILL'), done };
}

/** After a build of `folder/app.elf` was killed: the outputs are absent or those of the
 *  undisturbed build, and any temporary file belongs to the killed process (or `planted`). */
async function expectWholeOrAbsent(folder: string, killedPid: number, baseline: string, planted?: string): Promise<void> {
  const files = existsSync(folder) ? readdirSync(folder) : [];
  for (const name of files.filter((f) => f.startsWith('.') && f !== planted)) expect(name).toMatch(new RegExp(`^\\.app\\.(elf|bin|map)\\.tmp-${killedPid}$`));
  if (!files.includes('app.elf')) return;
  expect(await readelfAccepts(join(folder, 'app.elf'))).toBe(true);
  // the ELF is written last: when it is there, so are its .bin and .map, whole
  for (const ext of ['elf', 'bin', 'map']) expect(readFileSync(join(folder, `app.${ext}`))).toEqual(readFileSync(join(baseline, `app.${ext}`)));
}

describe('a killed build leaves no partial output', () => {
  const input = join(dir, 'chain.wasm');
  const baseline = join(dir, 'baseline');
  let buildMs = 0;

  beforeAll(async () => {
    writeFileSync(input, chainModule(400));
    const r = await cli(['build', input, '--board', 'lm3s6965', '-o', join(baseline, 'app.elf')]);
    expect(r.exitCode, r.stderr).toBe(0);
    buildMs = r.ms;
    expect(await readelfAccepts(join(baseline, 'app.elf'))).toBe(true);
  }, 120_000);

  it('SIGKILL at several random moments: the ELF is absent or whole, and the next build cleans up', async () => {
    // Spread over the whole build, the writing at its end included.
    for (const [i, fraction] of [0.5, 0.9, 1.0, 1.1].entries()) {
      const folder = join(dir, `killed-${i}`);
      const run = startBuild(input, join(folder, 'app.elf'));
      const timer = setTimeout(run.kill, buildMs * fraction * (0.9 + Math.random() * 0.2));
      await run.done;
      clearTimeout(timer);
      await expectWholeOrAbsent(folder, run.pid, baseline);
      // the next, undisturbed build over the same folder is whole and leaves no temporary file
      if (i % 2 === 0) {
        const again = await cli(['build', input, '--board', 'lm3s6965', '-o', join(folder, 'app.elf')]);
        expect(again.exitCode, again.stderr).toBe(0);
        expect(readdirSync(folder).sort()).toEqual(['app.bin', 'app.elf', 'app.map']);
        expect(readFileSync(join(folder, 'app.elf'))).toEqual(readFileSync(join(baseline, 'app.elf')));
      }
    }
  }, 300_000);

  it('SIGKILL the moment the ELF\'s temporary file appears: no half ELF; the stale temporary file goes, a live one stays', async () => {
    const folder = join(dir, 'killed-writing');
    mkdirSync(folder);
    // A temporary file of a process that runs (vitest's own) is another build at work: not stale.
    const live = `.app.elf.tmp-${process.ppid}`;
    writeFileSync(join(folder, live), 'another build at work');
    const run = startBuild(input, join(folder, 'app.elf'));
    const watcher = watch(folder, (_event, name) => {
      if (name === `.app.elf.tmp-${run.pid}`) run.kill();
    });
    await run.done;
    watcher.close();
    await expectWholeOrAbsent(folder, run.pid, baseline, live);
    const again = await cli(['build', input, '--board', 'lm3s6965', '-o', join(folder, 'app.elf')]);
    expect(again.exitCode, again.stderr).toBe(0);
    expect(readdirSync(folder).sort()).toEqual([live, 'app.bin', 'app.elf', 'app.map']);
    expect(readFileSync(join(folder, 'app.elf'))).toEqual(readFileSync(join(baseline, 'app.elf')));
  }, 120_000);
});

describe('writing outputs', () => {
  it('a write the file system refuses is one user error naming the path, with no temporary file left', async () => {
    const folder = join(dir, 'refused');
    mkdirSync(join(folder, 'app.elf'), { recursive: true }); // the output path is a folder
    writeFileSync(join(folder, 'app.elf', 'keep'), 'x');
    const r = await cli(['build', HELLO, '--board', 'lm3s6965', '-o', join(folder, 'app.elf')]);
    expect(r.exitCode).toBe(1);
    expect(errorLines(r.stderr)).toEqual([`error[output]: cannot write output: cannot write '${join(folder, 'app.elf')}': it is a folder`]);
    expect(readdirSync(folder).filter((f) => f.includes('.tmp-'))).toEqual([]);
  }, 60_000);

  it('removes the temporary files of dead processes only', async () => {
    const folder = join(dir, 'stale');
    mkdirSync(folder);
    const target = join(folder, 'fw.elf');
    const gone = spawn('true');
    await new Promise((resolve) => gone.on('close', resolve));
    writeFileSync(tempPathFor(target, gone.pid!), 'half');
    writeFileSync(tempPathFor(target, process.ppid), 'in progress'); // a process that runs
    writeFileSync(join(folder, '.other.elf.tmp-1'), 'not this output\'s');
    expect(removeStaleTemps(target)).toEqual([tempPathFor(target, gone.pid!)]);
    writeFileAtomic(target, 'whole');
    expect(readdirSync(folder).sort()).toEqual([`.fw.elf.tmp-${process.ppid}`, '.other.elf.tmp-1', 'fw.elf']);
    expect(readFileSync(target, 'utf8')).toBe('whole');
    expect(() => writeFileAtomic(join(target, 'inside'), 'x')).toThrow(UserError);
  });
});

describe('a QEMU that misbehaves', () => {
  let firmware = '';
  beforeAll(async () => {
    firmware = join(dir, 'hello-an385.elf');
    await build({ input: HELLO, board: loadBoard('mps2-an385'), output: firmware, emit: 'elf', log: () => undefined });
  }, 60_000);

  /** A stand-in qemu-system-arm running `script` (sh); its folder, to put first on PATH. */
  function fakeQemu(name: string, script: string): string {
    const folder = join(dir, `fake-${name}`);
    mkdirSync(folder);
    writeFileSync(join(folder, 'qemu-system-arm'), `#!/bin/sh\n${script}\n`);
    chmodSync(join(folder, 'qemu-system-arm'), 0o755);
    return folder;
  }

  const names = (line: string | undefined): void => {
    expect(line).toContain('mps2-an385');
    expect(line).toContain(firmware);
  };

  it('that hangs ignoring SIGTERM is killed at the timeout, its processes gone, naming board and firmware', async () => {
    const pids = join(dir, 'hang.pids');
    const fake = fakeQemu('hang', `trap '' TERM INT HUP\nsleep 600 &\necho $$ $! > ${pids}\nwait`);
    const r = await cli(['run', firmware, '--timeout', '1'], fake);
    expect(r.exitCode, r.stderr).toBe(1);
    expect(errorLines(r.stderr), r.stderr).toHaveLength(1);
    expect(r.ms).toBeLessThan(30_000);
    const [line] = errorLines(r.stderr);
    expect(line).toMatch(/^error\[timeout\]: firmware timed out: no exit after 1 s on mps2-an385/);
    names(line);
    for (const pid of readFileSync(pids, 'utf8').trim().split(' ').map(Number)) expect(running(pid)).toBe(false);
  }, 60_000);

  it('that dies of SIGSEGV is a QEMU error naming board and firmware', async () => {
    const r = await cli(['run', firmware], fakeQemu('segv', 'echo "about to crash" >&2\nkill -SEGV $$'));
    expect(r.exitCode).toBe(1);
    const [line] = errorLines(r.stderr);
    expect(line).toMatch(/^error\[qemu\]: QEMU error: qemu-system-arm was killed by SIGSEGV; it said: about to crash/);
    names(line);
  }, 60_000);

  it('that exits 1 with garbage on stderr is a QEMU error quoting it, naming board and firmware', async () => {
    const r = await cli(['run', firmware], fakeQemu('garbage', 'printf \'\\001\\002 *** bad things @@ 0xdeadbeef\\n\' >&2\nexit 1'));
    expect(r.exitCode).toBe(1);
    const [line] = errorLines(r.stderr);
    expect(line).toMatch(/^error\[qemu\]: QEMU error: qemu-system-arm exited with status 1 before the firmware printed anything; it said: .*\*\*\* bad things @@ 0xdeadbeef/);
    names(line);
  }, 60_000);

  it('that exits leaving a process holding its output open does not hang the run', async () => {
    const pid = join(dir, 'orphan.pid');
    const r = await cli(['run', firmware], fakeQemu('orphan', `echo hi\nsetsid sleep 30 &\necho $! > ${pid}\nexit 3`));
    try {
      expect(r.exitCode).toBe(3);
      expect(r.stdout).toBe('hi\n');
      expect(r.ms).toBeLessThan(20_000);
    } finally {
      process.kill(Number(readFileSync(pid, 'utf8')), 'SIGKILL');
    }
  }, 60_000);
});

describe('an ELF given with no --board and no project uses the board it records', () => {
  let an385 = '';
  let lm3s = '';
  beforeAll(async () => {
    an385 = join(dir, 'rec-an385.elf');
    lm3s = join(dir, 'rec-lm3s.elf');
    await build({ input: HELLO, board: loadBoard('mps2-an385'), output: an385, emit: 'elf', log: () => undefined });
    await build({ input: HELLO, board: loadBoard('lm3s6965'), output: lm3s, emit: 'elf', log: () => undefined });
  }, 60_000);

  it('run boots it on that board\'s QEMU machine', async () => {
    const fake = join(dir, 'fake-args');
    mkdirSync(fake);
    writeFileSync(join(fake, 'qemu-system-arm'), '#!/bin/sh\necho "$@"\n');
    chmodSync(join(fake, 'qemu-system-arm'), 0o755);
    expect((await cli(['run', an385], fake)).stdout).toMatch(/^-M mps2-an385 .* -kernel \S*rec-an385\.elf/);
    expect((await cli(['run', lm3s], fake)).stdout).toMatch(/^-M lm3s6965evb .* -kernel \S*rec-lm3s\.elf/);
  }, 60_000);

  it('sim runs it', async () => {
    const r = await cli(['sim', lm3s]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toBe('Hello from WebAssembly on an MCU!\n');
  }, 60_000);

  it('flash uses that board\'s flash method (OpenOCD for lm3s6965, a gdbserver for mps2-an385)', async () => {
    const openocd = await cli(['flash', lm3s, '--dry-run']);
    expect(openocd.exitCode, openocd.stderr).toBe(0);
    expect(openocd.stdout).toMatch(/^openocd .*target\/stellaris\.cfg/);
    const gdb = await cli(['flash', an385, '--dry-run']);
    expect(gdb.exitCode, gdb.stderr).toBe(0);
    expect(gdb.stdout).toMatch(/^connect to the gdbserver at localhost:3333/);
  }, 60_000);

  it('an ELF that records no board still needs --board', async () => {
    const bare = join(dir, 'bare.elf');
    const r0 = await execa('arm-none-eabi-objcopy', ['--remove-section=.mcu_aot.board', lm3s, bare], { reject: false });
    expect(r0.exitCode, String(r0.stderr)).toBe(0);
    const r = await cli(['sim', bare]);
    expect(r.exitCode).toBe(1);
    expect(errorLines(r.stderr)[0]).toMatch(/^error\[usage\]: usage error: no board given/);
  }, 60_000);
});
