;; Loops: a sieve of Eratosthenes over linear memory, a nested-loop sum and a countdown.
;; exit: 0
(module
  (func $sieve (param $n i32) (result i32) (local $i i32) (local $j i32) (local $count i32)
    ;; bytes 1024..1024+n: 1 = composite
    (local.set $i (i32.const 2))
    (block $done
      (loop $outer
        (br_if $done (i32.gt_u (i32.mul (local.get $i) (local.get $i)) (local.get $n)))
        (if (i32.eqz (i32.load8_u offset=1024 (local.get $i)))
          (then
            (local.set $j (i32.mul (local.get $i) (local.get $i)))
            (loop $mark
              (i32.store8 offset=1024 (local.get $j) (i32.const 1))
              (local.set $j (i32.add (local.get $j) (local.get $i)))
              (br_if $mark (i32.le_u (local.get $j) (local.get $n))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $outer)))
    (local.set $i (i32.const 2))
    (loop $count_them
      (local.set $count (i32.add (local.get $count) (i32.eqz (i32.load8_u offset=1024 (local.get $i)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $count_them (i32.le_u (local.get $i) (local.get $n))))
    (local.get $count))
  (func $nested (result i32) (local $a i32) (local $b i32) (local $sum i32)
    (loop $la
      (local.set $b (i32.const 0))
      (loop $lb
        (local.set $sum (i32.add (local.get $sum) (i32.mul (local.get $a) (local.get $b))))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (br_if $lb (i32.lt_u (local.get $b) (i32.const 10))))
      (local.set $a (i32.add (local.get $a) (i32.const 1)))
      (br_if $la (i32.lt_u (local.get $a) (i32.const 10))))
    (local.get $sum))
  (func (export "_start") (local $k i32)
    (call $show_i32 (call $sieve (i32.const 1000)))
    (call $show_i32 (call $nested))
    (local.set $k (i32.const 5))
    (loop $down
      (call $print_i32 (local.get $k)) (call $space)
      (local.tee $k (i32.sub (local.get $k) (i32.const 1)))
      (br_if $down))
    (call $nl))
)
