import { test, expect } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { runOnQemu } from '../../qemu/runner.js';
import { loadBoard } from '../../src/driver/board.js';
import { build } from '../../src/driver/build.js';
import { runInNode } from '../support/node-oracle.js';
test('loops.c', async () => {
  execFileSync('clang-14', ['--target=wasm32-wasi', '-O2', '-o', '/tmp/cl/l.wasm', 'test/frontend/fixtures/lower-loops.c', '-Wl,--initial-memory=65536', '-z', 'stack-size=8192']);
  const node = runInNode(readFileSync('/tmp/cl/l.wasm'));
  const board = loadBoard('lm3s6965');
  await build({ input: '/tmp/cl/l.wasm', board, emit: 'elf', output: '/tmp/cl/l.elf', log: () => {} });
  const q = await runOnQemu('/tmp/cl/l.elf', board, { timeoutMs: 20000 });
  console.log(node, q.output, q.exitCode);
  expect(q.exitCode).toBe(node.exitCode);
}, 60000);
