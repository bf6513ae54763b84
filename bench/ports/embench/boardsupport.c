/* Embench board port for the benchmark harness: support/board.c includes this file.
 *
 * start_trigger/stop_trigger bracket the timed call to benchmark(). The harness finds
 * their entry addresses in the firmware and counts the instructions executed from one to
 * the other (bench/qemu-plugin/insncount.c), so they must stay real, distinct functions:
 * each stores a different value to a volatile marker, which keeps gcc's identical-code
 * folding from merging them and any compiler from dropping the calls. The same file is
 * compiled natively and into the Wasm module (clang wasm32). */
#include "support.h"

static volatile int timed_region_marker;

void initialise_board(void) { timed_region_marker = 0; }

__attribute__((noinline)) void start_trigger(void) { timed_region_marker = 1; }

__attribute__((noinline)) void stop_trigger(void) { timed_region_marker = 2; }
