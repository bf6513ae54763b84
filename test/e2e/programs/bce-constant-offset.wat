;; bounds-check-elim on `base + constant` addresses (i32.add then a load, as clang emits for
;; unrolled loops): one check of the base covers nearer constants, but an i32.add that wraps
;; must not count as base + constant. $far_first at x = -12: x+16 is address 4 (in bounds),
;; x+8 wraps to 2^32 - 4 and must trap, even though a farther element passed before it.
;; boards: mps2-an385
;; exit: 104
;; trap: out of bounds memory access in far_first
(module
  (global $x (mut i32) (i32.const 0))

  ;; x checked first (reach 8): x+4 is in bounds; x+6 did not wrap (6 < 8), its check
  ;; extends the reach to 10, so x+8 (16 bits) is in bounds too
  (func $near_first (param $x i32) (result i32)
    (i32.add
      (i32.add (i32.wrap_i64 (i64.load (local.get $x))) (i32.load (i32.add (local.get $x) (i32.const 4))))
      (i32.add (i32.load (i32.add (local.get $x) (i32.const 6)))
               (i32.load16_u (i32.add (local.get $x) (i32.const 8))))))

  (func $far_first (param $x i32) (result i32)
    (i32.add (i32.load (i32.add (local.get $x) (i32.const 16)))
             (i32.load (i32.add (local.get $x) (i32.const 8)))))

  (func (export "_start")
    (i32.store (i32.const 1024) (i32.const 1))
    (i32.store (i32.const 1028) (i32.const 20))
    (i32.store (i32.const 1032) (i32.const 300))
    (i32.store (i32.const 1036) (i32.const 4000))
    (global.set $x (i32.const 1024))
    (call $show_i32 (call $near_first (global.get $x)))
    ;; the last words of memory: both in bounds
    (global.set $x (i32.const 65516))
    (call $show_i32 (call $far_first (global.get $x)))
    (global.set $x (i32.const -12))
    (call $show_i32 (call $far_first (global.get $x))))
)
