// `mcu-aot test`: firmware tests on QEMU. Every export named `test_*` of type () -> () or
// () -> i32 (nonzero = failure) is a test. ONE firmware calls them in turn (the C harness of
// test-harness.ts is its entry); a trap in a test is caught through runtime-c's trap hook
// and the next test runs. Each test has a time limit: the host watches the harness's
// `test:start` lines and kills QEMU when a test overruns, then boots a firmware whose
// harness starts at the next test, so a hang costs one limit, never the rest of the run.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runOnQemu } from '../../qemu/runner.js';
import { userError } from '../diagnostics/errors.js';
import type { IrModule } from '../ir/module.js';
import { exportSymbol } from '../backend-thumb2/symbols.js';
import { TRAP_KINDS } from '../ir/types.js';
import { compileToObject, type BuildOptions } from './build.js';
import type { ObjectFile } from '../elf/object.js';
import { compileHarnessC, withEntryRelocated } from './harness-firmware.js';
import { linkWithRuntime, loadFirmwareRuntime, type FirmwareRuntime } from './link-firmware.js';
import { parseHarnessLine, TEST_HARNESS_ENTRY, testHarnessSource, type HarnessTest } from './test-harness.js';

export const TEST_PREFIX = 'test_';

export interface TestOptions extends Omit<BuildOptions, 'emit' | 'output'> {
  /** Time limit of each test (and of booting up to the first one). */
  readonly timeoutMs: number;
  /** Called with each finished test, in order. */
  readonly onResult?: (result: TestResult) => void;
}

export type TestStatus = 'pass' | 'fail' | 'trap' | 'timeout' | 'crash';

export interface TestResult {
  /** The export name. */
  readonly name: string;
  readonly status: TestStatus;
  /** Why it did not pass: `returned 1`, the trap report line, the timeout, the crash. */
  readonly detail?: string;
  readonly timeMs: number;
  /** What the test printed on the console. */
  readonly output: readonly string[];
}

export interface TestReport {
  readonly board: string;
  readonly results: readonly TestResult[];
  readonly passed: number;
  readonly failed: number;
  readonly timeMs: number;
}

interface TestCase extends HarnessTest {
  readonly name: string;
}

/** The module's tests, in export order; a `test_*` export of another type is a UserError. */
export function discoverTests(ir: IrModule, file: string): TestCase[] {
  const tests: TestCase[] = [];
  for (const decl of ir.functions) {
    for (const name of decl.exports.filter((e) => e.startsWith(TEST_PREFIX))) {
      const sig = ir.signatures[decl.sigIndex]!;
      const returnsI32 = sig.results.length === 1 && sig.results[0] === 'i32';
      if (sig.params.length !== 0 || !(sig.results.length === 0 || returnsI32)) {
        throw userError('usage', `test export '${name}' has type (${sig.params.join(', ')}) -> (${sig.results.join(', ')})`,
          { file, context: `function ${decl.index}` }, 'a test takes no parameters and returns nothing or an i32 (nonzero = failure)');
      }
      tests.push({ name, symbol: exportSymbol(ir, name), returnsI32 });
    }
  }
  if (tests.length === 0) {
    throw userError('usage', `no test exports (functions named ${TEST_PREFIX}*)`, { file },
      'export e.g. `test_add` of type () -> () or () -> i32 (nonzero = failure)');
  }
  return tests;
}

const trapLine = (kind: number): string =>
  `trap: ${Object.entries(TRAP_KINDS).find(([, k]) => k === kind)?.[0] ?? `kind ${kind}`}`;

/** One boot of the test firmware from test `first` on: results of the tests it got through. */
interface BootOutcome {
  readonly results: TestResult[];
  /** Index of the next test to run; tests.length when all ran. */
  readonly next: number;
}

async function bootFrom(runtime: FirmwareRuntime, patched: ObjectFile, ir: IrModule,
  tests: readonly TestCase[], first: number, opts: TestOptions, dir: string): Promise<BootOutcome> {
  const harness = await compileHarnessC(runtime.board, testHarnessSource(tests, first), dir, 'test harness');
  const linked = linkWithRuntime(runtime, [patched, harness], { memory: ir.memory, stackSize: opts.stackSize });
  const elf = join(dir, `test-${first}.elf`);
  writeFileSync(elf, linked.elf);

  const results: TestResult[] = [];
  const deadline = new AbortController();
  let timer = setTimeout(() => deadline.abort(), opts.timeoutMs); // boot up to the first test
  let current: number | undefined;
  let startedAt = Date.now();
  let output: string[] = [];
  let pending = '';
  let ended = false;
  const finish = (status: TestStatus, detail?: string): void => {
    const test = tests[current!]!;
    const result: TestResult = { name: test.name, status, ...(detail !== undefined ? { detail } : {}), timeMs: Date.now() - startedAt, output };
    results.push(result);
    opts.onResult?.(result);
    current = undefined;
    output = [];
  };
  const onLine = (line: string): void => {
    const event = parseHarnessLine(line);
    if (event === undefined) {
      if (line.trim() !== '') output.push(line);
    } else if (event.kind === 'start') {
      current = event.index;
      opts.onProgress?.({ stage: 'testing', done: event.index, total: tests.length, item: tests[event.index]!.name });
      startedAt = Date.now();
      clearTimeout(timer);
      timer = setTimeout(() => deadline.abort(), opts.timeoutMs);
    } else if (event.kind === 'return') {
      const test = tests[event.index]!;
      if (event.value === 0) finish('pass');
      else finish('fail', `returned ${test.returnsI32 ? event.value | 0 : event.value}`);
    } else if (event.kind === 'trap') {
      finish('trap', trapLine(event.trap));
    } else {
      ended = true;
    }
  };
  const qemu = await runOnQemu(elf, runtime.board, {
    // The per-test deadline stops a hang; this only bounds a firmware that never stops printing.
    timeoutMs: opts.timeoutMs * (tests.length - first + 1),
    signal: deadline.signal,
    onOutput: (chunk) => {
      const lines = (pending + chunk).split(/\r?\n/);
      pending = lines.pop()!;
      lines.forEach(onLine);
    },
  });
  clearTimeout(timer);
  if (pending !== '') onLine(pending);
  if (ended) return { results, next: tests.length };
  if (current === undefined) {
    // Died outside any test: instantiation (start function, data segments) or between tests.
    const why = qemu.timedOut ? `no test started within ${opts.timeoutMs / 1000} s` : `firmware exited with ${qemu.exitCode}`;
    throw userError('test', `${why} before test ${tests[results.length === 0 ? first : first + results.length]?.name ?? '?'}`,
      { file: opts.input }, output.join('\n') || undefined);
  }
  if (qemu.timedOut) finish('timeout', `timed out after ${opts.timeoutMs / 1000} s`);
  else finish('crash', [...output.slice(-1), `firmware exited with ${qemu.exitCode}`].join('; '));
  return { results, next: first + results.length };
}

/** Build the test firmware of `opts.input`, run every test and report each. */
export async function runTests(opts: TestOptions): Promise<TestReport> {
  const began = Date.now();
  const { object, ir } = await compileToObject({ ...opts, emit: 'obj' });
  const tests = discoverTests(ir, opts.input);
  const patched = withEntryRelocated(object, TEST_HARNESS_ENTRY);
  const runtime = await loadFirmwareRuntime(opts.board);
  const dir = mkdtempSync(join(tmpdir(), 'mcu-aot-test-'));
  try {
    const results: TestResult[] = [];
    for (let first = 0; first < tests.length;) {
      const boot = await bootFrom(runtime, patched, ir, tests, first, opts, dir);
      results.push(...boot.results);
      first = boot.next;
    }
    const passed = results.filter((r) => r.status === 'pass').length;
    return { board: opts.board.name, results, passed, failed: results.length - passed, timeMs: Date.now() - began };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The line printed for one test: `PASS test_add (3 ms)`, `TRAP test_x: trap: unreachable`. */
export function formatTestResult(r: TestResult): string {
  const detail = r.detail !== undefined ? `: ${r.detail}` : '';
  return `${r.status.toUpperCase().padEnd(7)} ${r.name}${detail} (${r.timeMs} ms)`;
}

export const formatTestSummary = (report: TestReport): string => `${report.passed} passed, ${report.failed} failed`;
