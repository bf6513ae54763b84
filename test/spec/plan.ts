// Splits a script's commands into work: results known without a device (binary
// assert_malformed / assert_invalid go through our decoder and validator; text modules
// and multi-module commands are skipped with their reason) and units that need firmware:
// a module with the actions that follow it, a module that must fail to instantiate, a
// module that must fail to link.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../src/diagnostics/errors.js';
import { decodeModule } from '../../src/frontend/decode.js';
import { validateModule } from '../../src/frontend/validate.js';
import { errorReason, failed, passed, skipped, type CommandResult } from './command-result.js';
import type { WastCommand, WastScript } from './wast-script.js';

export const REGISTER_REASON = 'register: multi-module linking not available';
const UNREGISTERED_REASON = 'imports from a module name nothing registered';
export const TEXT_MODULE_REASON = 'text-format module (tests a text parser, not mcu-aot)';
const EARLIER_INSTANCE_REASON = 'action on an earlier module instance that is not linked into the current firmware';

/** Which import module names a firmware can be linked against, and why not otherwise. */
export interface ImportProviders {
  /** undefined when imports from `moduleName` can be bound; else the skip reason. */
  unavailable(moduleName: string): string | undefined;
  /** `register` works: registered modules are linked into the firmware of the modules importing them. */
  readonly linking?: boolean;
}

/** Multi-module firmware: `spectest` and every name a `register` command gave are bound. */
export const LINKING_PROVIDERS: ImportProviders = {
  unavailable: (name) => (name === 'spectest' ? undefined : UNREGISTERED_REASON),
  linking: true,
};

/** Without multi-module linking: no spectest provider, no register. */
export const NO_PROVIDERS: ImportProviders = {
  unavailable: (name) => (name === 'spectest' ? "imports from 'spectest': no spectest provider module yet" : REGISTER_REASON),
};

/** A module linked into another's firmware under an import name (spectest, or registered). */
export interface LinkedModule {
  /** The import module name it is bound under. */
  readonly as: string;
  /** The .wasm file; absent for the spectest provider. */
  readonly wasmPath?: string;
  /** The script's `$name` of that module, for actions naming it. */
  readonly label?: string;
}

export interface ModuleUnit {
  readonly command: WastCommand;
  readonly wasmPath: string;
  /** Modules instantiated before this one in the same firmware, dependencies first. */
  readonly linked: readonly LinkedModule[];
  /** Present when the module cannot be built at all; its actions are skipped with it. */
  readonly skipReason?: string;
  /** assert_return, assert_trap, assert_exhaustion and action commands, in order. */
  readonly actions: WastCommand[];
}

export type PlanItem =
  | { readonly kind: 'result'; readonly result: CommandResult }
  | { readonly kind: 'module'; readonly unit: ModuleUnit }
  /** assert_uninstantiable / assert_unlinkable: build it, expect start-up or the link to fail. */
  | { readonly kind: 'must-fail'; readonly command: WastCommand; readonly wasmPath: string; readonly linked: readonly LinkedModule[]; readonly skipReason?: string };

const ACTION_COMMANDS = new Set<WastCommand['type']>(['action', 'assert_return', 'assert_trap', 'assert_exhaustion']);

/** Rejection codes that count as the expected one (as test/frontend/spec-testsuite.test.ts). */
function acceptedRejections(cmd: WastCommand): readonly string[] {
  if (cmd.type === 'assert_malformed') return ['malformed', 'unsupported-feature'];
  // A second memory is invalid in Wasm 2.0; mcu-aot names the multi-memory proposal.
  if (cmd.text === 'multiple memories') return ['invalid', 'unsupported-feature'];
  return ['invalid', 'malformed'];
}

function checkRejected(script: WastScript, cmd: WastCommand): CommandResult {
  if (cmd.module_type === 'text') return skipped(script.file, cmd, TEXT_MODULE_REASON);
  const bytes = readFileSync(join(script.dir, cmd.filename!));
  try {
    validateModule(decodeModule(bytes, cmd.filename));
  } catch (e) {
    if (e instanceof UserError && acceptedRejections(cmd).includes(e.code)) return passed(script.file, cmd);
    return failed(script.file, cmd, `rejected for another reason: ${errorReason(e)}`, `expected "${cmd.text}"`);
  }
  return failed(script.file, cmd, `${cmd.type === 'assert_malformed' ? 'malformed' : 'invalid'} module accepted`, `expected "${cmd.text}"`);
}

/** A registered module: what it links with itself, or why it cannot be built. */
interface Registered {
  readonly module: LinkedModule;
  readonly linked: readonly LinkedModule[];
  readonly skipReason?: string;
}

/** Decode just enough to see the import module names; none when it does not decode (the build then fails). */
function importNamesOf(path: string): string[] {
  try {
    return [...new Set(decodeModule(readFileSync(path)).imports.map((imp) => imp.module))];
  } catch {
    return [];
  }
}

/** The modules `path` must be linked with (dependencies first, each once), or why it cannot be. */
function resolveImports(path: string, registry: ReadonlyMap<string, Registered>, providers: ImportProviders): { linked: LinkedModule[]; skipReason?: string } {
  const linked: LinkedModule[] = [];
  const add = (m: LinkedModule): void => {
    if (!linked.some((l) => l.as === m.as)) linked.push(m);
  };
  for (const name of importNamesOf(path)) {
    const registered = registry.get(name);
    if (registered !== undefined) {
      if (registered.skipReason !== undefined) return { linked, skipReason: registered.skipReason };
      registered.linked.forEach(add);
      add(registered.module);
      continue;
    }
    const reason = providers.unavailable(name);
    if (reason !== undefined || name !== 'spectest') return { linked, skipReason: reason ?? UNREGISTERED_REASON };
    add({ as: 'spectest' });
  }
  return { linked };
}

export function planScript(script: WastScript, providers: ImportProviders): PlanItem[] {
  const items: PlanItem[] = [];
  const registry = new Map<string, Registered>();
  const named = new Map<string, ModuleUnit>();
  const registered = new Set<ModuleUnit>();
  let current: ModuleUnit | undefined;
  for (const cmd of script.commands) {
    const wasmPath = cmd.filename !== undefined ? join(script.dir, cmd.filename) : '';
    const result = (r: CommandResult): void => void items.push({ kind: 'result', result: r });
    switch (cmd.type) {
      case 'module': {
        const { linked, skipReason } = resolveImports(wasmPath, registry, providers);
        current = { command: cmd, wasmPath, linked, actions: [], ...(skipReason !== undefined ? { skipReason } : {}) };
        if (cmd.name !== undefined) named.set(cmd.name, current);
        items.push({ kind: 'module', unit: current });
        break;
      }
      case 'assert_malformed':
      case 'assert_invalid':
        result(checkRejected(script, cmd));
        break;
      case 'assert_uninstantiable':
      case 'assert_unlinkable': {
        if (cmd.module_type === 'text') {
          result(skipped(script.file, cmd, TEXT_MODULE_REASON));
          break;
        }
        const { linked, skipReason } = resolveImports(wasmPath, registry, providers);
        items.push({ kind: 'must-fail', command: cmd, wasmPath, linked, ...(skipReason !== undefined ? { skipReason } : {}) });
        break;
      }
      case 'register': {
        const unit = cmd.name !== undefined ? named.get(cmd.name) : current;
        const reason = providers.linking === true ? unit?.skipReason : REGISTER_REASON;
        if (unit === undefined) {
          result(failed(script.file, cmd, 'register of an unknown module'));
          break;
        }
        registered.add(unit);
        const module: LinkedModule = { as: cmd.as!, wasmPath: unit.wasmPath, ...(unit.command.name !== undefined && { label: unit.command.name }) };
        registry.set(cmd.as!, { module, linked: unit.linked, ...(reason !== undefined && { skipReason: reason }) });
        result(reason === undefined ? passed(script.file, cmd) : skipped(script.file, cmd, reason));
        break;
      }
      default:
        if (!ACTION_COMMANDS.has(cmd.type)) throw new Error(`${script.file}:${cmd.line}: unknown command type '${cmd.type}'`);
        if (current === undefined) result(failed(script.file, cmd, 'action before any module'));
        else if (cmd.action?.module !== undefined && cmd.action.module !== current.command.name && !current.linked.some((l) => l.label === cmd.action!.module)) {
          // An earlier instance that shares nothing (not registered, linked with no registered
          // module): only its own actions change its state, so the action runs in its
          // firmware, after the ones before it.
          const earlier = named.get(cmd.action.module);
          const alone = earlier !== undefined && !registered.has(earlier) && earlier.linked.every((l) => l.wasmPath === undefined);
          if (alone) earlier.actions.push(cmd);
          else result(skipped(script.file, cmd, EARLIER_INSTANCE_REASON));
        }
        else current.actions.push(cmd);
    }
  }
  return items;
}
