/* libdl.so stub (NDK-style): <dlfcn.h>. */
typedef struct {
    const char *dli_fname;
    void *dli_fbase;
    const char *dli_sname;
    void *dli_saddr;
} Dl_info;

void *dlopen(const char *filename, int flags) { (void)filename; (void)flags; return 0; }
void *dlsym(void *handle, const char *symbol) { (void)handle; (void)symbol; return 0; }
int dlclose(void *handle) { (void)handle; return 0; }
char *dlerror(void) { return 0; }
int dladdr(const void *addr, Dl_info *info) { (void)addr; (void)info; return 0; }
