  ;; The control run's attacks (sandbox.test.ts), spliced into attacker.wat at `;; @rogue`:
  ;; with all of RAM granted to the HAL (a deliberately broken sandbox), each damages one
  ;; thing the checks after every attack watch, and must be seen. Damage accumulates.
  ;; value 0
  (func (export "attack_rogue_stack_canary") (param $b i32) (param $p i32) (result i32)
    (call $write32 (i32.add (i32.const 0x20000000) (i32.shr_u (local.get $b) (i32.const 24))) (i32.const 0xa5a5a5a5))
    (i32.const 0))
  ;; value 0
  (func (export "attack_rogue_memory_context") (param $b i32) (param $p i32) (result i32)
    (call $write32 (i32.sub (global.get $memory_base) (i32.const 8)) (i32.const 0x1000))
    (i32.const 0))
  ;; value 0
  (func (export "attack_rogue_past_bound") (param $b i32) (param $p i32) (result i32)
    (call $write8 (i32.add (global.get $memory_base) (local.get $b)) (i32.const 0xa5))
    (i32.const 0))
  ;; value 0
  (func (export "attack_rogue_victim_memory") (param $b i32) (param $p i32) (result i32)
    (call $write8 (i32.add (global.get $victim_memory) (i32.const 5)) (i32.const 0xa5))
    (i32.const 0))
  ;; value 0
  (func (export "attack_rogue_own_memory") (param $b i32) (param $p i32) (result i32)
    (i32.store8 (i32.const 100) (i32.const 0xa5))
    (i32.const 0))
  ;; value 0
  (func (export "attack_rogue_table") (param $b i32) (param $p i32) (result i32)
    (table.set $t (i32.const 0) (ref.func $f11))
    (i32.const 0))
