/*
 * libtextrel.so, built without -fPIC for 32-bit ARM as old makefiles did: the address of a
 * global is loaded from a literal pool inside .text, so the linker leaves an absolute
 * relocation in the code (DT_TEXTREL). Android refuses such libraries for targetSdk >= 23.
 */
#include "jni_min.h"

static int g_counter;

JNIEXPORT int *legacy_counter(void)
{
    g_counter++;
    return &g_counter;
}
