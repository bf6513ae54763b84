import { readFileSync } from 'node:fs';
import { decodeModule } from '../src/frontend/decode.js';
import { lowerModule } from '../src/frontend/lower/module.js';
import { runPipeline } from '../src/ir/pipeline.js';
import { loadBuildProfile, profiledPipeline } from '../src/pgo/build-profile.js';
const [name, fidx] = process.argv.slice(2);
const dir = `/tmp/pgo2/${name}`;
const wasmFile = `${dir}/${name}.wasm`;
const bytes = readFileSync(wasmFile);
const module = decodeModule(bytes, wasmFile);
const ir = lowerModule(module, { prefix: 'wasm', file: wasmFile, hal: { grants: [] } });
const profile = loadBuildProfile({ file: `${dir}/app.profile`, wasm: bytes, module, board: 'mps2-an385', log: console.error });
for (const f of ir.bodies) {
  const profiled = profiledPipeline(profile, f.index, undefined);
  let view = profiled.profile;
  if (view && f.index === Number(fidx)) {
    const v = view;
    view = { ...v, decisions: v.decisions,
      callSiteCount: (o) => { const r = v.callSiteCount(o); console.log(`callSiteCount(${o}) = ${r}`); return r; },
      blockCount: (k) => { const r = v.blockCount(k); console.log(`blockCount(${k.srcOffset},${k.ordinal}) = ${r}`); return r; },
    };
  }
  runPipeline(f, { disable: [], dumpAfter: f.index === Number(fidx) ? (process.argv[4] ? [process.argv[4]] : []) : [], verify: false, dump: (p, t) => console.log(t), context: { module: ir, ...(view && { profile: view }) }, ...(profiled.optLevel && { optLevel: profiled.optLevel }) });
}
