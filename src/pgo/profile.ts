// The execution profile file: what `mcu-aot profile` writes and profile-guided builds read.
//
// A profile is keyed by Wasm source keys, never by machine addresses, so it survives a
// rebuild: a function by its index in the Wasm function index space, a block by
// (srcOffset, ordinal) — the Wasm code offset where the frontend created it and the how-many-th
// block created at that offset (docs/profile.md). Each function carries a hash of its Wasm
// body, so a consumer can tell a profile taken of an older version of that function (stale)
// and ignore just that function. The file is JSON with a format tag and a version number;
// a reader refuses a foreign file or a newer version instead of guessing.

import { createHash } from 'node:crypto';
import { userError } from '../diagnostics/errors.js';
import type { FunctionBody } from '../frontend/module.js';

export const PROFILE_FORMAT = 'mcu-aot-profile';
export const PROFILE_VERSION = 1;

/** A block's stable source key within its function. */
export interface BlockKey {
  /** Wasm code offset (absolute byte offset in the module) the block was created at. */
  readonly srcOffset: number;
  /** The n-th block (from 0) the frontend created at that offset. */
  readonly ordinal: number;
}

export interface BlockCount extends BlockKey {
  /** How often the block started executing. */
  readonly count: number;
}

/** A control-flow edge between two blocks of one function. */
export interface EdgeCount {
  readonly from: BlockKey;
  readonly to: BlockKey;
  readonly count: number;
}

/** A direct call instruction: how often it ran and whom it called. */
export interface CallSiteCount {
  /** Wasm code offset of the `call` instruction. */
  readonly srcOffset: number;
  /** Callee's index in the Wasm function index space. */
  readonly callee: number;
  readonly count: number;
}

export interface IndirectTarget {
  /** The function the site called, by Wasm function index. */
  readonly funcIndex: number;
  readonly count: number;
}

/** A `call_indirect` site and the histogram of the functions it reached. */
export interface IndirectCallSite {
  /** Wasm code offset of the `call_indirect` instruction. */
  readonly srcOffset: number;
  /** Most frequent first. */
  readonly targets: readonly IndirectTarget[];
}

export interface FunctionProfile {
  /** Index in the Wasm function index space (imports first). */
  readonly index: number;
  readonly name: string;
  /** functionBodyHash of the body the profile was taken of. */
  readonly bodyHash: string;
  /** How often the function was entered. */
  readonly calls: number;
  /** Machine instructions executed in the function's code (for ranking hot functions). */
  readonly instructions: number;
  /** Sorted by (srcOffset, ordinal). */
  readonly blocks: readonly BlockCount[];
  /** Sorted by from, then to; only edges that ran. */
  readonly edges: readonly EdgeCount[];
  /** Sorted by srcOffset. */
  readonly callSites: readonly CallSiteCount[];
  /** Sorted by srcOffset. */
  readonly indirectCalls: readonly IndirectCallSite[];
}

export interface Profile {
  readonly format: typeof PROFILE_FORMAT;
  readonly version: typeof PROFILE_VERSION;
  /** The board the firmware ran on. */
  readonly board: string;
  readonly module: {
    /** sha256 of the whole Wasm binary, hex. */
    readonly hash: string;
  };
  /** Totals of the run the profile was taken from. */
  readonly run: {
    readonly instructions: number;
    readonly cycles: number;
    /** Exit code, or null when the run stopped some other way (limit, lockup). */
    readonly exitCode: number | null;
  };
  /** Defined functions that ran, by index. */
  readonly functions: readonly FunctionProfile[];
}

/** The hash of a function's Wasm body (size field, locals and code): 16 hex digits of sha256. */
export function functionBodyHash(body: Uint8Array): string {
  return createHash('sha256').update(body).digest('hex').slice(0, 16);
}

/** The hash of a whole Wasm module's bytes (full sha256, hex). */
export function moduleHash(wasm: Uint8Array): string {
  return createHash('sha256').update(wasm).digest('hex');
}

/** The bytes of one function body in the module's binary: its size field through its end. */
export function functionBodyBytes(wasm: Uint8Array, body: FunctionBody): Uint8Array {
  let size = 0;
  let shift = 0;
  let at = body.offset;
  for (;;) {
    const byte = wasm[at++];
    if (byte === undefined) return wasm.subarray(body.offset);
    size |= (byte & 0x7f) << shift;
    shift += 7;
    if ((byte & 0x80) === 0) break;
  }
  return wasm.subarray(body.offset, at + (size >>> 0));
}

/**
 * The profile of function `index`, or undefined when it has none or when it was taken of a
 * different body (stale: the function changed since). Consumers treat both as "no data".
 */
export function profileOfFunction(profile: Profile, index: number, bodyHash: string): FunctionProfile | undefined {
  const f = profile.functions.find((x) => x.index === index);
  return f !== undefined && f.bodyHash === bodyHash ? f : undefined;
}

/** A block key as one string, for maps: "srcOffset:ordinal". */
export function blockKeyString(key: BlockKey): string {
  return `${key.srcOffset}:${key.ordinal}`;
}

/** The count of one block in a function profile (0 when it never ran). */
export function blockCountOf(f: FunctionProfile, key: BlockKey): number {
  return f.blocks.find((b) => b.srcOffset === key.srcOffset && b.ordinal === key.ordinal)?.count ?? 0;
}

/** The profile as file text: JSON, one function's header per line-group, deterministic. */
export function serializeProfile(profile: Profile): string {
  return `${JSON.stringify(profile, null, 1)}\n`;
}

/** Read a profile file's text; a foreign, damaged or newer-version file is a UserError naming `file`. */
export function parseProfile(text: string, file: string): Profile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw userError('profile', `'${file}' is not an mcu-aot profile (not JSON)`, { statedInDetail: true });
  }
  const root = asObject(json, file, 'the file');
  if (root['format'] !== PROFILE_FORMAT) {
    throw userError('profile', `'${file}' is not an mcu-aot profile (format is not '${PROFILE_FORMAT}')`, { statedInDetail: true });
  }
  const version = root['version'];
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw userError('profile', `'${file}' has no valid profile version`, { statedInDetail: true });
  }
  if (version > PROFILE_VERSION) {
    throw userError('profile', `'${file}' is profile version ${version}; this mcu-aot reads version ${PROFILE_VERSION}`, { statedInDetail: true },
      'take the profile again with this mcu-aot (mcu-aot profile)');
  }
  const reader = new FieldReader(file);
  const module = reader.object(root, 'module', 'the file');
  const run = reader.object(root, 'run', 'the file');
  return {
    format: PROFILE_FORMAT,
    version: PROFILE_VERSION,
    board: reader.string(root, 'board', 'the file'),
    module: { hash: reader.string(module, 'hash', 'module') },
    run: {
      instructions: reader.count(run, 'instructions', 'run'),
      cycles: reader.count(run, 'cycles', 'run'),
      exitCode: run['exitCode'] === null ? null : reader.integer(run, 'exitCode', 'run'),
    },
    functions: reader.array(root, 'functions', 'the file').map((f, i) => reader.functionProfile(asObject(f, file, `functions[${i}]`), `functions[${i}]`)),
  };
}

type JsonObject = Record<string, unknown>;

function asObject(value: unknown, file: string, where: string): JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw userError('profile', `'${file}' is damaged: ${where} is not an object`, { statedInDetail: true });
  }
  return value as JsonObject;
}

/** Checked reads of the JSON tree; each failure names the file and the field's path. */
class FieldReader {
  constructor(private readonly file: string) {}

  functionProfile(o: JsonObject, where: string): FunctionProfile {
    const key = (k: JsonObject, w: string): BlockKey => ({ srcOffset: this.count(k, 'srcOffset', w), ordinal: this.count(k, 'ordinal', w) });
    const each = <T>(field: string, read: (item: JsonObject, w: string) => T): T[] =>
      this.array(o, field, where).map((item, i) => read(this.asObject(item, `${where}.${field}[${i}]`), `${where}.${field}[${i}]`));
    return {
      index: this.count(o, 'index', where),
      name: this.string(o, 'name', where),
      bodyHash: this.string(o, 'bodyHash', where),
      calls: this.count(o, 'calls', where),
      instructions: this.count(o, 'instructions', where),
      blocks: each('blocks', (b, w) => ({ ...key(b, w), count: this.count(b, 'count', w) })),
      edges: each('edges', (e, w) => ({
        from: key(this.object(e, 'from', w), `${w}.from`),
        to: key(this.object(e, 'to', w), `${w}.to`),
        count: this.count(e, 'count', w),
      })),
      callSites: each('callSites', (c, w) => ({ srcOffset: this.count(c, 'srcOffset', w), callee: this.count(c, 'callee', w), count: this.count(c, 'count', w) })),
      indirectCalls: each('indirectCalls', (c, w) => ({
        srcOffset: this.count(c, 'srcOffset', w),
        targets: this.array(c, 'targets', w).map((t, i) => {
          const tw = `${w}.targets[${i}]`;
          const target = this.asObject(t, tw);
          return { funcIndex: this.count(target, 'funcIndex', tw), count: this.count(target, 'count', tw) };
        }),
      })),
    };
  }

  object(o: JsonObject, field: string, where: string): JsonObject {
    return this.asObject(o[field], `${where}.${field}`);
  }

  array(o: JsonObject, field: string, where: string): unknown[] {
    const v = o[field];
    if (!Array.isArray(v)) throw this.damaged(`${where}.${field} is not a list`);
    return v;
  }

  string(o: JsonObject, field: string, where: string): string {
    const v = o[field];
    if (typeof v !== 'string') throw this.damaged(`${where}.${field} is not a string`);
    return v;
  }

  integer(o: JsonObject, field: string, where: string): number {
    const v = o[field];
    if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw this.damaged(`${where}.${field} is not an integer`);
    return v;
  }

  /** A non-negative integer. */
  count(o: JsonObject, field: string, where: string): number {
    const v = this.integer(o, field, where);
    if (v < 0) throw this.damaged(`${where}.${field} is negative`);
    return v;
  }

  private asObject(value: unknown, where: string): JsonObject {
    return asObject(value, this.file, where);
  }

  private damaged(what: string): Error {
    return userError('profile', `'${this.file}' is damaged: ${what}`, { statedInDetail: true });
  }
}
