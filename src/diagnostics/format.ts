// The one place diagnostics become text for a person: `error[code]: title: detail (where)`
// on one line, a hint line under it, `warning:` lines, and commander's own usage errors.
// On a terminal the severity is coloured (error bold red, warning yellow) and the location
// bold; anywhere else (pipes, files, CI logs, tests) the text is plain and byte-for-byte
// the same.

import { formatLocation, InternalError, UserError } from './errors.js';
import { messages } from './messages.js';

/** What the colour decision looks at: the stream's TTY flag and the environment. */
export interface ColourContext {
  readonly isTTY?: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/**
 * Colour when FORCE_COLOR asks for it (any value but `0`/`false`), never when NO_COLOR is
 * set (https://no-color.org, which wins), else only on a terminal that is not `dumb`.
 */
export function useColour({ isTTY, env }: ColourContext): boolean {
  if ((env['NO_COLOR'] ?? '') !== '') return false;
  const force = env['FORCE_COLOR'];
  if (force !== undefined) return force !== '0' && force !== 'false';
  return isTTY === true && env['TERM'] !== 'dumb';
}

/** ANSI SGR styles, or none when colour is off. */
export interface Style {
  readonly bold: (text: string) => string;
  readonly red: (text: string) => string;
  readonly yellow: (text: string) => string;
}

const sgr = (open: string, close: string) => (text: string): string => `\x1b[${open}m${text}\x1b[${close}m`;
const plain = (text: string): string => text;

export function style(colour: boolean): Style {
  if (!colour) return { bold: plain, red: plain, yellow: plain };
  return { bold: sgr('1', '22'), red: sgr('31', '39'), yellow: sgr('33', '39') };
}

/** The lines of a user error: `error[code]: title: detail in file:line`, then its hint. */
export function formatUserError(e: UserError, s: Style): string[] {
  const where = formatLocation(e.where);
  const lines = [`${s.bold(s.red(`error[${e.code}]:`))} ${messages[e.code]}: ${e.detail}${where === '' ? '' : ` ${s.bold(where.trimStart())}`}`];
  if (e.hint !== undefined) lines.push(`  ${s.bold('hint:')} ${e.hint}`);
  return lines;
}

/** The lines of an internal error (ours) or of anything unexpected thrown; `debug` adds the dump and stack. */
export function formatInternalError(e: unknown, s: Style, debug: boolean): string[] {
  const message = e instanceof InternalError ? e.message : `internal error: ${(e as Error)?.message ?? String(e)}`;
  const lines = [`${s.bold(s.red('error:'))} ${message}`];
  if (debug && e instanceof InternalError && e.dump !== undefined) lines.push(e.dump);
  if (debug) lines.push((e as Error)?.stack ?? '');
  return lines;
}

/** Any failure, as the lines to print. */
export function formatError(e: unknown, s: Style, debug: boolean): string[] {
  return e instanceof UserError ? formatUserError(e, s) : formatInternalError(e, s, debug);
}

/** A progress or note line from the driver, or commander's `error: ...`: its leading
 *  `warning:`/`error:` coloured, the rest as it is. */
export function formatLogLine(line: string, s: Style): string {
  const m = /^(warning|error)(\[[\w-]+\])?:/.exec(line);
  if (m === null) return line;
  const label = m[0];
  const coloured = m[1] === 'warning' ? s.bold(s.yellow(label)) : s.bold(s.red(label));
  return coloured + line.slice(label.length);
}
