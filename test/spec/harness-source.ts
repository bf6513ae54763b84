// The C harness that runs one module's commands on the device, in order. It is the
// module's entry (module-firmware.ts points the descriptor's entry at spec_harness_main),
// so runtime-c has set up memory, data segments and the start function before it runs.
//
// Each call is a row of a table (shape, target, first argument); a switch per shape casts
// the target to its AAPCS prototype and makes the call. Float arguments and results cross
// as raw bits through unions, so no float arithmetic ever touches them (NaN payloads
// survive). A trap comes back to the setjmp taken before the call (the driver's
// HARNESS_TRAP_RECOVERY_C, src/driver/harness-firmware.ts), so the next call still runs.
//
// Console protocol, one line each:
//   spec:ready             the module is instantiated (start function done)
//   spec:<i> = <hex>...    call i returned, with its results' raw bits (none, one or more)
//   spec:<i> ! <kind>      call i trapped with that trap kind (docs/abi.md)
//   spec:<i> ~ <pages>     during call i, memory.grow to that many pages was refused for
//                          want of RAM on the board (not for the declared maximum)
//   spec:end               every call ran

import { HARNESS_TRAP_RECOVERY_C } from '../../src/driver/harness-firmware.js';
import { bitWidth, type ScalarType } from './values.js';

export type HarnessCall =
  | {
      readonly kind: 'invoke';
      /** The export's function symbol (docs/abi.md: `<prefix>_<name>`). */
      readonly symbol: string;
      readonly params: readonly ScalarType[];
      /** One result comes back in r0 (r0:r1); several in a struct in memory (docs/abi.md). */
      readonly results: readonly ScalarType[];
      readonly args: readonly bigint[];
    }
  | {
      readonly kind: 'get';
      /** A global symbol aliasing the exported global's storage. */
      readonly symbol: string;
      readonly type: ScalarType;
    };

export const HARNESS_ENTRY = 'spec_harness_main';

const C_TYPES: Record<ScalarType, string> = { i32: 'uint32_t', i64: 'uint64_t', f32: 'float', f64: 'double' };

function shapeKey(call: HarnessCall): string {
  return call.kind === 'get' ? `get:${call.type}` : `invoke:${call.params.join(',')}->${call.results.join(',')}`;
}

/** C expression turning raw argument bits `spec_args[a + j]` into a `type` argument. */
function argumentExpr(type: ScalarType, j: number): string {
  const raw = `spec_args[c->first_arg + ${j}]`;
  switch (type) {
    case 'i32': return `(uint32_t)${raw}`;
    case 'i64': return raw;
    case 'f32': return `spec_f32((uint32_t)${raw})`;
    case 'f64': return `spec_f64(${raw})`;
  }
}

/** C expression giving the raw bits of a `type` value `v` as uint64_t. */
function resultBitsExpr(type: ScalarType, v: string): string {
  switch (type) {
    case 'i32': return `(uint64_t)${v}`;
    case 'i64': return v;
    case 'f32': return `(uint64_t)spec_f32_bits(${v})`;
    case 'f64': return `spec_f64_bits(${v})`;
  }
}

/** The struct a multi-result shape returns: raw bits at each result's natural alignment. */
const resultStruct = (index: number): string => `spec_results${index}`;

function resultStructDecl(index: number, call: HarnessCall): string | undefined {
  if (call.kind !== 'invoke' || call.results.length < 2) return undefined;
  const members = call.results.map((t, k) => `${bitWidth(t) === 32 ? 'uint32_t' : 'uint64_t'} v${k};`).join(' ');
  // Integer members only: never a homogeneous float aggregate, so always returned in memory.
  return `typedef struct { ${members} } ${resultStruct(index)};`;
}

function shapeCase(index: number, call: HarnessCall): string {
  if (call.kind === 'get') {
    const read = bitWidth(call.type) === 32
      ? '(uint64_t)*(const volatile uint32_t *)target'
      : '((uint64_t)((const volatile uint32_t *)target)[1] << 32) | ((const volatile uint32_t *)target)[0]';
    return `  case ${index}: spec_put_returned(i); spec_put_value(${read}); mcu_console_putc('\\n'); return;`;
  }
  const multi = call.results.length > 1;
  const ret = call.results.length === 0 ? 'void' : multi ? resultStruct(index) : C_TYPES[call.results[0]!];
  const proto = `${ret} (*)(${call.params.map((t) => C_TYPES[t]).join(', ') || 'void'})`;
  const invocation = `((${proto})target)(${call.params.map((t, j) => argumentExpr(t, j)).join(', ')})`;
  const values = multi
    ? call.results.map((_, k) => `spec_put_value(r.v${k});`)
    : call.results.map((t) => `spec_put_value(${resultBitsExpr(t, 'r')});`);
  const body = call.results.length === 0 ? `${invocation};` : `${ret} r = ${invocation};`;
  return `  case ${index}: { ${body} spec_put_returned(i); ${values.join(' ')} mcu_console_putc('\\n'); return; }`;
}

const PRELUDE = String.raw`typedef union { uint32_t u; float f; } spec_u32f;
typedef union { uint64_t u; double f; } spec_u64f;
static inline float spec_f32(uint32_t u) { spec_u32f x; x.u = u; return x.f; }
static inline double spec_f64(uint64_t u) { spec_u64f x; x.u = u; return x.f; }
static inline uint32_t spec_f32_bits(float f) { spec_u32f x; x.f = f; return x.u; }
static inline uint64_t spec_f64_bits(double f) { spec_u64f x; x.f = f; return x.u; }

static void spec_put_hex(uint64_t v) {
  char b[17];
  int n = 16;
  b[16] = 0;
  do { b[--n] = "0123456789abcdef"[v & 15u]; v >>= 4; } while (v != 0);
  mcu_console_puts(b + n);
}
static void spec_put_index(uint32_t i) { mcu_console_puts("spec:"); mcu_console_put_dec(i); }
static inline void spec_put_returned(uint32_t i) { spec_put_index(i); mcu_console_puts(" ="); }
static inline void spec_put_value(uint64_t bits) { mcu_console_putc(' '); spec_put_hex(bits); }
static void spec_put_trap(uint32_t i, unsigned kind) {
  spec_put_index(i); mcu_console_puts(" ! "); mcu_console_put_dec(kind); mcu_console_putc('\n');
}

typedef struct { uint16_t shape, target; uint32_t first_arg; } spec_call;
`;

const ENTRY = String.raw`
void ${HARNESS_ENTRY}(void) {
  mcu_console_puts("spec:ready\n");
  for (volatile uint32_t i = SPEC_FIRST; i < SPEC_CALLS; i++) {
    harness_armed = 1;
    if (harness_setjmp(harness_recover) == 0) {
      spec_run(&spec_calls[i], i);
      harness_armed = 0;
    } else {
      spec_put_trap(i, harness_trap_kind);
    }
    if (mcu_memory_refused_pages != 0) {
      spec_put_index(i); mcu_console_puts(" ~ "); mcu_console_put_dec(mcu_memory_refused_pages); mcu_console_putc('\n');
      mcu_memory_refused_pages = 0;
    }
  }
  mcu_console_puts("spec:end\n");
}
`;

/** The harness's C source for `calls`; the first call it makes is `firstCall`. */
export function harnessSource(calls: readonly HarnessCall[], firstCall = 0): string {
  const shapes: HarnessCall[] = [];
  const shapeIndex = new Map<string, number>();
  const symbols: string[] = [];
  const symbolIndex = new Map<string, number>();
  const args: bigint[] = [];
  const rows: string[] = [];
  for (const call of calls) {
    const key = shapeKey(call);
    if (!shapeIndex.has(key)) {
      shapeIndex.set(key, shapes.length);
      shapes.push(call);
    }
    if (!symbolIndex.has(call.symbol)) {
      symbolIndex.set(call.symbol, symbols.length);
      symbols.push(call.symbol);
    }
    rows.push(`  { ${shapeIndex.get(key)}, ${symbolIndex.get(call.symbol)}, ${args.length} },`);
    if (call.kind === 'invoke') args.push(...call.args.map((a) => BigInt.asUintN(64, a)));
  }
  const declarations = symbols.map((s) => {
    const isGlobal = calls.some((c) => c.symbol === s && c.kind === 'get');
    return isGlobal ? `extern uint32_t ${s}[];` : `extern void ${s}(void);`;
  });
  return [
    HARNESS_TRAP_RECOVERY_C,
    PRELUDE,
    `#define SPEC_FIRST ${firstCall}u`,
    `#define SPEC_CALLS ${calls.length}u`,
    ...declarations,
    ...shapes.flatMap((call, i) => resultStructDecl(i, call) ?? []),
    `static const void *const spec_targets[] __attribute__((unused)) = { ${symbols.map((s) => `(const void *)${s}`).join(', ') || '0'} };`,
    `static const uint64_t spec_args[] __attribute__((unused)) = { ${args.map((a) => `0x${a.toString(16)}ull`).join(', ') || '0'} };`,
    'static const spec_call spec_calls[] = {',
    ...rows,
    '  { 0, 0, 0 } /* sentinel: keeps the array non-empty */',
    '};',
    'static void spec_run(const spec_call *c, uint32_t i) {',
    '  const void *target = spec_targets[c->target];',
    '  switch (c->shape) {',
    ...shapes.map((call, i) => shapeCase(i, call)),
    '  default: (void)target; (void)i; return;',
    '  }',
    '}',
    ENTRY,
  ].join('\n');
}
