// The HAL's generated bindings are the committed files, and docs/hal.md documents every
// HAL function.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HAL_FUNCTIONS } from '../../src/frontend/hal.js';
import { halBindingFiles } from '../../src/frontend/hal-bindings.js';

const root = new URL('../../', import.meta.url).pathname;

describe('HAL bindings', () => {
  it.each(Object.entries(halBindingFiles()))('%s equals the output of npm run gen:hal', (path, text) => {
    expect(readFileSync(root + path, 'utf8')).toBe(text);
  });

  it('declare every HAL function in both languages, with its import name', () => {
    const files = halBindingFiles();
    for (const f of HAL_FUNCTIONS) {
      expect(files['lib/assemblyscript/mcu.ts']).toContain(`@external("mcu", "${f.name}")\nexport declare function ${f.name}(`);
      expect(files['lib/c/mcu.h']).toContain(`MCU_HAL_IMPORT(${f.name}) `);
    }
  });

  it('docs/hal.md has a row for every HAL function', () => {
    const doc = readFileSync(root + 'docs/hal.md', 'utf8');
    for (const f of HAL_FUNCTIONS) expect(doc).toMatch(new RegExp(`^\\| \`${f.name}\\(`, 'm'));
  });
});
