;; Multi-value: functions with several results (i32 and i64 mixed, more than four words,
;; with stack arguments too) called directly and through call_indirect, results used in
;; both orders; blocks, loops and ifs with several params and results; an export with
;; several results.
;; exit: 0
(module
  (type $pair (func (param i32 i32) (result i32 i32)))
  (table funcref (elem $swap $divmod))

  (func $swap (type $pair) (local.get 1) (local.get 0))
  (func $divmod (type $pair)
    (i32.div_s (local.get 0) (local.get 1))
    (i32.rem_s (local.get 0) (local.get 1)))
  ;; an i64 among i32s: the i64 sits 8-aligned in the results area
  (func $mixed (param $x i32) (result i32 i64 i32)
    (local.get $x)
    (i64.mul (i64.extend_i32_s (local.get $x)) (i64.const 0x100000001))
    (i32.sub (i32.const 0) (local.get $x)))
  ;; six arguments (two on the stack) and four results
  (func $spread (param $a i32) (param $b i64) (param $c i32) (param $d i64) (param $e i32) (param $f i32)
                (result i64 i32 i64 i32)
    (i64.add (local.get $b) (local.get $d))
    (i32.add (local.get $a) (local.get $c))
    (i64.sub (local.get $b) (local.get $d))
    (i32.mul (local.get $e) (local.get $f)))
  ;; recursion through a multi-value function: (fib n, fib n+1)
  (func $fibs (param $n i32) (result i32 i32) (local $a i32) (local $b i32)
    (if (result i32 i32) (i32.eqz (local.get $n))
      (then (i32.const 0) (i32.const 1))
      (else
        (call $fibs (i32.sub (local.get $n) (i32.const 1)))
        (local.set $b) (local.set $a)
        (local.get $b) (i32.add (local.get $a) (local.get $b)))))
  (func (export "divmod_export") (param i32 i32) (result i32 i32)
    (call $divmod (local.get 0) (local.get 1)))

  (func $show_pair (param i32 i32) (call $print_i32 (local.get 0)) (call $space) (call $show_i32 (local.get 1)))

  (func (export "_start") (local $i i32) (local $acc i32)
    (call $swap (i32.const 1) (i32.const 2))
    (call $show_pair)
    (call $divmod (i32.const -17) (i32.const 5))
    (call $show_pair)
    (call_indirect (type $pair) (i32.const 3) (i32.const 4) (i32.const 0))
    (call $show_pair)
    (call_indirect (type $pair) (i32.const 100) (i32.const 7) (i32.const 1))
    (call $show_pair)
    (call $divmod_export_user)
    (call $mixed (i32.const 7))
    (call $show_i32)
    (call $show_i64)
    (call $show_i32)
    (call $spread (i32.const 1) (i64.const 0x200000000) (i32.const 3) (i64.const 5) (i32.const 6) (i32.const 7))
    (call $show_i32)
    (call $show_i64)
    (call $show_i32)
    (call $show_i64)
    (call $fibs (i32.const 20))
    (call $show_pair)
    ;; a block with two params and two results
    (i32.const 10) (i32.const 3)
    (block (param i32 i32) (result i32 i32)
      (call $swap))
    (call $show_pair)
    ;; a loop carrying two values: sum 1..10 and the counter
    (i32.const 0) (i32.const 10)
    (loop $sum (param i32 i32) (result i32 i32)
      (local.set $i) (local.set $acc)
      (i32.add (local.get $acc) (local.get $i))
      (i32.sub (local.get $i) (i32.const 1))
      (br_if $sum (i32.ne (local.get $i) (i32.const 1))))
    (call $show_pair)
    ;; an if with params, and a br out of a multi-value block
    (i32.const 5) (i32.const 6)
    (if (param i32 i32) (result i32 i32) (i32.const 0)
      (then (i32.add) (i32.const 1))
      (else (i32.mul) (i32.const 2)))
    (call $show_pair)
    (block (result i32 i32)
      (i32.const 8) (i32.const 9)
      (br 0))
    (call $show_pair))

  (func $divmod_export_user
    (call $show_pair (call $divmod (i32.const 100) (i32.const -7))))
)
