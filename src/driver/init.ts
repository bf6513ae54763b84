// `mcu-aot init [dir]`: scaffold a firmware project that builds and runs as it is. It never
// overwrites: when any file it would write exists, it writes nothing and says which.

import { existsSync, mkdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { userError } from '../diagnostics/errors.js';
import { loadBoard } from './board.js';
import { INIT_LANGUAGES, scaffoldFiles, type InitLanguage } from './init-templates.js';
import { writeFileAtomic } from './output.js';

export interface InitOptions {
  readonly dir: string;
  readonly language: InitLanguage;
  readonly board: string;
}

export const DEFAULT_INIT_BOARD = 'lm3s6965';

export function parseInitLanguage(text: string): InitLanguage {
  const aliases: Record<string, InitLanguage> = { c: 'c', assemblyscript: 'assemblyscript', as: 'assemblyscript', ts: 'assemblyscript', wat: 'wat' };
  const language = aliases[text.toLowerCase()];
  if (language === undefined) throw userError('usage', `unknown language '${text}'`, {}, `choose one of ${INIT_LANGUAGES.join(', ')}`);
  return language;
}

/** Writes the project; returns the paths written, relative to `dir`. */
export function initProject(opts: InitOptions): string[] {
  const board = loadBoard(opts.board); // an unknown board fails here, before anything is written
  const dir = resolve(opts.dir);
  const files = scaffoldFiles(opts.language, board.name, basename(dir));
  const existing = files.filter((f) => existsSync(join(dir, f.path))).map((f) => f.path);
  if (existing.length > 0) {
    throw userError('init', `${existing.map((p) => `'${p}'`).join(', ')} already exist${existing.length === 1 ? 's' : ''}; nothing was written`, { file: dir }, 'choose an empty folder: mcu-aot init <dir>');
  }
  for (const f of files) {
    const path = join(dir, f.path);
    mkdirSync(dirname(path), { recursive: true });
    writeFileAtomic(path, f.text);
  }
  return files.map((f) => f.path);
}
