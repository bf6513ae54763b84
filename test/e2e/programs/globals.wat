;; Mutable and immutable globals of both integer types, a counter kept across calls.
;; exit: 3
(module
  (global $counter (mut i32) (i32.const 0))
  (global $big (mut i64) (i64.const 0x100000000))
  (global $step i32 (i32.const 3))
  (global $seed i64 (i64.const -7))
  (func $tick (result i32)
    (global.set $counter (i32.add (global.get $counter) (global.get $step)))
    (global.set $big (i64.add (global.get $big) (global.get $seed)))
    (global.get $counter))
  (func (export "_start")
    (drop (call $tick))
    (drop (call $tick))
    (call $show_i32 (call $tick))
    (call $show_i64 (global.get $big))
    (call $show_i64 (global.get $seed))
    (call $proc_exit (global.get $step)))
)
