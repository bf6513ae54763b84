// An IR module: everything the backend needs about one Wasm module, in IR terms.
// The frontend builds it; the backend turns it into one relocatable object.

import type { IrFunction, Signature } from './function.js';
import type { Type } from './types.js';

export interface ImportName {
  readonly module: string;
  readonly name: string;
  /** The symbol that provides it, when a multi-module build bound it to another module's
   *  export; otherwise the backend names it `<module>__<name>` (docs/abi.md). */
  readonly symbol?: string;
}

export interface FunctionDecl {
  /** Index in the Wasm function index space. */
  readonly index: number;
  readonly name: string;
  /** Index into IrModule.signatures. */
  readonly sigIndex: number;
  /** Present for imported functions. */
  readonly import?: ImportName;
  /** Export names of this function (may be several). */
  readonly exports: readonly string[];
}

export interface GlobalDecl {
  readonly type: Type;
  readonly mutable: boolean;
  /** Initial value: number for i32/f32 bits, bigint for i64/f64 bits. */
  readonly init: number | bigint;
  /** A funcref global initialised with ref.func: the function index (init is then 0). */
  readonly initFunc?: number;
  readonly import?: ImportName;
  readonly exports: readonly string[];
}

export interface MemoryDecl {
  readonly minPages: number;
  readonly maxPages?: number;
  readonly import?: ImportName;
  readonly exports: readonly string[];
}

export interface TableDecl {
  readonly minSize: number;
  readonly maxSize?: number;
  /** Contents after active element segments: a function index or null, per element. */
  readonly elements: readonly (number | null)[];
  /** Absent means funcref. */
  readonly elemType?: 'funcref' | 'externref';
  readonly import?: ImportName;
  readonly exports?: readonly string[];
  /** Present when the table lives in RAM (the module changes it, or shares it): how many
   *  elements it can grow to; table_grow beyond it returns -1 (docs/abi.md). */
  readonly capacity?: number;
}

/** An element segment that table_init can still read (passive), or one that is only
 *  there to be dropped (active and declarative segments count as dropped at start). */
export interface ElemSegmentDecl {
  /** Function index or null per item. */
  readonly items: readonly (number | null)[];
  readonly passive: boolean;
}

/** An active element segment that writes into an imported table: applied by runtime-c
 *  when the module is instantiated (its own tables get their contents at build time). */
export interface TableInit {
  readonly table: number;
  readonly offset: number;
  readonly items: readonly (number | null)[];
}

export interface DataInit {
  /** Offset in linear memory. */
  readonly offset: number;
  readonly bytes: Uint8Array;
}

export interface IrModule {
  /** Symbol prefix for this module's symbols (see docs/abi.md). */
  readonly prefix: string;
  /** Wasm type section, one signature per type index. */
  readonly signatures: readonly Signature[];
  /** Canonical signature id per type index: equal signatures share an id (for call_indirect). */
  readonly canonicalSig: readonly number[];
  /** The whole function index space: imports then defined functions. */
  readonly functions: readonly FunctionDecl[];
  /** Bodies of the defined functions, in index order. */
  readonly bodies: readonly IrFunction[];
  readonly globals: readonly GlobalDecl[];
  readonly memory?: MemoryDecl;
  readonly tables: readonly TableDecl[];
  /** Active data segments, in order. */
  readonly data: readonly DataInit[];
  /** Every data segment by index, for memory_init and data_drop: a passive segment's bytes,
   *  null for an active one (empty once instantiation copied it); absent when the module has
   *  no data segment. */
  readonly dataSegments?: readonly (Uint8Array | null)[];
  /** Element segments, by index (table_init, elem_drop); absent when there are none. */
  readonly elemSegments?: readonly ElemSegmentDecl[];
  /** Active element segments into imported tables, in order. */
  readonly tableInits?: readonly TableInit[];
  readonly start?: number;
}
