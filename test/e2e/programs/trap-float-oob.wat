;; Trap: an f64 store that runs past the end of memory by one byte is out of bounds, like
;; an integer store of the same width. (The lm3s6965 has less RAM than one page.)
;; boards: mps2-an385
;; exit: 104
;; trap: out of bounds memory access in store
(module
  (func $store (param i32) (f64.store (local.get 0) (f64.const 1)))
  (func (export "_start")
    (call $store (i32.const 65528))
    (call $show_i32 (i32.const 1))
    (call $store (i32.const 65529))
    (call $show_i32 (i32.const 2)))
)
