/* A guest with no C library, as bionic-free as a test can get on a Debian machine: glibc's own
 * startup makes calls Android forbids apps (set_robust_list, access), so a glibc program cannot
 * show what an app under Android's seccomp policy may and may not do. Built with
 *   cc -static -nostdlib -ffreestanding -fno-stack-protector -O policy.c
 * Usage: policy allowed | policy CALL | policy catch CALL, where CALL is setuid, access or swapon.
 *   allowed  makes calls Android allows apps (openat, through the bridge; getpid; write): "ok".
 *   CALL     makes that call, which Android forbids apps: the process dies of SIGSYS.
 *   catch    the same with a SIGSYS handler, which prints what the kernel reports
 *            ("SIGSYS code=1 syscall=105 arch=c000003e") and exits 0, as debuggerd would see it. */

typedef unsigned long u64;

static long sys(long n, long a, long b, long c, long d) {
    long ret;
    register long r10 __asm__("r10") = d;
    __asm__ volatile("syscall" : "=a"(ret) : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10)
                     : "rcx", "r11", "memory");
    return ret;
}

enum { NR_write = 1, NR_rt_sigaction = 13, NR_rt_sigreturn = 15, NR_access = 21, NR_getpid = 39,
       NR_exit_group = 231, NR_openat = 257, NR_setuid = 105, NR_swapon = 167, NR_getuid = 102 };

static long length(const char *s) { long n = 0; while (s[n]) n++; return n; }
static void say(const char *s) { sys(NR_write, 1, (long)s, length(s), 0); }
static void quit(int code) { for (;;) sys(NR_exit_group, code, 0, 0, 0); }
static int same(const char *a, const char *b) {
    while (*a && *a == *b) a++, b++;
    return *a == *b;
}
static void hex(char *out, u64 value, int digits) {
    for (int i = digits - 1; i >= 0; i--, value >>= 4) out[i] = "0123456789abcdef"[value & 15];
}
static void decimal(char *out, long value, int digits) {
    for (int i = digits - 1; i >= 0; i--, value /= 10) out[i] = (char)('0' + value % 10);
}

/* struct siginfo for SIGSYS: si_signo, si_errno, si_code, then _call_addr at 16, _syscall at
 * 24, _arch at 28. */
static void on_sigsys(int sig, void *info, void *context) {
    (void)sig; (void)context;
    const int *words = info;
    char line[] = "SIGSYS code=0 syscall=000 arch=00000000\n";
    decimal(line + 12, words[2], 1);
    decimal(line + 22, *(const int *)((const char *)info + 24), 3);
    hex(line + 31, *(const unsigned *)((const char *)info + 28), 8);
    say(line);
    quit(0);
}

__asm__(".text\n.global restore\nrestore:\n mov $15, %eax\n syscall\n");
void restore(void);

struct kernel_sigaction { void *handler; u64 flags; void (*restorer)(void); u64 mask; };

static void call(const char *name) {
    if (same(name, "setuid")) sys(NR_setuid, sys(NR_getuid, 0, 0, 0, 0), 0, 0, 0);
    else if (same(name, "access")) sys(NR_access, (long)".", 0, 0, 0);
    else if (same(name, "swapon")) sys(NR_swapon, (long)"/swap", 0, 0, 0);
    else { say("unknown call\n"); quit(2); }
    say("survived\n");
    quit(1);
}

void entry(long *stack) {
    long argc = stack[0];
    char **argv = (char **)(stack + 1);
    if (argc == 2 && same(argv[1], "allowed")) {
        long fd = sys(NR_openat, -100, (long)".", 0x10000 /* O_DIRECTORY */, 0);
        if (fd < 0 || sys(NR_getpid, 0, 0, 0, 0) != 1) { say("failed\n"); quit(1); }
        say("ok\n");
        quit(0);
    }
    if (argc == 2) call(argv[1]);
    if (argc == 3 && same(argv[1], "catch")) {
        struct kernel_sigaction action = { (void *)on_sigsys, 0x04000000 | 4 /* SA_RESTORER | SA_SIGINFO */,
                                           restore, 0 };
        if (sys(NR_rt_sigaction, 31 /* SIGSYS */, (long)&action, 0, 8) != 0) { say("sigaction\n"); quit(1); }
        call(argv[2]);
    }
    say("usage: policy allowed | policy CALL | policy catch CALL\n");
    quit(2);
}

__asm__(".text\n.global _start\n_start:\n mov %rsp, %rdi\n and $-16, %rsp\n call entry\n hlt\n");
