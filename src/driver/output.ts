// Output files are written whole or not at all: a temporary file beside the target, then a
// rename, so a failed or killed build never leaves a half-written firmware behind.

import { renameSync, rmSync, writeFileSync } from 'node:fs';

export function writeFileAtomic(path: string, data: Uint8Array | string): void {
  const temp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temp, data);
    renameSync(temp, path);
  } catch (e) {
    rmSync(temp, { force: true });
    throw e;
  }
}
