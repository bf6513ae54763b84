;; Nested blocks with results, br out of several levels, br_if carrying values, if/else chains.
;; exit: 0
(module
  (func $classify (param $x i32) (result i32)
    (block $out (result i32)
      (block $neg
        (block $zero
          (br_if $neg (i32.lt_s (local.get $x) (i32.const 0)))
          (br_if $zero (i32.eqz (local.get $x)))
          (br $out (if (result i32) (i32.gt_s (local.get $x) (i32.const 100))
                      (then (i32.const 3)) (else (i32.const 2)))))
        (br $out (i32.const 1)))
      (i32.const 0)))
  (func $first_multiple (param $start i32) (param $m i32) (result i32)
    ;; br_if with a value: leaves the loop with the first multiple of $m at or after $start
    (block $found (result i32)
      (loop $search
        (drop (br_if $found (local.get $start)
          (i32.eqz (i32.rem_u (local.get $start) (local.get $m)))))
        (local.set $start (i32.add (local.get $start) (i32.const 1)))
        (br $search))
      (unreachable)))
  (func (export "_start")
    (call $show_i32 (call $classify (i32.const -5)))
    (call $show_i32 (call $classify (i32.const 0)))
    (call $show_i32 (call $classify (i32.const 7)))
    (call $show_i32 (call $classify (i32.const 1000)))
    (call $show_i32 (call $first_multiple (i32.const 100) (i32.const 7)))
    (call $show_i32 (call $first_multiple (i32.const 1) (i32.const 13))))
)
