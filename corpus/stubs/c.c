/*
 * libc.so stub (NDK-style): the bionic functions the corpus' native code
 * imports. Bodies are trivial; only the exported symbols matter.
 */
typedef __SIZE_TYPE__ size_t;
typedef __builtin_va_list va_list;
typedef int pid_t;

size_t strlen(const char *s) { (void)s; return 0; }
int strcmp(const char *a, const char *b) { (void)a; (void)b; return 0; }
int strncmp(const char *a, const char *b, size_t n) { (void)a; (void)b; (void)n; return 0; }
char *strncpy(char *dst, const char *src, size_t n) { (void)src; (void)n; return dst; }
char *strchr(const char *s, int c) { (void)s; (void)c; return 0; }
void *memset(void *s, int c, size_t n) { (void)c; (void)n; return s; }
void *memcpy(void *dst, const void *src, size_t n) { (void)src; (void)n; return dst; }
int memcmp(const void *a, const void *b, size_t n) { (void)a; (void)b; (void)n; return 0; }
int snprintf(char *buf, size_t size, const char *fmt, ...) { (void)buf; (void)size; (void)fmt; return 0; }
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap) { (void)buf; (void)size; (void)fmt; (void)ap; return 0; }
int sprintf(char *buf, const char *fmt, ...) { (void)buf; (void)fmt; return 0; }
int printf(const char *fmt, ...) { (void)fmt; return 0; }
int atoi(const char *s) { (void)s; return 0; }
long strtol(const char *s, char **end, int base) { (void)s; (void)end; (void)base; return 0; }
void *malloc(size_t n) { (void)n; return 0; }
void *calloc(size_t n, size_t m) { (void)n; (void)m; return 0; }
void *realloc(void *p, size_t n) { (void)p; (void)n; return 0; }
void free(void *p) { (void)p; }
char *getenv(const char *name) { (void)name; return 0; }
void abort(void) { for (;;) { } }
void exit(int status) { (void)status; for (;;) { } }
pid_t getpid(void) { return 0; }
pid_t gettid(void) { return 0; }
pid_t getppid(void) { return 0; }
long syscall(long number, ...) { (void)number; return 0; }
int *__errno(void) { return 0; }
int open(const char *path, int flags, ...) { (void)path; (void)flags; return -1; }
int close(int fd) { (void)fd; return 0; }
long read(int fd, void *buf, size_t n) { (void)fd; (void)buf; (void)n; return 0; }
long write(int fd, const void *buf, size_t n) { (void)fd; (void)buf; (void)n; return 0; }
int __system_property_get(const char *name, char *value) { (void)name; if (value) value[0] = 0; return 0; }
int __cxa_atexit(void (*fn)(void *), void *arg, void *dso) { (void)fn; (void)arg; (void)dso; return 0; }
void __cxa_finalize(void *dso) { (void)dso; }
void __stack_chk_fail(void) { for (;;) { } }
unsigned long __stack_chk_guard;
