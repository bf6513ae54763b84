;; Reference types and table instructions: two funcref tables (one growable in RAM, one
;; fixed in flash), an externref table, passive and declarative element segments,
;; table.get/set/size/grow/fill/copy/init, elem.drop, ref.null/is_null/func, typed
;; select on references, reference locals, params, results and globals.
;; exit: 0
(module
  (type $unop (func (param i32) (result i32)))
  (table $fixed 3 funcref)
  (table $t 4 10 funcref)
  (table $ext 2 5 externref)
  (elem (table $fixed) (i32.const 0) func $inc $dbl $neg)
  (elem (table $t) (i32.const 1) func $dbl)
  (elem $passive funcref (ref.func $neg) (ref.null func) (ref.func $inc))
  (elem declare func $sq)
  (global $g (mut funcref) (ref.func $inc))
  (global $e (mut externref) (ref.null extern))
  (func $inc (type $unop) (i32.add (local.get 0) (i32.const 1)))
  (func $dbl (type $unop) (i32.mul (local.get 0) (i32.const 2)))
  (func $neg (type $unop) (i32.sub (i32.const 0) (local.get 0)))
  (func $sq (type $unop) (i32.mul (local.get 0) (local.get 0)))
  (func $call_t (param $i i32) (param $x i32) (result i32)
    (call_indirect $t (type $unop) (local.get $x) (local.get $i)))
  (func $pick (param $c i32) (param $a funcref) (param $b funcref) (result funcref)
    (select (result funcref) (local.get $a) (local.get $b) (local.get $c)))
  (func $null_flags (local $i i32) (local $acc i32)
    ;; one digit per element of $t: 1 = null
    (local.set $acc (i32.const 0))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $i) (table.size $t)))
        (local.set $acc (i32.add (i32.mul (local.get $acc) (i32.const 10))
                                 (ref.is_null (table.get $t (local.get $i)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $each)))
    (call $show_i32 (local.get $acc)))
  (func (export "_start") (local $r funcref)
    ;; flash table
    (call $show_i32 (call_indirect $fixed (type $unop) (i32.const 5) (i32.const 0)))
    (call $show_i32 (call_indirect $fixed (type $unop) (i32.const 5) (i32.const 2)))
    (call $show_i32 (table.size $fixed))
    ;; RAM table: get/set
    (call $null_flags)
    (table.set $t (i32.const 0) (ref.func $sq))
    (call $show_i32 (call $call_t (i32.const 0) (i32.const 7)))
    (call $show_i32 (call $call_t (i32.const 1) (i32.const 7)))
    (call $null_flags)
    ;; grow: old size, then -1 beyond the maximum
    (call $show_i32 (table.grow $t (ref.func $neg) (i32.const 2)))
    (call $show_i32 (table.grow $t (ref.null func) (i32.const 5)))
    (call $show_i32 (table.size $t))
    (call $show_i32 (call $call_t (i32.const 5) (i32.const 7)))
    ;; fill, copy, init
    (table.fill $t (i32.const 2) (global.get $g) (i32.const 2))
    (call $show_i32 (call $call_t (i32.const 3) (i32.const 7)))
    (table.copy $t $fixed (i32.const 0) (i32.const 1) (i32.const 2))
    (call $show_i32 (call $call_t (i32.const 0) (i32.const 7)))
    (call $show_i32 (call $call_t (i32.const 1) (i32.const 7)))
    (table.copy $t $t (i32.const 1) (i32.const 0) (i32.const 3))
    (call $show_i32 (call $call_t (i32.const 3) (i32.const 7)))
    (table.init $t $passive (i32.const 3) (i32.const 0) (i32.const 3))
    (call $null_flags)
    (call $show_i32 (call $call_t (i32.const 5) (i32.const 7)))
    (elem.drop $passive)
    (table.init $t $passive (i32.const 0) (i32.const 0) (i32.const 0))
    ;; references in locals, params, results, globals
    (local.set $r (call $pick (i32.const 0) (ref.func $inc) (ref.func $dbl)))
    (table.set $t (i32.const 0) (local.get $r))
    (call $show_i32 (call $call_t (i32.const 0) (i32.const 7)))
    (global.set $g (table.get $fixed (i32.const 2)))
    (table.set $t (i32.const 0) (global.get $g))
    (call $show_i32 (call $call_t (i32.const 0) (i32.const 7)))
    (call $show_i32 (ref.is_null (ref.null func)))
    (call $show_i32 (ref.is_null (global.get $g)))
    ;; externref
    (call $show_i32 (ref.is_null (table.get $ext (i32.const 1))))
    (call $show_i32 (table.grow $ext (global.get $e) (i32.const 3)))
    (call $show_i32 (table.size $ext))
    (call $show_i32 (ref.is_null (table.get $ext (i32.const 4)))))
)
