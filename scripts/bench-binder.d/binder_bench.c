/* scripts/bench-binder's timing program, built static (`cc -static -O2`) so that it runs the same
 * natively and in hc-sandbox. It speaks the Binder kernel protocol (<linux/android/binder.h>)
 * with ioctls on /dev/binder, no libbinder, as crates/sandbox/tests/guest/binder.c does, but
 * only what a benchmark needs: two processes, a server and a client.
 *
 *   binder N M  the server opens /dev/binder, becomes the context manager (handle 0), and only
 *               then forks the client, so the client's first call finds it. The server has one
 *               looper thread; it frees every buffer it gets and answers every two-way call
 *               with an empty reply. The client opens its own /dev/binder and times:
 *                 - N two-way calls to handle 0 of each payload size (0, 4096, 65536 bytes),
 *                   after 1,000 untimed ones, one clock_gettime(CLOCK_MONOTONIC) pair per call:
 *                   p50, p99 and mean in µs. A call is timed from the BINDER_WRITE_READ that
 *                   sends BC_TRANSACTION to the one that returns BR_REPLY. As libbinder does,
 *                   the reply's BC_FREE_BUFFER goes out with the next call's BC_TRANSACTION.
 *                 - M empty one-way calls: each is one BINDER_WRITE_READ that sends it and
 *                   reads back BR_TRANSACTION_COMPLETE; a call refused with BR_FAILED_REPLY (no
 *                   async space left while the server is behind) is sent again. The clock stops
 *                   when a two-way call answers that the server has received all M (one-way
 *                   calls are not ordered against two-way ones, so the client asks again until
 *                   it has): calls/s.
 *                 - BINDER_WRITE_READ ioctls per empty two-way call, client's and server's: in
 *                   the sandbox each one is a seccomp user-notification round trip.
 *   unix N      the floor: the same two processes and the same timing over a
 *               socketpair(AF_UNIX, SOCK_SEQPACKET). A call sends a 4-byte code plus the
 *               payload (0, 4096, 65536 bytes) and waits for a 4-byte reply.
 *
 * Output, one line per figure (scripts/bench-binder parses it):
 *   <mode>-<size> p50 <µs> p99 <µs> mean <µs> n <calls>
 *   binder-oneway calls_per_s <r> resent <count> syncs <count> n <calls>
 *   binder-ioctls client <per call> server <per call> */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/android/binder.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define WARMUP 1000
#define MAX_PAYLOAD 65536

/* The codes the server knows. */
enum {
    CODE_CALL = 1,   /* two-way or one-way: free the buffer, reply empty if two-way */
    CODE_ONEWAY = 2, /* one-way: counted */
    CODE_COUNT = 3,  /* two-way: replies with the one-way count (u64) */
    CODE_STATS = 4,  /* two-way: replies with the server's ioctl count (u64), then zeroes it
                      * and the one-way count */
    CODE_QUIT = 99,  /* two-way: replies, then the server ends */
};

static const size_t sizes[] = {0, 4096, 65536};
static pid_t peer;

static void fail(const char *what) {
    printf("error: %s: %s\n", what, strerror(errno));
    fflush(stdout);
    /* Not kill(0, ...): natively the process group is the caller's shell. */
    if (peer > 0) kill(peer, SIGKILL);
    exit(1);
}

static double now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e9 + t.tv_nsec;
}

static int by_value(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Prints p50/p99/mean of the n samples (ns) in µs; sorts them. */
static void report(const char *mode, size_t size, double *ns, long n) {
    double sum = 0;
    for (long i = 0; i < n; i++) sum += ns[i];
    qsort(ns, n, sizeof *ns, by_value);
    printf("%s-%zu p50 %.2f p99 %.2f mean %.2f n %ld\n", mode, size, ns[n / 2] / 1e3,
           ns[(long)(n * 0.99)] / 1e3, sum / n / 1e3, n);
    fflush(stdout);
}

/* ---- Binder ---- */

static int bfd = -1;
static long ioctls; /* BINDER_WRITE_READs made by this process */

static void binder_open(void) {
    bfd = open("/dev/binder", O_RDWR | O_CLOEXEC);
    if (bfd < 0) fail("open /dev/binder");
    struct binder_version version = {0};
    if (ioctl(bfd, BINDER_VERSION, &version) != 0) fail("BINDER_VERSION");
    if (version.protocol_version != BINDER_CURRENT_PROTOCOL_VERSION) fail("protocol version");
    /* libbinder's size: 1 MiB less two pages. */
    size_t map_size = (1 << 20) - 2 * sysconf(_SC_PAGESIZE);
    if (mmap(NULL, map_size, PROT_READ, MAP_PRIVATE, bfd, 0) == MAP_FAILED) fail("mmap");
}

/* One BINDER_WRITE_READ; returns the bytes read. */
static size_t write_read(const void *out, size_t out_size, void *in, size_t in_size) {
    struct binder_write_read bwr = {
        .write_size = out_size, .write_buffer = (uintptr_t)out,
        .read_size = in_size, .read_buffer = (uintptr_t)in,
    };
    ioctls++;
    while (ioctl(bfd, BINDER_WRITE_READ, &bwr) != 0) {
        if (errno != EINTR) fail("BINDER_WRITE_READ");
        bwr.write_size -= bwr.write_consumed;
        bwr.write_buffer += bwr.write_consumed;
        bwr.write_consumed = 0;
    }
    if (bwr.write_consumed != out_size) fail("write not consumed");
    return bwr.read_consumed;
}

/* Commands to send, gathered as libbinder's mOut does. */
static unsigned char out[512];
static size_t out_len;

static void put(uint32_t cmd, const void *payload, size_t size) {
    if (out_len + 4 + size > sizeof out) fail("command buffer full");
    memcpy(out + out_len, &cmd, 4);
    memcpy(out + out_len + 4, payload, size);
    out_len += 4 + size;
}

/* Server: serves until CODE_QUIT. */
static void serve(void) {
    uint32_t in[256];
    uint64_t oneway = 0;
    int quit = 0;
    put(BC_ENTER_LOOPER, "", 0);
    while (!quit || out_len) {
        size_t got = write_read(out, out_len, quit ? NULL : in, quit ? 0 : sizeof in);
        out_len = 0;
        unsigned char *p = (unsigned char *)in, *end = p + got;
        while (p < end) {
            uint32_t cmd;
            memcpy(&cmd, p, 4);
            p += 4;
            switch (cmd) {
            case BR_NOOP: case BR_TRANSACTION_COMPLETE: case BR_SPAWN_LOOPER: break;
            case BR_INCREFS: case BR_ACQUIRE: case BR_RELEASE: case BR_DECREFS: {
                struct binder_ptr_cookie pc;
                memcpy(&pc, p, sizeof pc);
                p += sizeof pc;
                if (cmd == BR_INCREFS) put(BC_INCREFS_DONE, &pc, sizeof pc);
                if (cmd == BR_ACQUIRE) put(BC_ACQUIRE_DONE, &pc, sizeof pc);
                break;
            }
            case BR_TRANSACTION: case BR_TRANSACTION_SEC_CTX: {
                struct binder_transaction_data tr;
                memcpy(&tr, p, sizeof tr);
                p += cmd == BR_TRANSACTION ? sizeof tr : sizeof(struct binder_transaction_data_secctx);
                binder_uintptr_t buffer = tr.data.ptr.buffer;
                put(BC_FREE_BUFFER, &buffer, sizeof buffer);
                static uint64_t value;
                struct binder_transaction_data r = {0};
                switch (tr.code) {
                case CODE_ONEWAY: oneway++; break;
                case CODE_COUNT: value = oneway; r.data_size = sizeof value; break;
                case CODE_STATS:
                    /* This call's own ioctl is counted by the next round. */
                    value = ioctls;
                    ioctls = 0;
                    oneway = 0;
                    r.data_size = sizeof value;
                    break;
                case CODE_QUIT: quit = 1; break;
                }
                if (!(tr.flags & TF_ONE_WAY)) {
                    r.data.ptr.buffer = (uintptr_t)&value;
                    put(BC_REPLY, &r, sizeof r);
                }
                break;
            }
            case BR_CLEAR_DEATH_NOTIFICATION_DONE: case BR_DEAD_BINDER: p += sizeof(binder_uintptr_t); break;
            case BR_FAILED_REPLY: case BR_DEAD_REPLY:
                errno = EPROTO;
                fail(cmd == BR_FAILED_REPLY ? "server: BR_FAILED_REPLY" : "server: BR_DEAD_REPLY");
                break;
            default:
                printf("error: server: unknown return %#x\n", cmd);
                fail("server");
            }
        }
    }
}

/* Client: the reply buffer still to free (sent with the next call). */
static binder_uintptr_t reply_buffer;

static void flush_free(void) {
    if (reply_buffer) {
        put(BC_FREE_BUFFER, &reply_buffer, sizeof reply_buffer);
        reply_buffer = 0;
    }
}

/* A two-way call to handle 0; returns the reply's first 8 bytes (0 if shorter). */
static uint64_t call(uint32_t code, const void *data, size_t size) {
    flush_free();
    struct binder_transaction_data tr = {
        .target.handle = 0, .code = code, .data_size = size, .data.ptr.buffer = (uintptr_t)data,
    };
    put(BC_TRANSACTION, &tr, sizeof tr);
    uint32_t in[64];
    for (;;) {
        size_t got = write_read(out, out_len, in, sizeof in);
        out_len = 0;
        for (size_t i = 0; i < got / 4; i++) {
            switch (in[i]) {
            case BR_NOOP: case BR_TRANSACTION_COMPLETE: break;
            case BR_REPLY: {
                struct binder_transaction_data r;
                memcpy(&r, &in[i + 1], sizeof r);
                if (r.flags & TF_STATUS_CODE) { errno = EPROTO; fail("a status reply"); }
                reply_buffer = r.data.ptr.buffer;
                uint64_t value = 0;
                if (r.data_size >= sizeof value) memcpy(&value, (const void *)(uintptr_t)r.data.ptr.buffer, sizeof value);
                return value;
            }
            case BR_FAILED_REPLY: case BR_DEAD_REPLY:
                errno = EPROTO;
                fail(in[i] == BR_FAILED_REPLY ? "call: BR_FAILED_REPLY" : "call: BR_DEAD_REPLY");
                break;
            default:
                printf("error: client: unexpected return %#x\n", in[i]);
                fail("client");
            }
        }
    }
}

/* A one-way call: 0 when the driver took it, else the BR_ error. */
static uint32_t call_one_way(uint32_t code) {
    flush_free();
    struct binder_transaction_data tr = {.target.handle = 0, .code = code, .flags = TF_ONE_WAY};
    put(BC_TRANSACTION, &tr, sizeof tr);
    uint32_t in[64];
    size_t got = write_read(out, out_len, in, sizeof in);
    out_len = 0;
    for (size_t i = 0; i < got / 4; i++) {
        if (in[i] == BR_TRANSACTION_COMPLETE) return 0;
        if (in[i] == BR_FAILED_REPLY || in[i] == BR_DEAD_REPLY) return in[i];
    }
    errno = EPROTO;
    fail("a one-way call got neither BR_TRANSACTION_COMPLETE nor an error");
    return 0;
}

static void binder_client(long n, long m) {
    static unsigned char payload[MAX_PAYLOAD];
    memset(payload, 'x', sizeof payload);
    double *ns = malloc(n * sizeof *ns);
    if (!ns) fail("malloc");
    binder_open();
    for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++) {
        for (int i = 0; i < WARMUP; i++) call(CODE_CALL, payload, sizes[s]);
        for (long i = 0; i < n; i++) {
            double start = now_ns();
            call(CODE_CALL, payload, sizes[s]);
            ns[i] = now_ns() - start;
        }
        report("binder", sizes[s], ns, n);
    }

    /* ioctls per empty two-way call. */
    long calls = 10000;
    call(CODE_STATS, NULL, 0);
    long mine = ioctls;
    for (long i = 0; i < calls; i++) call(CODE_CALL, NULL, 0);
    mine = ioctls - mine;
    /* The server's count includes the ioctl that returned the first CODE_STATS reply, and this
     * call's BR_TRANSACTION read: one each, taken off. */
    long theirs = (long)call(CODE_STATS, NULL, 0) - 2;
    printf("binder-ioctls client %.2f server %.2f\n", (double)mine / calls, (double)theirs / calls);

    /* One-way throughput. */
    for (int i = 0; i < WARMUP; i++)
        while (call_one_way(CODE_ONEWAY) == BR_FAILED_REPLY) sched_yield();
    while (call(CODE_COUNT, NULL, 0) < WARMUP) {}
    call(CODE_STATS, NULL, 0);
    long resent = 0, syncs = 0;
    double start = now_ns();
    for (long i = 0; i < m; i++) {
        uint32_t error;
        while ((error = call_one_way(CODE_ONEWAY)) != 0) {
            if (error != BR_FAILED_REPLY) { errno = EPROTO; fail("one-way call"); }
            resent++;
            sched_yield();
        }
    }
    do syncs++; while (call(CODE_COUNT, NULL, 0) < (uint64_t)m);
    double elapsed = now_ns() - start;
    printf("binder-oneway calls_per_s %.0f resent %ld syncs %ld n %ld\n", m / (elapsed / 1e9), resent, syncs, m);
    call(CODE_QUIT, NULL, 0);
    flush_free();
    write_read(out, out_len, NULL, 0);
    out_len = 0;
}

static int binder_mode(long n, long m) {
    binder_open();
    int zero = 0;
    if (ioctl(bfd, BINDER_SET_CONTEXT_MGR, &zero) != 0) fail("BINDER_SET_CONTEXT_MGR");
    fflush(stdout);
    pid_t child = fork();
    if (child < 0) fail("fork");
    if (child == 0) {
        peer = getppid();
        close(bfd);
        ioctls = 0;
        binder_client(n, m);
        exit(0);
    }
    peer = child;
    serve();
    int status;
    if (waitpid(child, &status, 0) < 0) fail("waitpid");
    return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

/* ---- AF_UNIX floor ---- */

static int unix_mode(long n) {
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0) fail("socketpair");
    int size = 4 * MAX_PAYLOAD;
    for (int i = 0; i < 2; i++) {
        setsockopt(sv[i], SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
        setsockopt(sv[i], SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
    }
    static unsigned char buf[4 + MAX_PAYLOAD];
    fflush(stdout);
    pid_t child = fork();
    if (child < 0) fail("fork");
    if (child == 0) {
        peer = getppid();
        int s = sv[1];
        close(sv[0]);
        double *ns = malloc(n * sizeof *ns);
        if (!ns) fail("malloc");
        memset(buf, 'x', sizeof buf);
        uint32_t code = CODE_CALL, reply;
        memcpy(buf, &code, 4);
        for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++) {
            for (long i = -WARMUP; i < n; i++) {
                double start = now_ns();
                if (send(s, buf, 4 + sizes[k], 0) != (ssize_t)(4 + sizes[k])) fail("send");
                if (recv(s, &reply, sizeof reply, 0) != sizeof reply) fail("recv");
                if (i >= 0) ns[i] = now_ns() - start;
            }
            report("unix", sizes[k], ns, n);
        }
        code = CODE_QUIT;
        if (send(s, &code, 4, 0) != 4) fail("send");
        exit(0);
    }
    peer = child;
    int s = sv[0];
    close(sv[1]);
    for (;;) {
        ssize_t got = recv(s, buf, sizeof buf, 0);
        if (got < 4) fail("server recv");
        uint32_t code, reply = 0;
        memcpy(&code, buf, 4);
        if (code == CODE_QUIT) break;
        if (send(s, &reply, sizeof reply, 0) != sizeof reply) fail("server send");
    }
    int status;
    if (waitpid(child, &status, 0) < 0) fail("waitpid");
    return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc == 4 && strcmp(argv[1], "binder") == 0) return binder_mode(atol(argv[2]), atol(argv[3]));
    if (argc == 3 && strcmp(argv[1], "unix") == 0) return unix_mode(atol(argv[2]));
    fprintf(stderr, "usage: binder_bench binder N ONEWAY_N | unix N\n");
    return 2;
}
