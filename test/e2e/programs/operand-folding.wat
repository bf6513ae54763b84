;; Patterns the backend folds or fuses (src/backend-thumb2/isel/operand-folding.ts,
;; flag-reuse.ts, constant addresses in isel/memory.ts), on operands read from memory so
;; that the IR optimiser cannot fold them first: shifts as flexible second operands, mla and
;; mls, a result's own flags for == 0 and < 0 tests (and a signed compare of a difference,
;; which must not use the subtraction's overflowing flags), constant addresses.
;; exit: 0
(module
  (data (i32.const 1024) "\00\00\00\00\01\00\00\00\ff\ff\ff\ff\00\00\00\80\ff\ff\ff\7f\78\56\34\12\80\00\00\00\f9\ff\ff\ff")

  (func $fold_shifts (param $a i32) (param $b i32) (result i32)
    (i32.xor
      (i32.add (i32.xor (local.get $b) (i32.shr_u (local.get $a) (i32.const 8)))
               (i32.shl (local.get $a) (i32.const 3)))
      (i32.or (i32.sub (local.get $b) (i32.shr_s (local.get $a) (i32.const 5)))
              (i32.and (local.get $b) (i32.rotr (local.get $a) (i32.const 7))))))

  (func $fold_products (param $a i32) (param $b i32) (result i32)
    (i32.xor (i32.add (i32.mul (local.get $a) (local.get $b)) (local.get $b))
             (i32.sub (local.get $a) (i32.mul (local.get $b) (i32.const 12345)))))

  ;; 1 when a - b == 0, 2 when a & b == 0, 4 when (a + b) < 0 as signed, 8 when a - b < 0 (lt_s on the difference)
  (func $flag_tests (param $a i32) (param $b i32) (result i32) (local $r i32)
    (if (i32.eqz (i32.sub (local.get $a) (local.get $b))) (then (local.set $r (i32.or (local.get $r) (i32.const 1)))))
    (if (i32.eqz (i32.and (local.get $a) (local.get $b))) (then (local.set $r (i32.or (local.get $r) (i32.const 2)))))
    (if (i32.lt_s (i32.add (local.get $a) (local.get $b)) (i32.const 0)) (then (local.set $r (i32.or (local.get $r) (i32.const 4)))))
    (if (i32.lt_s (i32.sub (local.get $a) (local.get $b)) (i32.const 0)) (then (local.set $r (i32.or (local.get $r) (i32.const 8)))))
    (local.get $r))

  ;; counts down to zero: the decrement's flags end the loop
  (func $countdown (param $n i32) (result i32) (local $s i32)
    (block $done (loop $next
      (br_if $done (i32.eqz (local.get $n)))
      (local.set $s (i32.add (local.get $s) (local.get $n)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br $next)))
    (local.get $s))

  (func (export "_start") (local $i i32) (local $j i32) (local $a i32) (local $b i32)
    (loop $outer
      (local.set $a (i32.load (i32.add (i32.const 1024) (i32.shl (local.get $i) (i32.const 2)))))
      (local.set $j (i32.const 0))
      (loop $inner
        (local.set $b (i32.load (i32.add (i32.const 1024) (i32.shl (local.get $j) (i32.const 2)))))
        (call $show_i32 (call $fold_shifts (local.get $a) (local.get $b)))
        (call $show_i32 (call $fold_products (local.get $a) (local.get $b)))
        (call $show_i32 (call $flag_tests (local.get $a) (local.get $b)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br_if $inner (i32.lt_u (local.get $j) (i32.const 8))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $outer (i32.lt_u (local.get $i) (i32.const 8))))
    (call $show_i32 (call $countdown (i32.load8_u (i32.const 1044))))
    ;; constant addresses: in the 12-bit offset range, and beyond it
    (i32.store offset=4 (i32.const 2000) (i32.const 0x11223344))
    (i32.store16 (i32.const 5000) (i32.const 0xbeef))
    (call $show_i32 (i32.load (i32.const 2004)))
    (call $show_i32 (i32.load16_u offset=2 (i32.const 4998)))
    (call $show_i64 (i64.load (i32.const 2000))))
)
