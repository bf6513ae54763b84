// Canonical text for comparing our printed UAL with arm-none-eabi-objdump's disassembly.
//
// objdump prefers some aliases and shorthands the assembler also accepts; ALIASES rewrites
// them to the spelling our printer uses, so the rest of the comparison is plain equality.

function canonical(text: string): string {
  const [mnemonic = '', ...rest] = text.replace(/\s*[@;].*$/, '').trim().toLowerCase().split(/\s+/);
  const operands = rest.join(' ').replace(/\s*,\s*/g, ', ');
  return `${mnemonic.replace(/\.[nw]$/, '')} ${operands}`.trim();
}

/** objdump spelling -> our spelling (both canonical). */
const ALIASES: ReadonlyArray<[RegExp, string | ((...groups: string[]) => string)]> = [
  [/^neg(s?) (\S+), (\S+)$/, 'rsb$1 $2, $3, #0'],
  [/^(add|sub) sp, #/, '$1 sp, sp, #'],
  [/^mov(s?) (\S+), (\S+), (lsl|lsr|asr|ror) #(\d+)$/, '$4$1 $2, $3, #$5'],
  [/^(mul\w*) (\S+), (\S+)$/, '$1 $2, $3, $2'],
  [/^str (\S+), \[sp, #-4\]!$/, 'push {$1}'],
  [/^ldr (\S+), \[sp\], #4$/, 'pop {$1}'],
  [/^stmdb sp!, /, 'push '],
  [/^ldmia sp!, /, 'pop '],
  [/, #0\]/, ']'],
  // Inside `it al` objdump spells the condition out; UAL lets it go.
  [/^nopal$/, 'nop'],
  [/^bkpt 0x([0-9a-f]+)$/, (_, hex) => `bkpt #${parseInt(hex, 16)}`],
];

export function normalizeObjdump(text: string): string {
  return ALIASES.reduce(
    (t, [pattern, replacement]) => (typeof replacement === 'string' ? t.replace(pattern, replacement) : t.replace(pattern, replacement)),
    canonical(text),
  );
}

/** Our text, with `.+N` branch targets made absolute (objdump prints addresses). */
export function normalizeOurs(text: string, at: number): string {
  const absolute = text
    .replace(/\.([+-])(\d+)/, (_, sign: string, n: string) => `0x${((at + (sign === '+' ? 1 : -1) * Number(n)) >>> 0).toString(16)}`)
    // A call's field holds the REL addend -4 until the linker relocates it: objdump shows this address.
    .replace(/^bl \S+$/, `bl 0x${at.toString(16)}`)
    .replace(/, #0\]/, ']');
  return canonical(absolute);
}
