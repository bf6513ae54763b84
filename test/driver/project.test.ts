import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/diagnostics/errors.js';
import { findProjectConfig, lineOfKey, parseProjectConfig, projectFirmware, resolveProjectSettings } from '../../src/driver/project.js';

const FILE = '/proj/mcu-aot.toml';

const FULL = `# a project
board = "lm3s6965"
input = "src/main.c"
output_dir = "build"
memory = "32K"
stack_size = 4096
opt_level = "-Os"
profile = "app.profile"

[peripherals]
uart0 = { base = 0x4000C000, size = 0x1000 }
gpio = { base = 0x40004000, size = 0x1000, access = "r" }

[interrupts]
UART0 = "on_uart0"
5 = "on_irq5"
`;

function configError(text: string): UserError {
  try {
    parseProjectConfig(text, FILE);
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    expect((e as UserError).code).toBe('config');
    return e as UserError;
  }
  throw new Error('expected a config error');
}

describe('parseProjectConfig', () => {
  it('reads every key, resolving paths against the file\'s folder', () => {
    const c = parseProjectConfig(FULL, FILE);
    expect(c).toMatchObject({
      file: FILE,
      board: 'lm3s6965',
      input: '/proj/src/main.c',
      outputDir: '/proj/build',
      profile: '/proj/app.profile',
      memory: 32 * 1024,
      stackSize: 4096,
      optLevel: 's',
    });
    expect(c.peripherals).toEqual([
      { name: 'uart0', base: 0x4000c000, size: 0x1000, access: 'rw', where: `${FILE}:11` },
      { name: 'gpio', base: 0x40004000, size: 0x1000, access: 'r', where: `${FILE}:12` },
    ]);
    expect(c.interrupts.find((i) => i.irq === '5')?.where).toBe(`${FILE}:16`);
    // TOML tables have no order that matters: compare as a set.
    expect(new Set(c.interrupts.map((i) => `${i.irq}=${i.handler}`))).toEqual(new Set(['UART0=on_uart0', '5=on_irq5']));
  });

  it('accepts an empty file', () => {
    expect(parseProjectConfig('', FILE)).toEqual({ file: FILE, peripherals: [], interrupts: [] });
  });

  it('names the file, the line and the key of a bad value', () => {
    const e = configError('board = "lm3s6965"\n\nmemory = "lots"\n');
    expect(e.message).toContain(`${FILE}:3`);
    expect(e.message).toContain("key 'memory'");
    expect(e.message).toContain('"lots"');
  });

  it('rejects unknown keys (typos) with their line', () => {
    const e = configError('board = "x"\nstack = 4096\n');
    expect(e.message).toContain(`${FILE}:2`);
    expect(e.message).toContain("key 'stack'");
    expect(e.message).toContain('unknown key');
  });

  it('reports TOML syntax errors with smol-toml\'s line', () => {
    const e = configError('board = "x"\ninput = \n');
    expect(e.message).toMatch(new RegExp(`${FILE}:2`));
    expect(e.message).toContain('not valid TOML');
  });

  it('rejects an unknown optimisation level', () => {
    expect(configError('opt_level = "-O9"\n').message).toContain("key 'opt_level'");
  });

  it('checks [peripherals] entries', () => {
    const text = '[peripherals]\nuart0 = { base = 0x4000C000, size = 0x1000 }\nbad = { base = 0x40000000, size = 0x1000, access = "x" }\n';
    const e = configError(text);
    expect(e.message).toContain("key 'peripherals.bad.access'");
    expect(e.message).toContain(`${FILE}:3`);
    expect(configError('[peripherals]\ntop = { base = 0xFFFFF000, size = 0x2000 }\n').message).toContain('past the 32-bit address space');
    expect(configError('[peripherals]\nx = { base = 0, size = 0 }\n').message).toContain("key 'peripherals.x.size'");
    expect(configError('[peripherals.x]\nbase = 1\nsize = 4\nwidth = 2\n').message).toContain(`${FILE}:4`);
  });

  it('checks [interrupts] entries', () => {
    const e = configError('[interrupts]\nUART0 = 5\n');
    expect(e.message).toContain("key 'interrupts.UART0'");
    expect(e.message).toContain(`${FILE}:2`);
  });
});

describe('lineOfKey', () => {
  it('finds keys in tables, dotted tables and inline tables', () => {
    const text = 'a = 1\n[t]\nb = 2\n[t.u]\nc = 3\n[p]\nq = { r = 1 }\n';
    expect(lineOfKey(text, ['a'])).toBe(1);
    expect(lineOfKey(text, ['t', 'b'])).toBe(3);
    expect(lineOfKey(text, ['t', 'u', 'c'])).toBe(5);
    expect(lineOfKey(text, ['p', 'q', 'r'])).toBe(7); // falls back to the inline table's line
    expect(lineOfKey(text, ['missing'])).toBeUndefined();
  });
});

describe('resolveProjectSettings', () => {
  const config = parseProjectConfig(FULL, FILE);

  it('takes everything from the config when no flag is given', () => {
    expect(resolveProjectSettings({}, config, '.elf')).toMatchObject({
      input: '/proj/src/main.c',
      board: 'lm3s6965',
      output: '/proj/build/main.elf',
      memory: 32768,
      stackSize: 4096,
      optLevel: 's',
      profile: '/proj/app.profile',
    });
  });

  it('lets every flag override the config', () => {
    const flags = { input: 'other.wat', board: 'mps2-an385', output: 'x.hex', memory: 1024, stackSize: 2048, optLevel: '0' as const, profile: 'p' };
    expect(resolveProjectSettings(flags, config, '.hex')).toMatchObject(flags);
  });

  it('puts the output of a command-line input into the config\'s output_dir', () => {
    expect(resolveProjectSettings({ input: 'lib/app.wat' }, config, '.o').output).toBe('/proj/build/app.o');
  });

  it('needs an input and a board from somewhere', () => {
    expect(() => resolveProjectSettings({ board: 'lm3s6965' }, undefined, '.elf')).toThrow(/no input file given and there is no mcu-aot.toml here/);
    expect(() => resolveProjectSettings({ input: 'a.wat' }, undefined, '.elf')).toThrow(/no board given/);
    expect(() => resolveProjectSettings({}, parseProjectConfig('input = "a.wat"', FILE), '.elf')).toThrow(/no board given and \/proj\/mcu-aot.toml gives none/);
  });

  it('has no output when neither flags nor config decide it', () => {
    expect(resolveProjectSettings({ input: 'a.wat', board: 'b' }, undefined, '.elf').output).toBeUndefined();
  });
});

describe('findProjectConfig and projectFirmware', () => {
  it('finds mcu-aot.toml in a folder, or nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcu-aot-project-'));
    expect(findProjectConfig(dir)).toBeUndefined();
    writeFileSync(join(dir, 'mcu-aot.toml'), 'input = "src/app.ts"\n');
    const c = findProjectConfig(dir)!;
    expect(c.input).toBe(join(dir, 'src/app.ts'));
    expect(projectFirmware(c)).toBe(join(dir, 'src/app.elf'));
    expect(projectFirmware(parseProjectConfig(FULL, FILE))).toBe('/proj/build/main.elf');
  });
});
