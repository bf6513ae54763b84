;; call_indirect through a table filled by an element segment: dispatch by index,
;; functions of two signatures.
;; exit: 0
(module
  (type $binop (func (param i32 i32) (result i32)))
  (type $unop (func (param i32) (result i32)))
  (table 8 funcref)
  (elem (i32.const 1) $add $sub $mul $neg $twice)
  (func $add (type $binop) (i32.add (local.get 0) (local.get 1)))
  (func $sub (type $binop) (i32.sub (local.get 0) (local.get 1)))
  (func $mul (type $binop) (i32.mul (local.get 0) (local.get 1)))
  (func $neg (type $unop) (i32.sub (i32.const 0) (local.get 0)))
  (func $twice (type $unop) (i32.shl (local.get 0) (i32.const 1)))
  (func (export "_start") (local $i i32)
    (local.set $i (i32.const 1))
    (loop $ops
      (call $show_i32 (call_indirect (type $binop) (i32.const 12) (i32.const 5) (local.get $i)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $ops (i32.le_u (local.get $i) (i32.const 3))))
    (call $show_i32 (call_indirect (type $unop) (i32.const 21) (i32.const 4)))
    (call $show_i32 (call_indirect (type $unop) (i32.const 21) (i32.const 5))))
)
