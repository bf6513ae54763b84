// IR text form: the printer. parser.ts reads the same form back; print -> parse -> print
// is stable. The form is described in docs/ir.md. The printer never throws, even on
// ill-formed IR: its output is what the verifier's error dumps show.

import type { Block, Inst, IrFunction } from './function.js';
import { formatSrcOffset, impliedResultType, indexPrefix, memWidthToken } from './text-syntax.js';
import type { Type, Value } from './types.js';

const INDENT = '    ';

export function printModule(functions: readonly IrFunction[]): string {
  return functions.map(printFunction).join('\n');
}

export function printFunction(f: IrFunction): string {
  const lines = [printHeader(f)];
  for (const block of f.blocks) lines.push(...printBlock(f, block));
  lines.push('}');
  return lines.join('\n') + '\n';
}

function printHeader(f: IrFunction): string {
  const results = f.sig.results.length > 0 ? ` -> ${f.sig.results.join(', ')}` : '';
  return `function f${f.index} ${JSON.stringify(f.name)} (${f.sig.params.join(', ')})${results} {`;
}

function printBlock(f: IrFunction, block: Block): string[] {
  const params = block.params.map((p) => `v${p}: ${typeName(f, p)}`);
  const head = params.length > 0 ? `block${block.id}(${params.join(', ')}):` : `block${block.id}:`;
  const lines = [`${head}  ; ${formatSrcOffset(block.srcOffset)}`];
  // An instruction states its source offset only where it changes, starting from the block's,
  // and always when it has an origin (which the next instruction does not inherit).
  let offset = block.srcOffset;
  for (const inst of block.insts) {
    const text = INDENT + printInst(f, inst);
    const located = inst.srcOffset === offset && inst.origin === undefined;
    lines.push(located ? text : `${text}  ; ${formatSrcOffset(inst.srcOffset, inst.origin)}`);
    offset = inst.srcOffset;
  }
  return lines;
}

/** One instruction without indentation or source offset, e.g. `v2 = icmp.slt v0, v1`. */
export function printInst(f: IrFunction, inst: Inst): string {
  const typeOf = (v: Value): Type | undefined => f.values[v]?.type;
  const results = inst.results.map((r, i) => {
    const actual = typeOf(r);
    return actual === impliedResultType(inst, i, typeOf) ? `v${r}` : `v${r}: ${actual ?? '?'}`;
  });
  const lhs = results.length > 0 ? `${results.join(', ')} = ` : '';
  const suffixes = [inst.cc, inst.fcc, inst.type].filter((s) => s !== undefined).map((s) => `.${s}`).join('');
  const words = [...immediateTokens(inst)];
  const operands = [
    ...inst.args.map((a) => `v${a}`),
    ...inst.targets.map((t) => (t.args.length > 0 ? `block${t.block}(${t.args.map((a) => `v${a}`).join(', ')})` : `block${t.block}`)),
  ];
  if (operands.length > 0) words.push(operands.join(', '));
  return `${lhs}${inst.op}${suffixes}${words.length > 0 ? ' ' + words.join(' ') : ''}`;
}

/** Immediates in their fixed order: imm, memory access, index, table, trap kind. */
function* immediateTokens(inst: Inst): Generator<string> {
  if (inst.imm !== undefined) yield String(inst.imm);
  if (inst.mem !== undefined) {
    yield memWidthToken(inst.mem);
    if (inst.mem.offset !== 0) yield `+${inst.mem.offset}`;
    if (inst.mem.inBounds === true) yield 'inbounds';
  }
  if (inst.index !== undefined) yield `${indexPrefix(inst.op)}${inst.index}`;
  if (inst.table !== undefined) yield `table${inst.table}`;
  if (inst.trap !== undefined) yield JSON.stringify(inst.trap);
}

function typeName(f: IrFunction, v: Value): string {
  return f.values[v]?.type ?? '?';
}
