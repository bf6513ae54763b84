// Options for the source-language conveniences in front of Wasm (C through clang,
// AssemblyScript through its compiler API). They live in the frontend because the source
// compilers read them; the project config and the CLI only parse and pass them on.

import { userError, type UserError } from '../diagnostics/errors.js';

/**
 * Optimisation level, as `-O<level>` spells it. The source compilers use it now (clang's
 * `-O`, AssemblyScript's optimize/shrink levels); mcu-aot's own IR pipeline records it for
 * the passes that will read it.
 */
export type OptLevel = '0' | '1' | '2' | '3' | 's';

export const OPT_LEVELS: readonly OptLevel[] = ['0', '1', '2', '3', 's'];

/** `-O2`, `O2` or `2` (and `s` for size) → the level; undefined for anything else. */
export function parseOptLevel(text: string): OptLevel | undefined {
  const level = text.trim().replace(/^-?O/, '');
  return (OPT_LEVELS as readonly string[]).includes(level) ? (level as OptLevel) : undefined;
}

export interface SourceOptions {
  /** Default: each compiler's own default for small, fast code (clang -O2, asc -O3 shrink 1). */
  readonly optLevel?: OptLevel;
  /** Where the source compiler's own diagnostics go, as it printed them (stderr in the CLI). */
  readonly log?: (line: string) => void;
}

/**
 * The error after a failed source compile. The compiler's own lines (file:line: error...)
 * were logged as they are; without a log, the first error line is quoted instead.
 */
export function compileFailure(status: string, diagnostics: string, options: SourceOptions, file: string): UserError {
  if (diagnostics === '') return userError('compile', status, { file });
  if (options.log !== undefined) return userError('compile', `${status} (its messages are above)`, { file });
  const lines = diagnostics.split('\n');
  const first = lines.find((line) => /error/i.test(line)) ?? lines[0]!;
  return userError('compile', `${status}: ${first.trim()}`, { file });
}
