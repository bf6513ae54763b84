;; The library module: its own memory (r9 must be switched to it on every call in), an
;; exported mutable and an immutable global, an exported table that the app fills.
(module
  (memory 1)
  (global $counter (export "counter") (mut i32) (i32.const 5))
  (global $base (export "base") i32 (i32.const 100))
  (table $tbl (export "tbl") 4 8 funcref)
  (type $unop (func (param i32) (result i32)))
  (elem (table $tbl) (i32.const 0) func $triple)
  (data (i32.const 16) "\07\00\00\00")
  (func $triple (type $unop) (i32.mul (local.get 0) (i32.const 3)))
  ;; x * 7 + counter, the 7 read from lib's own memory
  (func (export "scale") (param $x i32) (result i32)
    (i32.add (i32.mul (local.get $x) (i32.load (i32.const 16))) (global.get $counter)))
  (func (export "bump") (global.set $counter (i32.add (global.get $counter) (i32.const 1))))
  ;; calls whatever is in slot i: the app puts its own function there
  (func (export "call_slot") (param $i i32) (param $x i32) (result i32)
    (i32.store (i32.const 20) (local.get $x))
    (call_indirect $tbl (type $unop) (i32.load (i32.const 20)) (local.get $i)))
  ;; many arguments: the veneer copies the stacked ones
  (func (export "sum6") (param i32 i32 i32 i32 i32 i64) (result i64)
    (i64.add (i64.extend_i32_u (i32.add (i32.add (local.get 0) (local.get 1)) (i32.add (local.get 2) (i32.add (local.get 3) (local.get 4)))))
             (local.get 5)))
)
