/*
 * libutils.so stub: the C-linkage exports of <utils/AndroidThreads.h>
 * (declared inside extern "C" in the platform header). libutils is not an
 * NDK library; apps that link it depend on a private platform library.
 * (androidGetTid() is gone from modern libutils; use bionic's gettid().)
 */
typedef __SIZE_TYPE__ size_t;
typedef int pid_t;
typedef int (*android_thread_func_t)(void *);
typedef void *android_thread_id_t;

int androidSetThreadPriority(pid_t tid, int prio) { (void)tid; (void)prio; return 0; }
int androidGetThreadPriority(pid_t tid) { (void)tid; return 0; }
int androidCreateThread(android_thread_func_t fn, void *arg) { (void)fn; (void)arg; return 0; }
int androidCreateThreadEtc(android_thread_func_t entry, void *user_data, const char *thread_name,
                           int thread_priority, size_t thread_stack_size, android_thread_id_t *thread_id)
{
    (void)entry; (void)user_data; (void)thread_name; (void)thread_priority; (void)thread_stack_size; (void)thread_id;
    return 0;
}
