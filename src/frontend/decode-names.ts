// The 'name' custom section: the module name (subsection 0) and function names
// (subsection 1). Names are debug information only, so a malformed name section is ignored
// rather than rejected, as the spec's appendix allows.

import { UserError } from '../diagnostics/errors.js';
import type { Reader } from './reader.js';

export interface NameSection {
  readonly moduleName?: string;
  readonly functionNames: ReadonlyMap<number, string>;
}

const MODULE_NAME_SUBSECTION = 0;
const FUNCTION_NAMES_SUBSECTION = 1;

/** Reads a name section's content (after its 'name' header); undefined when it is malformed. */
export function decodeNameSection(r: Reader): NameSection | undefined {
  r.section = 'name';
  try {
    return readSubsections(r);
  } catch (error) {
    if (error instanceof UserError) return undefined;
    throw error;
  }
}

function readSubsections(r: Reader): NameSection {
  let moduleName: string | undefined;
  const functionNames = new Map<number, string>();
  const sectionEnd = r.end;
  while (!r.atEnd) {
    const id = r.u8();
    const size = r.u32();
    const end = r.pos + size;
    if (end > sectionEnd) throw r.fail('name subsection runs past the section');
    r.end = end;
    if (id === MODULE_NAME_SUBSECTION) moduleName = r.name();
    else if (id === FUNCTION_NAMES_SUBSECTION) {
      r.vec(() => functionNames.set(r.u32(), r.name()));
    } else r.pos = end;
    if (r.pos !== end) throw r.fail('name subsection size mismatch');
    r.end = sectionEnd;
  }
  return moduleName === undefined ? { functionNames } : { moduleName, functionNames };
}
