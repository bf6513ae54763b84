;; Stack exhaustion on the device: every shape of unbounded recursion traps with
;; "call stack exhausted", memory outside the stack (a global in .data, linear memory) is
;; intact afterwards, and the same functions work again after the trap.
;; Run by test/e2e/stack-overflow.test.ts through the spec runner (its trap hook resumes
;; after each trap). Linear memory addresses stay below lm3s6965's 55 KiB.
(module
  (type $step (func (param i32) (result i32)))
  (table funcref (elem $through_table $ping))
  (memory 1)
  (global $sentinel (mut i32) (i32.const 0))

  (func (export "setup")
    (global.set $sentinel (i32.const 0x5a5a5a5a))
    (i32.store (i32.const 0) (i32.const 0x12345678))
    (i32.store (i32.const 40000) (i32.const 0x0badf00d)))
  (func (export "intact") (result i32)
    (i32.and
      (i32.eq (global.get $sentinel) (i32.const 0x5a5a5a5a))
      (i32.and
        (i32.eq (i32.load (i32.const 0)) (i32.const 0x12345678))
        (i32.eq (i32.load (i32.const 40000)) (i32.const 0x0badf00d)))))

  ;; non-tail self recursion
  (func $deep (export "deep") (param $n i32) (result i32)
    (i32.add (i32.const 1) (call $deep (i32.add (local.get $n) (i32.const 1)))))

  ;; mutual recursion: ping calls pong directly, pong calls ping through the table
  (func $ping (export "mutual") (param $n i32) (result i32)
    (i32.add (i32.const 1) (call $pong (local.get $n))))
  (func $pong (param $n i32) (result i32)
    (i32.add (i32.const 2) (call_indirect (type $step) (local.get $n) (i32.const 1))))

  ;; recursion only through call_indirect
  (func $through_table (export "indirect") (param $n i32) (result i32)
    (i32.add (i32.const 1) (call_indirect (type $step) (local.get $n) (i32.const 0))))

  ;; recursion with a big frame: many i64 values live across the call
  (func $wide (export "wide") (param $n i64) (result i64)
    (local $a i64) (local $b i64) (local $c i64) (local $d i64) (local $e i64) (local $f i64)
    (local.set $a (i64.mul (local.get $n) (i64.const 3)))
    (local.set $b (i64.add (local.get $a) (i64.const 5)))
    (local.set $c (i64.xor (local.get $b) (local.get $n)))
    (local.set $d (i64.sub (local.get $c) (local.get $a)))
    (local.set $e (i64.or (local.get $d) (local.get $b)))
    (local.set $f (i64.mul (local.get $e) (local.get $c)))
    (i64.add
      (call $wide (i64.add (local.get $n) (i64.const 1)))
      (i64.add (i64.add (local.get $a) (local.get $b))
        (i64.add (i64.add (local.get $c) (local.get $d)) (i64.add (local.get $e) (local.get $f))))))

  ;; bounded recursion: sum 0..n
  (func $sum (export "sum") (param $n i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n))
      (then (i32.const 0))
      (else (i32.add (local.get $n) (call $sum (i32.sub (local.get $n) (i32.const 1))))))))

(invoke "setup")
(assert_return (invoke "sum" (i32.const 100)) (i32.const 5050))
(assert_exhaustion (invoke "deep" (i32.const 0)) "call stack exhausted")
(assert_return (invoke "intact") (i32.const 1))
(assert_exhaustion (invoke "mutual" (i32.const 0)) "call stack exhausted")
(assert_return (invoke "intact") (i32.const 1))
(assert_exhaustion (invoke "indirect" (i32.const 0)) "call stack exhausted")
(assert_return (invoke "intact") (i32.const 1))
(assert_exhaustion (invoke "wide" (i64.const 0)) "call stack exhausted")
(assert_return (invoke "intact") (i32.const 1))
(assert_return (invoke "sum" (i32.const 100)) (i32.const 5050))
