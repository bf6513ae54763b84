;; Unbounded recursion traps with 'call stack exhausted' before the stack leaves its
;; region: a function that recurses alternately directly and through call_indirect.
;; Deep but bounded recursion works first. test/e2e/stack-overflow.test.ts checks more
;; shapes (mutual recursion, big frames) and that memory outside the stack is intact.
;; exit: 109
;; trap: call stack exhausted in recurse
(module
  (type $step (func (param i32) (result i32)))
  (table funcref (elem $recurse))

  ;; sum 0..n by non-tail recursion
  (func $sum (param $n i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n))
      (then (i32.const 0))
      (else (i32.add (local.get $n) (call $sum (i32.sub (local.get $n) (i32.const 1)))))))

  (func $recurse (param $n i32) (result i32)
    (i32.add (i32.const 1)
      (if (result i32) (i32.and (local.get $n) (i32.const 1))
        (then (call $recurse (i32.add (local.get $n) (i32.const 1))))
        (else (call_indirect (type $step) (i32.add (local.get $n) (i32.const 1)) (i32.const 0))))))

  (func (export "_start")
    (call $show_i32 (call $sum (i32.const 100)))
    (call $show_i32 (call $recurse (i32.const 0))))
)
