import { loadBoard } from '/work/main/src/driver/board.js';
import { compileToObject } from '/work/main/src/driver/build.js';
import { loadProgram } from '/work/main/test/support/programs.js';
const p = loadProgram(process.argv[2]!, '/tmp');
const level = process.argv[3]!;
const pass = process.argv[4]!;
const lines: string[] = [];
await compileToObject({ input: p.wasmPath, board: loadBoard('lm3s6965'), emit: 'obj', log: (l) => lines.push(l), optLevel: level as any, dumpAfter: [pass] });
console.log(lines.join('\n'));
