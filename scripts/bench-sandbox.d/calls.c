/* scripts/bench-sandbox's timing program, built static (`cc -static -O2`) so that it runs the
 * same everywhere it is started: natively, in hc-sandbox, under proot and in gVisor.
 *
 *   calls N   ns per call, over N calls each, of: getppid (passed), uname (translated, answered
 *             by the supervisor), stat and open+close of a file in the working directory
 *             (served by vfs), and a 4 KiB pread (passed; fd I/O).
 *   floor N   the floor those are measured against: ns per bare seccomp user-notification round
 *             trip, a getppid notified to a supervisor thread of this process that answers at
 *             once, with SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP when the kernel has it. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#ifndef SECCOMP_IOCTL_NOTIF_SET_FLAGS
#define SECCOMP_IOCTL_NOTIF_SET_FLAGS SECCOMP_IOW(4, __u64)
#endif

static double now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e9 + t.tv_nsec;
}

static int listener = -1;

static void *answer(void *unused) {
    (void)unused;
    unsigned long long flags = 1; /* SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP */
    ioctl(listener, SECCOMP_IOCTL_NOTIF_SET_FLAGS, flags);
    for (;;) {
        struct seccomp_notif req;
        memset(&req, 0, sizeof req);
        if (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, &req) != 0) {
            if (errno == EINTR || errno == ENOENT) continue;
            return NULL;
        }
        struct seccomp_notif_resp resp = {.id = req.id, .val = 0, .error = 0, .flags = 0};
        ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &resp);
    }
}

static int floor_mode(long n) {
    struct sock_filter code[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getppid, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    struct sock_fprog program = {.len = 4, .filter = code};
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return perror("no_new_privs"), 1;
    listener = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER, &program);
    if (listener < 0) return perror("seccomp"), 1;
    pthread_t thread;
    if (pthread_create(&thread, NULL, answer, NULL) != 0) return 1;
    for (int i = 0; i < 1000; i++) syscall(SYS_getppid); /* warm up */
    double start = now_ns();
    for (long i = 0; i < n; i++) syscall(SYS_getppid);
    printf("floor %.0f\n", (now_ns() - start) / n);
    return 0;
}

static int calls_mode(long n) {
    char block[4096];
    memset(block, 'x', sizeof block);
    int fd = open("probe.bin", O_CREAT | O_TRUNC | O_RDWR | O_CLOEXEC, 0644);
    if (fd < 0) return perror("probe.bin"), 1;
    for (int i = 0; i < 16; i++)
        if (write(fd, block, sizeof block) != sizeof block) return perror("write"), 1;
    struct utsname u;
    struct stat st;
    double start = now_ns();
    for (long i = 0; i < n; i++) syscall(SYS_getppid);
    printf("getppid %.0f\n", (now_ns() - start) / n);
    start = now_ns();
    for (long i = 0; i < n; i++) uname(&u);
    printf("uname %.0f\n", (now_ns() - start) / n);
    start = now_ns();
    for (long i = 0; i < n; i++)
        if (stat("probe.bin", &st) != 0) return perror("stat"), 1;
    printf("stat %.0f\n", (now_ns() - start) / n);
    start = now_ns();
    for (long i = 0; i < n; i++) {
        int probe = open("probe.bin", O_RDONLY | O_CLOEXEC);
        if (probe < 0) return perror("open"), 1;
        close(probe);
    }
    printf("open+close %.0f\n", (now_ns() - start) / n);
    start = now_ns();
    for (long i = 0; i < n; i++)
        if (pread(fd, block, sizeof block, (i % 16) * 4096) != sizeof block) return perror("pread"), 1;
    printf("read-4k %.0f\n", (now_ns() - start) / n);
    close(fd);
    unlink("probe.bin");
    return 0;
}

int main(int argc, char **argv) {
    long n = argc > 2 ? atol(argv[2]) : 100000;
    if (argc > 1 && !strcmp(argv[1], "floor")) return floor_mode(n);
    if (argc > 1 && !strcmp(argv[1], "calls")) return calls_mode(n);
    fprintf(stderr, "usage: calls floor|calls [N]\n");
    return 2;
}
