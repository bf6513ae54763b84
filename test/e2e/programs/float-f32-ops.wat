;; f32 soft-float: every binary operator, comparison and unary operator over a table of
;; interesting values (zeros, ones, halves for rounding ties, the extremes, a subnormal,
;; infinities, NaNs with payloads), printed as bit patterns. Arithmetic NaN results print
;; as "nan" (Wasm lets them be any NaN); abs/neg/copysign must keep NaN payloads and print
;; their bits.
;; exit: 0
(module
  (data (i32.const 1024)
    "\00\00\00\00" "\00\00\00\80" "\00\00\80\3f" "\00\00\80\bf"   ;; 0 -0 1 -1
    "\00\00\00\3f" "\00\00\c0\3f" "\00\00\20\40" "\00\00\20\c0"   ;; 0.5 1.5 2.5 -2.5
    "\ff\ff\7f\7f" "\01\00\00\00" "\00\00\80\7f" "\00\00\80\ff"   ;; max 1e-45 inf -inf
    "\00\00\c0\7f" "\01\00\a0\ff" "\cd\cc\cc\3d" "\ab\aa\aa\3e"   ;; nan -nan:0x200001 0.1 1/3
    "\01\00\80\4b" "\ff\ff\7f\4b" "\00\00\00\cf" "\00\40\1c\c6")  ;; 16777217ish 16777215 -2^31 -10000
  (global $count i32 (i32.const 20))

  (func $hex (param $v i64) (param $digits i32)
    (local $d i32)
    (loop $next
      (local.set $digits (i32.sub (local.get $digits) (i32.const 1)))
      (local.set $d (i32.wrap_i64 (i64.and (i64.shr_u (local.get $v) (i64.extend_i32_u (i32.shl (local.get $digits) (i32.const 2)))) (i64.const 15))))
      (call $putc (i32.add (local.get $d) (select (i32.const 48) (i32.const 87) (i32.lt_u (local.get $d) (i32.const 10)))))
      (br_if $next (local.get $digits))))
  (func $bits (param $x f32) (call $hex (i64.extend_i32_u (i32.reinterpret_f32 (local.get $x))) (i32.const 8)) (call $space))
  (func $val (param $x f32)
    (if (f32.ne (local.get $x) (local.get $x))
      (then (call $putc (i32.const 110)) (call $putc (i32.const 97)) (call $putc (i32.const 110)) (call $space))
      (else (call $bits (local.get $x)))))
  (func $flag (param $b i32) (call $putc (i32.add (i32.const 48) (local.get $b))))
  (func $at (param $i i32) (result f32) (f32.load offset=1024 (i32.shl (local.get $i) (i32.const 2))))

  (func $binary (param $a f32) (param $b f32)
    (call $bits (local.get $a)) (call $bits (local.get $b))
    (call $val (f32.add (local.get $a) (local.get $b)))
    (call $val (f32.sub (local.get $a) (local.get $b)))
    (call $val (f32.mul (local.get $a) (local.get $b)))
    (call $val (f32.div (local.get $a) (local.get $b)))
    (call $val (f32.min (local.get $a) (local.get $b)))
    (call $val (f32.max (local.get $a) (local.get $b)))
    (call $bits (f32.copysign (local.get $a) (local.get $b)))
    (call $flag (f32.eq (local.get $a) (local.get $b)))
    (call $flag (f32.ne (local.get $a) (local.get $b)))
    (call $flag (f32.lt (local.get $a) (local.get $b)))
    (call $flag (f32.le (local.get $a) (local.get $b)))
    (call $flag (f32.gt (local.get $a) (local.get $b)))
    (call $flag (f32.ge (local.get $a) (local.get $b)))
    (call $nl))

  (func $unary (param $a f32)
    (call $bits (local.get $a))
    (call $bits (f32.abs (local.get $a)))
    (call $bits (f32.neg (local.get $a)))
    (call $val (f32.sqrt (local.get $a)))
    (call $val (f32.ceil (local.get $a)))
    (call $val (f32.floor (local.get $a)))
    (call $val (f32.trunc (local.get $a)))
    (call $val (f32.nearest (local.get $a)))
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
    ;; rounding: 1 + 2^-24 ties to even, 1 + 3*2^-24 rounds up, 0.1 + 0.2, 1/3 * 3
    (call $val (f32.add (f32.const 1) (f32.const 0x1p-24)))
    (call $val (f32.add (f32.const 1) (f32.const 0x1.8p-23)))
    (call $val (f32.add (f32.const 0.1) (f32.const 0.2)))
    (call $val (f32.mul (f32.div (f32.const 1) (f32.const 3)) (f32.const 3)))
    (call $val (f32.sqrt (f32.const 2)))
    (call $val (f32.mul (f32.const 0x1p-126) (f32.const 0x1p-3)))
    (call $nl))
)
