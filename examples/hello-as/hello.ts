// Hello world in AssemblyScript. `mcu-aot build` compiles it through AssemblyScript's
// compiler (runtime "stub": a bump allocator, no garbage collector), then ahead of time to
// Thumb-2. mcu-aot's runtime calls the exported _start; returning from it exits with code 0.
import { print } from "./console";

export function _start(): void {
  print("Hello from AssemblyScript on a microcontroller!\n");
  for (let i = 1; i <= 3; i++) {
    print(`${i} squared is ${i * i}\n`);
  }
}
