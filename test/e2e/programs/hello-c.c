// A wasi-libc hello world built by clang: puts goes through wasi-libc's stdio (FILE
// vtables called through call_indirect) down to fd_write.
// exit: 0
#include <stdio.h>

int main(void) {
    puts("Hello from C on a microcontroller!");
    return 0;
}
