// A SysTick-driven timer in AssemblyScript. runtime-c programs SysTick to interrupt every
// millisecond; mcu-aot.toml binds that interrupt to the exported on_tick, which counts.
// The main loop sleeps in wait-for-interrupt (the HAL's wfi), prints a line every
// REPORT_EVERY ticks and exits after REPORTS lines.
import { interrupts_disable, interrupts_enable, wait_for_interrupt } from "../../lib/assemblyscript/mcu";
import { print } from "./console";

const REPORT_EVERY: u32 = 100; // ticks, that is milliseconds
const REPORTS: u32 = 5;

// Written by the handler, read by the main loop. A Wasm global: the main loop reads it again
// after every call (a call, here the wfi, may change any global).
let ticks: u32 = 0;

/** Bound to SysTick in mcu-aot.toml [interrupts]: runs every millisecond. */
export function on_tick(): void {
  ticks++;
}

/** Sleeps until the tick count reaches `target`. */
function sleepUntil(target: u32): void {
  // Check and sleep with interrupts masked, so a tick between the check and the wfi cannot
  // be missed; wfi wakes on the pending tick anyway, and unmasking lets on_tick run.
  interrupts_disable();
  while (ticks < target) {
    wait_for_interrupt();
    interrupts_enable();
    interrupts_disable();
  }
  interrupts_enable();
}

export function _start(): void {
  print("systick-timer: a line every " + REPORT_EVERY.toString() + " ms\n");
  const start = ticks;
  for (let report: u32 = 1; report <= REPORTS; report++) {
    const due = report * REPORT_EVERY;
    sleepUntil(start + due);
    print("tick " + due.toString() + "\n");
  }
  print("done\n");
}
