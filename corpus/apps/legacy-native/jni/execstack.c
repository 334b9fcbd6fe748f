/*
 * libexecstack.so: linked with -z execstack, as code with GCC nested-function trampolines
 * or old assembly without a .note.GNU-stack section ends up. Otherwise ordinary, 16 KiB aligned.
 */
#include "jni_min.h"

/* Old GPU code opened the Adreno node directly; the target has no such device. */
JNIEXPORT const char *legacy_gpu_node(void)
{
    return "/dev/kgsl-3d0";
}

JNIEXPORT int legacy_sum(const int *values, int count)
{
    int sum = 0;
    for (int i = 0; i < count; i++)
        sum += values[i];
    return sum;
}
