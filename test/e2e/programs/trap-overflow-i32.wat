;; Trap: integer overflow in div. Output before the trap is kept; the firmware reports the trap and exits.
;; exit: 103
;; trap: integer overflow in div
(module
  (func $div (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
  (func (export "_start")
    (call $show_i32 (i32.const 1))
    (drop (call $div (i32.const 0x80000000) (i32.const -1)))
    (call $show_i32 (i32.const 2)))
)
