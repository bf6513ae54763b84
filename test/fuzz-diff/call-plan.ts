// Which calls a fuzz run makes, the same for every executor: each exported function in
// export order, with zero arguments, each preceded by `hangLimitInitializer` when the
// module has it (generate.ts: that reset is what keeps every call finite), as binaryen's
// own JS wrapper runs a -ttf module.

import { funcTypeOf, type ValType, type WasmModule } from '../../src/frontend/module.js';

export const HANG_LIMIT_INITIALIZER = 'hangLimitInitializer';

export interface ExportCall {
  readonly name: string;
  readonly funcIndex: number;
  readonly params: readonly ValType[];
  readonly results: readonly ValType[];
}

export interface CallPlan {
  readonly calls: readonly ExportCall[];
  /** The reset called before each of `calls`, when the module exports one. */
  readonly hangLimitInitializer?: ExportCall;
}

export function planCalls(wasm: WasmModule): CallPlan {
  const calls = wasm.exports
    .filter((e) => e.kind === 'func')
    .map((e): ExportCall => {
      const type = funcTypeOf(wasm, e.index);
      return { name: e.name, funcIndex: e.index, params: type.params, results: type.results };
    });
  const reset = calls.find((c) => c.name === HANG_LIMIT_INITIALIZER && c.params.length === 0 && c.results.length === 0);
  return { calls, ...(reset !== undefined ? { hangLimitInitializer: reset } : {}) };
}
