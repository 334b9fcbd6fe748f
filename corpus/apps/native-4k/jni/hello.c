/*
 * libhello.so: the classic NDK "hello-jni" sample, built with
 * -z max-page-size=4096. No system headers: see stubs/include/jni_min.h.
 */
#include "jni_min.h"

#define LOG_TAG "hello-jni"

#if defined(__aarch64__)
#define ABI "arm64-v8a"
#elif defined(__arm__)
#define ABI "armeabi-v7a"
#elif defined(__x86_64__)
#define ABI "x86_64"
#else
#define ABI "unknown"
#endif

static JavaVM *g_vm;
static int g_calls;

JNIEXPORT jint JNI_OnLoad(JavaVM *vm, void *reserved)
{
    JNIEnv *env = NULL;
    (void)reserved;

    if ((*vm)->GetEnv(vm, (void **)&env, JNI_VERSION_1_6) != JNI_OK) {
        __android_log_print(ANDROID_LOG_ERROR, LOG_TAG, "GetEnv failed");
        return JNI_ERR;
    }
    g_vm = vm;
    __android_log_print(ANDROID_LOG_INFO, LOG_TAG, "JNI_OnLoad: JNI version 0x%x", (*env)->GetVersion(env));
    return JNI_VERSION_1_6;
}

JNIEXPORT jstring JNICALL
Java_org_hypercompat_corpus_native_14k_MainActivity_stringFromJNI(JNIEnv *env, jobject thiz)
{
    char message[128];
    int written;
    (void)thiz;

    g_calls++;
    written = snprintf(message, sizeof(message), "Hello from JNI! Compiled as %s, call #%d", ABI, g_calls);
    if (written < 0 || (size_t)written != strlen(message)) {
        __android_log_print(ANDROID_LOG_WARN, LOG_TAG, "message truncated (%d)", written);
    }
    __android_log_print(ANDROID_LOG_DEBUG, LOG_TAG, "stringFromJNI -> \"%s\" (%u bytes)", message,
                        (unsigned)strlen(message));
    return (*env)->NewStringUTF(env, message);
}
