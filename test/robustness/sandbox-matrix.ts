// The load/store part of the sandbox attacks (attacker.wat's `;; @memory-access-matrix`):
// every access width Wasm has, each at the last valid address, one byte past it, wholly
// past the end, through a static offset, and with address + offset beyond 2^32 (which a
// 32-bit add would wrap into the module's own memory, or below it into the runtime's).
// Generated because it is a cross product; each function is as plain as the hand-written
// attacks, with the same `;; trap <kind>` / `;; value` annotation before it.

interface Access {
  /** The Wasm mnemonic, e.g. `i64.load16_s`. */
  readonly op: string;
  readonly width: 1 | 2 | 4 | 8;
  readonly kind: 'load' | 'store';
  /** The value type the instruction loads or stores. */
  readonly type: 'i32' | 'i64' | 'f32' | 'f64';
}

const ACCESSES: readonly Access[] = [
  ...(['i32.load', 'i32.load8_s', 'i32.load8_u', 'i32.load16_s', 'i32.load16_u'] as const).map((op) => ({ op, width: widthOf(op), kind: 'load' as const, type: 'i32' as const })),
  ...(['i64.load', 'i64.load8_s', 'i64.load8_u', 'i64.load16_s', 'i64.load16_u', 'i64.load32_s', 'i64.load32_u'] as const).map((op) => ({ op, width: widthOf(op), kind: 'load' as const, type: 'i64' as const })),
  { op: 'f32.load', width: 4, kind: 'load', type: 'f32' },
  { op: 'f64.load', width: 8, kind: 'load', type: 'f64' },
  ...(['i32.store', 'i32.store8', 'i32.store16'] as const).map((op) => ({ op, width: widthOf(op), kind: 'store' as const, type: 'i32' as const })),
  ...(['i64.store', 'i64.store8', 'i64.store16', 'i64.store32'] as const).map((op) => ({ op, width: widthOf(op), kind: 'store' as const, type: 'i64' as const })),
  { op: 'f32.store', width: 4, kind: 'store', type: 'f32' },
  { op: 'f64.store', width: 8, kind: 'store', type: 'f64' },
];

function widthOf(op: string): 1 | 2 | 4 | 8 {
  const bits = /(8|16|32)_?[su]?$/.exec(op)?.[1];
  if (bits !== undefined) return (Number(bits) / 8) as 1 | 2 | 4;
  return op.startsWith('i64') ? 8 : 4;
}

interface Placement {
  readonly name: string;
  /** The address operand, in terms of $b (the bound) and w (the width). */
  readonly address: (w: number) => string;
  readonly offset: number;
  readonly inBounds: boolean;
}

const bMinus = (n: number): string => (n === 0 ? '(local.get $b)' : n > 0 ? `(i32.sub (local.get $b) (i32.const ${n}))` : `(i32.add (local.get $b) (i32.const ${-n}))`);

const PLACEMENTS: readonly Placement[] = [
  { name: 'last', address: (w) => bMinus(w), offset: 0, inBounds: true },
  { name: 'one_past', address: (w) => bMinus(w - 1), offset: 0, inBounds: false },
  { name: 'at_end', address: () => bMinus(0), offset: 0, inBounds: false },
  { name: 'last_via_offset', address: (w) => bMinus(w + 0x1000), offset: 0x1000, inBounds: true },
  { name: 'one_past_via_offset', address: (w) => bMinus(w + 0x1000 - 1), offset: 0x1000, inBounds: false },
  // 0xfffffff0 + 0x20 = 2^32 + 0x10: wrapped, that is address 0x10.
  { name: 'offset_overflow', address: () => '(i32.const 0xfffffff0)', offset: 0x20, inBounds: false },
  // 0x10 + 0xfffffff8 = 2^32 + 8: wrapped, 8 bytes above the base.
  { name: 'max_offset_overflow', address: () => '(i32.const 0x10)', offset: 0xfffffff8, inBounds: false },
  // -8 as an address: wrapped in a signed add, the memory context below the base.
  { name: 'negative', address: () => '(i32.const -8)', offset: 0, inBounds: false },
];

/** The bits of 0xa5 repeated, as a value of `type` (never the memory's pattern). */
function poison(type: Access['type']): string {
  switch (type) {
    case 'i32': return '(i32.const 0xa5a5a5a5)';
    case 'i64': return '(i64.const 0xa5a5a5a5a5a5a5a5)';
    case 'f32': return '(f32.reinterpret_i32 (i32.const 0xa5a5a5a5))';
    case 'f64': return '(f64.reinterpret_i64 (i64.const 0xa5a5a5a5a5a5a5a5))';
  }
}

/** A loaded value folded into the i32 result. */
function foldToI32(type: Access['type'], value: string): string {
  switch (type) {
    case 'i32': return value;
    case 'f32': return `(i32.reinterpret_f32 ${value})`;
    case 'i64': return `(call $fold64 ${value})`;
    case 'f64': return `(call $fold64 (i64.reinterpret_f64 ${value}))`;
  }
}

/** Unsigned integer load of the bytes an access of `width` covers, as i64. */
function rawLoad(width: number, address: string, offset: number): string {
  const op = width === 8 ? 'i64.load' : `i64.load${width * 8}_u`;
  return `(${op} offset=${offset} ${address})`;
}

function rawStore(width: number, address: string, offset: number, value: string): string {
  const op = width === 8 ? 'i64.store' : `i64.store${width * 8}`;
  return `(${op} offset=${offset} ${address} ${value})`;
}

const POISON_BITS = (width: number): string => `(i64.const 0x${'a5'.repeat(width)})`;

function body(access: Access, at: Placement): string {
  const address = at.address(access.width);
  const offset = at.offset;
  if (access.kind === 'load') return foldToI32(access.type, `(${access.op} offset=${offset} ${address})`);
  if (!at.inBounds) return `(${access.op} offset=${offset} ${address} ${poison(access.type)}) (i32.const 0)`;
  // In bounds: the store must land (read back), then the original bytes go back.
  return [
    `(local.set $old ${rawLoad(access.width, address, offset)})`,
    `(${access.op} offset=${offset} ${address} ${poison(access.type)})`,
    `(local.set $ok (i64.eq ${rawLoad(access.width, address, offset)} ${POISON_BITS(access.width)}))`,
    rawStore(access.width, address, offset, '(local.get $old)'),
    '(local.get $ok)',
  ].join('\n    ');
}

/** The export name of one matrix attack. */
export function matrixAttackName(access: Pick<Access, 'op'>, at: Pick<Placement, 'name'>): string {
  return `attack_${access.op.replace('.', '_')}_${at.name}`;
}

function attackFunction(access: Access, at: Placement): string {
  const storeInBounds = access.kind === 'store' && at.inBounds;
  return [
    `  ;; ${at.inBounds ? 'value' : 'trap 4'}`,
    `  (func (export "${matrixAttackName(access, at)}") (param $b i32) (param $p i32) (result i32)`,
    ...(storeInBounds ? ['    (local $old i64) (local $ok i32)'] : []),
    `    ${body(access, at)})`,
  ].join('\n');
}

const FOLD64 = `  (func $fold64 (param $x i64) (result i32)
    (i32.wrap_i64 (i64.xor (local.get $x) (i64.shr_u (local.get $x) (i64.const 32)))))`;

/** The matrix's functions, to put where attacker.wat says `;; @memory-access-matrix`. */
export function memoryAccessMatrix(): string {
  return [FOLD64, ...ACCESSES.flatMap((access) => PLACEMENTS.map((at) => attackFunction(access, at)))].join('\n');
}

/** attacker.wat with the matrix in place. */
export function withMemoryAccessMatrix(attackerWat: string): string {
  const marker = ';; @memory-access-matrix';
  if (!attackerWat.includes(marker)) throw new Error(`attacker.wat has no '${marker}'`);
  return attackerWat.replace(marker, memoryAccessMatrix());
}
