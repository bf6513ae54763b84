// The profile as a picture: one self-contained HTML page (inline CSS, no scripts, no
// external assets) with a bar chart of the hottest functions by share of executed machine
// instructions, and for each hot function a heat strip of its blocks in source order plus
// its hottest blocks. Names come from the module and are escaped.

import type { BlockCount, FunctionProfile, Profile } from './profile.js';

/** Functions in the bar chart. */
const CHART_FUNCTIONS = 15;
/** Functions with a block section. */
const DETAILED_FUNCTIONS = 6;
/** Blocks listed under a function's heat strip. */
const LISTED_BLOCKS = 8;

const STYLE = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 2em auto; max-width: 960px; color: #222; }
h1 { font-size: 1.4em; } h2 { font-size: 1.1em; margin-top: 2em; }
.meta { color: #666; }
.bar { display: flex; align-items: center; margin: 2px 0; }
.bar .name { width: 14em; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.bar .track { flex: 1; background: #eee; height: 1.1em; }
.bar .fill { background: #d9480f; height: 100%; }
.bar .pct { width: 5em; text-align: right; font-variant-numeric: tabular-nums; }
.strip { display: flex; height: 1.6em; border: 1px solid #ccc; margin: .5em 0; }
.strip span { flex: 1; min-width: 2px; }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
td, th { padding: 1px 10px; text-align: right; } th { color: #666; font-weight: normal; }
.swatch { display: inline-block; width: .9em; height: .9em; vertical-align: middle; }
`;

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** A colour from cold (pale) to hot (deep red) for a count relative to the hottest; log scale. */
function heat(count: number, max: number): string {
  if (count <= 0 || max <= 0) return '#f1f3f5';
  const t = Math.log1p(count) / Math.log1p(max);
  const lightness = Math.round(92 - 57 * t);
  return `hsl(${Math.round(45 - 45 * t)}, 90%, ${lightness}%)`;
}

const percent = (part: number, whole: number): string => (whole > 0 ? `${((100 * part) / whole).toFixed(1)}%` : '0.0%');
const hex = (n: number): string => `0x${n.toString(16)}`;

export function profileReportHtml(profile: Profile, title: string): string {
  const total = profile.functions.reduce((sum, f) => sum + f.instructions, 0);
  const hot = [...profile.functions].sort((a, b) => b.instructions - a.instructions || a.index - b.index);
  const ended = profile.run.exitCode !== null ? `exit code ${profile.run.exitCode}` : 'stopped at the cycle limit';
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<title>Profile of ${escapeHtml(title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    `<h1>Profile of ${escapeHtml(title)}</h1>`,
    `<p class="meta">board ${escapeHtml(profile.board)} · ${profile.run.instructions} instructions · ${profile.run.cycles} cycles · ${ended} · ${profile.functions.length} functions ran</p>`,
    '<h2>Hottest functions (share of instructions executed in Wasm code)</h2>',
    ...hot.slice(0, CHART_FUNCTIONS).map((f) => functionBar(f, total)),
    ...hot.slice(0, DETAILED_FUNCTIONS).filter((f) => f.instructions > 0).map((f) => functionSection(f, total)),
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function functionBar(f: FunctionProfile, total: number): string {
  const share = total > 0 ? (100 * f.instructions) / total : 0;
  return `<div class="bar"><span class="name" title="${escapeHtml(f.name)}">${escapeHtml(f.name)}</span>`
    + `<span class="track"><span class="fill" style="display:block;width:${share.toFixed(2)}%"></span></span>`
    + `<span class="pct">${percent(f.instructions, total)}</span></div>`;
}

/** A function's blocks: a heat strip in source order, then its hottest blocks. */
function functionSection(f: FunctionProfile, total: number): string {
  const max = f.blocks.reduce((m, b) => Math.max(m, b.count), 0);
  const cells = f.blocks.map((b) => `<span style="background:${heat(b.count, max)}" title="${blockLabel(b)}: ${b.count}"></span>`).join('');
  const listed = [...f.blocks].sort((a, b) => b.count - a.count || a.srcOffset - b.srcOffset).slice(0, LISTED_BLOCKS).filter((b) => b.count > 0);
  const rows = listed.map((b) => `<tr><td><span class="swatch" style="background:${heat(b.count, max)}"></span></td>`
    + `<td>${blockLabel(b)}</td><td>${b.count}</td><td>${f.calls > 0 ? `${(b.count / f.calls).toFixed(1)}×` : '–'}</td></tr>`);
  return [
    `<h2>${escapeHtml(f.name)} <span class="meta">(function ${f.index}, ${percent(f.instructions, total)} of instructions, ${f.calls} calls)</span></h2>`,
    `<div class="strip">${cells}</div>`,
    '<table>',
    `<tr><th></th><th>block (Wasm offset)</th><th>count</th><th>per call</th></tr>`,
    ...rows,
    '</table>',
  ].join('\n');
}

function blockLabel(b: BlockCount): string {
  return b.ordinal === 0 ? hex(b.srcOffset) : `${hex(b.srcOffset)}#${b.ordinal}`;
}
