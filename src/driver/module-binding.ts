// Binding the imports of several modules to each other's exports, by name, as the spec
// testsuite's `register` does (docs/abi.md, "Several modules in one firmware").
//
// Modules are instantiated in list order; an import `M.n` binds to export `n` of the
// latest module before it that is named `M`. An import whose module name no module in the
// firmware has is left to the linker (runtime-c, WASI, C objects). Every problem (missing
// export, wrong kind, wrong type, incompatible limits) is collected and reported in one
// UserError('link').

import { userError } from '../diagnostics/errors.js';
import { funcTypeOf, type ExternKind, type Import, type Limits, type WasmModule } from '../frontend/module.js';

export interface FirmwareModule {
  /** The name other modules import it by (spec: `register "name"`). */
  readonly name: string;
  readonly module: WasmModule;
}

/** What an import resolved to: the exporting module (list index) and its entity index. */
export interface Binding {
  readonly exporter: number;
  readonly kind: ExternKind;
  readonly index: number;
}

/** Bindings per module, one entry per import (undefined: left to the linker). */
export type ModuleBindings = readonly (Binding | undefined)[];

export function bindImports(modules: readonly FirmwareModule[]): ModuleBindings[] {
  const problems: string[] = [];
  const bindings = modules.map((importer, i) =>
    importer.module.imports.map((imp) => {
      const exporter = findExporter(modules, i, imp.module);
      if (exporter === undefined) return undefined;
      const problem = checkImport(modules, importer, imp, exporter);
      if (typeof problem === 'string') {
        problems.push(`'${importer.name}' imports ${imp.desc.kind} '${imp.module}.${imp.name}': ${problem}`);
        return undefined;
      }
      return problem;
    }),
  );
  if (problems.length > 0) {
    throw userError('link', `${problems.length} unlinkable import${problems.length === 1 ? '' : 's'}:\n  ${problems.join('\n  ')}`);
  }
  return bindings;
}

/** The latest module before `importer` registered as `name`. */
function findExporter(modules: readonly FirmwareModule[], importer: number, name: string): number | undefined {
  for (let j = importer - 1; j >= 0; j--) if (modules[j]!.name === name) return j;
  return undefined;
}

/** The binding, or the problem in words. */
function checkImport(modules: readonly FirmwareModule[], importer: FirmwareModule, imp: Import, exporterIndex: number): Binding | string {
  const exporter = modules[exporterIndex]!.module;
  const exp = exporter.exports.find((e) => e.name === imp.name);
  if (exp === undefined) return `module '${imp.module}' has no export '${imp.name}'`;
  if (exp.kind !== imp.desc.kind) return `'${imp.module}.${imp.name}' is a ${exp.kind}`;
  const binding: Binding = { exporter: exporterIndex, kind: exp.kind, index: exp.index };
  const desc = imp.desc;
  switch (desc.kind) {
    case 'func': {
      const want = importer.module.types[desc.typeIndex]!;
      const have = funcTypeOf(exporter, exp.index);
      return shape(want) === shape(have) ? binding : `type mismatch: expected ${shape(want)}, the export is ${shape(have)}`;
    }
    case 'global': {
      const have = globalType(exporter, exp.index);
      if (have.type !== desc.type.type || have.mutable !== desc.type.mutable) {
        return `type mismatch: expected ${globalText(desc.type)}, the export is ${globalText(have)}`;
      }
      return binding;
    }
    case 'table': {
      const have = tableType(exporter, exp.index);
      if (have.elem !== desc.type.elem) return `type mismatch: expected ${desc.type.elem}, the export is ${have.elem}`;
      return limitsMatch(have.limits, desc.type.limits) ?? binding;
    }
    case 'memory':
      return limitsMatch(memoryLimits(exporter), desc.limits) ?? binding;
  }
}

const shape = (t: { params: readonly string[]; results: readonly string[] }): string => `(${t.params.join(' ')}) -> (${t.results.join(' ')})`;
const globalText = (g: { type: string; mutable: boolean }): string => (g.mutable ? `mut ${g.type}` : g.type);

/** Wasm's import matching of limits: at least the minimum, at most the maximum. */
function limitsMatch(have: Limits, want: Limits): string | undefined {
  if (have.min < want.min) return `incompatible import type: minimum ${have.min} is below ${want.min}`;
  if (want.max !== undefined && (have.max === undefined || have.max > want.max)) {
    return `incompatible import type: maximum ${have.max ?? 'none'} exceeds ${want.max}`;
  }
  return undefined;
}

function imported<K extends ExternKind>(m: WasmModule, kind: K): Import[] {
  return m.imports.filter((i) => i.desc.kind === kind);
}

export function globalType(m: WasmModule, index: number): { type: string; mutable: boolean } {
  const imports = imported(m, 'global');
  const imp = imports[index];
  if (imp !== undefined && imp.desc.kind === 'global') return imp.desc.type;
  return m.globals[index - imports.length]!.type;
}

function tableType(m: WasmModule, index: number): { elem: string; limits: Limits } {
  const imports = imported(m, 'table');
  const imp = imports[index];
  if (imp !== undefined && imp.desc.kind === 'table') return imp.desc.type;
  return m.tables[index - imports.length]!;
}

function memoryLimits(m: WasmModule): Limits {
  const imp = imported(m, 'memory')[0];
  if (imp !== undefined && imp.desc.kind === 'memory') return imp.desc.limits;
  return m.memories[0]!;
}
