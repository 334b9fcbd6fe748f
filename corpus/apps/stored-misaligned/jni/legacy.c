/*
 * liblegacy.so: a small JNI library shipped stored (uncompressed) in the
 * APK for extractNativeLibs="false", i.e. mapped directly from the APK.
 * No system headers: see stubs/include/jni_min.h.
 */
#include "jni_min.h"

#define LOG_TAG "stored-misaligned"

static unsigned int fnv1a(const char *s)
{
    unsigned int h = 2166136261u;
    size_t i, n = strlen(s);

    for (i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 16777619u;
    }
    return h;
}

JNIEXPORT jstring JNICALL
Java_org_hypercompat_corpus_stored_1misaligned_MainActivity_nativeChecksum(JNIEnv *env, jobject thiz)
{
    static const char seed[] = "loaded straight from the APK";
    char out[80];
    (void)thiz;

    snprintf(out, sizeof(out), "fnv1a(\"%s\") = %08x", seed, fnv1a(seed));
    __android_log_print(ANDROID_LOG_DEBUG, LOG_TAG, "%s", out);
    return (*env)->NewStringUTF(env, out);
}
