;; Trap in inlined code: at -O2 the accessor $field is inlined into its caller, and its
;; out-of-bounds load is still reported in $field's name, at $field's Wasm offset.
;; exit: 104
;; trap: out of bounds memory access in field
(module
  (func $field (param $record i32) (result i32)
    (i32.load offset=8 (local.get $record)))
  (func (export "_start")
    (i32.store (i32.const 1032) (i32.const 42))
    (i32.store (i32.const 2056) (i32.const 7))
    (call $show_i32 (call $field (i32.const 1024)))
    (call $show_i32 (call $field (i32.const 2048)))
    ;; the record's field would be at 65532 + 8: past the end of the 64 KiB memory
    (call $show_i32 (call $field (i32.add (call $field (i32.const 1024)) (i32.const 65490))))
    (call $show_i32 (i32.const -1)))
)
