package hcpeer;

interface IPeerCallback {
    String ask(in String question);
    oneway void onEvent(int n);
}
