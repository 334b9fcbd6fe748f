//! The constants of `binder_shim::uapi` equal the kernel header's
//! (`<linux/android/binder.h>` from Debian's `linux-libc-dev`), compiled and printed by `cc`.

use std::process::Command;

use binder_shim::uapi::*;

#[test]
fn every_number_equals_the_kernel_headers() {
    let ours: &[(&str, u64)] = &[
        ("BINDER_WRITE_READ", BINDER_WRITE_READ.into()),
        ("BINDER_SET_IDLE_TIMEOUT", BINDER_SET_IDLE_TIMEOUT.into()),
        ("BINDER_SET_MAX_THREADS", BINDER_SET_MAX_THREADS.into()),
        ("BINDER_SET_IDLE_PRIORITY", BINDER_SET_IDLE_PRIORITY.into()),
        ("BINDER_SET_CONTEXT_MGR", BINDER_SET_CONTEXT_MGR.into()),
        ("BINDER_THREAD_EXIT", BINDER_THREAD_EXIT.into()),
        ("BINDER_VERSION", BINDER_VERSION.into()),
        (
            "BINDER_GET_NODE_INFO_FOR_REF",
            BINDER_GET_NODE_INFO_FOR_REF.into(),
        ),
        ("BINDER_SET_CONTEXT_MGR_EXT", BINDER_SET_CONTEXT_MGR_EXT.into()),
        (
            "BINDER_ENABLE_ONEWAY_SPAM_DETECTION",
            BINDER_ENABLE_ONEWAY_SPAM_DETECTION.into(),
        ),
        ("BINDER_GET_EXTENDED_ERROR", BINDER_GET_EXTENDED_ERROR.into()),
        ("BC_TRANSACTION", BC_TRANSACTION.into()),
        ("BC_REPLY", BC_REPLY.into()),
        ("BC_ACQUIRE_RESULT", BC_ACQUIRE_RESULT.into()),
        ("BC_FREE_BUFFER", BC_FREE_BUFFER.into()),
        ("BC_INCREFS", BC_INCREFS.into()),
        ("BC_ACQUIRE", BC_ACQUIRE.into()),
        ("BC_RELEASE", BC_RELEASE.into()),
        ("BC_DECREFS", BC_DECREFS.into()),
        ("BC_INCREFS_DONE", BC_INCREFS_DONE.into()),
        ("BC_ACQUIRE_DONE", BC_ACQUIRE_DONE.into()),
        ("BC_ATTEMPT_ACQUIRE", BC_ATTEMPT_ACQUIRE.into()),
        ("BC_REGISTER_LOOPER", BC_REGISTER_LOOPER.into()),
        ("BC_ENTER_LOOPER", BC_ENTER_LOOPER.into()),
        ("BC_EXIT_LOOPER", BC_EXIT_LOOPER.into()),
        (
            "BC_REQUEST_DEATH_NOTIFICATION",
            BC_REQUEST_DEATH_NOTIFICATION.into(),
        ),
        ("BC_CLEAR_DEATH_NOTIFICATION", BC_CLEAR_DEATH_NOTIFICATION.into()),
        ("BC_DEAD_BINDER_DONE", BC_DEAD_BINDER_DONE.into()),
        ("BC_TRANSACTION_SG", BC_TRANSACTION_SG.into()),
        ("BC_REPLY_SG", BC_REPLY_SG.into()),
        ("BR_ERROR", BR_ERROR.into()),
        ("BR_OK", BR_OK.into()),
        ("BR_TRANSACTION_SEC_CTX", BR_TRANSACTION_SEC_CTX.into()),
        ("BR_TRANSACTION", BR_TRANSACTION.into()),
        ("BR_REPLY", BR_REPLY.into()),
        ("BR_DEAD_REPLY", BR_DEAD_REPLY.into()),
        ("BR_TRANSACTION_COMPLETE", BR_TRANSACTION_COMPLETE.into()),
        ("BR_INCREFS", BR_INCREFS.into()),
        ("BR_ACQUIRE", BR_ACQUIRE.into()),
        ("BR_RELEASE", BR_RELEASE.into()),
        ("BR_DECREFS", BR_DECREFS.into()),
        ("BR_NOOP", BR_NOOP.into()),
        ("BR_SPAWN_LOOPER", BR_SPAWN_LOOPER.into()),
        ("BR_DEAD_BINDER", BR_DEAD_BINDER.into()),
        (
            "BR_CLEAR_DEATH_NOTIFICATION_DONE",
            BR_CLEAR_DEATH_NOTIFICATION_DONE.into(),
        ),
        ("BR_FAILED_REPLY", BR_FAILED_REPLY.into()),
        ("BR_ONEWAY_SPAM_SUSPECT", BR_ONEWAY_SPAM_SUSPECT.into()),
        ("BINDER_TYPE_BINDER", TYPE_BINDER.into()),
        ("BINDER_TYPE_WEAK_BINDER", TYPE_WEAK_BINDER.into()),
        ("BINDER_TYPE_HANDLE", TYPE_HANDLE.into()),
        ("BINDER_TYPE_WEAK_HANDLE", TYPE_WEAK_HANDLE.into()),
        ("BINDER_TYPE_FD", TYPE_FD.into()),
        ("BINDER_TYPE_FDA", TYPE_FDA.into()),
        ("BINDER_TYPE_PTR", TYPE_PTR.into()),
        (
            "FLAT_BINDER_FLAG_ACCEPTS_FDS",
            FLAT_BINDER_FLAG_ACCEPTS_FDS.into(),
        ),
        (
            "FLAT_BINDER_FLAG_TXN_SECURITY_CTX",
            FLAT_BINDER_FLAG_TXN_SECURITY_CTX.into(),
        ),
        ("BINDER_BUFFER_FLAG_HAS_PARENT", BUFFER_FLAG_HAS_PARENT.into()),
        ("TF_ONE_WAY", TF_ONE_WAY.into()),
        ("TF_ACCEPT_FDS", TF_ACCEPT_FDS.into()),
        ("BINDER_CURRENT_PROTOCOL_VERSION", CURRENT_PROTOCOL_VERSION as u64),
        ("sizeof(struct binder_write_read)", WRITE_READ_SIZE as u64),
        (
            "sizeof(struct binder_transaction_data)",
            TRANSACTION_DATA_SIZE as u64,
        ),
        (
            "sizeof(struct binder_transaction_data_sg)",
            TRANSACTION_DATA_EXT_SIZE as u64,
        ),
        (
            "sizeof(struct binder_transaction_data_secctx)",
            TRANSACTION_DATA_EXT_SIZE as u64,
        ),
        ("sizeof(struct flat_binder_object)", FLAT_OBJECT_SIZE as u64),
        ("sizeof(struct binder_fd_object)", FLAT_OBJECT_SIZE as u64),
        ("sizeof(struct binder_buffer_object)", BUFFER_OBJECT_SIZE as u64),
        (
            "sizeof(struct binder_node_info_for_ref)",
            NODE_INFO_FOR_REF_SIZE as u64,
        ),
        (
            "sizeof(struct binder_fd_array_object)",
            FD_ARRAY_OBJECT_SIZE as u64,
        ),
    ];
    let dir = tempfile_dir();
    let source = dir.join("uapi.c");
    let mut c = String::from("#include <stdio.h>\n#include <linux/android/binder.h>\nint main(void) {\n");
    for (name, _) in ours {
        c.push_str(&format!("  printf(\"%llu\\n\", (unsigned long long)({name}));\n"));
    }
    c.push_str("  return 0;\n}\n");
    std::fs::write(&source, c).unwrap();
    let binary = dir.join("uapi");
    let status = Command::new("cc")
        .arg("-o")
        .arg(&binary)
        .arg(&source)
        .status()
        .expect("cc");
    assert!(
        status.success(),
        "cc could not compile against <linux/android/binder.h> (package linux-libc-dev)"
    );
    let output = Command::new(&binary).output().unwrap();
    let theirs: Vec<u64> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|l| l.parse().unwrap())
        .collect();
    for ((name, ours), theirs) in ours.iter().zip(&theirs) {
        assert_eq!(ours, theirs, "{name}");
    }
    assert_eq!(theirs.len(), ours.len());
}

fn tempfile_dir() -> std::path::PathBuf {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("binder-uapi");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
