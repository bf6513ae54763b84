// Output files are written whole or not at all: a temporary file beside the target, then a
// rename, so a failed or killed build never leaves a half-written firmware behind. The
// folder (a project's output_dir) is made only then, so a failed build leaves no trace.

import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export function writeFileAtomic(path: string, data: Uint8Array | string): void {
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temp, data);
    renameSync(temp, path);
  } catch (e) {
    rmSync(temp, { force: true });
    throw e;
  }
}
