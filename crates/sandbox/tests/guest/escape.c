/* The sandbox's escape suite (tests/escape.rs), built with `cc -static -O -pthread`. Each attempt
 * tries to reach the host from inside the sandbox and prints one line:
 *
 *     <name> contained <errno or detail>
 *     <name> ESCAPED <detail>
 *
 * usage: escape SUPERVISOR_PID SHADOW_DEV SHADOW_INO RACE_TRIES ABSTRACT_NAME TCP_PORT
 * where SUPERVISOR_PID is a host pid outside the sandbox, SHADOW_DEV/SHADOW_INO name the host's
 * /etc/shadow, which no opened file may turn out to be, and ABSTRACT_NAME and TCP_PORT are an
 * abstract AF_UNIX name and a 127.0.0.1 port the host listens on. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/perf_event.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

static pid_t supervisor;
static dev_t shadow_dev;
static ino_t shadow_ino;
static int attempts, escapes;

static void report(const char *name, int escaped, const char *detail) {
    attempts++;
    escapes += escaped;
    printf("%s %s %s\n", name, escaped ? "ESCAPED" : "contained", detail);
    fflush(stdout);
}

/* An attempt whose success is a non-negative result. */
static void expect_failure(const char *name, long result) {
    char detail[64];
    if (result >= 0) {
        snprintf(detail, sizeof detail, "result %ld", result);
        report(name, 1, detail);
    } else {
        snprintf(detail, sizeof detail, "errno %d", errno);
        report(name, 0, detail);
    }
}

/* Whether fd is the host's /etc/shadow. */
static int is_shadow(int fd) {
    struct stat st;
    return fstat(fd, &st) == 0 && st.st_dev == shadow_dev && st.st_ino == shadow_ino;
}

/* An open that must fail, or at least not yield the host's shadow file. */
static void open_attempt(const char *name, int dirfd, const char *path, int flags) {
    int fd = openat(dirfd, path, flags);
    if (fd >= 0 && is_shadow(fd)) {
        report(name, 1, "opened the host's /etc/shadow");
    } else if (fd >= 0 && (flags & O_ACCMODE) != O_RDONLY) {
        report(name, 1, "opened for writing");
    } else if (fd >= 0) {
        report(name, 1, "opened");
    } else {
        char detail[32];
        snprintf(detail, sizeof detail, "errno %d", errno);
        report(name, 0, detail);
    }
    if (fd >= 0) close(fd);
}

static char race_path[64] = "probe.txt";
static atomic_int race_done;

static void *flip(void *unused) {
    (void)unused;
    while (!atomic_load(&race_done)) {
        memcpy(race_path, "/etc/shadow", sizeof "/etc/shadow");
        memcpy(race_path, "probe.txt\0\0", sizeof "probe.txt\0\0");
    }
    return NULL;
}

/* The abstract AF_UNIX address "\0<name><suffix>" in `address`; its length. */
static socklen_t abstract_address(struct sockaddr_un *address, const char *name, const char *suffix) {
    memset(address, 0, sizeof *address);
    address->sun_family = AF_UNIX;
    snprintf(address->sun_path + 1, sizeof address->sun_path - 1, "%s%s", name, suffix);
    return offsetof(struct sockaddr_un, sun_path) + 1 + strlen(address->sun_path + 1);
}

/* Run sharing the host's network (an app that holds INTERNET): the host's abstract AF_UNIX
 * sockets are in the same namespace, and each way of reaching them must fail; the sandbox's
 * own abstract sockets must still work (else the failures would prove nothing). */
static int network_attempts(const char *name) {
    struct sockaddr_un host, datagram, own;
    socklen_t host_length = abstract_address(&host, name, "");
    socklen_t datagram_length = abstract_address(&datagram, name, "-dgram");

    int stream = socket(AF_UNIX, SOCK_STREAM, 0);
    expect_failure("shared_net_abstract_connect", connect(stream, (struct sockaddr *)&host, host_length));
    int sender = socket(AF_UNIX, SOCK_DGRAM, 0);
    expect_failure("shared_net_abstract_sendto",
                   sendto(sender, "x", 1, 0, (struct sockaddr *)&datagram, datagram_length));
    struct iovec byte = {"x", 1};
    struct msghdr message = {.msg_name = &datagram, .msg_namelen = datagram_length, .msg_iov = &byte, .msg_iovlen = 1};
    expect_failure("shared_net_abstract_sendmsg", sendmsg(sender, &message, 0));
    struct mmsghdr messages = {.msg_hdr = message};
    long sent = syscall(SYS_sendmmsg, sender, &messages, 1, 0);
    expect_failure("shared_net_abstract_sendmmsg", sent > 0 ? sent : -1);
    int connected = socket(AF_UNIX, SOCK_DGRAM, 0);
    expect_failure("shared_net_abstract_dgram_connect",
                   connect(connected, (struct sockaddr *)&datagram, datagram_length));

    /* The control: an abstract socket of the sandbox's own, reached from inside. */
    socklen_t own_length = abstract_address(&own, name, "-own");
    int listener = socket(AF_UNIX, SOCK_STREAM, 0), client = socket(AF_UNIX, SOCK_STREAM, 0);
    int control = bind(listener, (struct sockaddr *)&own, own_length) == 0 && listen(listener, 1) == 0 &&
                  connect(client, (struct sockaddr *)&own, own_length) == 0;
    printf("control own_abstract_socket %s\n", control ? "reached" : strerror(errno));
    printf("attempts %d escapes %d\n", attempts, escapes);
    return escapes || !control ? 1 : 0;
}

/* What must still reopen although it lies outside the app's tree: the program itself (this
 * binary, started from the host's disk) and a memfd, also through another process's fd. */
static int reopen_controls(void) {
    char magic[4] = {0};
    int exe = open("/proc/self/exe", O_RDONLY);
    int ok = exe >= 0 && read(exe, magic, 4) == 4 && memcmp(magic, "\177ELF", 4) == 0;
    printf("exe %s\n", ok ? "readable" : strerror(errno));
    int memfd = memfd_create("control", 0);
    if (memfd < 0 || write(memfd, "shared", 6) != 6) return 1;
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/fd/%d", getpid(), memfd);
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        char text[7] = {0};
        int fd = open(path, O_RDONLY);
        printf("memfd %s\n", fd >= 0 && read(fd, text, 6) == 6 && strcmp(text, "shared") == 0 ? "reopened" : strerror(errno));
        return 0;
    }
    int status;
    waitpid(child, &status, 0);
    return ok ? 0 : 1;
}

/* Whether path carries a set-user-id or set-group-id bit. */
static int set_id(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 && (st.st_mode & (S_ISUID | S_ISGID));
}

/* The host's files the guest reaches (its app folder, which the host sees without nosuid; its
 * stdin, a host file handed in to read; its own program; the host's device nodes) and
 * the terminal: none may come out set-id, emptied, re-moded or typed into. stdin must be a
 * host file with content. */
static int host_files_attempts(void) {
    /* O_TRUNC on a file handed in to read: refused, and refused before it empties it. */
    expect_failure("trunc_stdin_on_open", open("/dev/stdin", O_RDONLY | O_TRUNC));
    expect_failure("truncate_stdin", truncate("/dev/stdin", 1));
    expect_failure("truncate_stdin_fd_link", truncate("/proc/self/fd/0", 0));
    /* Set-id programs left in the app's folder, by every call that sets a mode. */
    int fd = open("planted", O_CREAT | O_WRONLY, 06755);
    report("setid_on_create", set_id("planted"), "planted");
    chmod("planted", 06755);
    report("setid_by_chmod", set_id("planted"), "planted");
    fchmodat(AT_FDCWD, "planted", 04755, 0);
    report("setid_by_fchmodat", set_id("planted"), "planted");
    expect_failure("setid_by_fchmod", fchmod(fd, 04755));
    report("setid_by_fchmod_result", set_id("planted"), "planted");
    mknod("planted-node", S_IFREG | 06755, 0);
    report("setid_by_mknod", set_id("planted-node"), "planted-node");
    /* Its own program, a host file. */
    chmod("/proc/self/exe", 06755);
    report("setid_on_own_program", set_id("/proc/self/exe"), "/proc/self/exe");
    /* The host's device nodes. */
    expect_failure("chmod_dev_null", chmod("/dev/null", 0));
    struct timespec epoch[2] = {{0, 0}, {0, 0}};
    expect_failure("utimens_dev_null", utimensat(AT_FDCWD, "/dev/null", epoch, 0));
    int null = open("/dev/null", O_WRONLY);
    report("control dev_null_writable", !(null >= 0 && write(null, "x", 1) == 1), "write");
    /* procfs files about the host's kernel read empty: its keyrings, its boot line. */
    const char *masked[] = {"/proc/keys", "/proc/cmdline"};
    for (int i = 0; i < 2; i++) {
        char byte;
        int fd = open(masked[i], O_RDONLY);
        report(masked[i], fd >= 0 && read(fd, &byte, 1) == 1, "read");
        if (fd >= 0) close(fd);
    }
    /* A terminal handed in: never the guest's controlling terminal, never typed into. */
    expect_failure("tiocsctty", ioctl(0, TIOCSCTTY, 0));
    expect_failure("tiocsti", ioctl(0, TIOCSTI, "x"));
    printf("attempts %d escapes %d\n", attempts, escapes);
    return escapes ? 1 : 0;
}

int main(int argc, char **argv) {
    if (argc == 3 && strcmp(argv[1], "network") == 0) return network_attempts(argv[2]);
    if (argc == 2 && strcmp(argv[1], "host-files") == 0) return host_files_attempts();
    if (argc == 2 && strcmp(argv[1], "reopen") == 0) return reopen_controls();
    if (argc < 7) return 2;
    supervisor = atoi(argv[1]);
    shadow_dev = strtoull(argv[2], NULL, 10);
    shadow_ino = strtoull(argv[3], NULL, 10);
    long tries = atol(argv[4]);

    /* Inherited descriptors: anything open beyond stdio is a handle the supervisor leaked. */
    int leaked = 0;
    for (int fd = 3; fd < 1024; fd++)
        if (fcntl(fd, F_GETFD) >= 0) leaked++;
    report("inherited_fds", leaked > 0, leaked ? "open descriptors beyond stdio" : "none");

    /* Paths. */
    open_attempt("absolute_host_path", AT_FDCWD, "/etc/shadow", O_RDONLY);
    open_attempt("host_home", AT_FDCWD, "/root", O_RDONLY | O_DIRECTORY);
    open_attempt("host_work_tree", AT_FDCWD, "/work", O_RDONLY | O_DIRECTORY);
    open_attempt("dotdot_traversal", AT_FDCWD, "../../../../../../../../etc/shadow", O_RDONLY);
    int here = open(".", O_PATH | O_DIRECTORY);
    open_attempt("opath_dirfd_dotdot", here, "../../../../../../etc/shadow", O_RDONLY);
    int root = open("/", O_PATH | O_DIRECTORY);
    open_attempt("opath_root_dotdot", root, "../../../etc/shadow", O_RDONLY);
    expect_failure("symlink_absolute_out", symlink("/etc/shadow", "s_abs") == 0 ? open("s_abs", O_RDONLY) : -1);
    expect_failure("symlink_relative_out",
                   symlink("../../../../../../..", "s_up") == 0 ? open("s_up/etc/shadow", O_RDONLY) : -1);
    expect_failure("hardlink_host_file", link("/usr/bin/env", "h_env"));
    open_attempt("proc_self_root", AT_FDCWD, "/proc/self/root/etc/shadow", O_RDONLY);
    open_attempt("proc_1_root_dotdot", AT_FDCWD, "/proc/1/root/../../../etc/shadow", O_RDONLY);
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/root/etc/shadow", supervisor);
    open_attempt("proc_supervisor_root", AT_FDCWD, path, O_RDONLY);
    snprintf(path, sizeof path, "/proc/%d/mem", supervisor);
    open_attempt("proc_supervisor_mem", AT_FDCWD, path, O_RDWR);
    open_attempt("sysctl_core_pattern", AT_FDCWD, "/proc/sys/kernel/core_pattern", O_WRONLY);
    open_attempt("sysrq_trigger", AT_FDCWD, "/proc/sysrq-trigger", O_WRONLY);
    open_attempt("dev_mem", AT_FDCWD, "/dev/mem", O_RDONLY);
    open_attempt("block_device", AT_FDCWD, "/dev/vda", O_RDONLY);
    open_attempt("host_usr_write", AT_FDCWD, "/usr/bin/env", O_WRONLY);
    expect_failure("mknod_device", mknod("null2", S_IFCHR | 0666, makedev(1, 3)));

    /* File handles bypass path resolution. */
    struct {
        struct file_handle handle;
        unsigned char bytes[128];
    } handle = {.handle = {.handle_bytes = 128}};
    int mount_id;
    expect_failure("name_to_handle_at", syscall(SYS_name_to_handle_at, AT_FDCWD, "/usr", &handle, &mount_id, 0));
    handle.handle.handle_bytes = 8;
    handle.handle.handle_type = 1;
    expect_failure("open_by_handle_at", syscall(SYS_open_by_handle_at, root, &handle, O_RDONLY));

    /* The supervisor, from inside. */
    expect_failure("kill_supervisor", kill(supervisor, SIGKILL));
    expect_failure("ptrace_supervisor", ptrace(PTRACE_ATTACH, supervisor, 0, 0));
    char byte = 0;
    struct iovec local = {&byte, 1}, remote = {(void *)0x400000, 1};
    expect_failure("process_vm_writev_supervisor", process_vm_writev(supervisor, &local, 1, &remote, 1, 0));

    /* Mounts and namespaces. */
    expect_failure("mount_tmpfs", mount("tmpfs", "/tmp", "tmpfs", 0, NULL));
    expect_failure("umount_usr", umount2("/usr", MNT_DETACH));
    expect_failure("unshare", unshare(CLONE_NEWUSER | CLONE_NEWNS));
    int ns = open("/proc/self/ns/mnt", O_RDONLY);
    expect_failure("setns", setns(ns, 0));
    expect_failure("chroot", chroot("."));
    expect_failure("pivot_root", syscall(SYS_pivot_root, ".", "."));
    expect_failure("clone_newuser", syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0));
    expect_failure("prctl_set_mm", prctl(PR_SET_MM, PR_SET_MM_START_CODE, 0, 0, 0));

    /* Kernel attack surface Android closes to apps. */
    unsigned char params[120] = {0};
    expect_failure("io_uring_setup", syscall(SYS_io_uring_setup, 8, params));
    unsigned char attr[128] = {0};
    expect_failure("bpf", syscall(SYS_bpf, 5 /* BPF_PROG_LOAD */, attr, sizeof attr));
    expect_failure("userfaultfd", syscall(SYS_userfaultfd, 0));
    struct perf_event_attr perf = {.type = PERF_TYPE_SOFTWARE, .size = sizeof perf};
    expect_failure("perf_event_open", syscall(SYS_perf_event_open, &perf, 0, -1, -1, 0));
    expect_failure("keyctl", syscall(SYS_keyctl, 1 /* KEYCTL_JOIN_SESSION_KEYRING */, "hc"));

    /* The host's sockets: an abstract AF_UNIX name and a loopback TCP port. */
    struct sockaddr_un unix_address;
    socklen_t unix_length = abstract_address(&unix_address, argv[5], "");
    int unix_socket = socket(AF_UNIX, SOCK_STREAM, 0);
    expect_failure("abstract_unix_connect",
                   connect(unix_socket, (struct sockaddr *)&unix_address, unix_length));
    /* The same name with "-dgram": a datagram socket, reached by sendto (which passes natively). */
    unix_length = abstract_address(&unix_address, argv[5], "-dgram");
    int datagram = socket(AF_UNIX, SOCK_DGRAM, 0);
    expect_failure("abstract_unix_sendto",
                   sendto(datagram, "x", 1, 0, (struct sockaddr *)&unix_address, unix_length));
    struct sockaddr_in tcp_address = {.sin_family = AF_INET, .sin_port = htons(atoi(argv[6]))};
    tcp_address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int tcp = socket(AF_INET, SOCK_STREAM, 0);
    expect_failure("host_loopback_tcp", connect(tcp, (struct sockaddr *)&tcp_address, sizeof tcp_address));

    /* vsock ignores network namespaces: the hypervisor's host (CID 2) answers from anywhere. */
    expect_failure("vsock_socket", socket(40 /* AF_VSOCK */, SOCK_STREAM, 0));
    expect_failure("alg_socket", socket(38 /* AF_ALG */, SOCK_SEQPACKET, 0));

    /* The terminal the sandbox was started from. */
    int tty = open("/dev/tty", O_RDWR);
    char push = 'x';
    expect_failure("tiocsti", ioctl(tty >= 0 ? tty : 0, TIOCSTI, &push));

    /* set-id programs: no_new_privs holds, and the app's folder ignores set-id bits. */
    struct statvfs fs;
    int nnp = prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0);
    int nosuid = statvfs(".", &fs) == 0 && (fs.f_flag & ST_NOSUID);
    report("setuid_exec", nnp != 1 || !nosuid, nnp == 1 && nosuid ? "no_new_privs, nosuid" : "set-id possible");

    /* A thread flips the path between a file of the app and the host's shadow file while the
     * main thread opens it: whatever vfs read, the file opened must be the guest's. */
    int probe = open("probe.txt", O_CREAT | O_WRONLY, 0600);
    close(probe);
    pthread_t thread;
    pthread_create(&thread, NULL, flip, NULL);
    long shadow = 0, opened = 0;
    for (long i = 0; i < tries; i++) {
        int fd = open(race_path, O_RDONLY);
        if (fd >= 0) {
            opened++;
            shadow += is_shadow(fd);
            close(fd);
        }
    }
    atomic_store(&race_done, 1);
    pthread_join(thread, NULL);
    char detail[64];
    snprintf(detail, sizeof detail, "%ld tries, %ld opened the app's file", tries, opened);
    report("path_race", shadow > 0, detail);

    printf("attempts %d escapes %d\n", attempts, escapes);
    return escapes ? 1 : 0;
}
