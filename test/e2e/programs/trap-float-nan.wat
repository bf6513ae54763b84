;; Trap: a NaN has no integer value. i32.trunc_f32_s of NaN traps with 'invalid conversion
;; to integer'; output before the trap is kept.
;; exit: 105
;; trap: invalid conversion to integer in convert
(module
  (func $convert (param f32) (result i32) (i32.trunc_f32_s (local.get 0)))
  (func (export "_start")
    (call $show_i32 (call $convert (f32.const -2147483648)))
    (call $show_i32 (call $convert (f32.div (f32.const 0) (f32.const 0))))
    (call $show_i32 (i32.const 2)))
)
