;; memory.grow within the physical memory (the new bytes read as zero and are writable),
;; growing by 0, beyond the Wasm limit of 65536 pages (-1, nothing changes), memory.size
;; after each step, and an access just past the grown memory traps.
;; lm3s6965's RAM cannot hold even the one declared page, so it runs on mps2-an385 only
;; (test/e2e/memory-grow.test.ts covers the physical limit on both boards).
;; boards: mps2-an385
;; exit: 104
;; trap: out of bounds memory access in _start
(module
  (func (export "_start")
    (call $show_i32 (memory.size))
    (call $show_i32 (memory.grow (i32.const 0)))
    (call $show_i32 (memory.grow (i32.const 2)))
    (call $show_i32 (memory.size))
    ;; the last word of the new memory starts at zero and keeps what is stored
    (call $show_i32 (i32.load (i32.const 196604)))
    (i32.store (i32.const 196604) (i32.const 42))
    (call $show_i32 (i32.load (i32.const 196604)))
    (call $show_i32 (i32.load8_u (i32.const 65536)))
    ;; 3 + 65534 pages is beyond 65536: fails, size unchanged
    (call $show_i32 (memory.grow (i32.const 65534)))
    (call $show_i32 (memory.grow (i32.const -1)))
    (call $show_i32 (memory.size))
    (call $show_i32 (i32.load (i32.const 196604)))
    ;; one byte past the end
    (call $show_i32 (i32.load8_u (i32.const 196608))))
)
