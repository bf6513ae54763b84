;; Printing helpers spliced into every end-to-end test program (after its `(module` line).
;; They use linear memory bytes 0-127 as scratch: programs keep their data at 1024 and up.
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)

  ;; write len bytes at ptr to stdout
  (func $write (param $ptr i32) (param $len i32)
    (i32.store (i32.const 0) (local.get $ptr))
    (i32.store (i32.const 4) (local.get $len))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))

  (func $putc (param $c i32)
    (i32.store8 (i32.const 16) (local.get $c))
    (call $write (i32.const 16) (i32.const 1)))

  (func $nl (call $putc (i32.const 10)))
  (func $space (call $putc (i32.const 32)))

  ;; unsigned 64-bit decimal, digits built backwards from byte 127
  (func $print_u64 (param $v i64) (local $p i32)
    (local.set $p (i32.const 128))
    (loop $digits
      (local.set $p (i32.sub (local.get $p) (i32.const 1)))
      (i32.store8 (local.get $p)
        (i32.add (i32.const 48) (i32.wrap_i64 (i64.rem_u (local.get $v) (i64.const 10)))))
      (local.set $v (i64.div_u (local.get $v) (i64.const 10)))
      (br_if $digits (i64.ne (local.get $v) (i64.const 0))))
    (call $write (local.get $p) (i32.sub (i32.const 128) (local.get $p))))

  (func $print_i64 (param $v i64)
    (if (i64.lt_s (local.get $v) (i64.const 0))
      (then
        (call $putc (i32.const 45))
        (local.set $v (i64.sub (i64.const 0) (local.get $v)))))
    (call $print_u64 (local.get $v)))

  (func $print_i32 (param $v i32) (call $print_i64 (i64.extend_i32_s (local.get $v))))
  (func $print_u32 (param $v i32) (call $print_u64 (i64.extend_i32_u (local.get $v))))

  ;; "label value\n" helpers keep the programs short
  (func $show_i32 (param $v i32) (call $print_i32 (local.get $v)) (call $nl))
  (func $show_i64 (param $v i64) (call $print_i64 (local.get $v)) (call $nl))
