import { test } from 'vitest';
import { generateFunction } from '../../src/backend-thumb2/codegen.js';
import { formatInst } from '../../src/backend-thumb2/printer.js';
import { decodeModule } from '../../src/frontend/decode.js';
import { watToBinary } from '../../src/frontend/load.js';
import { lowerModule } from '../../src/frontend/lower/module.js';
import { runPipeline } from '../../src/ir/pipeline.js';
test('show', async () => {
  const wat = `(module (memory 1)
  (func (export "sum") (param $p i32) (param $n i32) (result i32) (local $s i32) (local $unused i32)
    (block $done (loop $next
      (br_if $done (i32.eqz (local.get $n)))
      (local.set $s (i32.add (local.get $s) (i32.load (local.get $p))))
      (local.set $unused (i32.add (local.get $unused) (i32.const 7)))
      (local.set $p (i32.add (local.get $p) (i32.const 4)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br $next)))
    (local.get $s)))`;
  const module = decodeModule(await watToBinary(wat, 't.wat'), 't.wat');
  const ir = lowerModule(module, { prefix: 'wasm', file: 't.wat' });
  for (const f of ir.bodies) runPipeline(f, { verify: true, dump: () => {}, context: { module: ir } });
  const f = generateFunction(ir.bodies[0]!, ir);
  f.blocks.forEach((b, i) => { console.log(`L${i}:`); b.insts.forEach((x) => console.log('   ' + formatInst(x, { target: (l: number) => `L${l}` } as never))); });
});
