;; Bulk memory: memory.fill, memory.copy overlapping in both directions and across word
;; alignments, memory.init from passive segments (and zero-length inits at the edge),
;; data.drop, then a memory.copy whose source runs past the end: it traps before writing.
;; exit: 104
;; trap: out of bounds memory access in _start
(module
  (data $digits "0123456789")
  (data $letters "abcdefghijklmnopqrstuvwxyz")
  (data $active (i32.const 2000) "ACTIVE")

  (func $line (param $at i32) (param $len i32)
    (call $write (local.get $at) (local.get $len))
    (call $nl))

  (func (export "_start")
    ;; fill: unaligned start and length, value taken modulo 256
    (memory.fill (i32.const 1025) (i32.const 0x12d) (i32.const 13))
    (call $line (i32.const 1025) (i32.const 13))
    (call $show_i32 (i32.load8_u (i32.const 1024)))
    (call $show_i32 (i32.load8_u (i32.const 1038)))

    ;; init: part of a passive segment
    (memory.init $digits (i32.const 1100) (i32.const 2) (i32.const 5))
    (call $line (i32.const 1100) (i32.const 5))

    ;; copy upwards over itself (dst > src): must copy from the end
    (memory.init $letters (i32.const 1200) (i32.const 0) (i32.const 26))
    (memory.copy (i32.const 1203) (i32.const 1200) (i32.const 20))
    (call $line (i32.const 1200) (i32.const 26))
    ;; copy downwards over itself (dst < src)
    (memory.init $letters (i32.const 1300) (i32.const 0) (i32.const 26))
    (memory.copy (i32.const 1300) (i32.const 1305) (i32.const 21))
    (call $line (i32.const 1300) (i32.const 26))
    ;; long co-aligned copies take the word path, both directions
    (memory.init $letters (i32.const 1400) (i32.const 0) (i32.const 26))
    (memory.copy (i32.const 1404) (i32.const 1400) (i32.const 22))
    (call $line (i32.const 1400) (i32.const 26))
    (memory.init $letters (i32.const 1500) (i32.const 0) (i32.const 26))
    (memory.copy (i32.const 1500) (i32.const 1504) (i32.const 22))
    (call $line (i32.const 1500) (i32.const 26))
    ;; the active segment was copied at start
    (call $line (i32.const 2000) (i32.const 6))

    ;; a zero-length init at the end of a segment is in bounds (the end of memory is
    ;; board-dependent here: lm3s6965 fits less than a page; the spec tests cover it)
    (memory.init $digits (i32.const 1100) (i32.const 10) (i32.const 0))
    ;; a dropped segment (and an active one) is empty: length 0 from offset 0 still works
    (data.drop $digits)
    (memory.init $digits (i32.const 1100) (i32.const 0) (i32.const 0))
    (memory.init $active (i32.const 1100) (i32.const 0) (i32.const 0))
    (call $show_i32 (i32.const 7))

    ;; source range runs past the end: trap, nothing copied
    (memory.copy (i32.const 1200) (i32.const 65530) (i32.const 7))
    (call $show_i32 (i32.const 8)))
)
