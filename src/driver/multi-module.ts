// Several Wasm modules in one firmware (docs/abi.md, "Several modules in one firmware"):
// decode and validate each, bind imports to exports by name (module-binding.ts), lower
// each with its own symbol prefix and its imports named after the exporters' symbols,
// compile each, add the instance list, link with runtime-c.
//
// Memories: the entry module's memory (defined, or imported from another module) is the
// primary one, at __mcu_linear_memory, fitted to the board as in a single-module build.
// Every other defined memory gets its declared initial size in .bss, or `moduleMemory`
// bytes (memory.grow on it cannot go beyond that). Modules are instantiated in list order;
// the entry's start and entry functions run last.

import { basename, extname } from 'node:path';
import { compileModule } from '../backend-thumb2/compile.js';
import { buildInstanceList, memoryBaseSymbol } from '../backend-thumb2/module-instance.js';
import { boundSymbol, exportSymbol, mangle, ownMemorySymbol } from '../backend-thumb2/symbols.js';
import { userError } from '../diagnostics/errors.js';
import { decodeModule } from '../frontend/decode.js';
import { loadWasm } from '../frontend/load.js';
import type { HalOptions } from '../frontend/lower/hal.js';
import { lowerModule } from '../frontend/lower/module.js';
import type { WasmModule } from '../frontend/module.js';
import { validateModule } from '../frontend/validate.js';
import type { ObjectFile } from '../elf/object.js';
import type { ImportName, IrModule } from '../ir/module.js';
import { runPipeline } from '../ir/pipeline.js';
import type { LinkResult } from '../linker/link.js';
import type { Board } from './board.js';
import type { TargetFeatures } from '../backend-thumb2/target.js';
import { bindImports, type Binding, type ModuleBindings } from './module-binding.js';
import { linkWithRuntime, loadFirmwareRuntime } from './link-firmware.js';
import { grantedRanges } from './peripherals.js';

export interface FirmwareModuleInput {
  /** The name other modules import it by. */
  readonly name: string;
  readonly wasm: Uint8Array;
  /** Source file, for messages. */
  readonly file?: string;
}

export interface FirmwareOptions {
  /** The module whose `_start` (or `main`) runs after every module is instantiated; default the last. */
  readonly entry?: string;
  /** Physical size of the primary linear memory in bytes (--memory). */
  readonly memory?: number;
  /** Bytes reserved for each other memory a module defines; default its declared initial
   *  size. Smaller is like --memory: accesses beyond it trap as out of bounds. */
  readonly moduleMemory?: number;
  /** Elements a RAM table may grow beyond its minimum (docs/abi.md); default 1024. */
  readonly tableGrowth?: number;
  /** More objects to link (C implementations of imports, e.g. the spectest printers). */
  readonly extraObjects?: readonly ObjectFile[];
  readonly verify?: boolean;
  readonly log?: (line: string) => void;
  /** The core's features for code generation; buildFirmware takes them from the board. */
  readonly target?: TargetFeatures;
  /** The peripheral ranges every module's HAL register accesses may touch (docs/hal.md);
   *  buildFirmware defaults to the board's. Without any, every computed access traps. */
  readonly hal?: HalOptions;
}

export interface FirmwareResult {
  readonly link: LinkResult;
  /** Symbol prefix of each module, in list order: export `e` of module i is `<prefix>_<e>`. */
  readonly prefixes: readonly string[];
}

const WASM_PAGE = 65536;

export async function buildFirmware(inputs: readonly FirmwareModuleInput[], board: Board, opts: FirmwareOptions = {}): Promise<FirmwareResult> {
  const { objects, primary, prefixes } = compileFirmwareModules(inputs, { target: { fpu: board.cpu.fpu }, hal: { grants: grantedRanges(board) }, ...opts });
  const result = linkWithRuntime(await loadFirmwareRuntime(board), [...objects, buildInstanceList(prefixes), ...(opts.extraObjects ?? [])],
    { memory: primary, physicalMemory: opts.memory });
  if (result.linearMemory?.fitted === true) {
    opts.log?.(`linear memory fitted: declared ${result.linearMemory.declaredBytes} bytes, physical ${result.linearMemory.physicalBytes} bytes on ${board.name}`);
  }
  return { link: result, prefixes };
}

/**
 * The modules of `mcu-aot build app.wasm lib.wasm ...`: each argument is `path` or
 * `name=path` (the name other modules import it by; default the file name without its
 * extension). The first argument is the entry: it is instantiated last, after the others
 * in the order given.
 */
export async function firmwareInputsFromFiles(args: readonly string[]): Promise<FirmwareModuleInput[]> {
  const inputs = await Promise.all(
    args.map(async (arg) => {
      const eq = arg.indexOf('=');
      const path = eq > 0 ? arg.slice(eq + 1) : arg;
      const name = eq > 0 ? arg.slice(0, eq) : basename(path, extname(path));
      const { bytes, file } = await loadWasm(path);
      return { name, wasm: bytes, file };
    }),
  );
  return [...inputs.slice(1), inputs[0]!];
}

/** Everything up to the objects: decoded, bound, lowered and compiled modules. */
export function compileFirmwareModules(inputs: readonly FirmwareModuleInput[], opts: FirmwareOptions = {}): { objects: ObjectFile[]; primary?: IrModule['memory']; prefixes: string[]; irs: IrModule[] } {
  if (inputs.length === 0) throw userError('link', 'no modules to link');
  const modules = inputs.map((input) => {
    const module = decodeModule(input.wasm, input.file);
    validateModule(module, input.file);
    return { name: input.name, module };
  });
  const bindings = bindImports(modules);
  const entry = opts.entry === undefined ? modules.length - 1 : modules.findIndex((m) => m.name === opts.entry);
  if (entry < 0) throw userError('link', `no module named '${opts.entry}' to run as the entry`);
  const prefixes = uniquePrefixes(inputs.map((i) => i.name));
  const primaryOwner = memoryOwner(modules.map((m) => m.module), bindings, entry);
  const signatureIds = new Map<string, number>();

  const irs: IrModule[] = [];
  const objects = modules.map(({ module }, i) => {
    const input = inputs[i]!;
    const external = (b: Binding): string => externalSymbol(irs, b, primaryOwner);
    let ir = lowerModule(module, {
      prefix: prefixes[i]!,
      ...(input.file !== undefined && { file: input.file }),
      ...(opts.tableGrowth !== undefined && { tableGrowth: opts.tableGrowth }),
      ...(opts.hal !== undefined && { hal: opts.hal }),
      importedGlobal: (moduleName, name) => {
        const at = module.imports.findIndex((imp) => imp.desc.kind === 'global' && imp.module === moduleName && imp.name === name);
        const b = at < 0 ? undefined : bindings[i]![at];
        return b === undefined ? undefined : globalValue(modules, bindings, irs, b.exporter, b.index);
      },
    });
    ir = bindIrImports(ir, module, bindings[i]!, external);
    ir = { ...ir, canonicalSig: module.types.map((t) => signatureId(signatureIds, `${t.params.join(',')}->${t.results.join(',')}`)) };
    if (i === entry && primaryOwner !== undefined && primaryOwner !== i && ir.memory !== undefined) {
      // runtime-c sets the primary memory up from the entry's descriptor: give it the owner's size.
      const owner = irs[primaryOwner]!.memory!;
      ir = { ...ir, memory: { ...ir.memory, minPages: owner.minPages, ...(owner.maxPages !== undefined && { maxPages: owner.maxPages }) } };
    }
    for (const f of ir.bodies) runPipeline(f, { disable: [], dumpAfter: [], verify: opts.verify ?? false, dump: () => {}, context: { module: ir } });
    irs.push(ir);
    const ownsMemory = ir.memory !== undefined && ir.memory.import === undefined;
    const ownMemoryBytes = ownsMemory && i !== primaryOwner ? Math.min(ir.memory!.minPages * WASM_PAGE, opts.moduleMemory ?? Infinity) : undefined;
    return compileModule(ir, { ...(opts.target !== undefined && { target: opts.target }), multiModule: { entry: i === entry, ...(ownMemoryBytes !== undefined && { ownMemoryBytes }) }, objectName: `${prefixes[i]}.o` });
  });
  return { objects, prefixes, irs, ...(primaryOwner !== undefined && { primary: irs[primaryOwner]!.memory }) };
}

/** Module names as symbol prefixes, made unique by a `_<n>` suffix. */
function uniquePrefixes(names: readonly string[]): string[] {
  const used = new Set<string>();
  return names.map((name, i) => {
    let prefix = mangle(name === '' ? `module${i}` : name);
    if (used.has(prefix)) prefix = `${prefix}_${i}`;
    used.add(prefix);
    return prefix;
  });
}

function signatureId(ids: Map<string, number>, shape: string): number {
  let id = ids.get(shape);
  if (id === undefined) {
    id = ids.size;
    ids.set(shape, id);
  }
  return id;
}

/** The module that defines the memory module `index` uses, following imports. */
function memoryOwner(modules: readonly WasmModule[], bindings: readonly ModuleBindings[], index: number): number | undefined {
  const m = modules[index]!;
  if (m.memories.length > 0) return index;
  const at = m.imports.findIndex((imp) => imp.desc.kind === 'memory');
  if (at < 0) return undefined;
  const binding = bindings[index]![at];
  return binding === undefined ? undefined : memoryOwner(modules, bindings, binding.exporter);
}

/** The symbol through which other modules reach an export: the exporter's export symbol,
 *  or, for a re-exported import, whatever that import is bound to. */
function externalSymbol(irs: readonly IrModule[], b: Binding, primaryOwner: number | undefined): string {
  const ir = irs[b.exporter]!;
  const named = (decl: { import?: ImportName; exports?: readonly string[] } | undefined): string => {
    if (decl?.import !== undefined) return boundSymbol(decl.import);
    return exportSymbol(ir, decl!.exports![0]!);
  };
  switch (b.kind) {
    case 'func':
      return named(ir.functions[b.index]);
    case 'global':
      return named(ir.globals[b.index]);
    case 'table':
      return named(ir.tables[b.index]);
    case 'memory':
      if (ir.memory?.import !== undefined) return boundSymbol(ir.memory.import);
      return b.exporter === primaryOwner ? memoryBaseSymbol(ir, { entry: false })! : ownMemorySymbol(ir.prefix);
  }
}

/** The IR with every bound import naming its exporter's symbol. */
function bindIrImports(ir: IrModule, m: WasmModule, bindings: ModuleBindings, external: (b: Binding) => string): IrModule {
  const byImport = new Map<string, string>();
  m.imports.forEach((imp, i) => {
    const b = bindings[i];
    if (b !== undefined) byImport.set(`${imp.desc.kind}:${imp.module}\0${imp.name}`, external(b));
  });
  const bind = <T extends { import?: ImportName }>(kind: string, decl: T): T => {
    if (decl.import === undefined) return decl;
    const symbol = byImport.get(`${kind}:${decl.import.module}\0${decl.import.name}`);
    return symbol === undefined ? decl : { ...decl, import: { ...decl.import, symbol } };
  };
  return {
    ...ir,
    functions: ir.functions.map((f) => bind('func', f)),
    globals: ir.globals.map((g) => bind('global', g)),
    tables: ir.tables.map((t) => bind('table', t)),
    ...(ir.memory !== undefined && { memory: bind('memory', ir.memory) }),
  };
}

/** The value of global `index` of module `j` when it is a number: a defined global's
 *  initialiser, or for an import, the value of the global it is bound to. */
function globalValue(modules: readonly { module: WasmModule }[], bindings: readonly ModuleBindings[], irs: readonly IrModule[], j: number, index: number): number | bigint | undefined {
  const g = irs[j]?.globals[index];
  if (g === undefined || g.initFunc !== undefined) return undefined;
  if (g.import === undefined) return g.init;
  const at = nthImport(modules[j]!.module, 'global', index);
  const b = at === undefined ? undefined : bindings[j]![at];
  return b === undefined ? undefined : globalValue(modules, bindings, irs, b.exporter, b.index);
}

/** Position in the import section of the `n`th import of `kind`. */
function nthImport(m: WasmModule, kind: string, n: number): number | undefined {
  let seen = 0;
  for (let i = 0; i < m.imports.length; i++) {
    if (m.imports[i]!.desc.kind !== kind) continue;
    if (seen++ === n) return i;
  }
  return undefined;
}
