void putch(char c);
void puts_(const char *s);
void put_u64(unsigned long long v);
void put_i64(long long v);
void put_hex(unsigned v);
__attribute__((noreturn)) void exit_(int code);
