;; The other module of the sandbox firmware (sandbox.test.ts): instantiated first, with a
;; memory of its own outside the primary one (1024 bytes reserved: buildFirmware's
;; moduleMemory), which no attack of the attacker module may touch. Its start function
;; fills that memory with a pattern; `check` proves the pattern, its global and its memory
;; size are still what they were. `add` is the attacker's cross-module import (in a table).
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory 1)
  (global $magic (mut i32) (i32.const 0x600df00d))

  ;; The byte at address a: never 0xa5, the byte the attacker writes.
  (func $pattern (param $a i32) (result i32)
    (i32.and (i32.add (i32.mul (local.get $a) (i32.const 13)) (i32.const 5)) (i32.const 0x7f)))

  (func $fill
    (local $a i32)
    (loop $next
      (i32.store8 (local.get $a) (call $pattern (local.get $a)))
      (local.set $a (i32.add (local.get $a) (i32.const 1)))
      (br_if $next (i32.lt_u (local.get $a) (i32.const 1024)))))
  (start $fill)

  ;; 0 when intact; else bit 0: memory, bit 1: the global, bit 2: memory.size.
  (func (export "check") (result i32)
    (local $a i32) (local $bad i32)
    (loop $next
      (if (i32.ne (i32.load8_u (local.get $a)) (call $pattern (local.get $a)))
        (then (local.set $bad (i32.const 1))))
      (local.set $a (i32.add (local.get $a) (i32.const 1)))
      (br_if $next (i32.lt_u (local.get $a) (i32.const 1024))))
    (if (i32.ne (global.get $magic) (i32.const 0x600df00d))
      (then (local.set $bad (i32.or (local.get $bad) (i32.const 2)))))
    (if (i32.ne (memory.size) (i32.const 1))
      (then (local.set $bad (i32.or (local.get $bad) (i32.const 4)))))
    (local.get $bad))

  ;; Bulk memory and memory.grow in a module whose memory is not the primary one: runtime-c's
  ;; helpers must work on this module's memory and bound (1024 bytes), not the primary's.
  (data $head "\05\12\1f\2c")
  (data $a5 "\a5\a5\a5\a5")
  ;; Past this memory's end, well inside the primary one: must trap.
  (func (export "fill_past_end") (result i32)
    (memory.fill (i32.const 1000) (i32.const 0xa5) (i32.const 100)) (i32.const 0))
  (func (export "copy_past_end") (result i32)
    (memory.copy (i32.const 1000) (i32.const 0) (i32.const 100)) (i32.const 0))
  (func (export "init_past_end") (result i32)
    (memory.init $a5 (i32.const 1022) (i32.const 0) (i32.const 4)) (i32.const 0))
  ;; memory.grow cannot grow a memory outside the primary one: -1, and nothing else changes.
  (func (export "grow") (result i32)
    (memory.grow (i32.const 1)))
  ;; In bounds: each must land in this memory (and put the pattern back). 1 when it did.
  (func (export "fill_and_copy_inside") (result i32)
    (local $ok i32)
    (memory.fill (i32.const 1020) (i32.const 0x11) (i32.const 4))
    (local.set $ok (i32.eq (i32.load (i32.const 1020)) (i32.const 0x11111111)))
    (memory.copy (i32.const 1020) (i32.const 1008) (i32.const 4))
    (local.set $ok (i32.and (local.get $ok) (i32.eq (i32.load (i32.const 1020)) (i32.load (i32.const 1008)))))
    ;; the pattern back: bytes 1020..1023
    (i32.store8 (i32.const 1020) (call $pattern (i32.const 1020)))
    (i32.store8 (i32.const 1021) (call $pattern (i32.const 1021)))
    (i32.store8 (i32.const 1022) (call $pattern (i32.const 1022)))
    (i32.store8 (i32.const 1023) (call $pattern (i32.const 1023)))
    (local.get $ok))
  ;; Writes this module's own first four bytes (the pattern) over themselves: 1 when they are.
  (func (export "init_inside") (result i32)
    (memory.init $head (i32.const 0) (i32.const 0) (i32.const 4))
    (i32.eq (i32.load (i32.const 0)) (i32.const 0x2c1f1205)))

  ;; WASI's pointers are into this memory too: `nwritten` past its end (inside the primary
  ;; memory) is EFAULT (21), and writes nothing anywhere.
  (func (export "wasi_past_end") (result i32)
    (call $fd_write (i32.const 1) (i32.const 0) (i32.const 0) (i32.const 2000)))
  ;; ... and inside it, lands here: 1 when fd_write succeeded and wrote 0 at 1016.
  (func (export "wasi_inside") (result i32)
    (local $ok i32)
    (local.set $ok (i32.eqz (call $fd_write (i32.const 1) (i32.const 0) (i32.const 0) (i32.const 1016))))
    (local.set $ok (i32.and (local.get $ok) (i32.eqz (i32.load (i32.const 1016)))))
    (i32.store8 (i32.const 1016) (call $pattern (i32.const 1016)))
    (i32.store8 (i32.const 1017) (call $pattern (i32.const 1017)))
    (i32.store8 (i32.const 1018) (call $pattern (i32.const 1018)))
    (i32.store8 (i32.const 1019) (call $pattern (i32.const 1019)))
    (local.get $ok))

  ;; a + b + the byte at address 3 (44): reads its own memory, so r9 must be switched.
  (func (export "add") (param $a i32) (param $b i32) (result i32)
    (i32.add (i32.add (local.get $a) (local.get $b)) (i32.load8_u (i32.const 3)))))
