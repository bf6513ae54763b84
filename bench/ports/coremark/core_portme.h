/* CoreMark port for the benchmark harness: configuration and types.
 *
 * Integer-only (HAS_FLOAT 0), no libc stdio (ee_printf is ours, ee_printf.c here), the data
 * block on the stack (MEM_STACK), seeds from volatiles (SEED_VOLATILE) so the compiler
 * cannot fold them. ITERATIONS comes from the harness (-DITERATIONS=n). The same port is
 * compiled natively and into the Wasm module; only the console differs (bench_console_write:
 * semihosting natively, WASI fd_write in Wasm). */
#ifndef CORE_PORTME_H
#define CORE_PORTME_H

#include <stddef.h>

#define HAS_FLOAT 0
#define HAS_TIME_H 0
#define USE_CLOCK 0
#define HAS_STDIO 0
#define HAS_PRINTF 0
#define SEED_METHOD SEED_VOLATILE
#define MEM_METHOD MEM_STACK
#define MULTITHREAD 1
#define MAIN_HAS_NOARGC 0
#define MAIN_HAS_NORETURN 0
#define MEM_LOCATION "STACK"

#ifndef COMPILER_VERSION
#ifdef __clang__
#define COMPILER_VERSION "clang " __clang_version__
#else
#define COMPILER_VERSION "GCC " __VERSION__
#endif
#endif
#ifndef COMPILER_FLAGS
#define COMPILER_FLAGS "(see bench/RESULTS.md)"
#endif

typedef signed short ee_s16;
typedef unsigned short ee_u16;
typedef signed int ee_s32;
typedef unsigned char ee_u8;
typedef unsigned int ee_u32;
typedef ee_u32 ee_ptr_int;
typedef size_t ee_size_t;
/* Never used with HAS_FLOAT 0 and MATDAT_INT 1, but coremark.h names the type. */
typedef float ee_f32;

/* Rounds a pointer up to the next 32-bit boundary (the matrix benchmark's inputs). */
#define align_mem(x) (void *)(4 + (((ee_ptr_int)(x)-1) & ~3))

#define CORETIMETYPE ee_u32
typedef ee_u32 CORE_TICKS;

extern ee_u32 default_num_contexts;

typedef struct CORE_PORTABLE_S {
  ee_u8 portable_id;
} core_portable;

void portable_init(core_portable *p, int *argc, char *argv[]);
void portable_fini(core_portable *p);

#if !defined(PROFILE_RUN) && !defined(PERFORMANCE_RUN) && !defined(VALIDATION_RUN)
#if (TOTAL_DATA_SIZE == 1200)
#define PROFILE_RUN 1
#elif (TOTAL_DATA_SIZE == 2000)
#define PERFORMANCE_RUN 1
#else
#define VALIDATION_RUN 1
#endif
#endif

int ee_printf(const char *fmt, ...);

#endif
