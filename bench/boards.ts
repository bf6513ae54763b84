// The boards the benchmark runs on. The list is data: a board joins the benchmark when
// its boards/<name>.toml exists, and one named here that does not exist yet is skipped
// with a note (mps2-an386, the Cortex-M4F board, is being added).

import { listBoards, loadBoard, type Board } from '../src/driver/board.js';

/** Boards to benchmark on, in report order. */
export const BENCH_BOARDS: readonly string[] = ['mps2-an385', 'mps2-an386'];

export interface BoardSelection {
  readonly boards: Board[];
  /** One line per requested board that has no boards/<name>.toml yet. */
  readonly notes: string[];
}

export function selectBoards(requested: readonly string[] = BENCH_BOARDS): BoardSelection {
  const known = new Set(listBoards());
  const boards: Board[] = [];
  const notes: string[] = [];
  for (const name of requested) {
    if (known.has(name)) boards.push(loadBoard(name));
    else notes.push(`board '${name}' skipped: boards/${name}.toml does not exist yet`);
  }
  return { boards, notes };
}
