;; Trap: undefined element in _start. Output before the trap is kept; the firmware reports the trap and exits.
;; exit: 107
;; trap: undefined element in _start
(module
  (type $v (func))
  (table 4 funcref)
  (func (export "_start")
    (call $show_i32 (i32.const 1))
    (call_indirect (type $v) (i32.const 7))
    (call $show_i32 (i32.const 2)))
)
