;; A middle module without memory: re-exports lib's function and global, adds its own.
(module
  (import "lib" "scale" (func $scale (param i32) (result i32)))
  (import "lib" "base" (global $base i32))
  (export "scale" (func $scale))
  (export "base" (global $base))
  (global $offset (export "offset") i32 (global.get $base))
  (func (export "scale_plus_base") (param i32) (result i32)
    (i32.add (call $scale (local.get 0)) (global.get $base)))
)
