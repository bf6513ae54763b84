;; Several active data segments, one overwriting part of another, and a checksum over them.
;; exit: 0
(module
  (data (i32.const 4096) "The quick brown fox jumps over the lazy dog\n")
  (data (i32.const 4100) "QUICK")
  (data (i32.const 8000) "\01\02\03\04\05\06\07\08\09\0a")
  (func (export "_start") (local $i i32) (local $sum i32)
    (call $write (i32.const 4096) (i32.const 44))
    (loop $add
      (local.set $sum (i32.add (local.get $sum) (i32.load8_u offset=8000 (local.get $i))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $add (i32.lt_u (local.get $i) (i32.const 10))))
    (call $show_i32 (local.get $sum))
    (call $show_i32 (i32.load8_u (i32.const 8010))))
)
