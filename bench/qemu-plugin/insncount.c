/* insncount: counts the guest instructions executed between two code addresses.
 *
 *   qemu-system-arm ... -d plugin -plugin libinsncount.so,start=0x<pc>,stop=0x<pc>
 *
 * A region begins when the instruction at `start` is about to execute and ends when the
 * instruction at `stop` is about to execute; it counts every instruction in between,
 * including the one at `start`, excluding the one at `stop`. The harness passes the entry
 * addresses of the benchmark's start/stop trigger functions, so a region is "call the
 * benchmark and return". At each region's end the plugin logs
 *     insncount: region <n> <instructions>
 * and at exit `insncount: total <instructions>` (the whole run).
 *
 * How it counts without a callback per instruction: every translation block adds its
 * length to `executed` inline when it starts, so while an instruction at index k of an
 * n-instruction block runs, `executed` already includes the whole block and the number of
 * instructions before it is `executed - n + k`. The start and stop instructions get a
 * callback that records that number; their udata carries `n - k`. QEMU takes interrupts
 * only between blocks, and the benchmark region raises none, so the count is exact and the
 * same on every run. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qemu-plugin-api.h"

QEMU_PLUGIN_EXPORT int qemu_plugin_version = QEMU_PLUGIN_VERSION;

/* Plugin state lives for the whole QEMU process; the API gives no context pointer to the
 * inline counter, so these are file-level. The guest is single-core (-smp 1). */
static uint64_t executed;
static uint64_t start_pc = UINT64_MAX;
static uint64_t stop_pc = UINT64_MAX;
static uint64_t region_begin;
static bool in_region;
static unsigned regions;

static uint64_t executed_before(void *remaining_in_block) { return executed - (uint64_t)(uintptr_t)remaining_in_block; }

static void on_start(unsigned int vcpu_index, void *udata) {
  (void)vcpu_index;
  if (in_region) return; /* re-entering start inside a region: keep the outer region */
  region_begin = executed_before(udata);
  in_region = true;
}

static void on_stop(unsigned int vcpu_index, void *udata) {
  (void)vcpu_index;
  if (!in_region) return;
  char line[96];
  regions++;
  snprintf(line, sizeof line, "insncount: region %u %" PRIu64 "\n", regions, executed_before(udata) - region_begin);
  qemu_plugin_outs(line);
  in_region = false;
}

static void on_translate(qemu_plugin_id_t id, struct qemu_plugin_tb *tb) {
  (void)id;
  size_t n = qemu_plugin_tb_n_insns(tb);
  qemu_plugin_register_vcpu_tb_exec_inline(tb, QEMU_PLUGIN_INLINE_ADD_U64, &executed, n);
  for (size_t k = 0; k < n; k++) {
    struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, k);
    uint64_t pc = qemu_plugin_insn_vaddr(insn);
    void *remaining = (void *)(uintptr_t)(n - k);
    if (pc == start_pc) qemu_plugin_register_vcpu_insn_exec_cb(insn, on_start, QEMU_PLUGIN_CB_NO_REGS, remaining);
    if (pc == stop_pc) qemu_plugin_register_vcpu_insn_exec_cb(insn, on_stop, QEMU_PLUGIN_CB_NO_REGS, remaining);
  }
}

static void on_qemu_exit(qemu_plugin_id_t id, void *udata) {
  (void)id;
  (void)udata;
  char line[64];
  snprintf(line, sizeof line, "insncount: total %" PRIu64 "\n", executed);
  qemu_plugin_outs(line);
}

/* Parses "name=0x<hex>" into *out; false when the argument is another option or malformed. */
static bool parse_address(const char *arg, const char *name, uint64_t *out) {
  size_t len = strlen(name);
  if (strncmp(arg, name, len) != 0 || arg[len] != '=') return false;
  char *end;
  *out = strtoull(arg + len + 1, &end, 0);
  return *end == '\0' && end != arg + len + 1;
}

QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info, int argc, char **argv) {
  (void)info;
  for (int i = 0; i < argc; i++) {
    if (!parse_address(argv[i], "start", &start_pc) && !parse_address(argv[i], "stop", &stop_pc)) {
      fprintf(stderr, "insncount: unknown argument '%s' (expected start=0x<pc>,stop=0x<pc>)\n", argv[i]);
      return -1;
    }
  }
  /* Thumb code: QEMU reports instruction addresses without the interworking bit. */
  start_pc &= ~(uint64_t)1;
  stop_pc &= ~(uint64_t)1;
  qemu_plugin_register_vcpu_tb_trans_cb(id, on_translate);
  qemu_plugin_register_atexit_cb(id, on_qemu_exit, NULL);
  return 0;
}
