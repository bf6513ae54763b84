/* uart-echo on the MPS2 AN385 (and AN386): its CMSDK UART driver, then the board-independent
 * program. */
#include "../cmsdk_uart.h"
#include "../echo.c"
