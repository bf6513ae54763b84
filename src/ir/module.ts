// An IR module: everything the backend needs about one Wasm module, in IR terms.
// The frontend builds it; the backend turns it into one relocatable object.

import type { IrFunction, Signature } from './function.js';
import type { Type } from './types.js';

export interface ImportName {
  readonly module: string;
  readonly name: string;
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
  readonly start?: number;
}
