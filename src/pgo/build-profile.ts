// A profile applied to one build: read the file, check that it was taken of this module on
// this board, and hand each function its view (when the function's body is the one that was
// profiled) and its optimisation level. Functions that changed since profiling are counted
// and reported in ONE warning line; their profile is ignored. A profile of another board or
// of another module altogether is ignored as a whole, with one line saying why.
//
// The decisions the passes record per function live here, in the object the driver holds
// for the build: no module-level state.

import { readFileSync } from 'node:fs';
import { userError } from '../diagnostics/errors.js';
import type { WasmModule } from '../frontend/module.js';
import { emptyDecisions, type FunctionProfileView, type PgoDecisions } from '../ir/passes/pgo-profile.js';
import type { IrOptLevel } from '../ir/pipeline.js';
import { functionProfileView } from './function-view.js';
import { functionBodyBytes, functionBodyHash, moduleHash, parseProfile, type FunctionProfile, type Profile } from './profile.js';

/** A count is hot when it reaches this share of the module's hottest block. */
const HOT_SHARE = 0.01;

/** How the profile changed a function's optimisation level. */
export type LevelChange = 'size' | 'speed';

export interface BuildProfile {
  /** The profile file, as the user named it. */
  readonly file: string;
  /** The view the passes get for function `index`; undefined when there is no valid data. */
  viewOf(index: number): FunctionProfileView | undefined;
  /** The level function `index` is compiled at, given the requested one (see levelFor). */
  optLevelOf(index: number, requested: IrOptLevel): IrOptLevel;
  /** What the profile changed, per function index: the passes' decisions and the level. */
  readonly decisions: ReadonlyMap<number, PgoDecisions>;
  readonly levelChanges: ReadonlyMap<number, LevelChange>;
}

export interface BuildProfileInput {
  /** The profile file. */
  readonly file: string;
  /** The module's binary (for the body and module hashes) and its decoded form. */
  readonly wasm: Uint8Array;
  readonly module: WasmModule;
  readonly board: string;
  readonly log: (line: string) => void;
}

/** Read `input.file` and match it to the module; undefined (after one line saying why) when it
 *  does not apply at all. An unreadable or damaged file is a UserError. */
export function loadBuildProfile(input: BuildProfileInput): BuildProfile | undefined {
  let text: string;
  try {
    text = readFileSync(input.file, 'utf8');
  } catch (e) {
    throw userError('profile', `cannot read '${input.file}': ${(e as Error).message}`, { statedInDetail: true });
  }
  return matchProfile(parseProfile(text, input.file), input);
}

/** The profile `profile` (already read from input.file) matched to the module. */
export function matchProfile(profile: Profile, input: BuildProfileInput): BuildProfile | undefined {
  const warn = (what: string): void => input.log(`warning: ${input.file}: ${what}`);
  if (profile.board !== input.board) {
    warn(`taken on board '${profile.board}', not '${input.board}'; the profile is ignored`);
    return undefined;
  }
  const imported = input.module.imports.filter((i) => i.desc.kind === 'func').length;
  const currentHash = new Map(input.module.codes.map((code, i) => [imported + i, functionBodyHash(functionBodyBytes(input.wasm, code))]));
  const valid = profile.functions.filter((f) => currentHash.get(f.index) === f.bodyHash);
  const sameModule = profile.module.hash === moduleHash(input.wasm);
  if (!sameModule && valid.length === 0 && profile.functions.length > 0) {
    warn('taken of a different module (no function matches); the profile is ignored');
    return undefined;
  }
  const changed = profile.functions.length - valid.length;
  if (changed > 0) {
    warn(`${changed} of ${input.module.codes.length} functions changed since profiling; their profile is ignored`);
  }
  return profileForFunctions(input.file, valid, sameModule);
}

function profileForFunctions(file: string, valid: readonly FunctionProfile[], sameModule: boolean): BuildProfile {
  const hottest = Math.max(0, ...valid.flatMap((f) => f.blocks.map((b) => b.count)));
  const hotCount = Math.max(1, Math.ceil(hottest * HOT_SHARE));
  const byIndex = new Map(valid.map((f) => [f.index, f]));
  const decisions = new Map<number, PgoDecisions>();
  const levelChanges = new Map<number, LevelChange>();
  const views = new Map<number, FunctionProfileView>();
  return {
    file,
    decisions,
    levelChanges,
    viewOf(index) {
      const f = byIndex.get(index);
      if (f === undefined) return undefined;
      let view = views.get(index);
      if (view === undefined) {
        const record = emptyDecisions();
        decisions.set(index, record);
        view = functionProfileView(f, hotCount, record);
        views.set(index, view);
      }
      return view;
    },
    optLevelOf(index, requested) {
      const level = levelFor(requested, byIndex.get(index), sameModule, hotCount);
      if (level !== requested) levelChanges.set(index, level === 's' ? 'size' : 'speed');
      return level;
    },
  };
}

/**
 * -O2/-O3/-Os builds: a function that never ran (the profile of this very module has no
 * entry for it, or it was never entered) is compiled for size, a hot one (its hottest
 * block reaches the hot count) at -O2 even under -Os. -O0 and -O1 are left as asked: they
 * are for debugging and quick builds. A function whose profile was stale (absent from
 * `profile` here) in a module that changed is unknown, and keeps the requested level.
 */
function levelFor(requested: IrOptLevel, profile: FunctionProfile | undefined, sameModule: boolean, hotCount: number): IrOptLevel {
  if (requested === '0' || requested === '1') return requested;
  if (profile === undefined) return sameModule ? 's' : requested;
  if (profile.calls === 0) return 's';
  const hottest = Math.max(0, ...profile.blocks.map((b) => b.count));
  return requested === 's' && hottest >= hotCount ? '2' : requested;
}

/** What a profile adds to function `index`'s pipeline: its view for the pass context and
 *  its level (nothing without a profile, so builds without one are unchanged). */
export function profiledPipeline(profile: BuildProfile | undefined, index: number, requested: IrOptLevel | undefined): { profile?: FunctionProfileView; optLevel?: IrOptLevel } {
  if (profile === undefined) return requested === undefined ? {} : { optLevel: requested };
  const view = profile.viewOf(index);
  return { ...(view !== undefined && { profile: view }), optLevel: profile.optLevelOf(index, requested ?? '2') };
}
