/*
 * jni_min.h - a minimal, freestanding subset of <jni.h> and a few libc/NDK
 * declarations for the corpus' native libraries. The corpus builds native
 * code with -nostdlib -ffreestanding, so no system header is included
 * anywhere: everything the sources use is declared here.
 *
 * The JNINativeInterface / JNIInvokeInterface tables keep the exact slot
 * layout of the real <jni.h>; unused slots are padding pointers.
 */
#ifndef HYPERCOMPAT_JNI_MIN_H
#define HYPERCOMPAT_JNI_MIN_H

typedef __SIZE_TYPE__ size_t;
typedef __PTRDIFF_TYPE__ ssize_t;
typedef __builtin_va_list va_list;
#define va_start(ap, last) __builtin_va_start(ap, last)
#define va_end(ap) __builtin_va_end(ap)
#define NULL ((void *)0)

typedef int pid_t;

/* ---- JNI primitive and reference types ---- */
typedef unsigned char jboolean;
typedef signed char jbyte;
typedef unsigned short jchar;
typedef short jshort;
typedef int jint;
typedef long long jlong;
typedef float jfloat;
typedef double jdouble;
typedef jint jsize;

typedef void *jobject;
typedef jobject jclass;
typedef jobject jstring;
typedef jobject jarray;
typedef jobject jthrowable;
typedef struct _jfieldID *jfieldID;
typedef struct _jmethodID *jmethodID;

typedef struct {
    const char *name;
    const char *signature;
    void *fnPtr;
} JNINativeMethod;

#define JNI_FALSE 0
#define JNI_TRUE 1
#define JNI_OK 0
#define JNI_ERR (-1)
#define JNI_VERSION_1_6 0x00010006

#define JNIEXPORT __attribute__((visibility("default")))
#define JNICALL

struct JNINativeInterface;
struct JNIInvokeInterface;
typedef const struct JNINativeInterface *JNIEnv;
typedef const struct JNIInvokeInterface *JavaVM;

struct JNINativeInterface {
    void *reserved0;
    void *reserved1;
    void *reserved2;
    void *reserved3;
    jint (*GetVersion)(JNIEnv *);                                   /*   4 */
    void *DefineClass;                                              /*   5 */
    jclass (*FindClass)(JNIEnv *, const char *);                    /*   6 */
    void *slots_7_12[6];                                            /*   7..12 */
    jint (*Throw)(JNIEnv *, jthrowable);                            /*  13 */
    jint (*ThrowNew)(JNIEnv *, jclass, const char *);               /*  14 */
    jthrowable (*ExceptionOccurred)(JNIEnv *);                      /*  15 */
    void (*ExceptionDescribe)(JNIEnv *);                            /*  16 */
    void (*ExceptionClear)(JNIEnv *);                               /*  17 */
    void (*FatalError)(JNIEnv *, const char *);                     /*  18 */
    void *slots_19_22[4];                                           /*  19..22 */
    void (*DeleteLocalRef)(JNIEnv *, jobject);                      /*  23 */
    void *slots_24_30[7];                                           /*  24..30 */
    jclass (*GetObjectClass)(JNIEnv *, jobject);                    /*  31 */
    void *IsInstanceOf;                                             /*  32 */
    jmethodID (*GetMethodID)(JNIEnv *, jclass, const char *, const char *); /* 33 */
    void *slots_34_112[79];                                         /*  34..112 */
    jmethodID (*GetStaticMethodID)(JNIEnv *, jclass, const char *, const char *); /* 113 */
    void *slots_114_162[49];                                        /* 114..162 */
    jstring (*NewString)(JNIEnv *, const jchar *, jsize);           /* 163 */
    jsize (*GetStringLength)(JNIEnv *, jstring);                    /* 164 */
    void *GetStringChars;                                           /* 165 */
    void *ReleaseStringChars;                                       /* 166 */
    jstring (*NewStringUTF)(JNIEnv *, const char *);                /* 167 */
    jsize (*GetStringUTFLength)(JNIEnv *, jstring);                 /* 168 */
    const char *(*GetStringUTFChars)(JNIEnv *, jstring, jboolean *); /* 169 */
    void (*ReleaseStringUTFChars)(JNIEnv *, jstring, const char *); /* 170 */
    jsize (*GetArrayLength)(JNIEnv *, jarray);                      /* 171 */
    void *slots_172_214[43];                                        /* 172..214 */
    jint (*RegisterNatives)(JNIEnv *, jclass, const JNINativeMethod *, jint); /* 215 */
    jint (*UnregisterNatives)(JNIEnv *, jclass);                    /* 216 */
    void *slots_217_227[11];                                        /* 217..227 */
    jboolean (*ExceptionCheck)(JNIEnv *);                           /* 228 */
};

struct JNIInvokeInterface {
    void *reserved0;
    void *reserved1;
    void *reserved2;
    jint (*DestroyJavaVM)(JavaVM *);
    jint (*AttachCurrentThread)(JavaVM *, JNIEnv **, void *);
    jint (*DetachCurrentThread)(JavaVM *);
    jint (*GetEnv)(JavaVM *, void **, jint);
    jint (*AttachCurrentThreadAsDaemon)(JavaVM *, JNIEnv **, void *);
};

/* ---- <android/log.h> ---- */
#define ANDROID_LOG_DEBUG 3
#define ANDROID_LOG_INFO 4
#define ANDROID_LOG_WARN 5
#define ANDROID_LOG_ERROR 6
int __android_log_print(int prio, const char *tag, const char *fmt, ...);
int __android_log_write(int prio, const char *tag, const char *text);

/* ---- <string.h> / <stdio.h> / <stdlib.h> / <unistd.h> subset ---- */
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
char *strncpy(char *dst, const char *src, size_t n);
void *memset(void *s, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
int snprintf(char *buf, size_t size, const char *fmt, ...);
int atoi(const char *s);
pid_t getpid(void);
pid_t gettid(void);

/* ---- <dlfcn.h> subset ---- */
#define RTLD_LAZY 0x00001
#define RTLD_NOW 0x00002
void *dlopen(const char *filename, int flags);
void *dlsym(void *handle, const char *symbol);
int dlclose(void *handle);
char *dlerror(void);

#endif /* HYPERCOMPAT_JNI_MIN_H */
