// Runs the built `mcu-aot` command (bin/mcu-aot.js over dist/, built by `npm test`'s pretest).

import { execa } from 'execa';

const BIN = new URL('../../bin/mcu-aot.js', import.meta.url).pathname;

export interface CliResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function runCli(args: readonly string[], opts: { cwd?: string } = {}): Promise<CliResult> {
  const result = await execa('node', [BIN, ...args], { reject: false, stripFinalNewline: false, ...opts, env: { NO_COLOR: '1' } });
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
}
