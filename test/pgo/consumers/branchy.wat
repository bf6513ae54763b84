;; A branchy loop for profile-guided builds: a rarely taken `if` laid out before the common
;; path, a br_table whose case 5 dominates, and a call_indirect that almost always reaches
;; $step_a. Prints the checksum and exits with its low byte.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (type $step (func (param i32 i32) (result i32)))
  (table 4 funcref)
  (elem (i32.const 0) $step_a $step_b $step_c $step_d)
  (func $step_a (type $step) (i32.add (i32.mul (local.get 0) (i32.const 3)) (local.get 1)))
  (func $step_b (type $step) (i32.xor (local.get 0) (local.get 1)))
  (func $step_c (type $step) (i32.sub (local.get 0) (local.get 1)))
  (func $step_d (type $step) (i32.rotl (local.get 0) (local.get 1)))

  ;; case 5 for most inputs
  (func $classify (param $x i32) (result i32)
    (block $d (block $c7 (block $c6 (block $c5 (block $c4 (block $c3 (block $c2 (block $c1 (block $c0
      (br_table $c0 $c1 $c2 $c3 $c4 $c5 $c6 $c7 $d
        (select (i32.and (local.get $x) (i32.const 7)) (i32.const 5)
          (i32.eqz (i32.and (local.get $x) (i32.const 0x70))))))
      (return (i32.const 11)))
      (return (i32.const 13)))
      (return (i32.const 17)))
      (return (i32.const 19)))
      (return (i32.const 23)))
      (return (i32.add (local.get $x) (i32.const 29))))
      (return (i32.const 31)))
      (return (i32.const 37)))
    (i32.const 41))

  (func $work (param $n i32) (result i32)
    (local $i i32) (local $x i32) (local $acc i32)
    (local.set $x (i32.const 12345))
    (loop $body
      (local.set $x (i32.add (i32.mul (local.get $x) (i32.const 1103515245)) (i32.const 12345)))
      (local.set $acc
        (if (result i32) (i32.eqz (i32.and (local.get $x) (i32.const 0x3f0000)))
          (then ;; rare
            (i32.xor (i32.mul (local.get $acc) (i32.const 7)) (i32.shr_u (local.get $x) (i32.const 7))))
          (else
            (i32.add (local.get $acc) (call $classify (i32.shr_u (local.get $x) (i32.const 16)))))))
      (local.set $acc
        (call_indirect (type $step) (local.get $acc) (local.get $i)
          (select (i32.and (local.get $i) (i32.const 3)) (i32.const 0)
            (i32.eqz (i32.and (local.get $i) (i32.const 31))))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $body (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $acc))

  ;; never called at run time: the profile says so
  (func $report_error (param $code i32) (result i32)
    (local $i i32) (local $s i32)
    (loop $l
      (local.set $s (i32.add (local.get $s) (i32.mul (local.get $i) (local.get $code))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 10))))
    (local.get $s))

  ;; unsigned decimal of $v at bytes 100..115, then fd_write
  (func $print (param $v i32) (local $p i32)
    (local.set $p (i32.const 116))
    (i32.store8 (local.get $p) (i32.const 10))
    (loop $digits
      (local.set $p (i32.sub (local.get $p) (i32.const 1)))
      (i32.store8 (local.get $p) (i32.add (i32.const 48) (i32.rem_u (local.get $v) (i32.const 10))))
      (local.set $v (i32.div_u (local.get $v) (i32.const 10)))
      (br_if $digits (local.get $v)))
    (i32.store (i32.const 0) (local.get $p))
    (i32.store (i32.const 4) (i32.sub (i32.const 117) (local.get $p)))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))

  (func (export "_start") (local $r i32)
    (local.set $r (call $work (i32.const 3000)))
    (if (i32.eq (local.get $r) (i32.const -1)) (then (local.set $r (call $report_error (local.get $r)))))
    (call $print (local.get $r))
    (call $proc_exit (i32.and (local.get $r) (i32.const 0x7f)))))
