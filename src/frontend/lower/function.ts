// The function lowering driver: walks one validated Wasm function body in order, with an
// abstract operand stack of IR values and a control stack, and hands every instruction to
// the rule for its mnemonic (one table per instruction family). An instruction without a
// rule is a feature not supported yet, reported at its offset.

import { createFunction, FunctionBuilder, type IrFunction } from '../../ir/function.js';
import type { Value } from '../../ir/types.js';
import { funcTypeOf, type FuncType, type FunctionBody, type WasmModule } from '../module.js';
import { bulkMemoryRules } from './bulk-memory.js';
import { callRules } from './calls.js';
import { FunctionLowering, unsupportedIn, type LowerRule } from './context.js';
import { controlRules } from './control.js';
import { memoryRules } from './memory.js';
import { matchConstructs } from './nesting.js';
import { numericRules } from './numeric.js';
import { parametricRules } from './parametric.js';
import { referenceRules } from './references.js';
import { floatRules, zeroOf } from './float.js';
import type { HalOptions } from './hal.js';
import { asIrType, irSignature } from './signatures.js';
import { variableRules } from './variables.js';

/** Every lowering rule by Wasm mnemonic. */
const RULES: ReadonlyMap<string, LowerRule> = new Map(
  Object.entries({ ...controlRules, ...parametricRules, ...variableRules, ...numericRules, ...floatRules, ...memoryRules, ...bulkMemoryRules, ...referenceRules, ...callRules }),
);

/** Lowers defined function `funcIndex` (function index space) with body `code`. */
export function lowerFunction(m: WasmModule, funcIndex: number, name: string, code: FunctionBody, hal?: HalOptions): IrFunction {
  const type = funcTypeOf(m, funcIndex);
  checkSignature(type, funcIndex, code.offset);
  const func = createFunction(funcIndex, name, irSignature(type));
  const b = new FunctionBuilder(func);
  b.srcOffset = code.offset;

  // The entry block's params are the function's params; declared locals start at zero.
  const entry = b.createBlock(code.offset);
  b.switchTo(entry);
  const params = type.params.map((t) => b.addBlockParam(entry, asIrType(t)!));
  const declared = code.locals.map((t): Value | undefined => {
    const ir = asIrType(t);
    return ir === undefined ? undefined : zeroOf(b, ir);
  });
  const constructs = matchConstructs(code.body);
  const ctx = new FunctionLowering(m, funcIndex, code, b, [...type.params, ...code.locals], [...params, ...declared], constructs, hal);
  ctx.enter(entry);
  ctx.control.push({
    kind: 'function',
    type: { params: [], results: type.results.map((t) => asIrType(t)!) },
    height: 0,
    construct: constructs.get(-1)!,
    endOffset: code.body[code.body.length - 1]!.offset,
    reachable: true,
  });

  for (let i = 0; i < code.body.length; i++) {
    const ins = code.body[i]!;
    ctx.at = i;
    b.srcOffset = ins.offset;
    const rule = RULES.get(ins.op);
    if (rule === undefined) throw ctx.unsupported(ins.op);
    rule(ctx, ins);
    if (ctx.resumeAt !== undefined) {
      i = ctx.resumeAt - 1;
      ctx.resumeAt = undefined;
    }
  }
  if (ctx.control.length !== 0) throw ctx.broken('function body left constructs open');
  ctx.layOutInSourceOrder();
  return func;
}

/** A function whose own signature uses an unsupported type fails, naming the function. */
function checkSignature(type: FuncType, funcIndex: number, offset: number): void {
  const param = type.params.find((t) => asIrType(t) === undefined);
  if (param !== undefined) throw unsupportedIn(funcIndex, offset, `${param} parameter`);
  const result = type.results.find((t) => asIrType(t) === undefined);
  if (result !== undefined) throw unsupportedIn(funcIndex, offset, `${result} result`);
}
