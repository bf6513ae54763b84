// Which board a firmware ELF is for. Every firmware mcu-aot links records its board's name
// in a non-allocated `.mcu_aot.board` section (never loaded: the memory image, .bin and .hex
// are unchanged). `mcu-aot flash`, `run` and `sim` refuse an ELF recorded for another board
// before touching anything, and take the recorded board when given none (no --board, no
// project). An ELF without the record (linked by gcc, say) is accepted when its load
// segments lie in the board's flash or RAM, and refused otherwise: a misplaced segment
// would be written to nothing, or over a peripheral, on the real board.

import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { userError } from '../diagnostics/errors.js';
import { readExecutable, type ExecutableFile, type ExecutableSegment } from '../elf/read-executable.js';
import type { Board, MemoryRegion } from './board.js';

export const BOARD_SECTION = '.mcu_aot.board';

/** The section recording `board` in a firmware: its name, NUL-terminated, like a C string. */
export function boardInfoSection(board: Board): { name: string; bytes: Uint8Array } {
  return { name: BOARD_SECTION, bytes: new TextEncoder().encode(`${board.name}\0`) };
}

/** The board a firmware records, or undefined when it has no `.mcu_aot.board` section. */
export function recordedBoard(elf: ExecutableFile, bytes: Uint8Array): string | undefined {
  const section = elf.sections.find((s) => s.name === BOARD_SECTION);
  if (section === undefined) return undefined;
  const contents = bytes.subarray(section.fileOffset, section.fileOffset + section.size);
  const end = contents.indexOf(0);
  return new TextDecoder().decode(end < 0 ? contents : contents.subarray(0, end));
}

/** The board recorded in the firmware file `file` (an .elf), for a command given no --board
 *  and no project board; undefined for other inputs and for an ELF without the record. An
 *  unreadable or broken ELF is reported here, as the command would report it anyway. */
export function boardRecordedInFile(file: string): string | undefined {
  if (extname(file) !== '.elf') return undefined;
  const bytes = readFirmwareFile(file);
  return recordedBoard(readExecutable(bytes, file), bytes);
}

/** One way a segment misses the board's memory: the bytes a loader writes (at the load
 *  address) or the memory the program uses (at the run address, .bss included). */
export interface SegmentMisfit {
  readonly what: 'load' | 'run';
  readonly start: number;
  readonly size: number;
}

const within = (start: number, size: number, region: MemoryRegion): boolean =>
  start >= region.origin && start + size <= region.origin + region.size;

/** Segments (their load image or their run range) that lie outside the board's flash and RAM. */
export function segmentsOutsideBoard(segments: readonly ExecutableSegment[], board: Board): SegmentMisfit[] {
  const fits = (start: number, size: number): boolean => size === 0 || within(start, size, board.flash) || within(start, size, board.ram);
  const misfits: SegmentMisfit[] = [];
  for (const s of segments) {
    if (!fits(s.paddr, s.filesz)) misfits.push({ what: 'load', start: s.paddr, size: s.filesz });
    else if (!fits(s.vaddr, s.memsz)) misfits.push({ what: 'run', start: s.vaddr, size: s.memsz });
  }
  return misfits;
}

const hex = (n: number): string => `0x${(n >>> 0).toString(16).padStart(8, '0')}`;
const range = (start: number, size: number): string => `${hex(start)}-${hex(start + size - 1)}`;

/** The board's memory map in words: `flash 0x00000000-0x0003ffff, RAM 0x20000000-0x2000ffff`. */
export function describeMemoryMap(board: Board): string {
  return `flash ${range(board.flash.origin, board.flash.size)}, RAM ${range(board.ram.origin, board.ram.size)}`;
}

/** Refuse a firmware that is not for `board`: a UserError naming both boards, or the
 *  first segment outside the board's memory map and the board's flash and RAM ranges. */
export function checkFirmwareBoard(bytes: Uint8Array, file: string, board: Board): void {
  const elf = readExecutable(bytes, file);
  const recorded = recordedBoard(elf, bytes);
  if (recorded !== undefined) {
    if (recorded === board.name) return;
    throw userError('firmware-board', `${file} was built for board '${recorded}', not '${board.name}'`, {},
      `build it again with --board ${board.name}, or pass --board ${recorded}`);
  }
  const misfit = segmentsOutsideBoard(elf.segments, board)[0];
  if (misfit === undefined) return;
  const what = misfit.what === 'load' ? 'load segment' : 'segment (run address)';
  throw userError('firmware-board',
    `${file}: ${what} at ${range(misfit.start, misfit.size)} lies outside board '${board.name}' (${describeMemoryMap(board)})`, {},
    'link it for this board\'s memory map, or pass the --board it was linked for');
}

/** Read a firmware ELF and check it against `board` (checkFirmwareBoard); its bytes. */
export function readFirmwareForBoard(file: string, board: Board): Uint8Array {
  const bytes = readFirmwareFile(file);
  checkFirmwareBoard(bytes, file, board);
  return bytes;
}

function readFirmwareFile(file: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(file));
  } catch (e) {
    throw userError('input', `cannot read '${file}': ${(e as Error).message}`);
  }
}
