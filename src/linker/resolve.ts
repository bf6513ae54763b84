// Symbol resolution: which objects take part (archive members are extracted when they define
// a symbol that is still undefined, repeating over all archives until nothing changes, like
// ld's --start-group), which definition each global name gets, and what a relocation's
// symbol name means inside a given object.
//
// Rules: a strong definition beats a weak or COMMON one; two strong definitions are an error;
// a weak reference does not extract archive members, and if nothing defines it, it is 0.

import { userError } from '../diagnostics/errors.js';
import { ABSOLUTE_SECTION, COMMON_SECTION_PREFIX } from '../elf/constants.js';
import type { ObjectFile, ObjSymbol } from '../elf/object.js';
import { makeLinkObject, type InputSection, type LinkObject } from './input.js';

export interface Definition {
  readonly object: LinkObject;
  readonly symbol: ObjSymbol;
}

/** What a relocation's symbol name resolves to. */
export type Target =
  | { readonly kind: 'section'; readonly section: InputSection; readonly offset: number; readonly thumb: boolean }
  | { readonly kind: 'absolute'; readonly value: number; readonly thumb: boolean }
  | { readonly kind: 'linker'; readonly name: string }
  | { readonly kind: 'undefined'; readonly weak: boolean };

export interface SymbolTable {
  readonly objects: readonly LinkObject[];
  readonly globals: ReadonlyMap<string, Definition>;
  /** Resolve `name` as seen from `object` (locals, then the object's sections, then globals). */
  resolve(object: LinkObject, name: string): Target;
  /** A global name, as the entry point or a keep root would see it. */
  resolveGlobal(name: string): Target;
}

function isDefinedHere(object: LinkObject, sym: ObjSymbol): boolean {
  return sym.section === ABSOLUTE_SECTION || (sym.section !== null && object.sections.has(sym.section));
}

function isCommon(sym: ObjSymbol): boolean {
  return sym.section?.startsWith(COMMON_SECTION_PREFIX) === true;
}

/** Whether `candidate` should replace `current` for the same name; throws on a duplicate strong definition. */
function replaces(name: string, current: Definition, candidate: Definition, duplicates: string[]): boolean {
  const strength = (d: Definition): number => (d.symbol.binding === 'weak' ? 0 : isCommon(d.symbol) ? 1 : 2);
  const a = strength(current);
  const b = strength(candidate);
  if (a === 2 && b === 2) {
    duplicates.push(`'${name}' (in ${current.object.file.name} and ${candidate.object.file.name})`);
    return false;
  }
  if (a === 1 && b === 1) return candidate.symbol.size > current.symbol.size;
  return b > a;
}

/** Names an object needs from outside, and whether every such reference is weak. */
function externalReferences(object: LinkObject): Map<string, boolean> {
  const refs = new Map<string, boolean>();
  const note = (name: string, weak: boolean): void => {
    refs.set(name, (refs.get(name) ?? true) && weak);
  };
  const definedNames = new Set(object.file.symbols.filter((s) => isDefinedHere(object, s)).map((s) => s.name));
  for (const sym of object.file.symbols) {
    if (sym.section === null && sym.binding !== 'local') note(sym.name, sym.binding === 'weak');
  }
  for (const s of object.sections.values()) {
    for (const r of s.section.relocs) {
      if (object.locals.has(r.symbol) || object.sections.has(r.symbol) || definedNames.has(r.symbol)) continue;
      if (!refs.has(r.symbol)) note(r.symbol, false);
    }
  }
  return refs;
}

export function resolveSymbols(
  objects: readonly ObjectFile[],
  archives: readonly { name: string; members: readonly ObjectFile[] }[],
  linkerDefined: ReadonlySet<string>,
  roots: readonly string[],
): SymbolTable {
  const loaded: LinkObject[] = [];
  const globals = new Map<string, Definition>();
  const duplicates: string[] = [];
  /** Referenced names and whether all references are weak. */
  const wanted = new Map<string, boolean>(roots.map((r) => [r, false]));

  const weakReferences = new Map<LinkObject, Set<string>>();
  const load = (file: ObjectFile): void => {
    const object = makeLinkObject(file, loaded.length);
    loaded.push(object);
    weakReferences.set(
      object,
      new Set(file.symbols.filter((s) => s.section === null && s.binding === 'weak').map((s) => s.name)),
    );
    for (const symbol of file.symbols) {
      if (symbol.binding === 'local' || !isDefinedHere(object, symbol)) continue;
      const candidate = { object, symbol };
      const current = globals.get(symbol.name);
      if (current === undefined || replaces(symbol.name, current, candidate, duplicates)) globals.set(symbol.name, candidate);
    }
    for (const [name, weak] of externalReferences(object)) wanted.set(name, (wanted.get(name) ?? true) && weak);
  };
  objects.forEach(load);

  const needed = (name: string): boolean => wanted.get(name) === false && !globals.has(name) && !linkerDefined.has(name);
  const pending = archives.map((a) => ({ archive: a, taken: new Set<number>() }));
  for (let changed = true; changed; ) {
    changed = false;
    for (const { archive, taken } of pending) {
      archive.members.forEach((member, i) => {
        if (taken.has(i)) return;
        const provides = member.symbols.some(
          (s) => s.binding !== 'local' && s.section !== null && !isCommon(s) && needed(s.name),
        );
        if (!provides) return;
        taken.add(i);
        load(member);
        changed = true;
      });
    }
  }
  if (duplicates.length > 0) throw userError('link', `duplicate symbols: ${duplicates.join(', ')}`);

  const fromDefinition = (object: LinkObject, sym: ObjSymbol): Target => {
    const thumb = sym.type === 'func';
    if (sym.section === ABSOLUTE_SECTION) return { kind: 'absolute', value: sym.value, thumb };
    return { kind: 'section', section: object.sections.get(sym.section!)!, offset: sym.value, thumb };
  };
  const resolveGlobal = (name: string, weakReference = false): Target => {
    const def = globals.get(name);
    if (def !== undefined) return fromDefinition(def.object, def.symbol);
    if (linkerDefined.has(name)) return { kind: 'linker', name };
    return { kind: 'undefined', weak: weakReference };
  };
  return {
    objects: loaded,
    globals,
    resolveGlobal: (name) => resolveGlobal(name),
    resolve(object, name) {
      const local = object.locals.get(name);
      if (local !== undefined && isDefinedHere(object, local)) return fromDefinition(object, local);
      const section = object.sections.get(name);
      if (section !== undefined) return { kind: 'section', section, offset: 0, thumb: false };
      return resolveGlobal(name, weakReferences.get(object)?.has(name) === true);
    },
  };
}

/**
 * Throw one 'link-undefined' error listing every undefined (non-weak) symbol that a live
 * section or a root needs, each with up to three places that reference it.
 */
export function reportUndefined(table: SymbolTable, live: readonly InputSection[], roots: readonly string[]): void {
  const referencedFrom = new Map<string, string[]>();
  const note = (name: string, place: string): void => {
    const places = referencedFrom.get(name) ?? [];
    if (!places.includes(place)) places.push(place);
    referencedFrom.set(name, places);
  };
  for (const root of roots) {
    if (table.resolveGlobal(root).kind === 'undefined') note(root, 'the link options (entry or keep)');
  }
  for (const s of live) {
    for (const r of s.section.relocs) {
      const target = table.resolve(s.object, r.symbol);
      if (target.kind === 'undefined' && !target.weak) note(r.symbol, s.label);
    }
  }
  if (referencedFrom.size === 0) return;
  const detail = [...referencedFrom]
    .map(([name, places]) => {
      const more = places.length > 3 ? ` and ${places.length - 3} more` : '';
      return `${name} (referenced from ${places.slice(0, 3).join(', ')}${more})`;
    })
    .join(', ');
  throw userError('link-undefined', detail);
}
