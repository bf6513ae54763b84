;; Trap: integer divide by zero in rem64. Output before the trap is kept; the firmware reports the trap and exits.
;; exit: 102
;; trap: integer divide by zero in rem64
(module
  (func $rem64 (param i64 i64) (result i64) (i64.rem_s (local.get 0) (local.get 1)))
  (func (export "_start")
    (call $show_i32 (i32.const 1))
    (drop (call $rem64 (i64.const 7) (i64.const 0)))
    (call $show_i32 (i32.const 2)))
)
