// The outcome of one spec command, and the reasons they are grouped by in the report.
// A reason is short and stable ("unexpected trap: integer overflow"), so equal causes
// add up in the table; `detail` says what exactly (command, expected, got) for --verbose.

import { InternalError, UserError } from '../../src/diagnostics/errors.js';
import type { WastCommand } from './wast-script.js';

export type Status = 'pass' | 'fail' | 'skip';

export interface CommandResult {
  readonly file: string;
  readonly line: number;
  readonly type: WastCommand['type'];
  readonly status: Status;
  /** Why it failed or was skipped (grouped in the report); absent when it passed. */
  readonly reason?: string;
  /** The specifics: the call, what was expected and what came back. */
  readonly detail?: string;
}

export function passed(file: string, cmd: WastCommand): CommandResult {
  return { file, line: cmd.line, type: cmd.type, status: 'pass' };
}

export function failed(file: string, cmd: WastCommand, reason: string, detail?: string): CommandResult {
  return { file, line: cmd.line, type: cmd.type, status: 'fail', reason, ...(detail !== undefined ? { detail } : {}) };
}

export function skipped(file: string, cmd: WastCommand, reason: string): CommandResult {
  return { file, line: cmd.line, type: cmd.type, status: 'skip', reason };
}

/** UserError codes that mean "mcu-aot does not do this yet": their commands are skipped. */
export function isNotSupported(e: unknown): e is UserError {
  return e instanceof UserError && (e.code === 'unsupported' || e.code === 'unsupported-feature');
}

/**
 * A grouping key for an error: the message table's title and the detail, without the
 * location (function index, offset) so that one missing feature is one group.
 */
export function errorReason(e: unknown): string {
  if (e instanceof UserError) {
    const detail = e.detail.replace(/ in function \d+.*$/, '').replace(/ \(referenced from [^)]*\)\)?/g, '');
    return firstLine(`${e.message.split(': ')[0]}: ${detail}`);
  }
  if (e instanceof InternalError) return firstLine(e.message);
  return `crash: ${firstLine(e instanceof Error ? e.message : String(e))}`;
}

const firstLine = (text: string): string => {
  const line = text.split('\n')[0]!;
  return line.length > 160 ? `${line.slice(0, 157)}...` : line;
};

export function errorDetail(e: unknown): string {
  if (e instanceof InternalError && e.dump !== undefined) return `${e.message}\n${e.dump}`;
  if (e instanceof Error) return e.message;
  return String(e);
}
