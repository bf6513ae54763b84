;; Trap: integer divide by zero in div. Output before the trap is kept; the firmware reports the trap and exits.
;; exit: 102
;; trap: integer divide by zero in div
(module
  (func $div (param i32 i32) (result i32) (i32.div_u (local.get 0) (local.get 1)))
  (func (export "_start")
    (call $show_i32 (i32.const 1))
    (drop (call $div (i32.const 7) (i32.const 0)))
    (call $show_i32 (i32.const 2)))
)
