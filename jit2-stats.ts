import { readFileSync } from 'node:fs';
import { loadBoard } from './src/driver/board.js';
import { readLoadImage } from './src/elf/read-executable.js';
import { Machine } from './src/sim/machine.js';
const board = loadBoard('mps2-an385');
for (const file of process.argv.slice(2)) {
  const elf = readFileSync(file);
  const m = new Machine(board, readLoadImage(elf, file) as any, { onConsole: () => {}, jitThreshold: Number(process.env.T ?? 50) });
  const jit = (m as any).jit;
  const runs = new Map<number, number>();
  const orig = jit.blockAt.bind(jit);
  jit.blockAt = (pc: number) => { const b = orig(pc); if (b) { if (!b.__w) { const run = b.run; b.__n = 0; b.run = (c: any, s: any) => { b.__n++; run(c, s); }; b.__w = 1; } } return b; };
  m.run(20e9);
  const blocks = jit.compiled as any[];
  let len = 0, dyn = 0; const hist: number[] = [];
  for (const b of blocks) { len += b.length; dyn += b.__n * b.length; }
  console.log(file, 'blocks', blocks.length, 'total len', len, 'avg', (len / blocks.length).toFixed(1), 'insns in blocks', dyn, 'of', m.instructions);
  const sorted = blocks.map((b) => [b.length, b.__n]).sort((a, b) => a[0] * a[1] - b[0] * b[1]);
  console.log(sorted.filter(([l, n]) => n < 3000).length, 'blocks with < 3000 runs;', sorted.slice(0, 10).map(([l, n]) => `${l}x${n}`).join(' '), '...', sorted.slice(-8).map(([l, n]) => `${l}x${n}`).join(' '));
}
