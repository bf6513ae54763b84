// What one run of a fuzz module did, in a form the three executors (Node's engine, QEMU,
// the simulator) all produce: per exported function called, the values it logged through
// `fuzzing-support.log-*` and how it ended. Comparing two transcripts finds the first
// place they part; later differences usually follow from it (module state), so one
// mismatch per run is what a finding is about.
//
// Values are raw bits. Floats compare equal when both are NaN, whatever the payload and
// sign: Wasm lets an arithmetic NaN's payload and sign vary, and the JS boundary Node's
// values cross does not keep payloads anyway. A NaN whose bits matter (reinterpret) shows
// up as an integer and is compared exactly. References compare by null-ness only: the
// firmware's reference is an address, Node's a JS object.

import { TRAP_KINDS, type TrapKind } from '../../src/ir/types.js';
import type { ValType } from '../../src/frontend/module.js';

export interface Value {
  readonly type: ValType;
  /** Raw bits, zero-extended; for a reference 0 is null and 1 any other reference. */
  readonly bits: bigint;
}

/**
 * How a call ended. Trap kinds are grouped into what V8 can tell apart: it reports an
 * undefined element and an out-of-bounds table access with one message, and an
 * uninitialized element and a signature mismatch with another.
 */
export type Outcome =
  | { readonly kind: 'return'; readonly values: readonly Value[] }
  | { readonly kind: 'trap'; readonly trap: string }
  /** The executor stopped during the call: a fault, a timeout, an instruction limit. */
  | { readonly kind: 'died'; readonly reason: string };

export interface CallRecord {
  readonly name: string;
  readonly logs: readonly Value[];
  readonly outcome: Outcome;
}

export interface Transcript {
  /** Instantiation (data and element segments, start function): undefined when it worked. */
  readonly instantiationFailure?: string;
  readonly calls: readonly CallRecord[];
}

const TABLE_INDEX = 'table index out of bounds';
const NULL_OR_SIGNATURE = 'null function or signature mismatch';

/** The trap class of one of our trap kinds (TRAP_KINDS). */
export function trapClass(kind: TrapKind): string {
  switch (kind) {
    case 'undefined element':
    case 'out of bounds table access': return TABLE_INDEX;
    case 'uninitialized element':
    case 'indirect call type mismatch': return NULL_OR_SIGNATURE;
    default: return kind;
  }
}

export function trapClassOfCode(code: number): string {
  const kind = (Object.keys(TRAP_KINDS) as TrapKind[]).find((k) => TRAP_KINDS[k] === code);
  return kind === undefined ? `unknown trap kind ${code}` : trapClass(kind);
}

export const STACK_EXHAUSTED = trapClass('call stack exhausted');

/**
 * Does trap class `got` agree with the oracle's `want`? V8 says "float unrepresentable in
 * integer range" both for a NaN (invalid conversion) and for an out-of-range float
 * (integer overflow, by the spec), and node-oracle reads that as an invalid conversion;
 * an integer overflow from a division has its own V8 message, so it stays exact.
 */
export function sameTrap(want: string, got: string): boolean {
  return want === got || (want === trapClass('invalid conversion to integer') && got === trapClass('integer overflow'));
}

const widthOf = (type: ValType): number => (type === 'i32' || type === 'f32' ? 32 : type === 'i64' || type === 'f64' ? 64 : 1);

function isNaNBits(v: Value): boolean {
  if (v.type === 'f32') return (v.bits & 0x7f800000n) === 0x7f800000n && (v.bits & 0x7fffffn) !== 0n;
  if (v.type === 'f64') return (v.bits & 0x7ff0000000000000n) === 0x7ff0000000000000n && (v.bits & 0xfffffffffffffn) !== 0n;
  return false;
}

export function sameValue(a: Value, b: Value): boolean {
  if (a.type !== b.type) return false;
  if (isNaNBits(a) && isNaNBits(b)) return true;
  return BigInt.asUintN(widthOf(a.type), a.bits) === BigInt.asUintN(widthOf(b.type), b.bits);
}

export function formatValue(v: Value): string {
  if (v.type === 'funcref' || v.type === 'externref') return `${v.type}:${v.bits === 0n ? 'null' : 'ref'}`;
  const hex = `0x${BigInt.asUintN(widthOf(v.type), v.bits).toString(16)}`;
  return isNaNBits(v) ? `${v.type}:${hex}(nan)` : `${v.type}:${hex}`;
}

export function formatOutcome(o: Outcome): string {
  switch (o.kind) {
    case 'return': return `=> ${o.values.map(formatValue).join(' ') || '()'}`;
    case 'trap': return `! trap: ${o.trap}`;
    case 'died': return `!! died: ${o.reason}`;
  }
}

/** The transcript as text, one line per log and per outcome (saved with each finding). */
export function formatTranscript(t: Transcript): string {
  const lines = [t.instantiationFailure === undefined ? 'instantiated' : `instantiation failed: ${t.instantiationFailure}`];
  for (const call of t.calls) {
    lines.push(`call ${call.name}`);
    for (const v of call.logs) lines.push(`  log ${formatValue(v)}`);
    lines.push(`  ${formatOutcome(call.outcome)}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Kinds of disagreement. `stack-limit` is a resource difference, not a wrong answer: the
 * device's stack is a few KiB where V8's is about a megabyte. `nan-bits` is allowed by
 * Wasm: a NaN's sign and payload stored to memory or reinterpreted differ between hosts.
 */
export type MismatchKind = 'instantiation' | 'log' | 'result' | 'trap-vs-return' | 'trap-kind' | 'died' | 'stack-limit' | 'missing-call'
  /** Set by fuzz-module.ts: the disagreement goes away once NaNs are removed (permitted). */
  | 'nan-bits';

export interface Mismatch {
  readonly kind: MismatchKind;
  /** The export being called, when it is about one call. */
  readonly call?: string;
  readonly detail: string;
}

function compareLogs(name: string, want: readonly Value[], got: readonly Value[]): Mismatch | undefined {
  const n = Math.min(want.length, got.length);
  for (let i = 0; i < n; i++) {
    if (!sameValue(want[i]!, got[i]!)) {
      return { kind: 'log', call: name, detail: `log #${i}: expected ${formatValue(want[i]!)}, got ${formatValue(got[i]!)}` };
    }
  }
  if (want.length === got.length) return undefined;
  // A call that then dies or traps differently logs less: let the outcome explain it.
  return { kind: 'log', call: name, detail: `expected ${want.length} logs, got ${got.length}` };
}

function compareOutcomes(name: string, want: Outcome, got: Outcome): Mismatch | undefined {
  const says = `expected ${formatOutcome(want)}, got ${formatOutcome(got)}`;
  if (got.kind === 'died' || want.kind === 'died') return { kind: 'died', call: name, detail: says };
  if (want.kind === 'trap' && got.kind === 'trap') {
    if (sameTrap(want.trap, got.trap)) return undefined;
    const stack = want.trap === STACK_EXHAUSTED || got.trap === STACK_EXHAUSTED;
    return { kind: stack ? 'stack-limit' : 'trap-kind', call: name, detail: says };
  }
  if (want.kind !== got.kind) {
    const trapped = want.kind === 'trap' ? want : (got as Extract<Outcome, { kind: 'trap' }>);
    return { kind: trapped.trap === STACK_EXHAUSTED ? 'stack-limit' : 'trap-vs-return', call: name, detail: says };
  }
  const a = (want as Extract<Outcome, { kind: 'return' }>).values;
  const b = (got as Extract<Outcome, { kind: 'return' }>).values;
  if (a.length === b.length && a.every((v, i) => sameValue(v, b[i]!))) return undefined;
  return { kind: 'result', call: name, detail: says };
}

/** The first place where `got` departs from `want` (the oracle's transcript), if any. */
export function firstMismatch(want: Transcript, got: Transcript): Mismatch | undefined {
  if ((want.instantiationFailure === undefined) !== (got.instantiationFailure === undefined)) {
    const say = (t: Transcript): string => t.instantiationFailure ?? 'instantiated';
    return { kind: 'instantiation', detail: `expected ${say(want)}, got ${say(got)}` };
  }
  for (let i = 0; i < want.calls.length; i++) {
    const w = want.calls[i]!;
    const g = got.calls[i];
    if (g === undefined) return { kind: 'missing-call', call: w.name, detail: `no record of call #${i} "${w.name}"` };
    // A trap or death in the middle can cut the logs short: the outcome is the better story.
    const outcome = compareOutcomes(w.name, w.outcome, g.outcome);
    const logs = compareLogs(w.name, w.logs, g.logs);
    if (logs !== undefined && (outcome === undefined || logs.detail.startsWith('log #'))) return logs;
    if (outcome !== undefined) return outcome;
  }
  if (got.calls.length > want.calls.length) return { kind: 'missing-call', detail: `${got.calls.length - want.calls.length} calls more than expected` };
  return undefined;
}
