/* A raw Binder program: speaks the kernel protocol (<linux/android/binder.h>) with ioctls on
 * /dev/binder, no libbinder. Run in the sandbox, it becomes three processes:
 *
 *   manager  the context manager (handle 0): keeps one service handle ("add", code 1) and gives
 *            it out ("get", code 2); forks the service, then the client once the service is
 *            registered, and ends when the client says it is done (code 99).
 *   service  registers its binder with the manager, then serves calls on it: echo in upper
 *            case with the caller's pid checked (10), read a received fd (11), count one-way
 *            calls and check their order (13, 14), exit (12).
 *   client   gets the service from the manager and calls it; then asks for a death notice,
 *            tells the service to exit and waits for the notice.
 *
 * Each prints what it saw; the test compares the lines.
 * Usage: binder [ONEWAY_COUNT [kill|close|undumpable]]: with `kill` the client ends the service
 * with SIGKILL instead of asking it to exit; with `close` it asks the service to close its device
 * (and live on); with `undumpable` all three make themselves
 * non-dumpable first (prctl(PR_SET_DUMPABLE, 0), as many apps do), which closes them to
 * ptrace-like access by other processes of their user. */
#include <errno.h>
#include <fcntl.h>
#include <linux/android/binder.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAP_SIZE (128 * 1024)
#define SERVICE_PTR 0xabc0
#define SERVICE_COOKIE 0xdef0

static int oneway_count = 1000;
static int kill_service;
/* `close`: the service closes its device and unmaps it, and lives on: as with the kernel's
 * driver, that releases its binder process (death notices go out); the manager then ends it. */
static int close_service, closing;
/* With BINDER_FAULT_PATH set: the manager and the service each write a byte here once they
 * have nothing left to write and only read from then on; the client reads both before the
 * call that kills hc-vfs. */
static int settled[2] = {-1, -1};

struct conn {
    int fd;
    void *map;
};

/* A failure ends all three processes (the process group; the sandbox's init, which only
 * waits, survives and reports it), so that no one waits for a call that will not come. */
static void fail(void) {
    fflush(stdout);
    kill(0, SIGKILL);
    exit(1);
}

static void die(const char *what) {
    printf("error: %s: %s\n", what, strerror(errno));
    fail();
}

static void say_settled(void) {
    if (settled[1] >= 0 && write(settled[1], "s", 1) != 1) die("settled pipe");
}

static void conn_open(struct conn *c) {
    c->fd = open("/dev/binder", O_RDWR | O_CLOEXEC);
    if (c->fd < 0) die("open /dev/binder");
    struct binder_version version = {0};
    if (ioctl(c->fd, BINDER_VERSION, &version) != 0) die("BINDER_VERSION");
    if (version.protocol_version != BINDER_CURRENT_PROTOCOL_VERSION) die("protocol version");
    c->map = mmap(NULL, MAP_SIZE, PROT_READ, MAP_PRIVATE, c->fd, 0);
    if (c->map == MAP_FAILED) die("mmap");
    /* As the kernel's driver, the shim refuses a writable mapping. */
    void *writable = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, c->fd, 0);
    if (writable != MAP_FAILED) die("a writable mapping of the device was allowed");
}

/* One BINDER_WRITE_READ; returns bytes read. */
static size_t write_read(struct conn *c, const void *out, size_t out_size, void *in, size_t in_size) {
    struct binder_write_read bwr = {
        .write_size = out_size, .write_buffer = (uintptr_t)out,
        .read_size = in_size, .read_buffer = (uintptr_t)in,
    };
    while (ioctl(c->fd, BINDER_WRITE_READ, &bwr) != 0) {
        /* A read still on its way to being parked when hc-vfs dies fails with EIO, as every
         * call in flight then does; having written nothing, it is simply made again. */
        if (errno == EIO && out_size == 0 && settled[1] >= 0) continue;
        if (errno != EINTR) die("BINDER_WRITE_READ");
        bwr.write_size -= bwr.write_consumed;
        bwr.write_buffer += bwr.write_consumed;
        bwr.write_consumed = 0;
    }
    if (bwr.write_consumed != out_size) die("write not consumed");
    return bwr.read_consumed;
}

struct command {
    uint32_t cmd;
    union {
        struct binder_transaction_data tr;
        struct binder_ptr_cookie ptr_cookie;
        uint32_t handle;
        binder_uintptr_t pointer;
    } u;
} __attribute__((packed));

static void send_command(struct conn *c, uint32_t cmd, const void *payload, size_t size) {
    unsigned char out[sizeof(uint32_t) + 64];
    memcpy(out, &cmd, 4);
    memcpy(out + 4, payload, size);
    write_read(c, out, 4 + size, NULL, 0);
}

static void free_buffer(struct conn *c, binder_uintptr_t buffer) {
    send_command(c, BC_FREE_BUFFER, &buffer, sizeof buffer);
}

/* Answers the driver's reference requests on our nodes. */
static void ack_refs(struct conn *c, uint32_t cmd, const struct binder_ptr_cookie *pc) {
    if (cmd == BR_INCREFS) send_command(c, BC_INCREFS_DONE, pc, sizeof *pc);
    if (cmd == BR_ACQUIRE) send_command(c, BC_ACQUIRE_DONE, pc, sizeof *pc);
}

typedef int (*on_transaction)(struct conn *c, const struct binder_transaction_data *tr,
                              unsigned char *reply, size_t *reply_size, int *done);
typedef void (*on_death)(struct conn *c, binder_uintptr_t cookie, int *done);
static int manager_serve(struct conn *c, const struct binder_transaction_data *tr,
                         unsigned char *reply, size_t *reply_size, int *done);

/* Reads returns until a reply arrives (when waiting for one) or `done` is set, serving
 * transactions with `serve` and death notices with `dead`. Returns 0, or the BR_ error. */
static uint32_t loop(struct conn *c, int want_reply, struct binder_transaction_data *reply_out,
                     on_transaction serve, on_death dead) {
    uint32_t in[512];
    int done = 0;
    for (;;) {
        size_t got = write_read(c, NULL, 0, in, sizeof in);
        unsigned char *p = (unsigned char *)in, *end = p + got;
        while (p < end) {
            uint32_t cmd;
            memcpy(&cmd, p, 4);
            p += 4;
            switch (cmd) {
            case BR_NOOP: case BR_TRANSACTION_COMPLETE: case BR_SPAWN_LOOPER: break;
            case BR_INCREFS: case BR_ACQUIRE: case BR_RELEASE: case BR_DECREFS:
                ack_refs(c, cmd, (const struct binder_ptr_cookie *)p);
                p += sizeof(struct binder_ptr_cookie);
                break;
            case BR_DEAD_BINDER: {
                binder_uintptr_t cookie;
                memcpy(&cookie, p, sizeof cookie);
                p += sizeof cookie;
                send_command(c, BC_DEAD_BINDER_DONE, &cookie, sizeof cookie);
                if (dead) dead(c, cookie, &done);
                break;
            }
            case BR_CLEAR_DEATH_NOTIFICATION_DONE: p += sizeof(binder_uintptr_t); break;
            case BR_REPLY:
                memcpy(reply_out, p, sizeof *reply_out);
                p += sizeof *reply_out;
                if (want_reply) return 0;
                break;
            case BR_DEAD_REPLY: case BR_FAILED_REPLY:
                if (want_reply) return cmd;
                printf("error: unexpected %s\n", cmd == BR_DEAD_REPLY ? "BR_DEAD_REPLY" : "BR_FAILED_REPLY");
                break;
            case BR_TRANSACTION_SEC_CTX: case BR_TRANSACTION: {
                struct binder_transaction_data tr;
                memcpy(&tr, p, sizeof tr);
                p += cmd == BR_TRANSACTION ? sizeof tr : sizeof(struct binder_transaction_data_secctx);
                unsigned char reply[256];
                size_t reply_size = 0;
                int status = serve(c, &tr, reply, &reply_size, &done);
                free_buffer(c, tr.data.ptr.buffer);
                if (!(tr.flags & TF_ONE_WAY)) {
                    struct binder_transaction_data r = {0};
                    if (status < 0) {
                        r.flags = TF_STATUS_CODE;
                        reply_size = sizeof status;
                        memcpy(reply, &status, sizeof status);
                    }
                    r.data_size = reply_size;
                    r.data.ptr.buffer = (uintptr_t)reply;
                    /* A reply holding a binder object: the serve callback put it first. */
                    binder_size_t offset = 0;
                    if (status == 1) {
                        r.offsets_size = sizeof offset;
                        r.data.ptr.offsets = (uintptr_t)&offset;
                    }
                    send_command(c, BC_REPLY, &r, sizeof r);
                    /* The manager's last write before the client's fault: the handle. */
                    if (tr.code == 2 && serve == manager_serve) say_settled();
                }
                break;
            }
            default:
                printf("error: unknown return %#x\n", cmd);
                fail();
            }
        }
        if (done) return 0;
    }
}

/* A two-way call; the reply's transaction data in `reply` (free its buffer after). */
static uint32_t call(struct conn *c, uint32_t handle, uint32_t code, const void *data, size_t size,
                     const binder_size_t *offsets, size_t count, uint32_t flags,
                     struct binder_transaction_data *reply, on_transaction serve) {
    struct binder_transaction_data tr = {
        .target.handle = handle, .code = code, .flags = flags,
        .data_size = size, .offsets_size = count * sizeof(binder_size_t),
        .data.ptr.buffer = (uintptr_t)data, .data.ptr.offsets = (uintptr_t)offsets,
    };
    if (!(flags & TF_ONE_WAY)) {
        send_command(c, BC_TRANSACTION, &tr, sizeof tr);
        return loop(c, 1, reply, serve, NULL);
    }
    /* One-way: as libbinder does, read until the driver takes it (BR_TRANSACTION_COMPLETE)
     * or refuses it (BR_FAILED_REPLY: no async space left while the receiver is behind). */
    unsigned char out[4 + sizeof tr];
    uint32_t cmd = BC_TRANSACTION, in[64];
    memcpy(out, &cmd, 4);
    memcpy(out + 4, &tr, sizeof tr);
    size_t got = write_read(c, out, sizeof out, in, sizeof in);
    for (size_t i = 0; i < got / 4; i++) {
        if (in[i] == BR_TRANSACTION_COMPLETE) return 0;
        if (in[i] == BR_FAILED_REPLY || in[i] == BR_DEAD_REPLY) return in[i];
    }
    printf("error: a one-way call got neither BR_TRANSACTION_COMPLETE nor an error\n");
    fail();
    return 0;
}

/* ---- the service ---- */

static uint32_t next_expected;
static int in_order = 1;

static uint32_t call(struct conn *c, uint32_t handle, uint32_t code, const void *data, size_t size,
                     const binder_size_t *offsets, size_t count, uint32_t flags,
                     struct binder_transaction_data *reply, on_transaction serve);

static int service_serve(struct conn *c, const struct binder_transaction_data *tr,
                         unsigned char *reply, size_t *reply_size, int *done) {
    const unsigned char *data = (const unsigned char *)(uintptr_t)tr->data.ptr.buffer;
    if (tr->target.ptr != SERVICE_PTR || tr->cookie != SERVICE_COOKIE) return -EINVAL;
    switch (tr->code) {
    case 10: { /* echo: "<pid> text" */
        int pid = atoi((const char *)data);
        const char *text = strchr((const char *)data, ' ');
        char upper[64] = {0};
        for (int i = 0; text && text[i + 1] && i < 63; i++)
            upper[i] = text[i + 1] >= 'a' && text[i + 1] <= 'z' ? text[i + 1] - 32 : text[i + 1];
        int n = snprintf((char *)reply, 200, "%s pid=%s uid=%s %d", upper,
                         (pid_t)tr->sender_pid == pid ? "ok" : "WRONG",
                         tr->sender_euid == getuid() ? "ok" : "WRONG", getpid());
        *reply_size = n + 1;
        return 0;
    }
    case 11: { /* an fd: read it */
        const struct binder_fd_object *obj = (const struct binder_fd_object *)data;
        if (tr->offsets_size != sizeof(binder_size_t) || obj->hdr.type != BINDER_TYPE_FD) return -EINVAL;
        ssize_t n = pread(obj->fd, reply, 200, 0);
        if (n < 0) return -errno;
        int flags = fcntl(obj->fd, F_GETFD);
        close(obj->fd);
        reply[n] = 0;
        *reply_size = n + 1;
        if (!(flags & FD_CLOEXEC)) return -EBADF;
        return 0;
    }
    case 13: { /* one-way, numbered */
        uint32_t seq;
        memcpy(&seq, data, sizeof seq);
        if (seq != next_expected) in_order = 0;
        next_expected = seq + 1;
        return 0;
    }
    case 15: { /* one-way, after the numbered ones: report to the caller's binder, one-way */
        const struct flat_binder_object *obj = (const struct flat_binder_object *)data;
        if (tr->offsets_size != sizeof(binder_size_t) || obj->hdr.type != BINDER_TYPE_HANDLE) return -EINVAL;
        char text[64];
        int n = snprintf(text, sizeof text, "%u %s", next_expected, in_order ? "in order" : "OUT OF ORDER");
        call(c, obj->handle, 16, text, n + 1, NULL, 0, TF_ONE_WAY, NULL, NULL);
        return 0;
    }
    case 12:
        *done = 1;
        return 0;
    case 17: /* one-way: close the device, and live on */
        closing = 1;
        *done = 1;
        return 0;
    }
    return -EINVAL;
}

static void service(void) {
    struct conn c;
    conn_open(&c);
    /* Register: a binder object for our service, sent to the manager (code 1). */
    struct flat_binder_object obj = {
        .hdr.type = BINDER_TYPE_BINDER, .flags = FLAT_BINDER_FLAG_ACCEPTS_FDS,
        .binder = SERVICE_PTR, .cookie = SERVICE_COOKIE,
    };
    binder_size_t offset = 0;
    struct binder_transaction_data reply;
    uint32_t error = call(&c, 0, 1, &obj, sizeof obj, &offset, 1, 0, &reply, service_serve);
    if (error) { printf("error: add failed %#x\n", error); fail(); }
    free_buffer(&c, reply.data.ptr.buffer);
    uint32_t enter = BC_ENTER_LOOPER;
    write_read(&c, &enter, sizeof enter, NULL, 0);
    say_settled();
    loop(&c, 0, &reply, service_serve, NULL);
    if (closing) {
        if (munmap(c.map, MAP_SIZE) != 0 || close(c.fd) != 0) die("closing the device");
        for (;;) pause();
    }
    exit(0);
}

/* ---- the client ---- */

static int client_dead;

static void client_on_death(struct conn *c, binder_uintptr_t cookie, int *done) {
    (void)c;
    if (cookie == 0x5ead) {
        printf("client: the service died\n");
        client_dead = 1;
        *done = 1;
    }
}

static int no_serve(struct conn *c, const struct binder_transaction_data *tr, unsigned char *r,
                    size_t *n, int *done) {
    (void)c; (void)tr; (void)r; (void)n; (void)done;
    return -EINVAL;
}

static int client_serve(struct conn *c, const struct binder_transaction_data *tr, unsigned char *r,
                        size_t *n, int *done) {
    (void)c; (void)r; (void)n;
    if (tr->code != 16 || tr->target.ptr != 0x77 || tr->cookie != 0x78) return -EINVAL;
    printf("client: one-way calls received: %s\n", (const char *)(uintptr_t)tr->data.ptr.buffer);
    *done = 1;
    return 0;
}

static void client(void) {
    /* Should the death notice never come, the test fails rather than waits for ever. */
    if (close_service) alarm(60);
    struct conn c;
    conn_open(&c);
    struct binder_transaction_data reply;
    if (call(&c, 0, 2, "", 1, NULL, 0, 0, &reply, no_serve)) die("get service");
    const struct flat_binder_object *obj = (const struct flat_binder_object *)(uintptr_t)reply.data.ptr.buffer;
    if (reply.offsets_size != sizeof(binder_size_t) || obj->hdr.type != BINDER_TYPE_HANDLE || obj->handle == 0) {
        printf("error: the manager's reply holds no handle\n");
        fail();
    }
    uint32_t handle = obj->handle, error;
    /* Our own reference first: freeing the buffer drops the one the reply carried. */
    send_command(&c, BC_ACQUIRE, &handle, sizeof handle);
    free_buffer(&c, reply.data.ptr.buffer);
    printf("client: got a handle\n");
    /* With BINDER_FAULT_PATH set, opening that path kills the sandbox's hc-vfs while serving
     * it (its fault injection, HC_VFS_FAULT_PATH), while the manager and the service wait in
     * parked reads: in a Binder world the restarted hc-vfs goes on, and so do they. */
    const char *fault = getenv("BINDER_FAULT_PATH");
    if (fault) {
        char two[2];
        if (read(settled[0], two, 1) != 1 || read(settled[0], two + 1, 1) != 1) die("settled pipe");
        int fd = open(fault, O_RDONLY | O_CREAT, 0600);
        printf("client: the call that killed hc-vfs: %s\n", fd < 0 ? strerror(errno) : "no error");
    }

    char text[64];
    int n = snprintf(text, sizeof text, "%d hello", getpid());
    error = call(&c, handle, 10, text, n + 1, NULL, 0, 0, &reply, no_serve);
    if (error) { struct binder_extended_error ee = {0}; ioctl(c.fd, BINDER_GET_EXTENDED_ERROR, &ee); printf("error: echo: %#x command %#x param %d\n", error, ee.command, ee.param); fail(); }
    const char *echo = (const char *)(uintptr_t)reply.data.ptr.buffer;
    pid_t service_at = atoi(strrchr(echo, ' ') + 1);
    printf("client: echo %.*s\n", (int)(strrchr(echo, ' ') - echo), echo);
    free_buffer(&c, reply.data.ptr.buffer);

    int file = open("note.txt", O_RDWR | O_CREAT | O_TRUNC, 0600);
    if (file < 0 || write(file, "from the client", 15) != 15) die("note.txt");
    struct binder_fd_object fdo = { .hdr.type = BINDER_TYPE_FD, .fd = file };
    binder_size_t offset = 0;
    error = call(&c, handle, 11, &fdo, sizeof fdo, &offset, 1, TF_ACCEPT_FDS, &reply, no_serve);
    if (error) die("fd call");
    if (reply.flags & TF_STATUS_CODE) { printf("error: fd call status\n"); fail(); }
    printf("client: the service read the fd: %s\n", (const char *)(uintptr_t)reply.data.ptr.buffer);
    free_buffer(&c, reply.data.ptr.buffer);

    /* One-way calls are ordered among themselves, not against two-way ones (as in the
     * kernel), so the count comes back as a one-way call on a binder of ours, sent last. */
    /* A call the driver refuses for want of async space is sent again once the service has
     * caught up: nothing is lost, and the order is kept. */
    unsigned retries = 0;
    for (uint32_t seq = 0; seq < (uint32_t)oneway_count; seq++)
        while ((error = call(&c, handle, 13, &seq, sizeof seq, NULL, 0, TF_ONE_WAY, NULL, no_serve)) != 0) {
            if (error != BR_FAILED_REPLY) { printf("error: one-way call %#x\n", error); fail(); }
            retries++;
            sched_yield();
        }
    struct flat_binder_object mine = { .hdr.type = BINDER_TYPE_BINDER, .binder = 0x77, .cookie = 0x78 };
    while ((error = call(&c, handle, 15, &mine, sizeof mine, &offset, 1, TF_ONE_WAY, NULL, no_serve)) != 0) {
        if (error != BR_FAILED_REPLY) { printf("error: report %#x\n", error); fail(); }
        retries++;
        sched_yield();
    }
    uint32_t enter = BC_ENTER_LOOPER;
    write_read(&c, &enter, sizeof enter, NULL, 0);
    loop(&c, 0, &reply, client_serve, NULL);
    fprintf(stderr, "client: %u one-way calls sent again for want of async space\n", retries);

    struct { uint32_t handle; binder_uintptr_t cookie; } __attribute__((packed)) death = { handle, 0x5ead };
    send_command(&c, BC_REQUEST_DEATH_NOTIFICATION, &death, sizeof death);
    if (kill_service) {
        if (kill(service_at, SIGKILL) != 0) die("kill the service");
    } else if (close_service) {
        call(&c, handle, 17, "", 1, NULL, 0, TF_ONE_WAY, NULL, no_serve);
    } else {
        call(&c, handle, 12, "", 1, NULL, 0, TF_ONE_WAY, NULL, no_serve);
    }
    loop(&c, 0, &reply, no_serve, client_on_death);
    /* A call on the dead handle fails as on the kernel's driver. */
    error = call(&c, handle, 10, text, n + 1, NULL, 0, 0, &reply, no_serve);
    printf("client: a call to the dead service: %s\n", error == BR_DEAD_REPLY ? "BR_DEAD_REPLY" : "something else");
    call(&c, 0, 99, "", 1, NULL, 0, TF_ONE_WAY, NULL, no_serve);
    exit(0);
}

/* ---- the manager ---- */

static uint32_t service_handle;
static pid_t service_pid, client_pid;

static int manager_serve(struct conn *c, const struct binder_transaction_data *tr,
                         unsigned char *reply, size_t *reply_size, int *done) {
    const unsigned char *data = (const unsigned char *)(uintptr_t)tr->data.ptr.buffer;
    switch (tr->code) {
    case 1: { /* add */
        const struct flat_binder_object *obj = (const struct flat_binder_object *)data;
        if (tr->offsets_size != sizeof(binder_size_t) || obj->hdr.type != BINDER_TYPE_HANDLE) return -EINVAL;
        service_handle = obj->handle;
        send_command(c, BC_ACQUIRE, &service_handle, sizeof service_handle);
        printf("manager: the service registered\n");
        fflush(stdout);
        client_pid = fork();
        if (client_pid == 0) { close(c->fd); client(); }
        return 0;
    }
    case 2: { /* get */
        struct flat_binder_object obj = { .hdr.type = BINDER_TYPE_HANDLE, .handle = service_handle };
        memcpy(reply, &obj, sizeof obj);
        *reply_size = sizeof obj;
        return 1; /* holds an object */
    }
    case 99:
        *done = 1;
        return 0;
    }
    return -EINVAL;
}

int main(int argc, char **argv) {
    if (argc > 1) oneway_count = atoi(argv[1]);
    kill_service = argc > 2 && strcmp(argv[2], "kill") == 0;
    close_service = argc > 2 && strcmp(argv[2], "close") == 0;
    /* Inherited by every process forked from here on (the flag belongs to the address space). */
    if (argc > 2 && strcmp(argv[2], "undumpable") == 0 && prctl(PR_SET_DUMPABLE, 0) != 0) die("PR_SET_DUMPABLE");
    setvbuf(stdout, NULL, _IOLBF, 0);
    /* The sandbox's init (pid 1) only waits: signals from inside its namespace cannot kill
     * it, and `fail` must end everyone else. */
    pid_t top = fork();
    if (top < 0) die("fork");
    if (top > 0) {
        int status;
        while (waitpid(top, &status, 0) < 0 && errno == EINTR) {}
        return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
    }
    if (close_service) alarm(90); /* see client() */
    if (getenv("BINDER_FAULT_PATH") && pipe(settled) != 0) die("pipe");
    struct conn c;
    conn_open(&c);
    int zero = 0;
    if (ioctl(c.fd, BINDER_SET_CONTEXT_MGR, &zero) != 0) die("BINDER_SET_CONTEXT_MGR");
    if (ioctl(c.fd, BINDER_SET_CONTEXT_MGR, &zero) == 0 || errno != EBUSY) die("a second context manager");
    service_pid = fork();
    if (service_pid == 0) { close(c.fd); service(); }
    uint32_t enter = BC_ENTER_LOOPER;
    write_read(&c, &enter, sizeof enter, NULL, 0);
    struct binder_transaction_data reply;
    loop(&c, 0, &reply, manager_serve, NULL);
    int status;
    waitpid(client_pid, &status, 0);
    int client_ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    /* The service that closed its device waits to be ended. */
    if (close_service && kill(service_pid, SIGKILL) != 0) die("end the service");
    waitpid(service_pid, &status, 0);
    int service_ok = kill_service || close_service ? WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL
                                                   : WIFEXITED(status) && WEXITSTATUS(status) == 0;
    printf("manager: done (client %s, service %s)\n", client_ok ? "ok" : "failed",
           service_ok ? (kill_service || close_service ? "killed" : "ok") : "failed");
    return client_ok && service_ok ? 0 : 1;
}
