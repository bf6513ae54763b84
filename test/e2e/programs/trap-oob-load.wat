;; Trap: out of bounds memory access in peek. Output before the trap is kept; the firmware reports the trap and exits.
;; exit: 104
;; trap: out of bounds memory access in peek
(module
  (func $peek (param i32) (result i32) (i32.load offset=4 (local.get 0)))
  (func (export "_start")
    (call $show_i32 (i32.const 1))
    (drop (call $peek (i32.const 65530)))
    (call $show_i32 (i32.const 2)))
)
