// The in-memory model of an ELF32 ARM relocatable object: what the backend produces, what
// the ELF writer serialises and the ELF reader gives back to the linker.

/** ARM relocation types we produce or accept; numbers and semantics in arm-relocs.ts. */
export type RelocType =
  | 'R_ARM_NONE'
  | 'R_ARM_ABS32'
  | 'R_ARM_REL32'
  | 'R_ARM_PREL31'
  | 'R_ARM_TARGET1'
  | 'R_ARM_V4BX'
  | 'R_ARM_THM_CALL'
  | 'R_ARM_THM_JUMP24'
  | 'R_ARM_THM_JUMP19'
  | 'R_ARM_THM_JUMP11'
  | 'R_ARM_THM_JUMP8'
  | 'R_ARM_THM_MOVW_ABS_NC'
  | 'R_ARM_THM_MOVT_ABS'
  | 'R_ARM_THM_PC8'
  | 'R_ARM_THM_PC12';

export type SectionKind = 'text' | 'rodata' | 'data' | 'bss' | 'other';

export interface ObjReloc {
  /** Offset of the relocated field within its section. */
  readonly offset: number;
  readonly type: RelocType;
  /** Symbol name (for section symbols, the section's name). */
  readonly symbol: string;
  /** Addend. In the file (SHT_REL) it is stored in the relocated field itself. */
  readonly addend: number;
}

export interface ObjSection {
  readonly name: string; // '.text', '.rodata', '.data', '.bss', '.text.foo'...
  readonly kind: SectionKind;
  readonly align: number;
  /** Contents; for bss, an empty array and `size` gives the size. */
  readonly bytes: Uint8Array;
  readonly size: number;
  readonly relocs: readonly ObjReloc[];
}

export type SymbolBinding = 'local' | 'global' | 'weak';
export type SymbolType = 'func' | 'object' | 'notype' | 'section';

export interface ObjSymbol {
  readonly name: string;
  /** Defining section name, or null when undefined (an import). */
  readonly section: string | null;
  /** Offset within the section (for Thumb functions, even: the T bit is implied by type func). */
  readonly value: number;
  readonly size: number;
  readonly binding: SymbolBinding;
  readonly type: SymbolType;
}

export interface ObjectFile {
  /** Where it came from, for messages (file name, or archive(member)). */
  readonly name: string;
  readonly sections: readonly ObjSection[];
  readonly symbols: readonly ObjSymbol[];
}
