;; Trap: unreachable in boom. Output before the trap is kept; the firmware reports the trap and exits.
;; exit: 101
;; trap: unreachable in boom
(module
  (func $boom (unreachable))
  (func (export "_start")
    (call $show_i32 (i32.const 1))
    (call $boom)
    (call $show_i32 (i32.const 2)))
)
