/* uart-echo on the lm3s6965: its PL011 UART driver, then the board-independent program. */
#include "../pl011.h"
#include "../echo.c"
