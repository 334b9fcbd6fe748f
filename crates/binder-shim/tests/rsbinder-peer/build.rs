fn main() {
    println!("cargo:rerun-if-changed=aidl");
    rsbinder_aidl::Builder::new()
        .source("aidl/hcpeer/IPeerCallback.aidl")
        .source("aidl/hcpeer/IPeer.aidl")
        .source("aidl/hypercompat/IEcho.aidl")
        .output("peer.rs")
        .generate()
        .expect("AIDL generation");
}
