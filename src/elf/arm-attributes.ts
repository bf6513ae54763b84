// The .ARM.attributes section ("aeabi" build attributes, AAELF/ABI addenda): tells
// arm-none-eabi-ld which architecture our code needs. Without it ld assumes an old ARMv4T
// core, limits Thumb BL to +-4 MiB and inserts ARM-state veneers, which a Cortex-M cannot run.

export type ArmArchitecture = 'v6-M' | 'v7-M' | 'v7E-M' | 'v8-M.main';

// Attribute tags (ULEB128) and values.
const TAG_FILE = 1;
const TAG_CPU_ARCH = 6;
const TAG_CPU_ARCH_PROFILE = 7;
const TAG_THUMB_ISA_USE = 9;
const TAG_ABI_ALIGN_NEEDED = 24;
const TAG_ABI_ALIGN_PRESERVED = 25;
const PROFILE_MICROCONTROLLER = 0x4d; // 'M'

const CPU_ARCH: Record<ArmArchitecture, { arch: number; thumbIsa: number }> = {
  'v6-M': { arch: 11, thumbIsa: 1 },
  'v7-M': { arch: 10, thumbIsa: 2 },
  'v7E-M': { arch: 13, thumbIsa: 2 },
  'v8-M.main': { arch: 17, thumbIsa: 2 },
};

function u32le(v: number): number[] {
  return [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
}

/** Contents of .ARM.attributes for code built for `arch` with the AAPCS 8-byte stack alignment. */
export function armAttributes(arch: ArmArchitecture): Uint8Array {
  const { arch: cpuArch, thumbIsa } = CPU_ARCH[arch];
  // Every tag and value here is below 128, so each ULEB128 is one byte.
  const attributes = [
    TAG_CPU_ARCH, cpuArch,
    TAG_CPU_ARCH_PROFILE, PROFILE_MICROCONTROLLER,
    TAG_THUMB_ISA_USE, thumbIsa,
    TAG_ABI_ALIGN_NEEDED, 1,
    TAG_ABI_ALIGN_PRESERVED, 1,
  ];
  const fileSubsection = [TAG_FILE, ...u32le(5 + attributes.length), ...attributes];
  const vendor = [...new TextEncoder().encode('aeabi'), 0];
  const section = [...u32le(4 + vendor.length + fileSubsection.length), ...vendor, ...fileSubsection];
  return new Uint8Array([0x41 /* 'A': format version */, ...section]);
}
