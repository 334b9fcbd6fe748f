package hcpeer;

import hcpeer.IPeerCallback;

interface IPeer {
    String echo(in String message);
    int add(int a, int b);
    /** Calls back into the caller while the caller's call is still open (nested). */
    String askBack(IPeerCallback callback, in String question);
    /** One-way: answers with `count` one-way onEvent calls on `callback`. */
    oneway void fire(IPeerCallback callback, int count);
    int sizeOf(in byte[] data);
    byte[] blob(int size);
    /** Reads the pipe it is given to its end. */
    String readFd(in ParcelFileDescriptor fd);
    /** The caller's pid and uid as the driver reported them, and the service's own pid. */
    int[] identity();
    /** One-way: the service process exits. */
    oneway void quit();
    /** Works for `millis` ms on the thread the call came to; that thread's id. */
    int busyTid(int millis);
}
