;; The spec testsuite's `spectest` module (its imports.wast/linking.wast expect exactly
;; these exports). The printers are C (spectest-host.c, symbols spectest_host__print_*),
;; imported from a module name no Wasm module has and re-exported, so the firmware binds
;; `spectest.print_i32` to that C function. The memory, table and globals are Wasm.
(module
  (import "spectest_host" "print" (func $print))
  (import "spectest_host" "print_i32" (func $print_i32 (param i32)))
  (import "spectest_host" "print_i64" (func $print_i64 (param i64)))
  (import "spectest_host" "print_f32" (func $print_f32 (param f32)))
  (import "spectest_host" "print_f64" (func $print_f64 (param f64)))
  (import "spectest_host" "print_i32_f32" (func $print_i32_f32 (param i32 f32)))
  (import "spectest_host" "print_f64_f64" (func $print_f64_f64 (param f64 f64)))
  (export "print" (func $print))
  (export "print_i32" (func $print_i32))
  (export "print_i64" (func $print_i64))
  (export "print_f32" (func $print_f32))
  (export "print_f64" (func $print_f64))
  (export "print_i32_f32" (func $print_i32_f32))
  (export "print_f64_f64" (func $print_f64_f64))
  (global (export "global_i32") i32 (i32.const 666))
  (global (export "global_i64") i64 (i64.const 666))
  (global (export "global_f32") f32 (f32.const 666.6))
  (global (export "global_f64") f64 (f64.const 666.6))
  (table (export "table") 10 20 funcref)
  (memory (export "memory") 1 2)
)
