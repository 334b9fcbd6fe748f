//! `logd`: the sandbox's log daemon, a separate process (`hyper-compat __logd SOCKET`).
//!
//! Android's `liblog` writes each record as one datagram to `/dev/socket/logdw`: an 11-byte
//! header (`android_log_header_t`: log id, thread id, and the realtime clock as seconds and
//! nanoseconds, packed little-endian) and the payload — for text logs a priority byte, the tag
//! and the message, each string NUL-terminated; for the binary `events` buffers a 32-bit tag
//! and typed values. logd learns the writer's pid and uid from the socket's credentials
//! (`SO_PASSCRED`), as Android's does. This one writes each record as a `logcat -v threadtime`
//! line (pid and uid in the guest's terms) to its standard output, which `hyper-compat run`
//! points at `--log FILE` or its own standard error.
//!
//! The supervisor ([`Supervisor`]) starts it before the program, waits for its ready line, and
//! starts it again (on the same socket path) should it die while the program runs.

use std::io::{BufRead, BufReader, Write};
use std::os::fd::{AsFd, AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Mutex};

/// The argument with which `hyper-compat` starts itself as logd.
pub const LOGD_SERVER: &str = "__logd";
/// The line logd prints on standard error once its socket is bound.
const READY: &str = "logd: ready";
/// Fault injection for the restart test: a record whose message is exactly this ends logd.
pub const FAULT_ENV: &str = "HC_LOGD_FAULT_MESSAGE";

/// `liblog`'s log buffers, by id.
const BUFFERS: [&str; 8] = [
    "main", "radio", "events", "system", "crash", "stats", "security", "kernel",
];

/// One record as liblog wrote it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub buffer: u8,
    pub tid: u16,
    pub seconds: u32,
    pub nanoseconds: u32,
    /// Android priority (2 verbose … 7 fatal); 0 for binary event records.
    pub priority: u8,
    pub tag: String,
    pub message: String,
}

/// Parses one datagram; `None` when it is too short to be a record.
pub fn parse(datagram: &[u8]) -> Option<Record> {
    if datagram.len() < 11 {
        return None;
    }
    let buffer = datagram[0];
    let tid = u16::from_le_bytes([datagram[1], datagram[2]]);
    let seconds = u32::from_le_bytes(datagram[3..7].try_into().ok()?);
    let nanoseconds = u32::from_le_bytes(datagram[7..11].try_into().ok()?);
    let payload = &datagram[11..];
    // The binary buffers (events, stats, security) carry a tag number and typed values.
    if matches!(buffer, 2 | 5 | 6) {
        let tag = payload
            .get(..4)
            .map(|b| u32::from_le_bytes(b.try_into().expect("4 bytes")))?;
        let values: Vec<String> = payload[4..].iter().map(|b| format!("{b:02x}")).collect();
        return Some(Record {
            buffer,
            tid,
            seconds,
            nanoseconds,
            priority: 0,
            tag: tag.to_string(),
            message: values.join(""),
        });
    }
    let (&priority, rest) = payload.split_first()?;
    let mut parts = rest.splitn(2, |&b| b == 0);
    let tag = parts.next().unwrap_or_default();
    let message = parts.next().unwrap_or_default();
    let message = message.strip_suffix(&[0]).unwrap_or(message);
    Some(Record {
        buffer,
        tid,
        seconds,
        nanoseconds,
        priority,
        tag: String::from_utf8_lossy(tag).into_owned(),
        message: String::from_utf8_lossy(message).trim_end_matches('\n').to_owned(),
    })
}

/// `logcat -v threadtime`'s lines for a record (UTC): `MM-DD HH:MM:SS.mmm  PID  TID P TAG: MSG`,
/// one per line of the message, each with the whole prefix, as logcat prints them (so a
/// message cannot pass a line of its own for another writer's). Control characters but tabs
/// are shown escaped (`\x1b`): a guest's log must not drive the reader's terminal.
pub fn format(record: &Record, pid: u32) -> String {
    let priority = match record.priority {
        // Binary event records carry no priority; logcat shows them as I.
        0 | 4 => 'I',
        2 => 'V',
        3 => 'D',
        5 => 'W',
        6 => 'E',
        7 => 'F',
        _ => '?',
    };
    let (month, day, hour, minute, second) = civil(u64::from(record.seconds));
    let buffer = if record.buffer == 0 {
        String::new()
    } else {
        format!(
            "[{}] ",
            BUFFERS.get(usize::from(record.buffer)).copied().unwrap_or("?")
        )
    };
    let prefix = format!(
        "{month:02}-{day:02} {hour:02}:{minute:02}:{second:02}.{:03} {pid:5} {:5} {priority} {buffer}{}: ",
        record.nanoseconds.min(999_999_999) / 1_000_000,
        record.tid,
        printable(&record.tag),
    );
    record
        .message
        .split('\n')
        .map(|line| format!("{prefix}{}", printable(line)))
        .collect::<Vec<_>>()
        .join("\n")
}

/// `text` with its control characters but tabs escaped.
fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(|c| c.is_control() && c != '\t') {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut shown = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if c.is_control() && c != '\t' {
            shown.push_str(&format!("\\x{:02x}", u32::from(c)));
        } else {
            shown.push(c);
        }
    }
    std::borrow::Cow::Owned(shown)
}

/// Month, day, hour, minute, second of a Unix time (UTC).
fn civil(time: u64) -> (u64, u64, u64, u64, u64) {
    let (days, rest) = (time / 86_400, time % 86_400);
    // Howard Hinnant's days-to-civil algorithm.
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (month, day, rest / 3600, rest % 3600 / 60, rest % 60)
}

/// The server: binds `socket` (a datagram socket, writable by the guest) and writes every record
/// to standard output until killed.
pub fn server_main(socket: &Path) -> std::io::Result<()> {
    // Bound beside the path and renamed over it: a restarted logd replaces its predecessor's
    // socket in one step (writers never find the path missing, and a new inode tells them it
    // is a new socket).
    let mut fresh = socket.as_os_str().to_owned();
    fresh.push(format!(".{}", std::process::id()));
    let fresh = PathBuf::from(fresh);
    let _ = std::fs::remove_file(&fresh);
    let listener = std::os::unix::net::UnixDatagram::bind(&fresh)?;
    std::fs::set_permissions(&fresh, std::os::unix::fs::PermissionsExt::from_mode(0o666))?;
    std::fs::rename(&fresh, socket)?;
    let one: libc::c_int = 1;
    // SAFETY: setsockopt with a valid int option on a socket we own.
    let set = unsafe {
        libc::setsockopt(
            listener.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_PASSCRED,
            (&raw const one).cast(),
            size_of::<libc::c_int>() as libc::socklen_t,
        )
    };
    if set != 0 {
        return Err(std::io::Error::last_os_error());
    }
    // SAFETY: the supervisor's death ends the server.
    unsafe { libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) };
    eprintln!("{READY}");
    let fault = std::env::var(FAULT_ENV).ok();
    let stdout = std::io::stdout();
    let mut buffer = vec![0u8; 5 * 1024];
    loop {
        let (length, pid) = receive(&listener, &mut buffer)?;
        // The supervisor's empty datagram, queued behind every record the program sent: all
        // written, the end.
        if length == 0 && pid == std::os::unix::process::parent_id() {
            return Ok(());
        }
        let Some(record) = parse(&buffer[..length]) else {
            continue;
        };
        if fault.as_deref() == Some(record.message.as_str()) {
            // The socket first, so that a writer that can connect again reaches the next logd.
            drop(listener);
            std::process::exit(70);
        }
        let mut out = stdout.lock();
        writeln!(
            out,
            "{}",
            format(&record, guest_pid(pid).unwrap_or(u32::from(record.tid)))
        )?;
        out.flush()?;
    }
}

/// Receives one datagram and the sender's pid from its credentials.
fn receive(socket: &std::os::unix::net::UnixDatagram, buffer: &mut [u8]) -> std::io::Result<(usize, u32)> {
    let mut iov = libc::iovec {
        iov_base: buffer.as_mut_ptr().cast(),
        iov_len: buffer.len(),
    };
    #[repr(C, align(8))]
    struct Control([u8; 64]);
    let mut control = Control([0; 64]);
    // SAFETY: an all-zero msghdr is valid; its pointers are set below to live buffers.
    let mut message: libc::msghdr = unsafe { std::mem::zeroed() };
    message.msg_iov = &mut iov;
    message.msg_iovlen = 1;
    message.msg_control = control.0.as_mut_ptr().cast();
    message.msg_controllen = control.0.len();
    // SAFETY: recvmsg fills the buffers the msghdr points at.
    let length = unsafe { libc::recvmsg(socket.as_raw_fd(), &mut message, libc::MSG_CMSG_CLOEXEC) };
    if length < 0 {
        return Err(std::io::Error::last_os_error());
    }
    let mut pid = 0;
    // SAFETY: walks the control messages the kernel wrote into `control`.
    unsafe {
        let mut header = libc::CMSG_FIRSTHDR(&message);
        while !header.is_null() {
            if (*header).cmsg_level == libc::SOL_SOCKET && (*header).cmsg_type == libc::SCM_CREDENTIALS {
                let credentials = std::ptr::read_unaligned(libc::CMSG_DATA(header).cast::<libc::ucred>());
                pid = credentials.pid as u32;
            }
            // Descriptors a writer sent along mean nothing to a log: closed, or a guest could
            // fill logd's table with them and keep their files (a pipe's write end) alive.
            if (*header).cmsg_level == libc::SOL_SOCKET && (*header).cmsg_type == libc::SCM_RIGHTS {
                let bytes = (*header).cmsg_len as usize - libc::CMSG_LEN(0) as usize;
                let fds = libc::CMSG_DATA(header).cast::<libc::c_int>();
                for i in 0..bytes / size_of::<libc::c_int>() {
                    libc::close(std::ptr::read_unaligned(fds.add(i)));
                }
            }
            header = libc::CMSG_NXTHDR(&message, header);
        }
    }
    Ok((length as usize, pid))
}

/// The pid a host process has in its innermost pid namespace (the sandbox's), from
/// `/proc/<pid>/status`; `None` once it has exited (the caller then shows the writer's thread
/// id, its pid for a main thread).
fn guest_pid(pid: u32) -> Option<u32> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|line| line.starts_with("NSpid:"))?;
    line.split_whitespace().last()?.parse().ok()
}

/// Runs logd beside a sandbox and restarts it should it die.
#[derive(Debug)]
pub struct Supervisor {
    child: Arc<Mutex<Option<Child>>>,
    done: Arc<AtomicBool>,
    starts: Arc<AtomicU32>,
    watcher: Option<std::thread::JoinHandle<()>>,
    /// The folder holding the socket, bound into the guest at `/dev/socket`.
    pub dir: tempfile::TempDir,
}

impl Supervisor {
    /// Starts `exe __logd DIR/logdw` with its records going to `out`.
    pub fn start(exe: &Path, out: OwnedFd) -> std::io::Result<Supervisor> {
        let dir = tempfile::Builder::new().prefix("hyper-compat-socket").tempdir()?;
        // The guest (another uid inside its namespace) must reach the socket.
        std::fs::set_permissions(dir.path(), std::os::unix::fs::PermissionsExt::from_mode(0o755))?;
        let socket = dir.path().join("logdw");
        let child = spawn(exe, &socket, &out)?;
        let child = Arc::new(Mutex::new(Some(child)));
        let done = Arc::new(AtomicBool::new(false));
        let starts = Arc::new(AtomicU32::new(1));
        let watcher = {
            let (child, done, starts) = (Arc::clone(&child), Arc::clone(&done), Arc::clone(&starts));
            let exe = exe.to_path_buf();
            std::thread::spawn(move || watch(&exe, &socket, &out, &child, &done, &starts))
        };
        Ok(Supervisor {
            child,
            done,
            starts,
            watcher: Some(watcher),
            dir,
        })
    }

    /// Ends logd; how many times it was started.
    pub fn stop(mut self) -> u32 {
        self.shutdown()
    }

    fn shutdown(&mut self) -> u32 {
        if self.done.swap(true, Ordering::SeqCst) {
            return self.starts.load(Ordering::SeqCst);
        }
        // An empty datagram ends logd once it has written what is queued before it; should it
        // not get there (it is being restarted), it is killed.
        let drained = std::os::unix::net::UnixDatagram::unbound()
            .and_then(|socket| socket.send_to(&[], self.dir.path().join("logdw")))
            .is_ok();
        if !drained && let Some(child) = self.child.lock().unwrap_or_else(|p| p.into_inner()).as_mut() {
            let _ = child.kill();
        }
        if let Some(watcher) = self.watcher.take() {
            let _ = watcher.join();
        }
        self.starts.load(Ordering::SeqCst)
    }
}

impl Drop for Supervisor {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// Waits for logd to end and starts it again, until told the sandbox is done.
fn watch(
    exe: &Path,
    socket: &Path,
    out: &OwnedFd,
    child: &Mutex<Option<Child>>,
    done: &AtomicBool,
    starts: &AtomicU32,
) {
    loop {
        let Some(pid) = child
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .as_ref()
            .map(Child::id)
        else {
            return;
        };
        let mut status = 0;
        // SAFETY: waits for our own child; the Child handle is not waited on elsewhere.
        unsafe { libc::waitpid(pid as libc::pid_t, &mut status, 0) };
        let mut slot = child.lock().unwrap_or_else(|p| p.into_inner());
        *slot = None;
        if done.load(Ordering::SeqCst) {
            return;
        }
        match spawn(exe, socket, out) {
            Ok(next) => {
                starts.fetch_add(1, Ordering::SeqCst);
                *slot = Some(next);
            }
            Err(error) => {
                eprintln!("hyper-compat: logd could not be restarted: {error}");
                return;
            }
        }
    }
}

/// Starts logd and waits for its ready line.
fn spawn(exe: &Path, socket: &Path, out: &OwnedFd) -> std::io::Result<Child> {
    let mut child = Command::new(exe)
        .arg(LOGD_SERVER)
        .arg(std::ffi::OsStr::from_bytes(socket.as_os_str().as_bytes()))
        .stdin(Stdio::null())
        .stdout(Stdio::from(out.as_fd().try_clone_to_owned()?))
        .stderr(Stdio::piped())
        .spawn()?;
    let stderr = child.stderr.take().expect("piped");
    let mut line = String::new();
    let mut reader = BufReader::new(stderr);
    reader.read_line(&mut line)?;
    if line.trim_end() != READY {
        let _ = child.kill();
        let _ = child.wait();
        return Err(std::io::Error::other(format!(
            "logd did not start: {}",
            line.trim_end()
        )));
    }
    // Later complaints of logd go to our standard error.
    std::thread::spawn(move || {
        for line in reader.lines().map_while(Result::ok) {
            eprintln!("{line}");
        }
    });
    Ok(child)
}

/// Where records go: `--log FILE` (created or truncated), else a duplicate of standard error.
pub fn output(path: Option<&PathBuf>) -> std::io::Result<OwnedFd> {
    match path {
        Some(path) => Ok(OwnedFd::from(std::fs::File::create(path)?)),
        None => {
            // SAFETY: duplicates our standard error; the result is checked.
            let fd = unsafe { libc::fcntl(2, libc::F_DUPFD_CLOEXEC, 3) };
            if fd < 0 {
                return Err(std::io::Error::last_os_error());
            }
            // SAFETY: a new descriptor nobody else owns.
            Ok(unsafe { OwnedFd::from_raw_fd(fd) })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn datagram(buffer: u8, tid: u16, seconds: u32, nanos: u32, payload: &[u8]) -> Vec<u8> {
        let mut d = vec![buffer];
        d.extend_from_slice(&tid.to_le_bytes());
        d.extend_from_slice(&seconds.to_le_bytes());
        d.extend_from_slice(&nanos.to_le_bytes());
        d.extend_from_slice(payload);
        d
    }

    #[test]
    fn text_and_event_records_parse_and_format_as_logcat_does() {
        // 2026-12-03 04:05:06.789 UTC.
        let record = parse(&datagram(
            0,
            42,
            1_796_270_706,
            789_000_000,
            b"\x04MyTag\0hello there\n\0",
        ))
        .unwrap();
        assert_eq!(record.tag, "MyTag");
        assert_eq!(record.message, "hello there");
        assert_eq!(record.priority, 4);
        assert_eq!(
            format(&record, 7),
            "12-03 04:05:06.789     7    42 I MyTag: hello there"
        );
        let event = parse(&datagram(2, 1, 0, 0, &[0x10, 0x27, 0, 0, 0x00, 0x05])).unwrap();
        assert_eq!((event.tag.as_str(), event.message.as_str()), ("10000", "0005"));
        assert!(format(&event, 1).contains("[events] 10000: 0005"));
        assert_eq!(parse(b"short"), None);
    }

    #[test]
    fn a_message_cannot_forge_a_line_nor_drive_the_terminal() {
        let record = parse(&datagram(
            0,
            42,
            1_796_270_706,
            2_000_000_000,
            b"\x06Ta\x1bg\0first\n12-03 04:05:06.789     1     1 I init: forged\x1b[2J\tend\0",
        ))
        .unwrap();
        assert_eq!(
            format(&record, 7),
            "12-03 04:05:06.999     7    42 E Ta\\x1bg: first\n\
             12-03 04:05:06.999     7    42 E Ta\\x1bg: 12-03 04:05:06.789     1     1 I init: forged\\x1b[2J\tend"
        );
    }

    #[test]
    fn civil_dates_match_known_days() {
        assert_eq!(civil(0), (1, 1, 0, 0, 0));
        assert_eq!(civil(951_782_400), (2, 29, 0, 0, 0)); // 2000-02-29
        assert_eq!(civil(1_796_270_706), (12, 3, 4, 5, 6)); // 2026-12-03 04:05:06
    }
}
