;; Floats as ordinary values: params and results under the soft-float AAPCS (f32 like i32,
;; f64 like i64 in an even register pair or an 8-byte aligned stack slot), locals that
;; start at zero, mutable globals, select, loop-carried block params, loads and stores of
;; every float width (bounds-checked like integer ones), and call_indirect.
;; exit: 0
(module
  (type $f64_to_f64 (func (param f64) (result f64)))
  (table 2 funcref)
  (elem (i32.const 0) $halve $square)
  (global $acc (mut f64) (f64.const 0.25))
  (global $scale (mut f32) (f32.const -3.5))

  (func $hex (param $v i64) (param $digits i32)
    (local $d i32)
    (loop $next
      (local.set $digits (i32.sub (local.get $digits) (i32.const 1)))
      (local.set $d (i32.wrap_i64 (i64.and (i64.shr_u (local.get $v) (i64.extend_i32_u (i32.shl (local.get $digits) (i32.const 2)))) (i64.const 15))))
      (call $putc (i32.add (local.get $d) (select (i32.const 48) (i32.const 87) (i32.lt_u (local.get $d) (i32.const 10)))))
      (br_if $next (local.get $digits))))
  (func $f32 (param $x f32) (call $hex (i64.extend_i32_u (i32.reinterpret_f32 (local.get $x))) (i32.const 8)) (call $nl))
  (func $f64 (param $x f64) (call $hex (i64.reinterpret_f64 (local.get $x)) (i32.const 16)) (call $nl))

  (func $halve (param f64) (result f64) (f64.mul (local.get 0) (f64.const 0.5)))
  (func $square (param f64) (result f64) (f64.mul (local.get 0) (local.get 0)))

  ;; i32, f64 (r2:r3), f32 and f64 and i64 and f32 on the stack
  (func $mix (param $a i32) (param $b f64) (param $c f32) (param $d f64) (param $e i64) (param $f f32) (result f64)
    (f64.add
      (f64.add (f64.convert_i32_s (local.get $a)) (local.get $b))
      (f64.add
        (f64.add (f64.promote_f32 (local.get $c)) (local.get $d))
        (f64.add (f64.convert_i64_s (local.get $e)) (f64.promote_f32 (local.get $f))))))

  (func $pick (param $c i32) (param $x f32) (param $y f32) (result f32)
    (select (local.get $x) (local.get $y) (local.get $c)))

  ;; sum of 1/k for k = 1..n, a loop-carried f64 and a loop-carried f32
  (func $harmonic (param $n i32) (result f64)
    (local $k i32) (local $sum f64) (local $sum32 f32)
    (loop $more
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (local.set $sum (f64.add (local.get $sum) (f64.div (f64.const 1) (f64.convert_i32_u (local.get $k)))))
      (local.set $sum32 (f32.add (local.get $sum32) (f32.div (f32.const 1) (f32.convert_i32_u (local.get $k)))))
      (br_if $more (i32.lt_u (local.get $k) (local.get $n))))
    (call $f32 (local.get $sum32))
    (local.get $sum))

  ;; a float block result and a float block param
  (func $blocks (param $x f32) (result f32)
    (f32.const 2)
    (block (param f32) (result f32)
      (f32.mul (local.get $x))
      (if (param f32) (result f32) (f32.gt (local.get $x) (f32.const 0))
        (then (f32.add (f32.const 1)))
        (else (f32.sub (f32.const 1))))))

  (func $zero_locals (result f64) (local $a f32) (local $b f64)
    (f64.add (f64.promote_f32 (local.get $a)) (local.get $b)))

  (func (export "_start")
    (call $f64 (call $mix (i32.const 1) (f64.const 2.5) (f32.const 3.25) (f64.const 4.125) (i64.const 5) (f32.const 6.0625)))
    (call $f32 (call $pick (i32.const 1) (f32.const 1.5) (f32.const -1.5)))
    (call $f32 (call $pick (i32.const 0) (f32.const 1.5) (f32.const -1.5)))
    (call $f64 (call $harmonic (i32.const 1000)))
    (call $f32 (call $blocks (f32.const 3)))
    (call $f32 (call $blocks (f32.const -3)))
    (call $f64 (call $zero_locals))
    ;; globals
    (global.set $acc (f64.mul (global.get $acc) (f64.const 3)))
    (call $f64 (global.get $acc))
    (global.set $scale (f32.neg (global.get $scale)))
    (call $f32 (global.get $scale))
    ;; memory: store, load back, unaligned
    (f32.store offset=2048 (i32.const 0) (f32.const 1.25))
    (f64.store offset=2052 (i32.const 1) (f64.const -0.1))
    (call $f32 (f32.load offset=2048 (i32.const 0)))
    (call $f64 (f64.load offset=2053 (i32.const 0)))
    (call $show_i32 (i32.load8_u offset=2053 (i32.const 0)))
    (f64.store (i32.const 4099) (f64.const 1e100))
    (call $f64 (f64.load (i32.const 4099)))
    (f32.store (i32.const 4098) (f32.const 1e10))
    (call $f32 (f32.load (i32.const 4098)))
    (call $f64 (f64.load (i32.const 4099)))
    ;; call_indirect
    (call $f64 (call_indirect (type $f64_to_f64) (f64.const 3) (i32.const 0)))
    (call $f64 (call_indirect (type $f64_to_f64) (f64.const 3) (i32.const 1))))
)
