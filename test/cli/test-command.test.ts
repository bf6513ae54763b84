// `mcu-aot test` end to end on QEMU: one .wat with passing, failing, trapping and hanging
// tests; results per test, summary, exit code and a JUnit file whose structure we check.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'mcu-aot-test-cmd-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const TESTS = new URL('./fixtures/firmware-tests.wat', import.meta.url).pathname;

/** Elements named `tag` with their attributes, in document order (enough for JUnit's flat shape). */
function elements(xml: string, tag: string): Record<string, string>[] {
  return [...xml.matchAll(new RegExp(`<${tag}((?:\\s+[\\w-]+="[^"]*")*)\\s*/?>`, 'g'))].map((m) =>
    Object.fromEntries([...m[1]!.matchAll(/([\w-]+)="([^"]*)"/g)].map((a) => [a[1]!, a[2]!])));
}

/** Every opened element is closed in order: a well-formedness check of our XML subset. */
function balanced(xml: string): boolean {
  const stack: string[] = [];
  for (const m of xml.replace(/<\?xml[^>]*\?>/, '').matchAll(/<(\/?)([\w-]+)[^>]*?(\/?)>/g)) {
    if (m[3] === '/') continue;
    if (m[1] === '/') {
      if (stack.pop() !== m[2]) return false;
    } else stack.push(m[2]!);
  }
  return stack.length === 0;
}

describe('mcu-aot test', () => {
  it('reports pass, fail, trap and timeout per test, a summary, exit 1 and JUnit XML', async () => {
    const junit = join(dir, 'report.xml');
    const result = await runCli(['test', TESTS, '--board', 'mps2-an385', '--timeout', '1', '--junit', junit]);
    const lines = result.stdout.split('\n');
    const line = (name: string): string => lines.find((l) => new RegExp(`\\s${name}\\b`).test(l)) ?? '';
    expect(line('test_pass')).toMatch(/^PASS\s/);
    expect(line('test_returns_zero')).toMatch(/^PASS\s/);
    expect(line('test_fails')).toMatch(/^FAIL\s+test_fails: returned 1/);
    expect(result.stdout).toContain('| hello from test');
    expect(line('test_traps')).toMatch(/^TRAP\s+test_traps: trap: unreachable/);
    expect(line('test_hangs')).toMatch(/^TIMEOUT\s+test_hangs: timed out after 1 s/);
    expect(line('test_after_hang')).toMatch(/^PASS\s/); // runs after the hang's restart
    expect(result.stdout).not.toContain('helper');
    expect(result.stdout).toContain('3 passed, 3 failed');
    expect(result.exitCode).toBe(1);

    const xml = readFileSync(junit, 'utf8');
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
    expect(balanced(xml)).toBe(true);
    expect(elements(xml, 'testsuite')).toEqual([expect.objectContaining({ tests: '6', failures: '3', name: 'firmware-tests.wat' })]);
    const cases = elements(xml, 'testcase');
    expect(cases.map((c) => c.name)).toEqual(['test_pass', 'test_returns_zero', 'test_fails', 'test_traps', 'test_hangs', 'test_after_hang']);
    for (const c of cases) expect(Number(c.time)).toBeGreaterThanOrEqual(0);
    expect(Number(cases[4]!.time)).toBeGreaterThanOrEqual(1);
    expect(elements(xml, 'failure').map((f) => f.type)).toEqual(['fail', 'trap', 'timeout']);
  }, 60_000);

  it.each(['c', 'wat', 'assemblyscript'])('passes in the %s init scaffold', async (lang) => {
    const project = join(dir, `scaffold-${lang}`);
    expect((await runCli(['init', project, '--lang', lang])).exitCode).toBe(0);
    const result = await runCli(['test'], { cwd: project });
    expect(result.stdout).toMatch(/^PASS\s+test_greeting/m);
    expect(result.stdout).toContain('1 passed, 0 failed');
    expect(result.exitCode).toBe(0);
  }, 60_000);

  it('refuses a module without tests', async () => {
    const ok = await runCli(['test', new URL('../../examples/hello.wat', import.meta.url).pathname, '--board', 'lm3s6965']);
    expect(ok.exitCode).toBe(1);
    expect(ok.stderr).toContain('no test exports');
  }, 60_000);
});
