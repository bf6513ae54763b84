// The files `mcu-aot init` writes, per source language. Each scaffold is a complete
// project: `mcu-aot run` inside it builds the firmware and prints a greeting over the
// board's console, then exits 0.

export type InitLanguage = 'c' | 'assemblyscript' | 'wat';

export const INIT_LANGUAGES: readonly InitLanguage[] = ['c', 'assemblyscript', 'wat'];

export const OUTPUT_DIR = 'build';

export interface ScaffoldFile {
  /** Relative to the project folder. */
  readonly path: string;
  readonly text: string;
}

interface Scaffold {
  readonly input: string;
  readonly sources: (greeting: string) => ScaffoldFile[];
}

const C_MAIN = (greeting: string): string => `// Built by \`mcu-aot build\` with clang's wasm32-wasi target and wasi-libc; printf and
// puts go to the board's UART, and main's result is the firmware's exit code.
#include <stdio.h>

int main(void) {
  puts(${JSON.stringify(greeting)});
  return 0;
}

/* \`mcu-aot test\` runs every export named test_* on the board: 0 passes, nonzero fails. */
__attribute__((export_name("test_greeting"))) int test_greeting(void) {
  return puts(${JSON.stringify(greeting)}) < 0;
}
`;

const AS_MAIN = (greeting: string): string => `// Compiled by \`mcu-aot build\` through AssemblyScript's compiler (runtime "stub": no GC).
// mcu-aot's runtime calls the exported _start; a failed assert() prints
// "abort: <message> at <file>:<line>:<column>" and exits with code 97.
import { print } from "./console";

export function _start(): void {
  print(${JSON.stringify(`${greeting}\n`)});
}

// \`mcu-aot test\` runs every export named test_* on the board: 0 passes, nonzero fails.
export function test_greeting(): i32 {
  return ${JSON.stringify(greeting)}.startsWith("Hello") ? 0 : 1;
}
`;

const AS_CONSOLE = `// Console output for AssemblyScript: WASI's fd_write, which mcu-aot's runtime sends to the
// board's UART. Text is encoded as UTF-8 through a small static buffer, so printing never
// allocates (the stub runtime never frees).

@external("wasi_snapshot_preview1", "fd_write")
declare function fd_write(fd: i32, iovs: usize, iovsLen: i32, nwritten: usize): i32;

const STDOUT = 1;
const CHUNK: i32 = 64;
const buffer = memory.data(CHUNK);
const iovec = memory.data(12); // { buf, len } and fd_write's count of bytes written

function flush(length: i32): void {
  if (length == 0) return;
  store<u32>(iovec, buffer);
  store<u32>(iovec, length, 4);
  fd_write(STDOUT, iovec, 1, iovec + 8);
}

/** Writes \`text\` to the console. */
export function print(text: string): void {
  let used = 0;
  for (let i = 0; i < text.length; i++) {
    const cp = text.codePointAt(i);
    if (cp > 0xffff) i++; // a surrogate pair: two UTF-16 units
    if (used > CHUNK - 4) {
      flush(used);
      used = 0;
    }
    if (cp < 0x80) {
      store<u8>(buffer + used++, cp);
    } else if (cp < 0x800) {
      store<u8>(buffer + used++, 0xc0 | (cp >> 6));
      store<u8>(buffer + used++, 0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
      store<u8>(buffer + used++, 0xe0 | (cp >> 12));
      store<u8>(buffer + used++, 0x80 | ((cp >> 6) & 0x3f));
      store<u8>(buffer + used++, 0x80 | (cp & 0x3f));
    } else {
      store<u8>(buffer + used++, 0xf0 | (cp >> 18));
      store<u8>(buffer + used++, 0x80 | ((cp >> 12) & 0x3f));
      store<u8>(buffer + used++, 0x80 | ((cp >> 6) & 0x3f));
      store<u8>(buffer + used++, 0x80 | (cp & 0x3f));
    }
  }
  flush(used);
}
`;

const WAT_MAIN = (greeting: string): string => {
  const bytes = new TextEncoder().encode(`${greeting}\n`);
  const escaped = Array.from(bytes, (b) => (b >= 0x20 && b < 0x7f && b !== 0x22 && b !== 0x5c ? String.fromCharCode(b) : `\\${b.toString(16).padStart(2, '0')}`)).join('');
  return `;; A WebAssembly text module: mcu-aot's runtime calls the exported _start, and
;; WASI's fd_write sends the text to the board's UART.
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param $fd i32) (param $iovs i32) (param $iovs_len i32) (param $nwritten i32) (result i32)))
  (memory 1)
  ;; bytes 0-7: one iovec { buf, len }; 8-11: the count fd_write writes back
  (data (i32.const 16) "${escaped}")
  (func (export "_start")
    (i32.store (i32.const 0) (i32.const 16))
    (i32.store (i32.const 4) (i32.const ${bytes.length}))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))
  ;; \`mcu-aot test\` runs every export named test_* on the board: 0 passes, nonzero fails.
  (func (export "test_greeting") (result i32)
    (i32.ne (i32.load8_u (i32.const 16)) (i32.const ${bytes[0]}))))
`;
};

const SCAFFOLDS: Record<InitLanguage, Scaffold> = {
  c: { input: 'src/main.c', sources: (g) => [{ path: 'src/main.c', text: C_MAIN(g) }] },
  assemblyscript: {
    input: 'src/main.ts',
    sources: (g) => [
      { path: 'src/main.ts', text: AS_MAIN(g) },
      { path: 'src/console.ts', text: AS_CONSOLE },
    ],
  },
  wat: { input: 'src/main.wat', sources: (g) => [{ path: 'src/main.wat', text: WAT_MAIN(g) }] },
};

function projectToml(board: string, input: string): string {
  return `# mcu-aot project: \`mcu-aot build\` and \`mcu-aot run\` in this folder read it.
# Command-line flags override these settings.
board = "${board}"
input = "${input}"
output_dir = "${OUTPUT_DIR}"

# memory = "32K"        # physical linear memory (default: fit to the board's RAM)
# stack_size = "4K"     # machine stack (default: the board's)
# opt_level = "s"       # -O0, -O1, -O2, -O3 or -Os
# profile = "app.profile"
#
# Memory-mapped I/O the module is granted (besides the board's), and exported
# interrupt handlers by IRQ line.
# [peripherals]
# uart0 = { base = 0x4000C000, size = 0x1000, access = "rw" }
# [interrupts]
# UART0 = "on_uart0"
`;
}

/** Every file of a new project, relative paths. */
export function scaffoldFiles(language: InitLanguage, board: string, projectName: string): ScaffoldFile[] {
  const scaffold = SCAFFOLDS[language];
  const greeting = `Hello from ${projectName} on ${board}!`;
  return [
    { path: 'mcu-aot.toml', text: projectToml(board, scaffold.input) },
    ...scaffold.sources(greeting),
    { path: '.gitignore', text: `/${OUTPUT_DIR}/\n` },
  ];
}
