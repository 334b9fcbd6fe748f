/*
 * libold.so: a legacy 32-bit-only (armeabi-v7a) JNI library with 4 KiB
 * segment alignment. Natives are bound with RegisterNatives from
 * JNI_OnLoad, as many older SDKs do. No system headers: see
 * stubs/include/jni_min.h.
 */
#include "jni_min.h"

#define LOG_TAG "legacy-32bit"
#define ACTIVITY_CLASS "org/hypercompat/corpus/legacy_32bit/MainActivity"

static jstring native_describe(JNIEnv *env, jobject thiz)
{
    char text[96];
    (void)thiz;

    snprintf(text, sizeof(text), "32-bit ARM library, pointer size %u, pid %d", (unsigned)sizeof(void *),
             (int)getpid());
    __android_log_print(ANDROID_LOG_INFO, LOG_TAG, "%s", text);
    return (*env)->NewStringUTF(env, text);
}

static const JNINativeMethod g_methods[] = {
    { "nativeDescribe", "()Ljava/lang/String;", (void *)native_describe },
};

JNIEXPORT jint JNI_OnLoad(JavaVM *vm, void *reserved)
{
    JNIEnv *env = NULL;
    jclass clazz;
    (void)reserved;

    if ((*vm)->GetEnv(vm, (void **)&env, JNI_VERSION_1_6) != JNI_OK)
        return JNI_ERR;
    clazz = (*env)->FindClass(env, ACTIVITY_CLASS);
    if (clazz == NULL) {
        __android_log_print(ANDROID_LOG_ERROR, LOG_TAG, "class %s not found", ACTIVITY_CLASS);
        return JNI_ERR;
    }
    if ((*env)->RegisterNatives(env, clazz, g_methods, sizeof(g_methods) / sizeof(g_methods[0])) != JNI_OK) {
        __android_log_print(ANDROID_LOG_ERROR, LOG_TAG, "RegisterNatives failed");
        return JNI_ERR;
    }
    (*env)->DeleteLocalRef(env, clazz);
    return JNI_VERSION_1_6;
}
