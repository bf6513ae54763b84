;; Trap: integer overflow in div64. Output before the trap is kept; the firmware reports the trap and exits.
;; exit: 103
;; trap: integer overflow in div64
(module
  (func $div64 (param i64 i64) (result i64) (i64.div_s (local.get 0) (local.get 1)))
  (func (export "_start")
    (call $show_i32 (i32.const 1))
    (drop (call $div64 (i64.const 0x8000000000000000) (i64.const -1)))
    (call $show_i32 (i32.const 2)))
)
