/* The guest program of the sandbox's integration tests (tests/sandbox.rs), built there with
 * `cc -static -O guest.c`: static, so that it needs nothing from the guest tree. One mode per
 * behaviour under test; the first argument names it. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <linux/android/binder.h>
#include <linux/openat2.h>
#include <poll.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/time.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e9 + t.tv_nsec;
}

/* errno of a raw syscall that is expected to fail, or 0 when it succeeded. */
static int fails(long result) { return result == -1 ? errno : 0; }

/* Waits until process `pid` is blocked in system call `nr` (its /proc syscall file names the
 * call it is blocked in); ends this process with status 1 if that never comes. */
static void wait_blocked_in(pid_t pid, long nr) {
    for (long tries = 0;; tries++) {
        char name[64], text[64] = {0};
        snprintf(name, sizeof name, "/proc/%d/syscall", (int)pid);
        int f = open(name, O_RDONLY);
        ssize_t n = f < 0 ? -1 : read(f, text, sizeof text - 1);
        if (f >= 0) close(f);
        if (n > 0 && atol(text) == nr) return;
        if (tries > 10000000) _exit(1);
        sched_yield();
    }
}

/* A postcard String: a varint length (texts here are under 128 bytes), then the bytes. */
static size_t put_string(unsigned char *out, const char *text) {
    size_t length = strlen(text);
    if (length > 127) length = 127;
    out[0] = (unsigned char)length;
    memcpy(out + 1, text, length);
    return length + 1;
}

/* One call on a channel: a 16-byte header (ordinal, txid, flags 0, version 1) and the body;
 * the reply's body replaces `body`, and its one handle, if any, goes to *fd. Returns the reply
 * body's length, or -1 for a failure or an error reply. */
static long call(int channel, unsigned long long ordinal, unsigned txid, unsigned char *body,
                 size_t length, int *fd) {
    unsigned char message[16 + 512];
    memcpy(message, &ordinal, 8);
    memcpy(message + 8, &txid, 4);
    unsigned short flags = 0, version = 1;
    memcpy(message + 12, &flags, 2);
    memcpy(message + 14, &version, 2);
    memcpy(message + 16, body, length);
    if (send(channel, message, 16 + length, 0) != (ssize_t)(16 + length)) return -1;
    union {
        struct cmsghdr header;
        char space[CMSG_SPACE(sizeof(int))];
    } control;
    struct iovec iov = {message, sizeof message};
    struct msghdr reply = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = &control,
                           .msg_controllen = sizeof control};
    ssize_t got = recvmsg(channel, &reply, MSG_CMSG_CLOEXEC);
    if (got < 16) return -1;
    unsigned got_txid;
    memcpy(&got_txid, message + 8, 4);
    memcpy(&flags, message + 12, 2);
    if (got_txid != txid || flags != 1) return -1; /* REPLY, not ERROR */
    struct cmsghdr *header = CMSG_FIRSTHDR(&reply);
    if (fd && header && header->cmsg_type == SCM_RIGHTS) memcpy(fd, CMSG_DATA(header), sizeof(int));
    memcpy(body, message + 16, got - 16);
    return got - 16;
}

int main(int argc, char **argv) {
    const char *mode = argc > 1 ? argv[1] : "";
    if (!strcmp(mode, "uname")) {
        struct utsname u;
        if (uname(&u) != 0) {
            printf("uname failed: %d\n", errno);
            return 1;
        }
        printf("%s|%s|%s|%s|%s\n", u.sysname, u.nodename, u.release, u.version, u.machine);
    } else if (!strcmp(mode, "identity")) {
        printf("pid=%d ppid=%d uid=%d\n", getpid(), getppid(), getuid());
    } else if (!strcmp(mode, "exit") && argc > 2) {
        return atoi(argv[2]);
    } else if (!strcmp(mode, "deny")) {
        printf("init_module=%d kexec_load=%d uselib=%d\n",
               fails(syscall(SYS_init_module, 0, 0, "")),
               fails(syscall(SYS_kexec_load, 0, 0, 0, 0)),
               fails(syscall(SYS_uselib, "/nonexistent")));
    } else if (!strcmp(mode, "env")) {
        extern char **environ;
        for (char **var = environ; *var; var++) puts(*var);
    } else if (!strcmp(mode, "deny-many") && argc > 2) {
        /* A flood of refused calls: keyctl, then a number outside the table. */
        long n = atol(argv[2]), failed = 0;
        for (long i = 0; i < n; i++) {
            failed += syscall(SYS_keyctl, 0, 0, 0, 0, 0) == -1 && errno == EPERM;
            failed += syscall(400) == -1 && errno == ENOSYS;
        }
        printf("failed=%ld\n", failed);
    } else if (!strcmp(mode, "unknown")) {
        /* 400 is in the gap of the x86-64 numbering; 100000 beyond it. */
        printf("400=%d 100000=%d\n", fails(syscall(400)), fails(syscall(100000)));
    } else if (!strcmp(mode, "x32")) {
        /* x32 getpid and read; x86-64 getpid and read pass. */
        printf("x32_getpid=%d x32_read=%d\n", fails(syscall(0x40000000 | SYS_getpid)),
               fails(syscall(0x40000000 | SYS_read, 0, 0, 0)));
    } else if (!strcmp(mode, "i386")) {
        /* getpid through the i386 entry point: another audit arch. */
        long result;
        __asm__ volatile("int $0x80" : "=a"(result) : "a"(20) : "memory");
        printf("i386_getpid=%ld\n", result);
    } else if (!strcmp(mode, "setgroups")) {
        /* An app cannot change its groups: the kernel refuses, the list is never read. */
        gid_t groups[1] = {0};
        printf("setgroups=%d\n", fails(syscall(SYS_setgroups, 1, groups)));
    } else if (!strcmp(mode, "refused")) {
        /* Passed calls with refused arguments: clone with a namespace flag and two prctl
         * options fail; a plain fork and another option run. */
        long child = syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0);
        if (child == 0) _exit(0);
        int newuser = child == -1 ? errno : 0;
        if (child > 0) waitpid(child, NULL, 0);
        long plain = syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0);
        if (plain == 0) _exit(5);
        int status = 0;
        waitpid(plain, &status, 0);
        printf("clone_newuser=%d fork_status=%d capbset_drop=%d set_mm=%d set_name=%d\n",
               newuser, WEXITSTATUS(status), fails(prctl(PR_CAPBSET_DROP, 21, 0, 0, 0)),
               fails(prctl(PR_SET_MM, PR_SET_MM_BRK, 0, 0, 0)),
               fails(prctl(PR_SET_NAME, "guest", 0, 0, 0)));
    } else if (!strcmp(mode, "hold") && argc > 2) {
        /* Tell the test we run, then wait to be killed with the supervisor. */
        int fd = atoi(argv[2]);
        if (write(fd, "ready\n", 6) != 6) return 1;
        for (;;) pause();
    } else if (!strcmp(mode, "binder-parked")) {
        /* A Binder read parked in vfs (no work comes) when vfs dies: it fails with EIO, as a
         * call in flight does, instead of waiting for ever. The child kills vfs (the test's
         * HC_VFS_FAULT_PATH) once the parent is parked. */
        /* In a worker, not in the sandbox's init (pid 1), which no signal of its own ends:
         * its alarm makes a read that is never answered fail the test rather than hang it. */
        pid_t worker = fork();
        if (worker < 0) return 1;
        if (worker > 0) {
            int status;
            waitpid(worker, &status, 0);
            if (WIFSIGNALED(status)) printf("worker killed by signal %d\n", WTERMSIG(status));
            return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
        }
        alarm(60);
        int b = open("/dev/binder", O_RDWR | O_CLOEXEC);
        if (b < 0 || mmap(NULL, 128 * 1024, PROT_READ, MAP_PRIVATE, b, 0) == MAP_FAILED) return 1;
        int zero = 0;
        if (ioctl(b, BINDER_SET_CONTEXT_MGR, &zero) != 0) return 1;
        pid_t parent = getpid();
        pid_t child = fork();
        if (child < 0) return 1;
        if (child == 0) {
            /* The parent blocks in its ioctl: its notification is queued. */
            wait_blocked_in(parent, SYS_ioctl);
            /* Notifications are received in order: once this later call is served, the
             * parent's has been received (parked, or in hand: both fail with EIO). */
            struct stat st;
            if (stat("/", &st) != 0) _exit(1);
            _exit(open("/hc-fault", O_RDONLY) < 0 && errno == EIO ? 0 : 1);
        }
        uint32_t in[32];
        struct binder_write_read bwr = {.read_size = sizeof in, .read_buffer = (uintptr_t)in};
        int parked = ioctl(b, BINDER_WRITE_READ, &bwr) < 0 ? errno : 0;
        int status;
        waitpid(child, &status, 0);
        printf("parked_read=%d fault_open=%s\n", parked,
               WIFEXITED(status) && WEXITSTATUS(status) == 0 ? "EIO" : "other");
    } else if (!strcmp(mode, "fifo")) {
        /* Blocking opens of a FIFO wait for the other end, whichever comes first; the
         * non-blocking ones do not. */
        if (mkfifo("fifo", 0600) != 0) return 1;
        int nonblocking_writer = open("fifo", O_WRONLY | O_NONBLOCK) < 0 ? errno : 0;
        int nonblocking_reader = open("fifo", O_RDONLY | O_NONBLOCK);
        if (nonblocking_reader < 0) return 1;
        close(nonblocking_reader);
        char got[2][16] = {{0}};
        for (int round = 0; round < 2; round++) {
            /* Round 0: the writer (child) opens first; round 1: the reader (parent) does. */
            pid_t parent = getpid();
            pid_t child = fork();
            if (child < 0) return 1;
            if (child == 0) {
                /* Round 1: open only once the parent is in its openat. */
                if (round == 1) wait_blocked_in(parent, SYS_openat);
                int w = open("fifo", O_WRONLY);
                _exit(w >= 0 && write(w, "through", 7) == 7 ? 0 : 1);
            }
            int r = open("fifo", O_RDONLY);
            if (r < 0) return 1;
            ssize_t n = read(r, got[round], sizeof got[round] - 1);
            if (n < 0) return 1;
            int status;
            waitpid(child, &status, 0);
            close(r);
        }
        printf("nonblocking_writer=%d writer_first=%s reader_first=%s\n", nonblocking_writer, got[0], got[1]);
    } else if (!strcmp(mode, "relative")) {
        /* stat of paths relative to the working directory, which vfs resolves in one call
         * through the caller's /proc/<tid>/cwd link: every answer must be the kernel's own,
         * including at the limit of 40 symbolic links in a path (the link vfs goes through
         * must not count against the guest's). */
        struct stat st, root;
        char name[32], target[32];
        if (mkdir("rel", 0755) != 0 || chdir("rel") != 0) return 1;
        int f = open("f", O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
        if (f < 0 || write(f, "abc", 3) != 3) return 1;
        close(f);
        if (symlink("f", "l1") != 0) return 1;
        /* l<n> is n links away from f. */
        for (int i = 2; i <= 41; i++) {
            snprintf(name, sizeof name, "l%d", i);
            snprintf(target, sizeof target, "l%d", i - 1);
            if (symlink(target, name) != 0) return 1;
        }
#define ERRNO_OF(call) ((call) == 0 ? 0 : errno)
        int plain = ERRNO_OF(stat("f", &st));
        long size = plain ? -1 : (long)st.st_size;
        int up = ERRNO_OF(stat("../rel/./f", &st));
        int missing = ERRNO_OF(stat("missing", &st));
        int notdir = ERRNO_OF(stat("f/x", &st));
        int trailing = ERRNO_OF(stat("f/", &st));
        int link = ERRNO_OF(lstat("l1", &st));
        int is_link = !link && S_ISLNK(st.st_mode);
        int deepest = ERRNO_OF(stat("l40", &st));
        int too_deep = ERRNO_OF(stat("l41", &st));
        if (stat("/", &root) != 0) return 1;
        int above = ERRNO_OF(stat("../../../../../../../..", &st));
        int is_root = !above && st.st_ino == root.st_ino && st.st_dev == root.st_dev;
#undef ERRNO_OF
        printf("plain=%d size=%ld up=%d missing=%d notdir=%d trailing=%d lstat=%d is_link=%d l40=%d l41=%d above=%d is_root=%d\n",
               plain, size, up, missing, notdir, trailing, link, is_link, deepest, too_deep, above, is_root);
    } else if (!strcmp(mode, "undumpable")) {
        /* A child that closes itself to other processes of its user, then the program does
         * the same and makes path calls: its own, served, and its sibling's memory, refused
         * whatever the spelling. */
        int ready[2];
        if (pipe(ready) != 0) return 1;
        pid_t child = fork();
        if (child < 0) return 1;
        if (child == 0) {
            if (prctl(PR_SET_DUMPABLE, 0) != 0 || write(ready[1], "r", 1) != 1) _exit(1);
            for (;;) pause();
        }
        char byte, path[64], link[256];
        if (read(ready[0], &byte, 1) != 1) return 1;
        snprintf(path, sizeof path, "/proc/%d/mem", (int)child);
        int sibling = open(path, O_RDONLY) < 0 ? errno : 0;
        snprintf(path, sizeof path, "/proc/self/root/proc/%d/mem", (int)child);
        int via_root = open(path, O_RDONLY) < 0 ? errno : 0;
        if (prctl(PR_SET_DUMPABLE, 0) != 0) return 1;
        int created = open("notes.txt", O_CREAT | O_WRONLY, 0600);
        struct stat st;
        int stated = stat("notes.txt", &st) == 0 ? 0 : errno;
        int made = mkdir("dir", 0700) == 0 ? 0 : errno;
        int renamed = rename("notes.txt", "dir/notes.txt") == 0 ? 0 : errno;
        ssize_t n = readlink("/proc/self/exe", link, sizeof link - 1);
        int maps = open("/proc/self/maps", O_RDONLY);
        int touched = created >= 0 && futimens(created, NULL) == 0 ? 0 : errno;
        printf("sibling_mem=%d via_root=%d create=%s stat=%d mkdir=%d rename=%d exe=%s maps=%s futimens=%d\n",
               sibling, via_root, created >= 0 ? "ok" : strerror(errno), stated, made, renamed,
               n > 0 ? "ok" : strerror(errno), maps >= 0 ? "ok" : strerror(errno), touched);
        kill(child, SIGKILL);
    } else if (!strcmp(mode, "family") && argc > 2) {
        /* A child that waits, then "ready" on fd argv[2]; both wait to be killed (the test
         * asks procmgr about them meanwhile). */
        pid_t child = fork();
        if (child < 0) return 1;
        if (child == 0) for (;;) pause();
        int fd = atoi(argv[2]);
        if (write(fd, "ready\n", 6) != 6) return 1;
        for (;;) pause();
    } else if (!strcmp(mode, "vfs-restart") && argc > 2) {
        /* An open through vfs, then "ready" on fd argv[2]; once a byte arrives on stdin (the
         * test killed the idle vfs meanwhile), an open served by the restarted one, an open of
         * the path the test's HC_VFS_FAULT_PATH makes vfs die on (in flight: EIO), and one more
         * served by the next server. */
        int before = open("/etc/passwd", O_RDONLY);
        int fd = atoi(argv[2]);
        if (before < 0 || write(fd, "ready\n", 6) != 6) return 1;
        char byte;
        if (read(0, &byte, 1) != 1) return 1;
        int results[3];
        const char *paths[3] = {"/etc/passwd", "/hc-fault", "/etc/passwd"};
        for (int i = 0; i < 3; i++) results[i] = open(paths[i], O_RDONLY) < 0 ? errno : 0;
        printf("after_kill=%d in_flight=%d after=%d\n", results[0], results[1], results[2]);
    } else if (!strcmp(mode, "svcmgr-echo") && argc > 2) {
        /* A legacy client of a native service: on its svcmgr channel (fd 3, the startup
         * convention) it looks up "echo", then calls echo.Echo on the channel it got back,
         * speaking the wire format itself (docs/protocols.md). Prints the reply's text. */
        unsigned char body[512];
        int channel = 3, fd = -1;
        size_t length = put_string(body, "echo");
        if (call(channel, 0x43ccd03855c7cec7ULL, 1, body, length, &fd) < 0 || fd < 0) return 1;
        length = put_string(body, argv[2]);
        long reply = call(fd, 0x6dc54b402664edffULL, 2, body, length, NULL);
        if (reply < 1) return 1;
        /* EchoResponse { text: String }: a one-byte varint length below 128, then the bytes. */
        printf("%.*s\n", (int)body[0], (char *)body + 1);
    } else if (!strcmp(mode, "svcmgr-fault") && argc > 3) {
        /* Looks up argv[2] on its svcmgr channel: with HC_SVCMGR_FAULT_NAME naming it, svcmgr
         * dies serving the call, which fails; prints the errno of the error reply. Then echoes
         * argv[3] through "echo" on the same channel, now served by the svcmgr started in the
         * dead one's place. */
        unsigned char message[16 + 512];
        size_t length = put_string(message + 16, argv[2]);
        unsigned long long lookup = 0x43ccd03855c7cec7ULL;
        unsigned txid = 7;
        unsigned short flags = 0, version = 1;
        memcpy(message, &lookup, 8);
        memcpy(message + 8, &txid, 4);
        memcpy(message + 12, &flags, 2);
        memcpy(message + 14, &version, 2);
        if (send(3, message, 16 + length, 0) != (ssize_t)(16 + length)) return 1;
        ssize_t got = recv(3, message, sizeof message, 0);
        memcpy(&flags, message + 12, 2);
        /* An error reply (REPLY | ERROR) is ErrorReply { code, errno, message }: postcard
         * varints, the errno zigzag-encoded; both fit one byte here. */
        if (got < 18 || flags != 3) {
            printf("the lookup did not fail\n");
            return 1;
        }
        printf("lookup %s: errno %d\n", argv[2], (message[17] >> 1) ^ -(message[17] & 1));
        unsigned char body[512];
        int fd = -1;
        length = put_string(body, "echo");
        if (call(3, lookup, 8, body, length, &fd) < 0 || fd < 0) return 1;
        length = put_string(body, argv[3]);
        if (call(fd, 0x6dc54b402664edffULL, 9, body, length, NULL) < 1) return 1;
        printf("%.*s\n", (int)body[0], (char *)body + 1);
    } else if (!strcmp(mode, "open-until-stdin") && argc > 2) {
        /* Opens a file again and again until a byte arrives on stdin, after "ready" on fd
         * argv[2]; counts the opens that worked, failed with EIO (in flight in a server that
         * died) and went wrong otherwise (an error, or an fd below 3: stdio is open, so a
         * number there is a bogus answer). */
        int fd = atoi(argv[2]);
        if (write(fd, "ready\n", 6) != 6) return 1;
        long opened = 0, eio = 0, other = 0;
        for (;;) {
            int file = open("/etc/passwd", O_RDONLY);
            if (file > 2) {
                opened++;
                close(file);
            } else if (file < 0 && errno == EIO) {
                eio++;
            } else {
                other++;
            }
            struct pollfd input = {0, POLLIN, 0};
            if (poll(&input, 1, 0) == 1) break;
        }
        printf("opened=%ld eio=%ld other=%ld\n", opened, eio, other);
    } else if (!strcmp(mode, "more-paths")) {
        /* mknod (a FIFO; a device refused), openat2 (plain, and RESOLVE_BENEATH refusing ..),
         * utimes, and an inotify watch that sees a file created in the app's folder. */
        int fifo = mknod("fifo", S_IFIFO | 0600, 0) == 0 ? 0 : errno;
        struct stat st;
        int is_fifo = stat("fifo", &st) == 0 && S_ISFIFO(st.st_mode);
        int device = mknod("null", S_IFCHR | 0600, makedev(1, 3)) == 0 ? 0 : errno;
        struct open_how how = {.flags = O_RDONLY};
        long plain = syscall(SYS_openat2, AT_FDCWD, "/etc/passwd", &how, sizeof how);
        how.resolve = RESOLVE_BENEATH;
        int dir = open(".", O_PATH | O_DIRECTORY);
        long beneath = syscall(SYS_openat2, dir, "../com.example.test", &how, sizeof how);
        int beneath_errno = beneath < 0 ? errno : 0;
        struct timeval times[2] = {{1000000000, 0}, {1000000000, 500000}};
        int utimes_result = utimes("fifo", times) == 0 ? 0 : errno;
        stat("fifo", &st);
        int inotify = inotify_init1(IN_CLOEXEC);
        int wd = inotify_add_watch(inotify, ".", IN_CREATE);
        close(open("created.txt", O_CREAT | O_WRONLY, 0600));
        char events[4096];
        long got = read(inotify, events, sizeof events);
        struct inotify_event *event = (struct inotify_event *)events;
        printf("fifo=%d is_fifo=%d device=%d openat2=%d beneath=%d utimes=%d mtime=%ld.%09ld "
               "watch=%d event=%s\n",
               fifo, is_fifo, device, plain > 2, beneath_errno, utimes_result, (long)st.st_mtim.tv_sec,
               st.st_mtim.tv_nsec, wd > 0, got > 0 && event->len ? event->name : "-");
    } else if (!strcmp(mode, "bench") && argc > 2) {
        /* scripts/bench-notify: ns per call of a passed call (getppid) and a notified one
         * (uname: one round trip through the supervisor plus a 390-byte process_vm_writev). */
        long n = atol(argv[2]);
        struct utsname u;
        double start = now_ns();
        for (long i = 0; i < n; i++) syscall(SYS_getppid);
        double pass = (now_ns() - start) / n;
        start = now_ns();
        for (long i = 0; i < n; i++) syscall(SYS_uname, &u);
        double notified = (now_ns() - start) / n;
        printf("getppid %.0f\nuname %.0f\n", pass, notified);
    } else {
        printf("unknown mode %s\n", mode);
        return 2;
    }
    return 0;
}
