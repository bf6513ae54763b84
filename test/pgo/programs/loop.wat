;; A loop of 100 iterations whose body calls through a table: $double when i % 4 == 0
;; (25 times), $inc otherwise (75 times), and takes an `if` branch every 10th iteration.
(module
  (type $unary (func (param i32) (result i32)))
  (table 2 funcref)
  (elem (i32.const 0) $double $inc)
  (global $tens (mut i32) (i32.const 0))
  (func $double (type $unary) (i32.mul (local.get 0) (i32.const 2)))
  (func $inc (type $unary) (i32.add (local.get 0) (i32.const 1)))
  (func $work (param $n i32) (result i32)
    (local $i i32) (local $acc i32)
    (loop $body
      (local.set $acc
        (call_indirect (type $unary) (local.get $acc)
          (i32.ne (i32.and (local.get $i) (i32.const 3)) (i32.const 0))))
      (if (i32.eqz (i32.rem_u (local.get $i) (i32.const 10)))
        (then (global.set $tens (i32.add (global.get $tens) (i32.const 1)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $body (i32.lt_u (local.get $i) (local.get $n))))
    (i32.add (local.get $acc) (global.get $tens)))
  (func (export "main") (result i32)
    (i32.and (call $work (i32.const 100)) (i32.const 127))))
