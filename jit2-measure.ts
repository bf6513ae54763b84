import { readFileSync } from 'node:fs';
import { loadBoard } from './src/driver/board.js';
import { simulateElf } from './src/sim/simulate.js';
const board = loadBoard('mps2-an385');
const modes = (process.env.MODES ?? 'jit,interp').split(',');
for (const file of process.argv.slice(2)) {
  const elf = readFileSync(file);
  const row: string[] = [file.split('/').pop()!];
  for (const mode of modes) {
    const u0 = process.cpuUsage();
    const r = simulateElf(elf, file, board, { maxInstructions: 20e9, ...(mode === 'interp' ? { jitThreshold: Infinity } : mode.startsWith('t') ? { jitThreshold: Number(mode.slice(1)) } : {}) });
    const u = process.cpuUsage(u0);
    const s = (u.user + u.system) / 1e6;
    row.push(`${mode}: ${(r.instructions / s / 1e6).toFixed(2)} MIPS (${r.instructions} insns, ${r.cycles} cyc, ${s.toFixed(2)}s ${r.stop.kind})`);
  }
  console.log(row.join(' | '));
}
