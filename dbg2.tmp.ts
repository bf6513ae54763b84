import { loadBoard } from '/work/main/src/driver/board.js';
import { compileToObject } from '/work/main/src/driver/build.js';
import { loadProgram } from '/work/main/test/support/programs.js';
const p = loadProgram(process.argv[2]!, '/tmp');
for (const dis of ['', 'inline', 'const-fold', 'copy-prop', 'strength-reduce', 'gvn', 'licm', 'load-store-elim', 'bounds-check-elim']) {
  const { object } = await compileToObject({ input: p.wasmPath, board: loadBoard('lm3s6965'), emit: 'obj', log: () => {}, optLevel: 's', disablePasses: dis ? [dis] : [] });
  console.log(dis, object.sections.filter((s) => s.name.startsWith('.text')).reduce((n, s) => n + s.size, 0));
}
