;; A br_table of 300 cases whose targets alternate (the backend lowers it to bit tests
;; over 32-case chunks: one target, two targets by a mask, three by a range search), every
;; index from 0 to 330 and two huge ones printed as the target taken, 60 per line.
;; exit: 0
(module
  (func $pick (param $i i32) (result i32)
    (block $d
      (block $c
        (block $b
          (block $a
            (br_table $a $b $a $b $a $b $a $b $a $b $a $b $a $b $a $b $a $b $a $b $a $b $a $b $a $b $a $b $a $b $a $b $a $b $a $b $a $b $a $b $a $b $a $b $a $b $a $b $a $b $a $b $a $b $a $b $a $b $a $b $a $b $a $b $a $b $a $b $a $b $a $b $a $b $a $b $a $b $a $b $a $b $a $b $a $b $a $b $a $b $a $b $a $b $a $b $a $a $a $b $b $a $a $a $b $b $a $a $a $b $b $a $a $a $b $b $a $a $a $b $b $a $a $a $b $b $a $a $c $a $b $c $a $b $c $a $b $c $a $b $c $a $b $c $a $b $c $a $b $c $a $b $c $a $b $c $a $b $c $a $b $a $a $a $b $b $a $a $a $b $b $a $a $a $b $b $a $a $a $b $b $a $a $a $b $b $a $a $a $b $b $a $a $a $b $b $a $a $a $b $b $a $a $a $b $b $a $a $a $b $b $a $a $a $b $b $a $a $a $b $b $a $a $a $b $b $a $a $a $b $b $a $a $a $b $b $a $a $a $b $b $a $a $a $b $b $a $a $a $b $b $a $a $a $b $b $a $a $a $b $b $a $a $a $b $b $a $a $a $b $b $a $a $a $b $b $a $a $a $b $b $a $a $a $b $b $a $a $a $b $b $a $a $a $b $b $a $a $a $b $d (local.get $i)))
          (return (i32.const 0)))
        (return (i32.const 1)))
      (return (i32.const 2)))
    (i32.const 3))
  (func (export "_start") (local $i i32)
    (loop $next
      (call $print_i32 (call $pick (local.get $i)))
      (if (i32.eq (i32.rem_u (i32.add (local.get $i) (i32.const 1)) (i32.const 60)) (i32.const 0)) (then (call $nl)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $next (i32.le_u (local.get $i) (i32.const 330))))
    (call $nl)
    (call $print_i32 (call $pick (i32.const -1)))
    (call $print_i32 (call $pick (i32.const 0x80000000)))
    (call $nl))
)
