;; The other module of the sandbox firmware (sandbox.test.ts): instantiated first, with a
;; memory of its own outside the primary one (1024 bytes reserved: buildFirmware's
;; moduleMemory), which no attack of the attacker module may touch. Its start function
;; fills that memory with a pattern; `check` proves the pattern, its global and its memory
;; size are still what they were. `add` is the attacker's cross-module import (in a table).
(module
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

  ;; a + b + the byte at address 3 (44): reads its own memory, so r9 must be switched.
  (func (export "add") (param $a i32) (param $b i32) (result i32)
    (i32.add (i32.add (local.get $a) (local.get $b)) (i32.load8_u (i32.const 3)))))
