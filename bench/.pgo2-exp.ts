import { readFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { selectPrograms } from './programs.js';
import { buildWasmModule } from './wasm-build.js';
import { build } from '../src/driver/build.js';
import { loadBoard } from '../src/driver/board.js';
import { profileFirmware } from '../src/driver/profile.js';
import { simulateElf } from '../src/sim/simulate.js';
const board = await (loadBoard as any)('mps2-an385');
for (const name of process.argv.slice(2)) {
  const [p] = selectPrograms([name]);
  const dir = `/tmp/pgo2/${name}`; mkdirSync(dir, { recursive: true });
  const m = await buildWasmModule(p!, dir);
  const log = (l: string) => console.error('  ' + l);
  let t = Date.now();
  await build({ input: m.wasm, board, emit: 'elf', output: join(dir, 'plain.elf'), log });
  const tb = Date.now() - t; t = Date.now();
  const run = await profileFirmware({ input: m.wasm, board, output: join(dir, 'app.profile'), log, onOutput: () => {}, onSemihosting: () => {} });
  const tp = Date.now() - t; t = Date.now();
  await build({ input: m.wasm, board, emit: 'elf', output: join(dir, 'pgo.elf'), log, profile: join(dir, 'app.profile'), pgoReport: join(dir, 'report.txt') });
  const a = simulateElf(readFileSync(join(dir, 'plain.elf')), 'plain', board);
  const b = simulateElf(readFileSync(join(dir, 'pgo.elf')), 'pgo', board);
  console.log(`${name}: build ${tb}ms profile ${tp}ms; plain ${a.cycles} cyc ${a.instructions} ins ${JSON.stringify(a.stop)}; pgo ${b.cycles} cyc ${b.instructions} ins ${JSON.stringify(b.stop)}; ratio ${(b.cycles/a.cycles).toFixed(3)} profile-run cycles ${run.profile.run.cycles}`);
}
