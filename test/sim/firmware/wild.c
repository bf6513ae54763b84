/* A jump into the System region (eXecute Never): the instruction fetch faults
 * (MemManage, escalated to HardFault: the configurable faults are disabled). */
#include "harness.h"
int main(void) {
  puts_("jumping\n");
  void (*volatile f)(void) = (void (*)(void))0xf0000001u;
  f();
  return 0;
}
