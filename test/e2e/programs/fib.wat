;; Recursive Fibonacci: deep direct calls, i32 arithmetic and comparisons.
;; exit: 0
(module
  (func $fib (param $n i32) (result i32)
    (if (result i32) (i32.lt_s (local.get $n) (i32.const 2))
      (then (local.get $n))
      (else (i32.add (call $fib (i32.sub (local.get $n) (i32.const 1)))
                     (call $fib (i32.sub (local.get $n) (i32.const 2)))))))
  (func (export "_start") (local $i i32)
    (loop $next
      (call $print_i32 (local.get $i)) (call $space)
      (call $show_i32 (call $fib (local.get $i)))
      (local.set $i (i32.add (local.get $i) (i32.const 5)))
      (br_if $next (i32.le_s (local.get $i) (i32.const 25)))))
)
