import { describe, expect, it } from 'vitest';
import { InternalError, UserError } from '../../src/diagnostics/errors.js';
import { parseFunction } from '../../src/ir/parser.js';
import { PASS_NAMES, PIPELINES, runPipeline } from '../../src/ir/pipeline.js';
import { printFunction } from '../../src/ir/printer.js';
import { assertValid, verifyFunction } from '../../src/ir/verifier.js';
import { interpret, randomLoweredFunction } from './random-ir.js';

const noDump = (): void => {};

describe('IR pipeline', () => {
  it('lists its passes in order, per level', () => {
    expect(PASS_NAMES).toEqual([
      'remove-unreachable-blocks', 'simplify-block-params', 'pgo-indirect-call', 'inline', 'const-fold', 'copy-prop', 'strength-reduce',
      'gvn', 'licm', 'load-store-elim', 'bounds-check-elim', 'dead-block-params', 'dce', 'pgo-switch-order', 'pgo-block-layout',
      'pgo-block-weights',
    ]);
    expect(PIPELINES['0'].map((p) => p.name)).toEqual(['remove-unreachable-blocks', 'simplify-block-params']);
    expect(PIPELINES['1'].map((p) => p.name)).toEqual(['remove-unreachable-blocks', 'simplify-block-params', 'const-fold', 'copy-prop', 'dead-block-params', 'dce']);
    expect(PIPELINES['s']).toBe(PIPELINES['2']);
  });

  it('keeps the behaviour of lowering-shaped functions and leaves them valid', () => {
    let removedParams = 0;
    for (let seed = 1; seed <= 150; seed++) {
      const f = randomLoweredFunction(seed, 2 + (seed % 9), 1 + (seed % 5));
      expect(verifyFunction(f)).toEqual([]);
      const inputs = [0, 1, 2, -1, 7, 100];
      const before = inputs.map((x) => interpret(f, x));
      const paramsBefore = f.blocks.reduce((n, b) => n + b.params.length, 0);
      runPipeline(f, { verify: true, dump: noDump });
      expect(inputs.map((x) => interpret(f, x)), `seed ${seed}\n${printFunction(f)}`).toEqual(before);
      removedParams += paramsBefore - f.blocks.reduce((n, b) => n + b.params.length, 0);
    }
    expect(removedParams).toBeGreaterThan(100); // the test exercised the pass
  });

  it('skips disabled passes and dumps after the named ones', () => {
    const f = randomLoweredFunction(7, 6, 3);
    const dumps: string[] = [];
    runPipeline(f, { verify: true, optLevel: '1', disable: ['dce', 'const-fold', 'copy-prop', 'dead-block-params'], dumpAfter: ['simplify-block-params', 'dce'], dump: (name, text) => dumps.push(`${name}\n${text}`) });
    expect(dumps).toEqual([`simplify-block-params\n${printFunction(f)}`]);
  });

  it('rejects unknown pass names as a usage error', () => {
    const f = randomLoweredFunction(1, 3, 2);
    expect(() => runPipeline(f, { verify: false, disable: ['cse'], dump: noDump })).toThrow(UserError);
    expect(() => runPipeline(f, { verify: false, dumpAfter: ['dce2'], dump: noDump })).toThrow(/unknown pass 'dce2' in --dump-after/);
  });

  it('names the stage whose output fails verification, with a dump', () => {
    const f = parseFunction('function f0 "bad" () -> i32 {\nblock0:  ; @0x0\n    return v7\n}\n');
    try {
      runPipeline(f, { verify: true, dump: noDump });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InternalError);
      expect((e as InternalError).stage).toBe('verifier after IR construction');
      expect((e as InternalError).message).toContain('uses v7, which is not defined');
      expect((e as InternalError).dump).toBe(printFunction(f));
    }
    expect(() => assertValid(f, 'my-pass')).toThrow(/internal error in verifier after my-pass: 1 error in f0 "bad"/);
  });
});
