/* liblog.so stub (NDK-style): <android/log.h>. */
typedef __builtin_va_list va_list;

int __android_log_write(int prio, const char *tag, const char *text) { (void)prio; (void)tag; (void)text; return 0; }
int __android_log_print(int prio, const char *tag, const char *fmt, ...) { (void)prio; (void)tag; (void)fmt; return 0; }
int __android_log_vprint(int prio, const char *tag, const char *fmt, va_list ap) { (void)prio; (void)tag; (void)fmt; (void)ap; return 0; }
void __android_log_assert(const char *cond, const char *tag, const char *fmt, ...) { (void)cond; (void)tag; (void)fmt; for (;;) { } }
int __android_log_buf_write(int buf_id, int prio, const char *tag, const char *text) { (void)buf_id; (void)prio; (void)tag; (void)text; return 0; }
int __android_log_is_loggable(int prio, const char *tag, int default_prio) { (void)prio; (void)tag; (void)default_prio; return 0; }
