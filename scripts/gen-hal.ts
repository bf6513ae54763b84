// `npm run gen:hal`: writes the HAL bindings (lib/assemblyscript/mcu.ts, lib/c/mcu.h) from
// src/frontend/hal.ts. Commit the output; test/hal/bindings.test.ts checks it is current.

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { halBindingFiles } from '../src/frontend/hal-bindings.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
for (const [path, text] of Object.entries(halBindingFiles())) {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
  console.log(`wrote ${path}`);
}
