;; Hello world through WASI: fd_write to stdout (the board's UART), then return from _start
;; (exit code 0).
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  ;; iovec at 0: { buf = 16, len = 34 }
  (data (i32.const 0) "\10\00\00\00\22\00\00\00")
  (data (i32.const 16) "Hello from WebAssembly on an MCU!\n")
  (func (export "_start")
    (drop (call $fd_write
      (i32.const 1)    ;; stdout
      (i32.const 0)    ;; iovecs
      (i32.const 1)    ;; one iovec
      (i32.const 8)))) ;; where to store the number of bytes written
)
