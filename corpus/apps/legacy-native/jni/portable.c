/*
 * libportable.so: a Linux library dropped into the APK as a Linux distribution builds it,
 * linked against glibc (the cross toolchain's libc.so.6) instead of the NDK. Its imports carry
 * glibc symbol versions (strfry@GLIBC_2.17 on AArch64), which bionic does not define.
 */
#include "jni_min.h"

/* glibc's <string.h> (_GNU_SOURCE); bionic never had it. */
char *strfry(char *string);

JNIEXPORT char *portable_shuffle(char *text)
{
    return strfry(text);
}
