import { readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { loadBoard } from '../src/driver/board.js';
import { simulateElf } from '../src/sim/simulate.js';
const board = loadBoard('mps2-an385');
const [name, sym] = process.argv.slice(2);
for (const e of ['plain', 'pgo']) {
  const path = `/tmp/pgo2/${name}/${e}.elf`;
  const r = simulateElf(readFileSync(path), path, board, { profile: true });
  const c = r.counts!;
  const dis = execFileSync('arm-none-eabi-objdump', ['-d', '--no-show-raw-insn', path], { maxBuffer: 1 << 28 }).toString().split('\n');
  let on = false; const out: string[] = []; let total = 0; let takenTotal = 0;
  for (const line of dis) {
    if (line.includes(`<${sym}>:`)) { on = true; continue; }
    if (on && line.trim() === '') break;
    if (!on) continue;
    const m = /^\s*([0-9a-f]+):/.exec(line);
    const idx = m ? c.indexOf(parseInt(m[1]!, 16)) : -1; const n = idx < 0 ? 0 : c.executed[idx]!; const tk = idx < 0 ? 0 : c.taken[idx]!; takenTotal += tk;
    total += n;
    out.push(`${String(n).padStart(8)} ${String(tk).padStart(8)} ${line}`);
  }
  writeFileSync(`/tmp/pgo2/${name}/${e}.${sym}.annot`, out.join('\n'));
  console.log(e, total, "taken", takenTotal, "cycles", r.cycles);
}
