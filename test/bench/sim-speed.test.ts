// The "Simulator speed (MIPS)" table: per program the whole-run counts of QEMU and the
// simulator, the simulator's cycles, the MIPS of the JIT, the interpreter and QEMU and
// their ratios, and geometric means; a program without figures says why.

import { describe, expect, it } from 'vitest';
import type { Outcome, ProgramResult } from '../../bench/harness.js';
import { renderReport } from '../../bench/report.js';
import { mips } from '../../bench/sim-speed.js';

function measured(simSpeed: NonNullable<Extract<Outcome, { status: 'ok' }>['simSpeed']>): Outcome {
  return { status: 'ok', instructions: 1000, codeBytes: 100, simSpeed };
}

const speed = (instructions: number, jitSeconds: number, interpreterSeconds: number, qemuSeconds: number) => ({
  simInstructions: instructions, simCycles: instructions * 1.25, jitSeconds, interpreterSeconds, qemuInstructions: instructions, qemuSeconds,
});

describe('simulator speed table', () => {
  it('shows MIPS per program, the ratios and their geometric means', () => {
    const results: ProgramResult[] = [
      { program: 'a', board: 'mps2-an385', outcomes: { 'mcu-aot': measured(speed(8_000_000, 2, 4, 0.5)) } as ProgramResult['outcomes'] },
      { program: 'b', board: 'mps2-an385', outcomes: { 'mcu-aot': measured(speed(2_000_000, 1, 1, 0.1)) } as ProgramResult['outcomes'] },
      { program: 'c', board: 'mps2-an385', outcomes: { 'mcu-aot': { status: 'ok', instructions: 5, codeBytes: 5, simFailure: 'the simulator ended with a lockup' } } as ProgramResult['outcomes'] },
    ];
    const text = renderReport({ command: 'npm run bench', date: 'today', tools: [], notes: [], results });
    expect(text).toContain('## Simulator speed (MIPS): mps2-an385');
    expect(text).toContain('| a | 8,000,000 | 8,000,000 | 10,000,000 | 1.25 | 4.0 | 2.0 | 16.0 | 2.00x | 0.250x |');
    expect(text).toContain('| b | 2,000,000 | 2,000,000 | 2,500,000 | 1.25 | 2.0 | 2.0 | 20.0 | 1.00x | 0.100x |');
    expect(text).toMatch(/\| c \| \*\*FAILURE\*\*: the simulator ended with a lockup \|/);
    // sqrt(4 * 2), sqrt(2 * 2), sqrt(16 * 20), sqrt(2 * 1), sqrt(0.25 * 0.1)
    expect(text).toContain('| geometric mean (2 programs) | | | | | **2.8** | **2.0** | **17.9** | **1.41x** | **0.158x** |');
    expect(mips(3_000_000, 1.5)).toBe(2);
  });
});
