// The nesting structure of a function body: for every block, loop and if, where its
// else (if any) and end are. The driver uses it to know at an `if` whether an else arm
// follows, and to skip dead code straight to the end of the construct it sits in.

import { InternalError } from '../../diagnostics/errors.js';
import type { Instr } from '../module.js';

export interface Construct {
  /** Body index of the matching `else`, for an if that has one. */
  readonly elseAt?: number;
  /** Body index of the matching `end`. */
  readonly endAt: number;
}

/**
 * Matches every block/loop/if at body index i with its else and end. The function body
 * itself is the construct opened at index -1 and closed by the final `end`.
 */
export function matchConstructs(body: readonly Instr[]): Map<number, Construct> {
  const constructs = new Map<number, Construct>();
  const open: { at: number; elseAt?: number }[] = [{ at: -1 }];
  body.forEach((ins, i) => {
    switch (ins.op) {
      case 'block':
      case 'loop':
      case 'if':
        open.push({ at: i });
        break;
      case 'else':
        open[open.length - 1]!.elseAt = i;
        break;
      case 'end': {
        const c = open.pop();
        if (c === undefined) throw new InternalError('lower-wasm', `unbalanced end at offset 0x${ins.offset.toString(16)}`);
        constructs.set(c.at, c.elseAt === undefined ? { endAt: i } : { elseAt: c.elseAt, endAt: i });
        break;
      }
    }
  });
  if (open.length !== 0) throw new InternalError('lower-wasm', 'function body does not end with end');
  return constructs;
}
