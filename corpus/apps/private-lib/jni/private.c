/*
 * libprivate.so: native code that depends on Android platform-private
 * libraries (libcutils, libutils, libandroid_runtime) that are not part of
 * the NDK. Since Android 7.0 the linker namespace blocks apps from using
 * them. No system headers: see stubs/include/jni_min.h.
 */
#include "jni_min.h"

#define LOG_TAG "private-lib"

/* <cutils/properties.h> */
#define PROPERTY_VALUE_MAX 92
int property_get(const char *key, char *value, const char *default_value);
int property_get_int32(const char *key, int default_value);

/* <cutils/trace.h> (the inline ATRACE_BEGIN/ATRACE_END call these) */
void atrace_begin_body(const char *name);
void atrace_end_body(void);

/* <utils/AndroidThreads.h>, declared extern "C" by the platform */
int androidSetThreadPriority(pid_t tid, int prio);
int androidGetThreadPriority(pid_t tid);

#define ANDROID_PRIORITY_DISPLAY (-4)

/* android::AndroidRuntime::getJNIEnv() in libandroid_runtime.so */
#define RUNTIME_GET_JNI_ENV "_ZN7android14AndroidRuntime9getJNIEnvEv"

typedef JNIEnv *(*get_jni_env_fn)(void);

static int probe_android_runtime(void)
{
    void *handle = dlopen("libandroid_runtime.so", RTLD_NOW);
    get_jni_env_fn get_env;

    if (handle == NULL) {
        __android_log_print(ANDROID_LOG_WARN, LOG_TAG, "dlopen(libandroid_runtime.so): %s", dlerror());
        return 0;
    }
    get_env = (get_jni_env_fn)dlsym(handle, RUNTIME_GET_JNI_ENV);
    __android_log_print(ANDROID_LOG_INFO, LOG_TAG, "AndroidRuntime::getJNIEnv at %p, env %p", (void *)get_env,
                        get_env != NULL ? (void *)get_env() : NULL);
    dlclose(handle);
    return get_env != NULL;
}

JNIEXPORT jstring JNICALL
Java_org_hypercompat_corpus_private_1lib_MainActivity_readPlatformInfo(JNIEnv *env, jobject thiz)
{
    char fingerprint[PROPERTY_VALUE_MAX];
    char report[256];
    int sdk;
    pid_t tid;
    int runtime;
    (void)thiz;

    atrace_begin_body("readPlatformInfo");

    property_get("ro.build.fingerprint", fingerprint, "unknown");
    sdk = property_get_int32("ro.build.version.sdk", 0);

    tid = gettid();
    if (androidSetThreadPriority(tid, ANDROID_PRIORITY_DISPLAY) != 0) {
        __android_log_print(ANDROID_LOG_WARN, LOG_TAG, "androidSetThreadPriority(%d) failed", tid);
    }

    runtime = probe_android_runtime();

    snprintf(report, sizeof(report), "sdk=%d tid=%d prio=%d runtime=%s\n%s", sdk, tid,
             androidGetThreadPriority(tid), runtime ? "yes" : "no", fingerprint);

    atrace_end_body();
    return (*env)->NewStringUTF(env, report);
}
