;; Trap in inlined code: at -O2 the small $average is inlined into its caller's loop, and its
;; division by zero is still reported in $average's name (the trap table names the origin).
;; exit: 102
;; trap: integer divide by zero in average
(module
  (func $average (param $sum i32) (param $count i32) (result i32)
    (i32.div_s (local.get $sum) (local.get $count)))
  (func (export "_start") (local $count i32)
    (local.set $count (i32.const 2))
    (loop $next
      (call $show_i32 (call $average (i32.const 10) (local.get $count)))
      (local.set $count (i32.sub (local.get $count) (i32.const 1)))
      (br_if $next (i32.ge_s (local.get $count) (i32.const 0))))
    (call $show_i32 (i32.const -1)))
)
