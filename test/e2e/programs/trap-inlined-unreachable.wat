;; Trap in inlined code: at -O2 the check $expect_positive is inlined into its caller, and
;; its `unreachable` is still reported in $expect_positive's name.
;; exit: 101
;; trap: unreachable in expect_positive
(module
  (func $expect_positive (param $v i32) (result i32)
    (if (i32.le_s (local.get $v) (i32.const 0)) (then unreachable))
    (local.get $v))
  (func (export "_start") (local $v i32)
    (local.set $v (i32.const 3))
    (loop $next
      (call $show_i32 (call $expect_positive (local.get $v)))
      (local.set $v (i32.sub (local.get $v) (i32.const 1)))
      (br $next)))
)
