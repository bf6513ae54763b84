// The external tools the benchmark harness drives (gcc, clang, wasm-ld, wasm2c, QEMU's
// plugin build, nm, wasm-objdump): one way to run them, and their versions for the report.
// A tool that fails makes the step fail with its stderr, which the harness shows as the
// configuration's FAILURE reason.

import { execa } from 'execa';

export const ARM_GCC = 'arm-none-eabi-gcc';
export const ARM_NM = 'arm-none-eabi-nm';
export const HOST_GCC = 'gcc';
export const CLANG = 'clang-14';
export const WASM_LD = 'wasm-ld-14';
// Debian's wabt by absolute path: npm scripts and vitest put node_modules/.bin first on
// PATH, and the npm `wabt` package installs its own (newer, incompatible) wasm2c there.
export const WASM2C = '/usr/bin/wasm2c';
export const WASM_OBJDUMP = '/usr/bin/wasm-objdump';
export const QEMU = 'qemu-system-arm';

export class ToolFailure extends Error {
  constructor(readonly tool: string, readonly args: readonly string[], readonly stderr: string) {
    super(`${tool} failed: ${firstLines(stderr, 6)}`);
    this.name = 'ToolFailure';
  }
}

/** Runs a tool and returns its stdout; a non-zero exit or a missing tool is a ToolFailure. */
export async function runTool(tool: string, args: readonly string[], cwd?: string): Promise<string> {
  const result = await execa(tool, args, { reject: false, ...(cwd !== undefined ? { cwd } : {}) });
  if ((result as { code?: string }).code === 'ENOENT') throw new ToolFailure(tool, args, `'${tool}' is not installed`);
  if (result.exitCode !== 0) throw new ToolFailure(tool, args, `${String(result.stderr)}\n${String(result.stdout)}`.trim());
  return String(result.stdout);
}

function firstLines(text: string, n: number): string {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  return lines.slice(0, n).join(' | ') + (lines.length > n ? ' ...' : '');
}

export interface ToolVersion {
  readonly tool: string;
  readonly version: string;
}

/** One version line per tool, for bench/RESULTS.md. */
export async function toolVersions(): Promise<ToolVersion[]> {
  const first = async (tool: string, args: string[]): Promise<string> => {
    try {
      return (await runTool(tool, args)).split('\n')[0]?.trim() ?? '';
    } catch {
      return 'not installed';
    }
  };
  return [
    { tool: ARM_GCC, version: await first(ARM_GCC, ['--version']) },
    { tool: QEMU, version: await first(QEMU, ['--version']) },
    { tool: CLANG, version: await first(CLANG, ['--version']) },
    { tool: WASM_LD, version: await first(WASM_LD, ['--version']) },
    { tool: `${WASM2C} (wabt)`, version: await first(WASM2C, ['--version']) },
    { tool: 'node', version: process.version },
  ];
}
