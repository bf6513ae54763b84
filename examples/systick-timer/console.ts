// Console output for AssemblyScript: WASI's fd_write, which mcu-aot's runtime sends to the
// board's UART. Text is encoded as UTF-8 through a small static buffer, so printing never
// allocates (the stub runtime never frees).

@external("wasi_snapshot_preview1", "fd_write")
declare function fd_write(fd: i32, iovs: usize, iovsLen: i32, nwritten: usize): i32;

const STDOUT = 1;
const CHUNK: i32 = 64;
const buffer = memory.data(CHUNK);
const iovec = memory.data(12); // { buf, len } and fd_write's count of bytes written

function flush(length: i32): void {
  if (length == 0) return;
  store<u32>(iovec, buffer);
  store<u32>(iovec, length, 4);
  fd_write(STDOUT, iovec, 1, iovec + 8);
}

/** Writes `text` to the console. */
export function print(text: string): void {
  let used = 0;
  for (let i = 0; i < text.length; i++) {
    const cp = text.codePointAt(i);
    if (cp > 0xffff) i++; // a surrogate pair: two UTF-16 units
    if (used > CHUNK - 4) {
      flush(used);
      used = 0;
    }
    if (cp < 0x80) {
      store<u8>(buffer + used++, cp);
    } else if (cp < 0x800) {
      store<u8>(buffer + used++, 0xc0 | (cp >> 6));
      store<u8>(buffer + used++, 0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
      store<u8>(buffer + used++, 0xe0 | (cp >> 12));
      store<u8>(buffer + used++, 0x80 | ((cp >> 6) & 0x3f));
      store<u8>(buffer + used++, 0x80 | (cp & 0x3f));
    } else {
      store<u8>(buffer + used++, 0xf0 | (cp >> 18));
      store<u8>(buffer + used++, 0x80 | ((cp >> 12) & 0x3f));
      store<u8>(buffer + used++, 0x80 | ((cp >> 6) & 0x3f));
      store<u8>(buffer + used++, 0x80 | (cp & 0x3f));
    }
  }
  flush(used);
}
