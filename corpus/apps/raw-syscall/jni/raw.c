/*
 * libraw.so: issues Linux system calls directly with inline assembly
 * (svc / syscall instructions) instead of going through bionic, the way
 * anti-tamper and root-detection code does. One call uses a constant
 * syscall number (getpid), the other takes the number from Java, so it is
 * only known at run time; a third asks to load a kernel module (init_module),
 * which no app may do, with arguments the kernel rejects (EFAULT/EPERM), so
 * it changes nothing even where it runs. No system headers: see
 * stubs/include/jni_min.h.
 */
#include "jni_min.h"

#if defined(__aarch64__)
#define NR_getpid 172
#define NR_init_module 105
#elif defined(__arm__)
#define NR_getpid 20
#define NR_init_module 128
#elif defined(__x86_64__)
#define NR_getpid 39
#define NR_init_module 175
#else
#error "unsupported ABI"
#endif

/* getpid() with a constant syscall number. */
static long raw_getpid(void)
{
#if defined(__aarch64__)
    register long x8 __asm__("x8") = NR_getpid;
    register long x0 __asm__("x0");
    __asm__ volatile("svc #0" : "=r"(x0) : "r"(x8) : "memory");
    return x0;
#elif defined(__arm__)
    register long r7 __asm__("r7") = NR_getpid;
    register long r0 __asm__("r0");
    __asm__ volatile("svc 0" : "=r"(r0) : "r"(r7) : "memory");
    return r0;
#elif defined(__x86_64__)
    long rax;
    __asm__ volatile("syscall" : "=a"(rax) : "a"((long)NR_getpid) : "rcx", "r11", "memory");
    return rax;
#endif
}

/* init_module(NULL, 0, "") with a constant syscall number: always fails. */
static long raw_init_module(void)
{
    static const char no_params[] = "";
#if defined(__aarch64__)
    register long x8 __asm__("x8") = NR_init_module;
    register long x0 __asm__("x0") = 0;
    register long x1 __asm__("x1") = 0;
    register long x2 __asm__("x2") = (long)no_params;
    __asm__ volatile("svc #0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2) : "memory");
    return x0;
#elif defined(__arm__)
    register long r7 __asm__("r7") = NR_init_module;
    register long r0 __asm__("r0") = 0;
    register long r1 __asm__("r1") = 0;
    register long r2 __asm__("r2") = (long)no_params;
    __asm__ volatile("svc 0" : "+r"(r0) : "r"(r7), "r"(r1), "r"(r2) : "memory");
    return r0;
#elif defined(__x86_64__)
    long rax = NR_init_module;
    register long rdi __asm__("rdi") = 0;
    register long rsi __asm__("rsi") = 0;
    register long rdx __asm__("rdx") = (long)no_params;
    __asm__ volatile("syscall" : "+a"(rax) : "r"(rdi), "r"(rsi), "r"(rdx) : "rcx", "r11", "memory");
    return rax;
#endif
}

/* A three-argument system call whose number is only known at run time. */
__attribute__((noinline)) static long raw_syscall3(long nr, long a0, long a1, long a2)
{
#if defined(__aarch64__)
    register long x8 __asm__("x8") = nr;
    register long x0 __asm__("x0") = a0;
    register long x1 __asm__("x1") = a1;
    register long x2 __asm__("x2") = a2;
    __asm__ volatile("svc #0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2) : "memory");
    return x0;
#elif defined(__arm__)
    register long r7 __asm__("r7") = nr;
    register long r0 __asm__("r0") = a0;
    register long r1 __asm__("r1") = a1;
    register long r2 __asm__("r2") = a2;
    __asm__ volatile("svc 0" : "+r"(r0) : "r"(r7), "r"(r1), "r"(r2) : "memory");
    return r0;
#elif defined(__x86_64__)
    long rax = nr;
    register long rdi __asm__("rdi") = a0;
    register long rsi __asm__("rsi") = a1;
    register long rdx __asm__("rdx") = a2;
    __asm__ volatile("syscall" : "+a"(rax) : "r"(rdi), "r"(rsi), "r"(rdx) : "rcx", "r11", "memory");
    return rax;
#endif
}

JNIEXPORT jint JNICALL
Java_org_hypercompat_corpus_raw_1syscall_MainActivity_nativeGetPid(JNIEnv *env, jobject thiz)
{
    long raw = raw_getpid();
    (void)env;
    (void)thiz;
    /* A hooked libc getpid() disagrees with the kernel: report it negated. */
    if (raw != (long)getpid())
        return (jint)-raw;
    return (jint)raw;
}

JNIEXPORT jlong JNICALL
Java_org_hypercompat_corpus_raw_1syscall_MainActivity_nativeSyscall(JNIEnv *env, jobject thiz, jint nr, jlong arg0)
{
    (void)env;
    (void)thiz;
    return (jlong)raw_syscall3((long)nr, (long)arg0, 0, 0);
}

JNIEXPORT jlong JNICALL
Java_org_hypercompat_corpus_raw_1syscall_MainActivity_nativeLoadModule(JNIEnv *env, jobject thiz)
{
    (void)env;
    (void)thiz;
    return (jlong)raw_init_module();
}
