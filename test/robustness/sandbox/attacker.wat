;; The attacking module of the sandbox firmware (sandbox.test.ts): the entry, owning the
;; primary memory. Every `attack_*` export takes the bound (bytes accessible, read from
;; the memory context by the harness) and the physical size of linear memory, and does one
;; thing the sandbox must refuse or get exactly right. The line before each says what must
;; happen: `trap <kind>` (docs/abi.md's trap kinds), `value` (returns what Node's engine
;; returns for the same call) or `value <n>` (returns n: board-dependent, or a call Node
;; cannot make). After every attack the harness calls `check`, the victim's `check` and
;; runtime-c's mcu_integrity_check. The load/store matrix (every width, at and past the
;; end, offsets that overflow 32 bits) is added by sandbox-matrix.ts where marked.
(module
  (type $unary (func (param i32) (result i32)))
  (type $binary (func (param i32 i32) (result i32)))
  (type $unary64 (func (param i32) (result i64)))
  (import "victim" "add" (func $vadd (type $binary)))
  (import "victim" "fill_past_end" (func $victim_fill_past_end (result i32)))
  (import "victim" "copy_past_end" (func $victim_copy_past_end (result i32)))
  (import "victim" "init_past_end" (func $victim_init_past_end (result i32)))
  (import "victim" "grow" (func $victim_grow (result i32)))
  (import "victim" "wasi_past_end" (func $victim_wasi_past_end (result i32)))
  (import "victim" "wasi_inside" (func $victim_wasi_inside (result i32)))
  (import "victim" "fill_and_copy_inside" (func $victim_fill_and_copy_inside (result i32)))
  (import "victim" "init_inside" (func $victim_init_inside (result i32)))
  (import "mcu" "read32" (func $read32 (param i32) (result i32)))
  (import "mcu" "read16" (func $read16 (param i32) (result i32)))
  (import "mcu" "write32" (func $write32 (param i32 i32)))
  (import "mcu" "write8" (func $write8 (param i32 i32)))

  (memory 1 256)
  ;; Checksum of [0, bound) after init.
  (global $sum (mut i32) (i32.const 0))
  ;; The console UART's base and one side-effect-free register in it: the harness sets them.
  (global $uart (export "uart_base") (mut i32) (i32.const 0))
  (global $uart_status (export "uart_status") (mut i32) (i32.const 0))
  ;; Where linear memory and the victim's memory are: only the control run's rogue
  ;; attacks (rogue.wat, granted all of RAM) use them, to prove the checks see damage.
  (global $memory_base (export "memory_base") (mut i32) (i32.const 0))
  (global $victim_memory (export "victim_memory") (mut i32) (i32.const 0))

  ;; Changed by table.copy/init/fill if they wrote anything: so it lives in RAM.
  (table $t 4 8 funcref)
  (elem (table $t) (i32.const 0) func $f10 $f11 $f12 $f13)
  ;; [victim add, null, $f10, null]
  (table $t2 4 funcref)
  (elem (table $t2) (i32.const 0) func $vadd)
  (elem (table $t2) (i32.const 2) func $f10)
  (table $t3 1 funcref)
  (elem (table $t3) (i32.const 0) func $deep_indirect)
  (elem $pe func $f13 $f12 $f11 $f10)

  (data $a5 "\a5\a5\a5\a5\a5\a5\a5\a5")
  (data $dropped "\a5")

  (func $f10 (type $unary) (i32.const 10))
  (func $f11 (type $unary) (i32.const 11))
  (func $f12 (type $unary) (i32.const 12))
  (func $f13 (type $unary) (i32.const 13))

  ;; The byte at address a: never 0xa5, the byte the attacks write.
  (func $pattern (param $a i32) (result i32)
    (i32.and (i32.add (i32.mul (local.get $a) (i32.const 7)) (i32.const 3)) (i32.const 0x7f)))

  ;; A polynomial hash of the words of [0, bound): changing any one word changes it.
  (func $hash (param $b i32) (result i32)
    (local $a i32) (local $h i32)
    (block $done
      (loop $next
        (br_if $done (i32.gt_u (i32.add (local.get $a) (i32.const 4)) (local.get $b)))
        (local.set $h (i32.add (i32.mul (local.get $h) (i32.const 31)) (i32.load (local.get $a))))
        (local.set $a (i32.add (local.get $a) (i32.const 4)))
        (br $next)))
    (local.get $h))

  (func (export "init") (param $b i32) (param $p i32) (result i32)
    (local $a i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $a) (local.get $b)))
        (i32.store8 (local.get $a) (call $pattern (local.get $a)))
        (local.set $a (i32.add (local.get $a) (i32.const 1)))
        (br $next)))
    (global.set $sum (call $hash (local.get $b)))
    (i32.const 0))

  ;; 0 when intact; else bit 0: memory, bit 1: memory.size, bit 2: table $t's entries,
  ;; bit 3: table sizes.
  (func (export "check") (param $b i32) (param $p i32) (result i32)
    (local $bad i32) (local $i i32)
    (if (i32.ne (call $hash (local.get $b)) (global.get $sum))
      (then (local.set $bad (i32.const 1))))
    (if (i32.ne (memory.size) (i32.const 1))
      (then (local.set $bad (i32.or (local.get $bad) (i32.const 2)))))
    (loop $next
      (if (i32.ne (call_indirect $t (type $unary) (i32.const 0) (local.get $i)) (i32.add (local.get $i) (i32.const 10)))
        (then (local.set $bad (i32.or (local.get $bad) (i32.const 4)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $next (i32.lt_u (local.get $i) (i32.const 4))))
    (if (i32.or (i32.ne (table.size $t) (i32.const 4)) (i32.ne (table.size $t2) (i32.const 4)))
      (then (local.set $bad (i32.or (local.get $bad) (i32.const 8)))))
    (local.get $bad))

  ;; ---- call_indirect ----
  ;; value
  (func (export "attack_call_indirect_ok") (param $b i32) (param $p i32) (result i32)
    (call_indirect $t2 (type $unary) (i32.const 5) (i32.const 2)))
  ;; value 86
  (func (export "attack_call_indirect_other_module") (param $b i32) (param $p i32) (result i32)
    (call_indirect $t2 (type $binary) (i32.const 40) (i32.const 2) (i32.const 0)))
  ;; trap 7
  (func (export "attack_call_indirect_index_past_end") (param $b i32) (param $p i32) (result i32)
    (call_indirect $t2 (type $unary) (i32.const 0) (i32.const 4)))
  ;; trap 7
  (func (export "attack_call_indirect_index_bound") (param $b i32) (param $p i32) (result i32)
    (call_indirect $t2 (type $unary) (i32.const 0) (local.get $b)))
  ;; trap 7
  (func (export "attack_call_indirect_index_negative") (param $b i32) (param $p i32) (result i32)
    (call_indirect $t2 (type $unary) (i32.const 0) (i32.const -1)))
  ;; trap 8
  (func (export "attack_call_indirect_null") (param $b i32) (param $p i32) (result i32)
    (call_indirect $t2 (type $unary) (i32.const 0) (i32.const 1)))
  ;; trap 8
  (func (export "attack_call_indirect_null_last") (param $b i32) (param $p i32) (result i32)
    (call_indirect $t2 (type $unary) (i32.const 0) (i32.const 3)))
  ;; trap 6
  (func (export "attack_call_indirect_wrong_params") (param $b i32) (param $p i32) (result i32)
    (call_indirect $t2 (type $unary) (i32.const 0) (i32.const 0)))
  ;; trap 6
  (func (export "attack_call_indirect_extra_param") (param $b i32) (param $p i32) (result i32)
    (call_indirect $t2 (type $binary) (i32.const 0) (i32.const 0) (i32.const 2)))
  ;; trap 6
  (func (export "attack_call_indirect_wrong_result") (param $b i32) (param $p i32) (result i32)
    (i32.wrap_i64 (call_indirect $t2 (type $unary64) (i32.const 0) (i32.const 2))))

  ;; ---- MMIO outside the granted ranges, at computed addresses ($b >>> 24 is 0) ----
  ;; value 0
  (func (export "attack_mmio_granted") (param $b i32) (param $p i32) (result i32)
    (drop (call $read32 (i32.add (global.get $uart) (global.get $uart_status))))
    (i32.const 0))
  ;; trap 11
  (func (export "attack_mmio_read_stack") (param $b i32) (param $p i32) (result i32)
    (call $read32 (i32.add (i32.const 0x20000000) (i32.shr_u (local.get $b) (i32.const 24)))))
  ;; trap 11
  (func (export "attack_mmio_write_stack") (param $b i32) (param $p i32) (result i32)
    (call $write32 (i32.add (i32.const 0x20000000) (i32.shr_u (local.get $b) (i32.const 24))) (i32.const 0xa5a5a5a5))
    (i32.const 0))
  ;; trap 11
  (func (export "attack_mmio_write_vtor") (param $b i32) (param $p i32) (result i32)
    (call $write32 (i32.add (i32.const 0xe000ed08) (i32.shr_u (local.get $b) (i32.const 24))) (i32.const 0))
    (i32.const 0))
  ;; trap 11
  (func (export "attack_mmio_misaligned") (param $b i32) (param $p i32) (result i32)
    (call $read32 (i32.add (global.get $uart) (i32.const 2))))
  ;; trap 11
  (func (export "attack_mmio_misaligned16") (param $b i32) (param $p i32) (result i32)
    (call $read16 (i32.add (global.get $uart) (i32.const 0xfff))))
  ;; trap 11
  (func (export "attack_mmio_just_past_grant") (param $b i32) (param $p i32) (result i32)
    (call $write8 (i32.add (global.get $uart) (i32.const 0x1000)) (i32.const 0x41))
    (i32.const 0))
  ;; trap 11
  (func (export "attack_mmio_just_below_grant") (param $b i32) (param $p i32) (result i32)
    (call $read32 (i32.sub (global.get $uart) (i32.const 4))))
  ;; trap 11
  (func (export "attack_mmio_wrapping") (param $b i32) (param $p i32) (result i32)
    (call $read32 (i32.add (i32.const 0xfffffffc) (i32.shr_u (local.get $b) (i32.const 24)))))

  ;; ---- unbounded recursion ----
  (func $deep (param $n i32) (result i32)
    (i32.add (call $deep (i32.add (local.get $n) (i32.const 1))) (i32.const 1)))
  (func $deep_indirect (type $unary)
    (i32.add (call_indirect $t3 (type $unary) (i32.add (local.get 0) (i32.const 1)) (i32.const 0)) (i32.const 1)))
  ;; Eight i64 values live across the call: a big frame per level.
  (func $deep_wide (param $n i32) (result i64)
    (local $x0 i64) (local $x1 i64) (local $x2 i64) (local $x3 i64)
    (local $x4 i64) (local $x5 i64) (local $x6 i64) (local $x7 i64)
    (local.set $x0 (i64.load (i32.const 0)))
    (local.set $x1 (i64.load (i32.const 8)))
    (local.set $x2 (i64.load (i32.const 16)))
    (local.set $x3 (i64.load (i32.const 24)))
    (local.set $x4 (i64.load (i32.const 32)))
    (local.set $x5 (i64.load (i32.const 40)))
    (local.set $x6 (i64.load (i32.const 48)))
    (local.set $x7 (i64.load (i32.const 56)))
    (i64.add (call $deep_wide (i32.add (local.get $n) (i32.const 1)))
      (i64.mul (i64.add (i64.add (local.get $x0) (local.get $x1)) (i64.add (local.get $x2) (local.get $x3)))
               (i64.add (i64.add (local.get $x4) (local.get $x5)) (i64.add (local.get $x6) (local.get $x7))))))
  ;; trap 9
  (func (export "attack_recursion") (param $b i32) (param $p i32) (result i32)
    (call $deep (i32.const 0)))
  ;; trap 9
  (func (export "attack_recursion_indirect") (param $b i32) (param $p i32) (result i32)
    (call $deep_indirect (i32.const 0)))
  ;; trap 9
  (func (export "attack_recursion_wide_frames") (param $b i32) (param $p i32) (result i32)
    (i32.wrap_i64 (call $deep_wide (i32.const 0))))

  ;; ---- memory.grow ----
  ;; The last word of memory still reads back what is written there (and is restored).
  (func $last_word_usable (param $b i32) (result i32)
    (local $old i32) (local $ok i32)
    (local.set $old (i32.load (i32.sub (local.get $b) (i32.const 4))))
    (i32.store (i32.sub (local.get $b) (i32.const 4)) (i32.const 0x12345678))
    (local.set $ok (i32.eq (i32.load (i32.sub (local.get $b) (i32.const 4))) (i32.const 0x12345678)))
    (i32.store (i32.sub (local.get $b) (i32.const 4)) (local.get $old))
    (local.get $ok))
  ;; grow's result when memory.size is unchanged and memory usable; else 1000 + size.
  (func $grow_and_verify (param $b i32) (param $delta i32) (result i32)
    (local $r i32)
    (local.set $r (memory.grow (local.get $delta)))
    (if (i32.or (i32.ne (memory.size) (i32.const 1)) (i32.eqz (call $last_word_usable (local.get $b))))
      (then (return (i32.add (i32.const 1000) (memory.size)))))
    (local.get $r))
  ;; value -1
  (func (export "attack_grow_past_physical") (param $b i32) (param $p i32) (result i32)
    (call $grow_and_verify (local.get $b) (i32.add (i32.shr_u (local.get $p) (i32.const 16)) (i32.const 1))))
  ;; value
  (func (export "attack_grow_past_maximum") (param $b i32) (param $p i32) (result i32)
    (call $grow_and_verify (local.get $b) (i32.const 256)))
  ;; value
  (func (export "attack_grow_huge") (param $b i32) (param $p i32) (result i32)
    (call $grow_and_verify (local.get $b) (i32.const -1)))
  ;; value
  (func (export "attack_grow_zero") (param $b i32) (param $p i32) (result i32)
    (call $grow_and_verify (local.get $b) (i32.const 0)))

  ;; ---- bulk memory over the end: trap, and write nothing ----
  ;; trap 4
  (func (export "attack_fill_past_end") (param $b i32) (param $p i32) (result i32)
    (memory.fill (i32.sub (local.get $b) (i32.const 10)) (i32.const 0xa5) (i32.const 20)) (i32.const 0))
  ;; trap 4
  (func (export "attack_fill_wrapping") (param $b i32) (param $p i32) (result i32)
    (memory.fill (i32.const 0xfffffff0) (i32.const 0xa5) (i32.const 0x20)) (i32.const 0))
  ;; trap 4
  (func (export "attack_fill_huge_length") (param $b i32) (param $p i32) (result i32)
    (memory.fill (i32.const 16) (i32.const 0xa5) (i32.const 0xfffffff8)) (i32.const 0))
  ;; value
  (func (export "attack_fill_empty_at_end") (param $b i32) (param $p i32) (result i32)
    (memory.fill (local.get $b) (i32.const 0xa5) (i32.const 0)) (i32.const 0))
  ;; trap 4
  (func (export "attack_fill_empty_past_end") (param $b i32) (param $p i32) (result i32)
    (memory.fill (i32.add (local.get $b) (i32.const 1)) (i32.const 0xa5) (i32.const 0)) (i32.const 0))
  ;; trap 4
  (func (export "attack_copy_dst_past_end") (param $b i32) (param $p i32) (result i32)
    (memory.copy (i32.sub (local.get $b) (i32.const 10)) (i32.const 0) (i32.const 20)) (i32.const 0))
  ;; trap 4
  (func (export "attack_copy_src_past_end") (param $b i32) (param $p i32) (result i32)
    (memory.copy (i32.const 0) (i32.sub (local.get $b) (i32.const 10)) (i32.const 20)) (i32.const 0))
  ;; trap 4
  (func (export "attack_copy_src_wrapping") (param $b i32) (param $p i32) (result i32)
    (memory.copy (i32.const 0) (i32.const 0xfffffff0) (i32.const 0x20)) (i32.const 0))
  ;; trap 4
  (func (export "attack_copy_dst_wrapping") (param $b i32) (param $p i32) (result i32)
    (memory.copy (i32.const 0xfffffff0) (i32.const 0) (i32.const 0x20)) (i32.const 0))
  ;; value
  (func (export "attack_copy_last_bytes") (param $b i32) (param $p i32) (result i32)
    (memory.copy (i32.sub (local.get $b) (i32.const 16)) (i32.sub (local.get $b) (i32.const 16)) (i32.const 16)) (i32.const 0))
  ;; trap 4
  (func (export "attack_copy_empty_past_end") (param $b i32) (param $p i32) (result i32)
    (memory.copy (i32.add (local.get $b) (i32.const 1)) (i32.const 0) (i32.const 0)) (i32.const 0))
  ;; trap 4
  (func (export "attack_init_past_end") (param $b i32) (param $p i32) (result i32)
    (memory.init $a5 (i32.sub (local.get $b) (i32.const 2)) (i32.const 0) (i32.const 4)) (i32.const 0))
  ;; trap 4
  (func (export "attack_init_past_segment") (param $b i32) (param $p i32) (result i32)
    (memory.init $a5 (i32.const 0) (i32.const 4) (i32.const 8)) (i32.const 0))
  ;; trap 4
  (func (export "attack_init_wrapping") (param $b i32) (param $p i32) (result i32)
    (memory.init $a5 (i32.const 0xfffffffe) (i32.const 0) (i32.const 4)) (i32.const 0))
  ;; value
  (func (export "attack_init_empty_at_end") (param $b i32) (param $p i32) (result i32)
    (memory.init $a5 (local.get $b) (i32.const 8) (i32.const 0)) (i32.const 0))
  ;; trap 4
  (func (export "attack_init_dropped") (param $b i32) (param $p i32) (result i32)
    (data.drop $dropped)
    (memory.init $dropped (i32.const 0) (i32.const 0) (i32.const 1)) (i32.const 0))

  ;; ---- the same in the victim, whose memory is not the primary one ----
  ;; trap 4
  (func (export "attack_victim_fill_past_end") (param $b i32) (param $p i32) (result i32)
    (call $victim_fill_past_end))
  ;; trap 4
  (func (export "attack_victim_copy_past_end") (param $b i32) (param $p i32) (result i32)
    (call $victim_copy_past_end))
  ;; trap 4
  (func (export "attack_victim_init_past_end") (param $b i32) (param $p i32) (result i32)
    (call $victim_init_past_end))
  ;; value -1
  (func (export "attack_victim_grow") (param $b i32) (param $p i32) (result i32)
    (call $victim_grow))
  ;; value 1
  (func (export "attack_victim_fill_and_copy_inside") (param $b i32) (param $p i32) (result i32)
    (call $victim_fill_and_copy_inside))
  ;; value 1
  (func (export "attack_victim_init_inside") (param $b i32) (param $p i32) (result i32)
    (call $victim_init_inside))

  ;; value 21
  (func (export "attack_victim_wasi_past_end") (param $b i32) (param $p i32) (result i32)
    (call $victim_wasi_past_end))
  ;; value 1
  (func (export "attack_victim_wasi_inside") (param $b i32) (param $p i32) (result i32)
    (call $victim_wasi_inside))

  ;; ---- bulk table operations over the end ----
  ;; trap 10
  (func (export "attack_table_copy_dst_past_end") (param $b i32) (param $p i32) (result i32)
    (table.copy $t $t (i32.const 2) (i32.const 0) (i32.const 3)) (i32.const 0))
  ;; trap 10
  (func (export "attack_table_copy_src_past_end") (param $b i32) (param $p i32) (result i32)
    (table.copy $t $t (i32.const 0) (i32.const 2) (i32.const 3)) (i32.const 0))
  ;; trap 10
  (func (export "attack_table_copy_wrapping") (param $b i32) (param $p i32) (result i32)
    (table.copy $t $t (i32.const -1) (i32.const 0) (i32.const 2)) (i32.const 0))
  ;; trap 10
  (func (export "attack_table_init_past_end") (param $b i32) (param $p i32) (result i32)
    (table.init $t $pe (i32.const 3) (i32.const 0) (i32.const 2)) (i32.const 0))
  ;; trap 10
  (func (export "attack_table_init_past_segment") (param $b i32) (param $p i32) (result i32)
    (table.init $t $pe (i32.const 0) (i32.const 1) (i32.const 4)) (i32.const 0))
  ;; trap 10
  (func (export "attack_table_fill_past_end") (param $b i32) (param $p i32) (result i32)
    (table.fill $t (i32.const 3) (ref.null func) (i32.const 2)) (i32.const 0))
  ;; trap 10
  (func (export "attack_table_set_past_end") (param $b i32) (param $p i32) (result i32)
    (table.set $t (i32.const 4) (ref.null func)) (i32.const 0))
  ;; trap 10
  (func (export "attack_table_get_past_end") (param $b i32) (param $p i32) (result i32)
    (ref.is_null (table.get $t (i32.const 4))))
  ;; value
  (func (export "attack_table_grow_past_maximum") (param $b i32) (param $p i32) (result i32)
    (table.grow $t (ref.null func) (i32.const 5)))
  ;; value
  (func (export "attack_table_grow_huge") (param $b i32) (param $p i32) (result i32)
    (table.grow $t (ref.null func) (i32.const -1)))

  ;; @memory-access-matrix
  ;; @rogue
)
