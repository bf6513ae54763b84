// ELF32 numbers for ARM little-endian files, named as in the ELF specification and in
// "ELF for the Arm Architecture" (AAELF). Only what our reader and writers use.

export const ELF_MAGIC = [0x7f, 0x45, 0x4c, 0x46] as const; // "\x7fELF"
export const ELFCLASS32 = 1;
export const ELFDATA2LSB = 1;
export const EV_CURRENT = 1;
export const ELFOSABI_NONE = 0;

export const ET_REL = 1;
export const ET_EXEC = 2;
export const EM_ARM = 40;

/** e_flags: EABI version 5 (AAELF) and the soft-float procedure call standard. */
export const EF_ARM_EABI_VER5 = 0x05000000;
export const EF_ARM_ABI_FLOAT_SOFT = 0x00000200;

export const ELF_HEADER_SIZE = 52;
export const SECTION_HEADER_SIZE = 40;
export const PROGRAM_HEADER_SIZE = 32;
export const SYMBOL_SIZE = 16;
export const REL_SIZE = 8;

// Section header types.
export const SHT_NULL = 0;
export const SHT_PROGBITS = 1;
export const SHT_SYMTAB = 2;
export const SHT_STRTAB = 3;
export const SHT_RELA = 4;
export const SHT_NOBITS = 8;
export const SHT_REL = 9;
export const SHT_GROUP = 17;
export const SHT_ARM_EXIDX = 0x70000001;
export const SHT_ARM_ATTRIBUTES = 0x70000003;

// Section header flags.
export const SHF_WRITE = 0x1;
export const SHF_ALLOC = 0x2;
export const SHF_EXECINSTR = 0x4;
export const SHF_MERGE = 0x10;
export const SHF_STRINGS = 0x20;
export const SHF_INFO_LINK = 0x40;
export const SHF_GROUP = 0x200;

// Special section indices.
export const SHN_UNDEF = 0;
export const SHN_LORESERVE = 0xff00;
export const SHN_ABS = 0xfff1;
export const SHN_COMMON = 0xfff2;

// Symbol bindings and types (st_info = binding << 4 | type).
export const STB_LOCAL = 0;
export const STB_GLOBAL = 1;
export const STB_WEAK = 2;
export const STT_NOTYPE = 0;
export const STT_OBJECT = 1;
export const STT_FUNC = 2;
export const STT_SECTION = 3;
export const STT_FILE = 4;
export const STV_DEFAULT = 0;

// Program header.
export const PT_LOAD = 1;
export const PF_X = 0x1;
export const PF_W = 0x2;
export const PF_R = 0x4;

/** Sections of a relocatable object the linker never needs (tool notes, debug info, attributes). */
export function isIgnoredSectionName(name: string): boolean {
  return (
    name === '.comment' ||
    name === '.ARM.attributes' ||
    name.startsWith('.debug') ||
    name.startsWith('.note') ||
    name.startsWith('.gnu.') ||
    name.startsWith('.stab')
  );
}

/**
 * ObjSymbol.section of an absolute symbol (SHN_ABS): its value is an address, not an offset.
 * No real section has this name.
 */
export const ABSOLUTE_SECTION = '*ABS*';

/** The reader gives each COMMON symbol its own bss section named with this prefix. */
export const COMMON_SECTION_PREFIX = 'COMMON.';

/** Mapping symbols ($a, $t, $d, optionally with a ".suffix") mark code and data for disassemblers (AAELF 5.5.5). */
export function isMappingSymbol(name: string): boolean {
  return /^\$[atd](\..*)?$/.test(name);
}
