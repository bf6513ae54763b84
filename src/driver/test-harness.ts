// The C harness of `mcu-aot test` (test.ts): the firmware's entry (harness-firmware.ts points
// the module descriptor's entry at it), so runtime-c has instantiated the module before it
// runs. It calls each test export in turn from TEST_FIRST on; a trap comes back to the
// setjmp taken before the call (HARNESS_TRAP_RECOVERY_C, harness-firmware.ts), so the
// next test still runs. A test that hangs is the host's business: it kills QEMU and boots a
// harness that starts at the next test (firstTest).
//
// Console protocol, one line each:
//   test:start <i>    test i is about to run (the host's per-test deadline starts)
//   test:<i> = <n>    test i returned n (0 for a test without result)
//   test:<i> ! <k>    test i trapped with trap kind k (docs/abi.md)
//   test:end          every test ran

import { HARNESS_TRAP_RECOVERY_C } from './harness-firmware.js';

export const TEST_HARNESS_ENTRY = 'mcu_test_harness_main';

export interface HarnessTest {
  /** The export's function symbol (docs/abi.md: `<prefix>_<name>`). */
  readonly symbol: string;
  /** `() -> i32`: nonzero is a failure; otherwise `() -> ()`. */
  readonly returnsI32: boolean;
}

const TEST_LINE = String.raw`static void test_line(uint32_t i, const char *sep, uint32_t n) {
  mcu_console_puts("test:"); mcu_console_put_dec(i); mcu_console_puts(sep);
  mcu_console_put_dec(n); mcu_console_putc('\n');
}

typedef struct { void (*fn)(void); uint32_t returns_i32; } test_entry;
`;

const ENTRY = String.raw`
void ${TEST_HARNESS_ENTRY}(void) {
  for (volatile uint32_t i = TEST_FIRST; i < TEST_COUNT; i++) {
    mcu_console_puts("test:start "); mcu_console_put_dec(i); mcu_console_putc('\n');
    const test_entry *t = &test_entries[i];
    harness_armed = 1;
    if (harness_setjmp(harness_recover) == 0) {
      uint32_t r = 0;
      if (t->returns_i32) r = ((uint32_t (*)(void))t->fn)();
      else t->fn();
      harness_armed = 0;
      test_line(i, " = ", r);
    } else {
      test_line(i, " ! ", harness_trap_kind);
    }
  }
  mcu_console_puts("test:end\n");
}
`;

/** The harness's C source running `tests` from index `firstTest` on. */
export function testHarnessSource(tests: readonly HarnessTest[], firstTest: number): string {
  return [
    HARNESS_TRAP_RECOVERY_C,
    TEST_LINE,
    `#define TEST_FIRST ${firstTest}u`,
    `#define TEST_COUNT ${tests.length}u`,
    ...tests.map((t) => `extern void ${t.symbol}(void);`),
    'static const test_entry test_entries[] = {',
    ...tests.map((t) => `  { ${t.symbol}, ${t.returnsI32 ? 1 : 0} },`),
    '  { 0, 0 } /* sentinel: keeps the array non-empty */',
    '};',
    ENTRY,
  ].join('\n');
}

export type HarnessEvent =
  | { readonly kind: 'start'; readonly index: number }
  | { readonly kind: 'return'; readonly index: number; readonly value: number }
  | { readonly kind: 'trap'; readonly index: number; readonly trap: number }
  | { readonly kind: 'end' };

/** One console line as a harness event, or undefined for the module's own output. */
export function parseHarnessLine(line: string): HarnessEvent | undefined {
  if (line === 'test:end') return { kind: 'end' };
  const start = /^test:start (\d+)$/.exec(line);
  if (start !== null) return { kind: 'start', index: Number(start[1]) };
  const m = /^test:(\d+) ([=!]) (\d+)$/.exec(line);
  if (m === null) return undefined;
  const index = Number(m[1]);
  return m[2] === '=' ? { kind: 'return', index, value: Number(m[3]) } : { kind: 'trap', index, trap: Number(m[3]) };
}
