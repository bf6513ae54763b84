// Every instruction gcc put into what our firmware links decodes, and to the instruction
// objdump names: the runtime-c objects and the libgcc members (64-bit division, the
// soft-float helpers, bit counting) for each board.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeThumb } from '../../src/backend-thumb2/decoder.js';
import { formatDecoded } from '../../src/backend-thumb2/disassembler.js';
import { CONDITIONS } from '../../src/backend-thumb2/operands.js';
import { loadBoard } from '../../src/driver/board.js';
import { buildRuntime } from '../../src/driver/runtime.js';
import { normalizeObjdump } from '../backend/objdump-text.js';

/** libgcc members firmware links: integer helpers and the soft-float ones. */
const LIBGCC_MEMBERS = /^(_aeabi_|_arm_|_udivmoddi4|_divdi3|_udivdi3|_moddi3|_umoddi3|_divmoddi4|_clz|_ctz|_popcount|_ashldi3|_ashrdi3|_lshrdi3|_muldi3|_bswap|_fix|_float|_dvmd_tls|_udivsi3|_divsi3|_cmpdi2|_ucmpdi2|_negdi2|_ffs|_parity)/;

/** Mnemonics that end in letters of a condition code but carry none. */
const NOT_CONDITIONAL = new Set(['bl', 'bls', 'teq', 'mls', 'smlal', 'umlal', 'bics', 'movs', 'subs', 'adcs', 'sbcs', 'rsbs', 'negs', 'mvns', 'eors', 'orrs', 'ands', 'lsrs', 'lsls', 'asrs', 'rors', 'muls', 'adds', 'rrxs']);

/** The mnemonic without condition and width suffixes, after objdump's aliases. */
function root(text: string): string {
  const [first = '', ...rest] = text.trim().split(/\s+/);
  let bare = first.replace(/\.[nw]$/, '');
  for (const cond of [...CONDITIONS, 'hs', 'lo']) {
    if (cond !== 'al' && bare.endsWith(cond) && bare.length > cond.length && !NOT_CONDITIONAL.has(bare)) {
      bare = bare.slice(0, -cond.length);
      break;
    }
  }
  const normal = normalizeObjdump(`${bare} ${rest.join(' ')}`).replace(/^mov(s?) (\S+), (\S+), rrx$/, 'rrx$1 $2, $3');
  return (normal.split(' ')[0] ?? '').replace(/\.[nw]$/, '');
}

describe.each(['lm3s6965', 'mps2-an385', 'mps2-an386'])('decoding runtime-c and libgcc for %s', (boardName) => {
  it('decodes every instruction to the mnemonic objdump prints', async () => {
    const runtime = await buildRuntime(loadBoard(boardName));
    const dir = mkdtempSync(join(tmpdir(), 'mcu-aot-cov-'));
    execFileSync('arm-none-eabi-ar', ['x', runtime.libgcc], { cwd: dir });
    const members = readdirSync(dir).filter((f) => LIBGCC_MEMBERS.test(f)).map((f) => join(dir, f));
    expect(members.length).toBeGreaterThan(40);
    const listing = execFileSync('arm-none-eabi-objdump', ['-d', ...runtime.objects, ...members], { encoding: 'utf8', maxBuffer: 1 << 28 });
    const problems: string[] = [];
    let count = 0;
    for (const line of listing.split('\n')) {
      const m = /^\s*([0-9a-f]+):\t([0-9a-f]{4})(?: ([0-9a-f]{4}))?\s+\t(\S+)(.*)$/.exec(line);
      if (m === null || m[4]!.startsWith('.')) continue;
      count++;
      const decoded = decodeThumb(parseInt(m[2]!, 16), m[3] === undefined ? 0 : parseInt(m[3], 16));
      if (decoded === undefined) {
        problems.push(`undecoded: ${line.trim()}`);
        continue;
      }
      const ours = root(formatDecoded(decoded, parseInt(m[1]!, 16)));
      const theirs = root(`${m[4]}${m[5]}`);
      if (ours !== theirs && !(ours + 's' === theirs) && !(ours === theirs + 's')) problems.push(`${ours} vs ${line.trim()}`);
    }
    expect(count).toBeGreaterThan(3000);
    expect([...new Set(problems)].slice(0, 40)).toEqual([]);
  }, 120_000);
});
