/*
 * libcutils.so stub: a few of the platform library's real C exports
 * (<cutils/properties.h>, <cutils/trace.h>, <cutils/ashmem.h>). libcutils is
 * not an NDK library; apps that link it depend on a private platform library.
 */
typedef __SIZE_TYPE__ size_t;
typedef signed char int8_t;
typedef int int32_t;
typedef long long int64_t;
typedef unsigned long long uint64_t;

#define PROPERTY_VALUE_MAX 92

int property_get(const char *key, char *value, const char *default_value) { (void)key; (void)default_value; if (value) value[0] = 0; return 0; }
int property_set(const char *key, const char *value) { (void)key; (void)value; return 0; }
int8_t property_get_bool(const char *key, int8_t default_value) { (void)key; return default_value; }
int32_t property_get_int32(const char *key, int32_t default_value) { (void)key; return default_value; }
int64_t property_get_int64(const char *key, int64_t default_value) { (void)key; return default_value; }

void atrace_setup(void) { }
void atrace_update_tags(void) { }
void atrace_begin_body(const char *name) { (void)name; }
void atrace_end_body(void) { }
void atrace_int_body(const char *name, int32_t value) { (void)name; (void)value; }
uint64_t atrace_enabled_tags;
int atrace_is_ready;

int ashmem_create_region(const char *name, size_t size) { (void)name; (void)size; return -1; }
int ashmem_set_prot_region(int fd, int prot) { (void)fd; (void)prot; return 0; }
int ashmem_get_size_region(int fd) { (void)fd; return 0; }
