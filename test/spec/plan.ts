// Splits a script's commands into work: results known without a device (binary
// assert_malformed / assert_invalid go through our decoder and validator; text modules
// and multi-module commands are skipped with their reason) and units that need firmware:
// a module with the actions that follow it, a module that must fail to instantiate, a
// module that must fail to link.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../src/diagnostics/errors.js';
import { decodeModule } from '../../src/frontend/decode.js';
import type { WasmModule } from '../../src/frontend/module.js';
import { validateModule } from '../../src/frontend/validate.js';
import { errorReason, failed, passed, skipped, type CommandResult } from './command-result.js';
import type { WastCommand, WastScript } from './wast-script.js';

export const REGISTER_REASON = 'register: multi-module linking not available';
export const TEXT_MODULE_REASON = 'text-format module (tests a text parser, not mcu-aot)';
const EARLIER_INSTANCE_REASON = 'action on an earlier module instance: multi-module linking not available';

/** Which import module names a firmware can be linked against, and why not otherwise. */
export interface ImportProviders {
  /** undefined when imports from `moduleName` can be bound; else the skip reason. */
  unavailable(moduleName: string): string | undefined;
}

/** What exists today: no spectest provider and no multi-module linking. */
export const NO_PROVIDERS: ImportProviders = {
  unavailable: (name) => (name === 'spectest' ? "imports from 'spectest': no spectest provider module yet" : REGISTER_REASON),
};

export interface ModuleUnit {
  readonly command: WastCommand;
  readonly wasmPath: string;
  /** Present when the module cannot be built at all; its actions are skipped with it. */
  readonly skipReason?: string;
  /** assert_return, assert_trap, assert_exhaustion and action commands, in order. */
  readonly actions: WastCommand[];
}

export type PlanItem =
  | { readonly kind: 'result'; readonly result: CommandResult }
  | { readonly kind: 'module'; readonly unit: ModuleUnit }
  /** assert_uninstantiable / assert_unlinkable: build it, expect start-up or the link to fail. */
  | { readonly kind: 'must-fail'; readonly command: WastCommand; readonly wasmPath: string; readonly skipReason?: string };

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

/** The first reason an import of `m` cannot be bound, if any. */
function importBlocker(m: WasmModule, providers: ImportProviders): string | undefined {
  for (const imp of m.imports) {
    const reason = providers.unavailable(imp.module);
    if (reason !== undefined) return reason;
  }
  return undefined;
}

/** Decode just enough to see the imports; a module we cannot decode is built anyway (and fails there). */
function importBlockerOf(path: string, providers: ImportProviders): string | undefined {
  try {
    return importBlocker(decodeModule(readFileSync(path)), providers);
  } catch {
    return undefined;
  }
}

export function planScript(script: WastScript, providers: ImportProviders): PlanItem[] {
  const items: PlanItem[] = [];
  let current: ModuleUnit | undefined;
  for (const cmd of script.commands) {
    const wasmPath = cmd.filename !== undefined ? join(script.dir, cmd.filename) : '';
    const result = (r: CommandResult): void => void items.push({ kind: 'result', result: r });
    switch (cmd.type) {
      case 'module': {
        const blocker = importBlockerOf(wasmPath, providers);
        current = { command: cmd, wasmPath, actions: [], ...(blocker !== undefined ? { skipReason: blocker } : {}) };
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
        const blocker = importBlockerOf(wasmPath, providers);
        items.push({ kind: 'must-fail', command: cmd, wasmPath, ...(blocker !== undefined ? { skipReason: blocker } : {}) });
        break;
      }
      case 'register':
        result(skipped(script.file, cmd, REGISTER_REASON));
        break;
      default:
        if (!ACTION_COMMANDS.has(cmd.type)) throw new Error(`${script.file}:${cmd.line}: unknown command type '${cmd.type}'`);
        if (current === undefined) result(failed(script.file, cmd, 'action before any module'));
        else if (cmd.action?.module !== undefined && cmd.action.module !== current.command.name) result(skipped(script.file, cmd, EARLIER_INSTANCE_REASON));
        else current.actions.push(cmd);
    }
  }
  return items;
}
