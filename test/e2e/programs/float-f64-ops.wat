;; f64 soft-float: every binary operator, comparison and unary operator over a table of
;; interesting values (zeros, ones, halves for rounding ties, the extremes, a subnormal,
;; infinities, NaNs with payloads), printed as bit patterns. Arithmetic NaN results print
;; as "nan" (Wasm lets them be any NaN); abs/neg/copysign must keep NaN payloads and print
;; their bits.
;; exit: 0
(module
  (data (i32.const 1024)
    "\00\00\00\00\00\00\00\00" "\00\00\00\00\00\00\00\80"   ;; 0 -0
    "\00\00\00\00\00\00\f0\3f" "\00\00\00\00\00\00\f0\bf"   ;; 1 -1
    "\00\00\00\00\00\00\e0\3f" "\00\00\00\00\00\00\f8\3f"   ;; 0.5 1.5
    "\00\00\00\00\00\00\04\40" "\00\00\00\00\00\00\04\c0"   ;; 2.5 -2.5
    "\ff\ff\ff\ff\ff\ff\ef\7f" "\01\00\00\00\00\00\00\00"   ;; max 5e-324
    "\00\00\00\00\00\00\f0\7f" "\00\00\00\00\00\00\f0\ff"   ;; inf -inf
    "\00\00\00\00\00\00\f8\7f" "\01\00\00\00\00\00\f4\ff"   ;; nan -nan:0x4000000000001
    "\9a\99\99\99\99\99\b9\3f" "\55\55\55\55\55\55\d5\3f"   ;; 0.1 1/3
    "\00\00\00\00\00\00\40\43" "\ff\ff\ff\ff\ff\ff\3f\43"   ;; 2^53+1 2^53-1
    "\00\00\10\00\00\00\e0\c1" "\9c\75\00\88\3c\e4\37\fe"   ;; -2147483648.5 -1e300
  )
  (global $count i32 (i32.const 20))

  (func $hex (param $v i64) (param $digits i32)
    (local $d i32)
    (loop $next
      (local.set $digits (i32.sub (local.get $digits) (i32.const 1)))
      (local.set $d (i32.wrap_i64 (i64.and (i64.shr_u (local.get $v) (i64.extend_i32_u (i32.shl (local.get $digits) (i32.const 2)))) (i64.const 15))))
      (call $putc (i32.add (local.get $d) (select (i32.const 48) (i32.const 87) (i32.lt_u (local.get $d) (i32.const 10)))))
      (br_if $next (local.get $digits))))
  (func $bits (param $x f64) (call $hex (i64.reinterpret_f64 (local.get $x)) (i32.const 16)) (call $space))
  (func $val (param $x f64)
    (if (f64.ne (local.get $x) (local.get $x))
      (then (call $putc (i32.const 110)) (call $putc (i32.const 97)) (call $putc (i32.const 110)) (call $space))
      (else (call $bits (local.get $x)))))
  (func $flag (param $b i32) (call $putc (i32.add (i32.const 48) (local.get $b))))
  (func $at (param $i i32) (result f64) (f64.load offset=1024 (i32.shl (local.get $i) (i32.const 3))))

  (func $binary (param $a f64) (param $b f64)
    (call $bits (local.get $a)) (call $bits (local.get $b))
    (call $val (f64.add (local.get $a) (local.get $b)))
    (call $val (f64.sub (local.get $a) (local.get $b)))
    (call $val (f64.mul (local.get $a) (local.get $b)))
    (call $val (f64.div (local.get $a) (local.get $b)))
    (call $val (f64.min (local.get $a) (local.get $b)))
    (call $val (f64.max (local.get $a) (local.get $b)))
    (call $bits (f64.copysign (local.get $a) (local.get $b)))
    (call $flag (f64.eq (local.get $a) (local.get $b)))
    (call $flag (f64.ne (local.get $a) (local.get $b)))
    (call $flag (f64.lt (local.get $a) (local.get $b)))
    (call $flag (f64.le (local.get $a) (local.get $b)))
    (call $flag (f64.gt (local.get $a) (local.get $b)))
    (call $flag (f64.ge (local.get $a) (local.get $b)))
    (call $nl))

  (func $unary (param $a f64)
    (call $bits (local.get $a))
    (call $bits (f64.abs (local.get $a)))
    (call $bits (f64.neg (local.get $a)))
    (call $val (f64.sqrt (local.get $a)))
    (call $val (f64.ceil (local.get $a)))
    (call $val (f64.floor (local.get $a)))
    (call $val (f64.trunc (local.get $a)))
    (call $val (f64.nearest (local.get $a)))
    (call $nl))

  (func (export "_start")
    (local $i i32) (local $j i32)
    (loop $rows
      (call $unary (call $at (local.get $i)))
      (local.set $j (i32.const 0))
      (loop $cols
        (call $binary (call $at (local.get $i)) (call $at (local.get $j)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br_if $cols (i32.lt_u (local.get $j) (global.get $count))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $rows (i32.lt_u (local.get $i) (global.get $count))))
    ;; rounding: 1 + 2^-53 ties to even, 1 + 3*2^-53 rounds up, 0.1 + 0.2, 1/3 * 3
    (call $val (f64.add (f64.const 1) (f64.const 0x1p-53)))
    (call $val (f64.add (f64.const 1) (f64.const 0x1.8p-52)))
    (call $val (f64.add (f64.const 0.1) (f64.const 0.2)))
    (call $val (f64.mul (f64.div (f64.const 1) (f64.const 3)) (f64.const 3)))
    (call $val (f64.sqrt (f64.const 2)))
    (call $val (f64.mul (f64.const 0x1p-1022) (f64.const 0x1p-3)))
    (call $nl))
)
