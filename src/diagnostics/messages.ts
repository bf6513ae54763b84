// The one table of user-facing diagnostics. A code is stable (tests and users grep for it);
// the title is the first words of the printed line, the detail at the throw site says what
// exactly and the Location says where.

export const messages = {
  'malformed': 'malformed module',
  'invalid': 'invalid module',
  'uninstantiable': 'module cannot be instantiated',
  'unsupported': 'not supported yet',
  'unsupported-feature': 'unsupported WebAssembly feature',
  'wat-syntax': 'cannot parse WebAssembly text',
  'input': 'cannot read input',
  'board': 'board error',
  'link-undefined': 'undefined symbols',
  'link': 'link error',
  'memory-fit': 'linear memory does not fit',
  'toolchain': 'missing tool',
  'qemu': 'QEMU error',
  'timeout': 'firmware timed out',
  'usage': 'usage error',
  'test': 'firmware tests did not run',
  'sim': 'simulation stopped',
  'cycle-limit': 'cycle limit reached',
  'config': 'project config error',
  'compile': 'source does not compile',
  'init': 'cannot create project',
  'flash': 'cannot flash the board',
  'hal': 'HAL import error',
  'mmio-grant': 'peripheral access not granted',
  'interrupts': 'interrupt binding error',
  'firmware-board': 'firmware does not match the board',
  'profile': 'cannot use profile',
  'limit': 'implementation limit exceeded',
  'output': 'cannot write output',
} as const satisfies Record<string, string>;

export type MessageCode = keyof typeof messages;
