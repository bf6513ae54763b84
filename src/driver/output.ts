// Output files are written whole or not at all: a temporary file beside the target, synced
// to disk, then a rename, so a failed or killed build never leaves a half-written firmware
// behind. The folder (a project's output_dir) is made only then, so a failed build leaves no
// trace.
//
// The temporary file is `.<name>.tmp-<pid>` beside `<name>`: recognisable, and owned by the
// process whose id it carries. An error removes it at once; only a process killed outright
// (SIGKILL, a crash, a power cut) can leave one, and the next write of the same output
// removes those whose process is gone.

import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { userError } from '../diagnostics/errors.js';

/** Where the output `path` is written before the rename, by the process `pid`. */
export function tempPathFor(path: string, pid: number = process.pid): string {
  return join(dirname(path), `.${basename(path)}.tmp-${pid}`);
}

/** Write `path` whole or not at all; a file system refusal is a UserError naming the path. */
export function writeFileAtomic(path: string, data: Uint8Array | string): void {
  const temp = tempPathFor(path);
  try {
    mkdirSync(dirname(path), { recursive: true });
    removeStaleTemps(path);
    writeDurably(temp, data);
    renameSync(temp, path);
  } catch (e) {
    removeQuietly(temp);
    throw outputError(path, e);
  }
}

/** Remove our temporary file after a failure; where there never was one (its folder could not
 *  be made) there is nothing to remove, and the first failure is the one to report. */
function removeQuietly(temp: string): void {
  try {
    rmSync(temp, { force: true });
  } catch {
    // ENOTDIR and the like: no temporary file can exist there
  }
}

/** Why the file system refused, in words, for the errors a user can do something about. */
const REFUSALS: Record<string, string> = {
  EISDIR: 'it is a folder',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
};

function outputError(path: string, e: unknown): unknown {
  const code = (e as NodeJS.ErrnoException).code;
  if (typeof code !== 'string') return e;
  return userError('output', `cannot write '${path}': ${REFUSALS[code] ?? code}`, {}, 'choose another output path (-o) or output_dir');
}

/** The temporary files of `path` left by processes that no longer run (removed); their paths. */
export function removeStaleTemps(path: string): string[] {
  const prefix = `.${basename(path)}.tmp-`;
  const removed: string[] = [];
  for (const name of readdirSync(dirname(path))) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(name.slice(prefix.length));
    if (!Number.isSafeInteger(pid) || pid <= 0 || processRuns(pid)) continue;
    const stale = join(dirname(path), name);
    rmSync(stale, { force: true });
    removed.push(stale);
  }
  return removed;
}

/** Whether a process with this id exists (signal 0 checks without sending anything). */
function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to someone else, so its temporary file is not ours to judge.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Write and fsync, so that the rename never publishes a file whose bytes are not on disk yet. */
function writeDurably(path: string, data: Uint8Array | string): void {
  const fd = openSync(path, 'w');
  try {
    const bytes = typeof data === 'string' ? Buffer.from(data) : data;
    let written = 0;
    while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
