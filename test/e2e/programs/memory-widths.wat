;; Loads and stores of every width and sign, at unaligned addresses too, with offsets.
;; exit: 0
(module
  (data (i32.const 2048) "\80\ff\7f\01\fe\ca\ad\de\ef\be\ad\de\78\56\34\12")
  (func (export "_start")
    (call $show_i32 (i32.load8_s (i32.const 2048)))               ;; -128
    (call $show_i32 (i32.load8_u (i32.const 2048)))               ;; 128
    (call $show_i32 (i32.load16_s (i32.const 2048)))              ;; 0xff80 -> -128
    (call $show_i32 (i32.load16_u offset=1 (i32.const 2048)))     ;; 0x7fff
    (call $show_i32 (i32.load (i32.const 2049)))                  ;; unaligned
    (call $show_i64 (i64.load8_s offset=4 (i32.const 2048)))      ;; 0xfe -> -2
    (call $show_i64 (i64.load8_u offset=4 (i32.const 2048)))      ;; 254
    (call $show_i64 (i64.load16_s offset=6 (i32.const 2048)))     ;; 0xdead -> -8531
    (call $show_i64 (i64.load16_u offset=6 (i32.const 2048)))     ;; 57005
    (call $show_i64 (i64.load32_s offset=8 (i32.const 2048)))     ;; 0xdeadbeef
    (call $show_i64 (i64.load32_u offset=8 (i32.const 2048)))
    (call $show_i64 (i64.load offset=8 (i32.const 2048)))         ;; 0x12345678deadbeef
    ;; stores of each width, read back whole
    (i64.store (i32.const 3000) (i64.const 0))
    (i32.store8 (i32.const 3000) (i32.const 0x1ff))
    (i32.store16 (i32.const 3001) (i32.const 0xabcd))
    (call $show_i64 (i64.load (i32.const 3000)))
    (i64.store8 (i32.const 3003) (i64.const -1))
    (i64.store16 (i32.const 3004) (i64.const 0x1234))
    (i64.store32 offset=2 (i32.const 3004) (i64.const 0x7788))
    (call $show_i64 (i64.load (i32.const 3000)))
    (i32.store offset=3 (i32.const 3010) (i32.const -2))
    (call $show_i32 (i32.load (i32.const 3013)))
    (i64.store (i32.const 3021) (i64.const -81985529216486896))   ;; 0xfedcba9876543210
    (call $show_i64 (i64.load (i32.const 3021)))
    (call $show_i32 (i32.load16_u (i32.const 3025))))
)
