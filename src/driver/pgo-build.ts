// `mcu-aot build --pgo`: profile-guided build in one command. Build and run the module on the
// host simulator with execution counting (driver/profile.ts, the same as `mcu-aot profile`),
// then build it again with that profile. The profile lives in a temporary folder unless
// `profile` names a file: then the fresh profile is written there (and kept); the firmware's console output of the profiling run is
// not shown (a build prints no firmware output), only a one-line note.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, type BuildOptions, type BuildResult } from './build.js';
import { profileFirmware } from './profile.js';

export interface PgoBuildOptions extends BuildOptions {
  /** Cycle limit of the profiling run (default: the simulator's). */
  readonly maxCycles?: number;
}

export async function buildWithProfiling(opts: PgoBuildOptions): Promise<BuildResult> {
  const { profile, maxCycles, output, pgoReport, ...rest } = opts;
  const dir = mkdtempSync(join(tmpdir(), 'mcu-aot-pgo-'));
  try {
    const profilePath = profile ?? join(dir, 'app.profile');
    const run = await profileFirmware({
      ...rest,
      output: profilePath,
      ...(maxCycles !== undefined && { maxCycles }),
      onOutput: () => {},
      onSemihosting: () => {},
    });
    const ended = run.profile.run.exitCode !== null ? `exit ${run.profile.run.exitCode}` : 'stopped at the cycle limit';
    opts.log(`pgo: profiled on the simulator: ${run.profile.run.cycles} cycles (${ended})`);
    return await build({ ...rest, ...(output !== undefined && { output }), ...(pgoReport !== undefined && { pgoReport }), profile: profilePath });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
