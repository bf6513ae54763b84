// Function symbols of a linked firmware, read with arm-none-eabi-nm: where each function
// starts (the instruction counter's markers) and how many bytes it spans (code size).

import { ARM_NM, runTool } from './toolchain.js';

export interface FunctionSymbol {
  readonly name: string;
  /** Entry address without the Thumb bit. */
  readonly address: number;
  readonly size: number;
}

/** Every defined function symbol (nm types t/T/W) with a size, by name; locals included. */
export async function readFunctionSymbols(elf: string): Promise<Map<string, FunctionSymbol>> {
  const text = await runTool(ARM_NM, ['-S', '--defined-only', elf]);
  const symbols = new Map<string, FunctionSymbol>();
  for (const line of text.split('\n')) {
    const m = /^([0-9a-f]+) ([0-9a-f]+) ([tTwW]) (.+)$/.exec(line.trim());
    if (m === null) continue;
    const name = m[4]!;
    if (!symbols.has(name)) symbols.set(name, { name, address: parseInt(m[1]!, 16) & ~1, size: parseInt(m[2]!, 16) });
  }
  return symbols;
}

/** The defined function names of relocatable objects (the program's own sources). */
export async function definedFunctionNames(objects: readonly string[]): Promise<Set<string>> {
  const names = new Set<string>();
  for (const object of objects) {
    const text = await runTool(ARM_NM, ['--defined-only', object]);
    for (const m of text.matchAll(/^[0-9a-f]+ [tTwW] (.+)$/gm)) names.add(baseFunctionName(m[1]!));
  }
  return names;
}

/** gcc names clones and split-off parts `f.isra.0`, `f.part.0`, `f.constprop.0`: they are f's code. */
export function baseFunctionName(symbol: string): string {
  const dot = symbol.indexOf('.');
  return dot > 0 ? symbol.slice(0, dot) : symbol;
}
