// The decoded WebAssembly module: what the decoder produces, the validator checks and the
// IR builder reads. Indices are Wasm's own index spaces (imports first). Offsets are
// absolute byte offsets in the input file, so every later diagnostic can point at a byte.

export type NumType = 'i32' | 'i64' | 'f32' | 'f64';
export type RefType = 'funcref' | 'externref';
export type ValType = NumType | RefType;

export interface FuncType {
  readonly params: readonly ValType[];
  readonly results: readonly ValType[];
}

export interface Limits {
  readonly min: number;
  readonly max?: number;
}

export interface TableType {
  readonly elem: RefType;
  readonly limits: Limits;
}

export interface GlobalType {
  readonly type: ValType;
  readonly mutable: boolean;
}

/**
 * A constant expression (global initialisers, segment offsets, element items).
 * Only the forms Wasm 2.0 allows: one constant, global.get, ref.null or ref.func.
 */
export type ConstExpr =
  | { readonly kind: 'i32.const'; readonly value: number }
  | { readonly kind: 'i64.const'; readonly value: bigint }
  | { readonly kind: 'f32.const'; readonly bits: number }
  | { readonly kind: 'f64.const'; readonly bits: bigint }
  | { readonly kind: 'global.get'; readonly index: number }
  | { readonly kind: 'ref.null'; readonly type: RefType }
  | { readonly kind: 'ref.func'; readonly index: number };

export type ImportDesc =
  | { readonly kind: 'func'; readonly typeIndex: number }
  | { readonly kind: 'table'; readonly type: TableType }
  | { readonly kind: 'memory'; readonly limits: Limits }
  | { readonly kind: 'global'; readonly type: GlobalType };

export interface Import {
  readonly module: string;
  readonly name: string;
  readonly desc: ImportDesc;
  readonly offset: number;
}

export type ExternKind = 'func' | 'table' | 'memory' | 'global';

export interface Export {
  readonly name: string;
  readonly kind: ExternKind;
  readonly index: number;
  readonly offset: number;
}

export interface Global {
  readonly type: GlobalType;
  readonly init: ConstExpr;
  readonly offset: number;
}

export type ElementMode =
  | { readonly kind: 'active'; readonly table: number; readonly offset: ConstExpr }
  | { readonly kind: 'passive' }
  | { readonly kind: 'declarative' };

export interface ElementSegment {
  readonly type: RefType;
  /** Each item is ref.func N or ref.null (or, for externref tables, global.get). */
  readonly items: readonly ConstExpr[];
  readonly mode: ElementMode;
  readonly offset: number;
}

export type DataMode =
  | { readonly kind: 'active'; readonly memory: number; readonly offset: ConstExpr }
  | { readonly kind: 'passive' };

export interface DataSegment {
  readonly bytes: Uint8Array;
  readonly mode: DataMode;
  readonly offset: number;
}

export interface BlockType {
  readonly params: readonly ValType[];
  readonly results: readonly ValType[];
}

export interface MemArg {
  readonly align: number; // log2 of the alignment hint
  readonly offset: number; // unsigned 32-bit
}

/**
 * One decoded instruction. `op` is the Wasm mnemonic from the opcode table
 * (src/frontend/opcodes.ts), e.g. 'i32.add', 'local.get', 'br_table'.
 * Only the immediates the opcode has are present.
 */
export interface Instr {
  readonly op: string;
  /** Absolute byte offset of the opcode's first byte in the input file. */
  readonly offset: number;
  /** local/global/function/type/table/data/elem index; for br and br_if the label depth. */
  readonly index?: number;
  /** Second index: call_indirect's table, table.copy/memory.copy source, table.init's table. */
  readonly index2?: number;
  /** i32.const: signed 32-bit number; i64.const: signed bigint; f32.const: raw bits as
   *  unsigned number; f64.const: raw bits as unsigned bigint. */
  readonly value?: number | bigint;
  /** block, loop, if. */
  readonly blockType?: BlockType;
  /** br_table: the label depths, then the default in `index`. */
  readonly depths?: readonly number[];
  /** loads and stores. */
  readonly memarg?: MemArg;
  /** select with explicit types; ref.null's type. */
  readonly types?: readonly ValType[];
}

export interface FunctionBody {
  /** Declared locals (params not included), expanded: one entry per local. */
  readonly locals: readonly ValType[];
  readonly body: readonly Instr[];
  /** Offset of the body's size field, and of the first instruction. */
  readonly offset: number;
  readonly codeOffset: number;
}

export interface WasmModule {
  readonly types: readonly FuncType[];
  readonly imports: readonly Import[];
  /** Type index of each function defined in the module (not imported ones). */
  readonly functions: readonly number[];
  readonly tables: readonly TableType[];
  readonly memories: readonly Limits[];
  readonly globals: readonly Global[];
  readonly exports: readonly Export[];
  readonly start?: number;
  readonly elements: readonly ElementSegment[];
  readonly datas: readonly DataSegment[];
  readonly dataCount?: number;
  /** One body per defined function, same order as `functions`. */
  readonly codes: readonly FunctionBody[];
  /** Function names from the 'name' custom section, by function index. */
  readonly functionNames: ReadonlyMap<number, string>;
  readonly moduleName?: string;
}

/** Number of imported entities of a kind: index spaces start with them. */
export function importCount(m: WasmModule, kind: ExternKind): number {
  return m.imports.filter((i) => i.desc.kind === kind).length;
}

/** Signature of function `index` in the function index space. */
export function funcTypeOf(m: WasmModule, index: number): FuncType {
  const imported = m.imports.filter((i) => i.desc.kind === 'func');
  if (index < imported.length) {
    const d = imported[index]!.desc as { kind: 'func'; typeIndex: number };
    return m.types[d.typeIndex]!;
  }
  return m.types[m.functions[index - imported.length]!]!;
}
