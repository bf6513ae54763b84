;; Trap: out of bounds memory access in poke. Output before the trap is kept; the firmware reports the trap and exits.
;; exit: 104
;; trap: out of bounds memory access in poke
(module
  (func $poke (param i32) (i64.store (local.get 0) (i64.const 1)))
  (func (export "_start")
    (call $show_i32 (i32.const 1))
    (call $poke (i32.const -4))
    (call $show_i32 (i32.const 2)))
)
