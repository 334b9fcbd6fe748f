package hypercompat;

/** The Binder face of the microkernel's example native service (`echo_service`). */
interface IEcho {
    String echo(in String text);
}
