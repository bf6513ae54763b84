// Stack exhaustion on QEMU (docs/abi.md, "Stack exhaustion"): self, mutual, indirect and
// big-frame recursion trap with 'call stack exhausted' on both boards, memory outside the
// stack is intact afterwards and recursion works again (test/e2e/stack/*.wast, run with
// the spec runner, whose trap hook resumes after each trap).

import { describe, expect, it } from 'vitest';
import { loadBoard } from '../../src/driver/board.js';
import { runSpec } from '../spec/runner.js';

const STACK_DIR = new URL('./stack/', import.meta.url).pathname;

describe.each(['lm3s6965', 'mps2-an385'])('stack exhaustion on QEMU %s', (boardName) => {
  it('traps every unbounded recursion and leaves the rest of memory intact', { timeout: 120_000 }, async () => {
    const [report] = await runSpec({ board: loadBoard(boardName), files: ['stack-exhaustion.wast'], jobs: 1, suiteDir: STACK_DIR });
    const results = report!.results;
    expect(results.filter((r) => r.status !== 'pass').map((r) => `${r.line}: ${r.reason} ${r.detail ?? ''}`)).toEqual([]);
    expect(results).toHaveLength(12) // the module and its 11 commands;
  });
});
