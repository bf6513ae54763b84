import { it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { compileModule } from '../../src/backend-thumb2/compile.js';
import { decodeModule } from '../../src/frontend/decode.js';
import { validateModule } from '../../src/frontend/validate.js';
import { lowerModule } from '../../src/frontend/lower/module.js';
import { writeObject } from '../../src/elf/write-object.js';
it('x', () => {
  const m = decodeModule(readFileSync('/tmp/ct/a.wasm'));
  validateModule(m);
  const ir = lowerModule(m, { prefix: 'wasm' });
  writeFileSync('/tmp/ct/a.o', writeObject(compileModule(ir)));
});
