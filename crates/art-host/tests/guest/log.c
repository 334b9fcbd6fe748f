/* Writes Android log records as liblog does: one datagram per record to /dev/socket/logdw, an
 * 11-byte header (log id, thread id, realtime seconds and nanoseconds, little-endian, packed)
 * then priority, tag and message, NUL-terminated. Usage: log [restart]
 * With `restart`, it then sends the message that makes logd (run with HC_LOGD_FAULT_MESSAGE set
 * to it) exit, waits until a new logd has bound the socket (a new inode at the path) and
 * writes once more. */
#include <stdio.h>
#include <string.h>
#include <sched.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

static const struct sockaddr_un logdw = { .sun_family = AF_UNIX, .sun_path = "/dev/socket/logdw" };

static int writer(void) {
    int sock = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (sock >= 0 && connect(sock, (const struct sockaddr *)&logdw, sizeof logdw) == 0) return sock;
    if (sock >= 0) close(sock);
    return -1;
}

static int send_log(int sock, unsigned char id, unsigned char priority, const char *tag, const char *msg) {
    unsigned char buf[512];
    size_t n = 0;
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    unsigned short tid = (unsigned short)syscall(SYS_gettid);
    unsigned int sec = (unsigned int)now.tv_sec, nsec = (unsigned int)now.tv_nsec;
    buf[n++] = id;
    memcpy(buf + n, &tid, 2); n += 2;
    memcpy(buf + n, &sec, 4); n += 4;
    memcpy(buf + n, &nsec, 4); n += 4;
    buf[n++] = priority;
    strcpy((char *)buf + n, tag); n += strlen(tag) + 1;
    strcpy((char *)buf + n, msg); n += strlen(msg) + 1;
    return send(sock, buf, n, 0) == (ssize_t)n ? 0 : -1;
}

int main(int argc, char **argv) {
    int sock = writer();
    if (sock < 0) { perror("connect /dev/socket/logdw"); return 1; }
    if (send_log(sock, 0, 4, "MyApp", "hello from the app") != 0) { perror("send"); return 1; }
    if (send_log(sock, 3, 6, "System", "an error\n") != 0) { perror("send"); return 1; }
    if (argc > 1) {
        struct stat before, now;
        if (stat(logdw.sun_path, &before) != 0) { perror("stat"); return 1; }
        send_log(sock, 0, 4, "MyApp", "crash logd");
        close(sock);
        for (;;) {
            sock = -1;
            if (stat(logdw.sun_path, &now) == 0 && now.st_ino != before.st_ino && (sock = writer()) >= 0) break;
            sched_yield();
        }
        if (send_log(sock, 0, 5, "MyApp", "after the restart") != 0) { perror("send"); return 1; }
    }
    return 0;
}
