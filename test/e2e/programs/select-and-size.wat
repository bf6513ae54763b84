;; select of both integer types, memory.size, locals of every integer type zero-initialised.
;; exit: 0
(module
  (func $max (param $a i32) (param $b i32) (result i32)
    (select (local.get $a) (local.get $b) (i32.gt_s (local.get $a) (local.get $b))))
  (func $pick64 (param $c i32) (result i64)
    (select (i64.const -1) (i64.const 0x100000000) (local.get $c)))
  (func (export "_start") (local $zero i32) (local $zero64 i64)
    (call $show_i32 (call $max (i32.const -3) (i32.const 2)))
    (call $show_i32 (call $max (i32.const 9) (i32.const 2)))
    (call $show_i64 (call $pick64 (i32.const 1)))
    (call $show_i64 (call $pick64 (i32.const 0)))
    (call $show_i32 (memory.size))
    (call $show_i32 (local.get $zero))
    (call $show_i64 (local.get $zero64)))
)
