;; A br_table switch with a default, and a dense table of 10 cases; the exit code comes
;; from a switch too.
;; exit: 7
(module
  (func $day (param $d i32) (result i32)
    (block $default
      (block $weekend
        (block $weekday
          (br_table $weekday $weekday $weekday $weekday $weekday $weekend $weekend $default
            (local.get $d)))
        (return (i32.const 1)))
      (return (i32.const 2)))
    (i32.const 0))
  (func $score (param $x i32) (result i32)
    (block $c9 (block $c8 (block $c7 (block $c6 (block $c5 (block $c4 (block $c3 (block $c2 (block $c1 (block $c0
      (br_table $c0 $c1 $c2 $c3 $c4 $c5 $c6 $c7 $c8 $c9 (local.get $x)))
      (return (i32.const 100)))
      (return (i32.const 101)))
      (return (i32.const 104)))
      (return (i32.const 109)))
      (return (i32.const 116)))
      (return (i32.const 125)))
      (return (i32.const 136)))
      (return (i32.const 149)))
      (return (i32.const 164)))
    (i32.const -1))
  (func (export "_start") (local $i i32)
    (loop $l
      (call $print_i32 (call $day (local.get $i))) (call $space)
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_s (local.get $i) (i32.const 9))))
    (call $nl)
    (call $show_i32 (call $score (i32.const 0)))
    (call $show_i32 (call $score (i32.const 4)))
    (call $show_i32 (call $score (i32.const 8)))
    (call $show_i32 (call $score (i32.const 9)))
    (call $show_i32 (call $score (i32.const -1)))
    (call $proc_exit (i32.add (call $day (i32.const 6)) (i32.const 5))))
)
