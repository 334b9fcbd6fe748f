//! [`Channel`]: a bidirectional, message-oriented pipe between two endpoints that carries
//! bytes and handles, backed by `socketpair(AF_UNIX, SOCK_SEQPACKET)` and `SCM_RIGHTS`.

use std::io::{IoSlice, IoSliceMut};
use std::mem::MaybeUninit;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};

use rustix::io::Errno;
use rustix::net::{
    AddressFamily, RecvAncillaryBuffer, RecvAncillaryMessage, RecvFlags, ReturnFlags, SendAncillaryBuffer,
    SendAncillaryMessage, SendFlags, SocketFlags, SocketType,
};

use crate::Error;
use crate::handle::{Handle, kernel_object};
use crate::wire::{HEADER_LEN, Header, MAX_BODY, MAX_HANDLES};

/// One message: a header, a body of at most [`MAX_BODY`] bytes and at most [`MAX_HANDLES`]
/// handles.
#[derive(Debug)]
pub struct Message {
    pub header: Header,
    pub body: Vec<u8>,
    pub handles: Vec<Handle>,
}

/// One end of a channel. Writes never block: when the peer's queue is full they fail with
/// [`Error::QueueFull`] ([`Channel::write_waiting`] waits for room instead). Reads block until
/// a message arrives or the peer closes.
#[derive(Debug)]
pub struct Channel {
    fd: OwnedFd,
}

kernel_object!(Channel, Channel);

impl Channel {
    /// A new channel's two ends.
    pub fn pair() -> Result<(Channel, Channel), Error> {
        let (a, b) = rustix::net::socketpair(
            AddressFamily::UNIX,
            SocketType::SEQPACKET,
            SocketFlags::CLOEXEC,
            None,
        )
        .map_err(|e| Error::io("socketpair", e))?;
        Ok((Channel { fd: a }, Channel { fd: b }))
    }

    /// Another descriptor for this end (`dup`): a message written on either is the same end's,
    /// and the peer sees the end closed only once every copy is.
    pub fn try_clone(&self) -> Result<Channel, Error> {
        let fd = rustix::io::fcntl_dupfd_cloexec(&self.fd, 0).map_err(|e| Error::io("dup", e))?;
        Ok(Channel { fd })
    }

    pub(crate) fn from_fd_unchecked(fd: OwnedFd) -> Channel {
        Channel { fd }
    }

    /// A channel to the [`ChannelListener`] bound at `path`. Fails with the connect's error
    /// (`ENOENT`: nobody listens there; `ECONNREFUSED`: the listener is gone).
    pub fn connect(path: &std::path::Path) -> Result<Channel, Error> {
        let (fd, address) = seqpacket_socket(path)?;
        rustix::net::connect(&fd, &address).map_err(|e| Error::io("connect", e))?;
        Ok(Channel { fd })
    }

    /// Sends a message. The handles are duplicated into the peer: the caller keeps its own
    /// descriptors, and drops them to give the capability away.
    pub fn write(&self, message: &Message) -> Result<(), Error> {
        if message.body.len() > MAX_BODY {
            return Err(Error::BodyTooLarge {
                len: message.body.len(),
            });
        }
        if message.handles.len() > MAX_HANDLES {
            return Err(Error::TooManyHandles {
                count: message.handles.len(),
            });
        }
        let header = message.header.encode();
        let iov = [IoSlice::new(&header), IoSlice::new(&message.body)];
        let fds: Vec<BorrowedFd<'_>> = message.handles.iter().map(AsFd::as_fd).collect();
        let mut space = [MaybeUninit::uninit(); rustix::cmsg_space!(ScmRights(MAX_HANDLES))];
        let mut control = SendAncillaryBuffer::new(&mut space);
        if !fds.is_empty() && !control.push(SendAncillaryMessage::ScmRights(&fds)) {
            return Err(Error::TooManyHandles { count: fds.len() });
        }
        let flags = SendFlags::DONTWAIT | SendFlags::NOSIGNAL;
        match rustix::net::sendmsg(&self.fd, &iov, &mut control, flags) {
            Ok(_) => Ok(()),
            Err(Errno::PIPE | Errno::CONNRESET) => Err(Error::PeerClosed),
            Err(Errno::AGAIN) => Err(Error::QueueFull),
            Err(e) => Err(Error::io("sendmsg", e)),
        }
    }

    /// Sends a message, waiting while the peer's queue is full: for a stream of reports the
    /// reader must get every one of (telemetry), where a writer faster than its reader is to
    /// be slowed down, not to lose messages or make the reader hold them all.
    pub fn write_waiting(&self, message: &Message) -> Result<(), Error> {
        loop {
            match self.write(message) {
                Err(Error::QueueFull) => {
                    let mut poll = [rustix::event::PollFd::new(
                        &self.fd,
                        rustix::event::PollFlags::OUT,
                    )];
                    match rustix::event::poll(&mut poll, None) {
                        Ok(_) | Err(Errno::INTR) => {}
                        Err(e) => return Err(Error::io("poll", e)),
                    }
                }
                other => return other,
            }
        }
    }

    /// Receives the next message, waiting for one.
    pub fn read(&self) -> Result<Message, Error> {
        self.receive(RecvFlags::empty())?.ok_or(Error::PeerClosed)
    }

    /// Receives the next message if one is queued.
    pub fn try_read(&self) -> Result<Option<Message>, Error> {
        match self.receive(RecvFlags::DONTWAIT) {
            Err(Error::Io { source, .. }) if source.raw_os_error() == Some(Errno::AGAIN.raw_os_error()) => {
                Ok(None)
            }
            Ok(None) => Err(Error::PeerClosed),
            other => other,
        }
    }

    /// `Ok(None)` when the peer is closed.
    fn receive(&self, flags: RecvFlags) -> Result<Option<Message>, Error> {
        thread_local! {
            /// Room for the largest message, reused: a read allocates only its body.
            static BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
        }
        BUFFER.with_borrow_mut(|buffer| {
            buffer.resize(HEADER_LEN + MAX_BODY, 0);
            self.receive_into(buffer, flags)
        })
    }

    fn receive_into(&self, buffer: &mut [u8], flags: RecvFlags) -> Result<Option<Message>, Error> {
        let mut space = [MaybeUninit::uninit(); rustix::cmsg_space!(ScmRights(MAX_HANDLES))];
        // Dropping the control buffer closes any descriptor still in it, so every early
        // return below closes what arrived.
        let mut control = RecvAncillaryBuffer::new(&mut space);
        let received = loop {
            let mut iov = [IoSliceMut::new(buffer)];
            match rustix::net::recvmsg(&self.fd, &mut iov, &mut control, flags | RecvFlags::CMSG_CLOEXEC) {
                Err(Errno::INTR) => continue,
                Err(Errno::CONNRESET) => return Ok(None),
                Err(e) => return Err(Error::io("recvmsg", e)),
                Ok(received) => break received,
            }
        };
        let mut handles = Vec::new();
        for message in control.drain() {
            if let RecvAncillaryMessage::ScmRights(fds) = message {
                handles.extend(fds.map(Handle::from));
            }
        }
        // The control buffer has a few bytes of alignment slack, so a message with slightly
        // over 64 handles arrives whole: the limit is checked here, not left to CTRUNC.
        if received
            .flags
            .intersects(ReturnFlags::TRUNC | ReturnFlags::CTRUNC)
            || handles.len() > MAX_HANDLES
        {
            return Err(Error::Truncated);
        }
        if received.bytes == 0 && handles.is_empty() {
            return Ok(None);
        }
        let (header, body) = Header::decode(&buffer[..received.bytes])?;
        Ok(Some(Message {
            header,
            body: body.to_vec(),
            handles,
        }))
    }
}

/// A new `SOCK_SEQPACKET` socket and the address of `path`.
fn seqpacket_socket(path: &std::path::Path) -> Result<(OwnedFd, rustix::net::SocketAddrUnix), Error> {
    let fd = rustix::net::socket_with(
        AddressFamily::UNIX,
        SocketType::SEQPACKET,
        SocketFlags::CLOEXEC,
        None,
    )
    .map_err(|e| Error::io("socket", e))?;
    let address = rustix::net::SocketAddrUnix::new(path).map_err(|e| Error::io("socket path", e))?;
    Ok((fd, address))
}

/// A rendezvous for channels between unrelated processes: a `SOCK_SEQPACKET` socket bound at
/// a path, each accepted connection a [`Channel`]. Only processes of the listener's own user
/// are accepted: a channel is a capability, and the socket's path is no access check.
#[derive(Debug)]
pub struct ChannelListener {
    fd: OwnedFd,
}

impl ChannelListener {
    /// Listens at `path`, which must not exist; the socket is made readable and writable by
    /// its owner only.
    pub fn bind(path: &std::path::Path) -> Result<ChannelListener, Error> {
        let (fd, address) = seqpacket_socket(path)?;
        rustix::net::bind(&fd, &address).map_err(|e| Error::io("bind", e))?;
        rustix::fs::chmod(path, rustix::fs::Mode::from_raw_mode(0o600)).map_err(|e| Error::io("chmod", e))?;
        rustix::net::listen(&fd, 64).map_err(|e| Error::io("listen", e))?;
        Ok(ChannelListener { fd })
    }

    /// The next connection from a process of our own user, waiting for one; connections
    /// from other users are closed unanswered.
    pub fn accept(&self) -> Result<Channel, Error> {
        let ours = rustix::process::geteuid();
        loop {
            let fd = match rustix::net::accept_with(&self.fd, SocketFlags::CLOEXEC) {
                Ok(fd) => fd,
                Err(Errno::INTR | Errno::CONNABORTED) => continue,
                Err(e) => return Err(Error::io("accept", e)),
            };
            match rustix::net::sockopt::socket_peercred(&fd) {
                Ok(peer) if peer.uid == ours => return Ok(Channel { fd }),
                _ => continue,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::io::{Read, Seek, Write};

    use super::*;

    fn message(body: &[u8], handles: Vec<Handle>) -> Message {
        Message {
            header: Header::request(7, 1, 3),
            body: body.to_vec(),
            handles,
        }
    }

    #[test]
    fn a_waiting_write_to_a_full_queue_goes_through_once_the_reader_makes_room() {
        let (writer, reader) = Channel::pair().unwrap();
        let mut queued = 0u32;
        loop {
            match writer.write(&message(&queued.to_le_bytes(), Vec::new())) {
                Ok(()) => queued += 1,
                Err(Error::QueueFull) => break,
                Err(other) => panic!("{other}"),
            }
        }
        assert!(queued > 0);
        // The reader drains the queue and one more; the waiting write is that one.
        let draining = std::thread::spawn(move || {
            (0..=queued)
                .map(|_| u32::from_le_bytes(reader.read().unwrap().body.try_into().unwrap()))
                .collect::<Vec<_>>()
        });
        writer
            .write_waiting(&message(&queued.to_le_bytes(), Vec::new()))
            .unwrap();
        assert_eq!(draining.join().unwrap(), (0..=queued).collect::<Vec<_>>());
    }

    #[test]
    fn passed_handles_are_usable_on_the_other_side() {
        let (a, b) = Channel::pair().unwrap();
        let mut file = tempfile::tempfile().unwrap();
        file.write_all(b"written before passing").unwrap();
        let (inner_a, inner_b) = Channel::pair().unwrap();
        a.write(&message(b"two handles", vec![file.into(), inner_b.into()]))
            .unwrap();

        let received = b.read().unwrap();
        assert_eq!(received.header, Header::request(7, 1, 3));
        assert_eq!(received.body, b"two handles");
        let mut handles = received.handles.into_iter();
        let mut file = std::fs::File::from(handles.next().unwrap().into_fd());
        let mut text = String::new();
        file.rewind().unwrap();
        file.read_to_string(&mut text).unwrap();
        assert_eq!(text, "written before passing");
        let inner_b = Channel::try_from(handles.next().unwrap()).unwrap();
        inner_b
            .write(&message(b"over the passed channel", vec![]))
            .unwrap();
        assert_eq!(inner_a.read().unwrap().body, b"over the passed channel");
    }

    #[test]
    fn a_listener_at_a_path_gives_channels_to_whoever_connects() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("world.sock");
        assert!(Channel::connect(&path).is_err(), "nobody listens yet");
        let listener = ChannelListener::bind(&path).unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        assert!(ChannelListener::bind(&path).is_err(), "the path is taken");
        let client = Channel::connect(&path).unwrap();
        let server = listener.accept().unwrap();
        let (inner_a, inner_b) = Channel::pair().unwrap();
        client.write(&message(b"hello", vec![inner_b.into()])).unwrap();
        let received = server.read().unwrap();
        assert_eq!(received.body, b"hello");
        let inner_b = Channel::try_from(received.handles.into_iter().next().unwrap()).unwrap();
        inner_b.write(&message(b"back", vec![])).unwrap();
        assert_eq!(inner_a.read().unwrap().body, b"back");
        drop(server);
        assert!(matches!(client.read(), Err(Error::PeerClosed)));
    }

    #[test]
    fn limits_are_refused_before_sending() {
        let (a, b) = Channel::pair().unwrap();
        let full = vec![0xa5; MAX_BODY];
        a.write(&message(&full, vec![])).unwrap();
        assert_eq!(b.read().unwrap().body, full);
        let over = vec![0; MAX_BODY + 1];
        assert!(matches!(
            a.write(&message(&over, vec![])),
            Err(Error::BodyTooLarge { len }) if len == MAX_BODY + 1
        ));

        let events = |n| {
            (0..n)
                .map(|_| crate::Event::new().unwrap().into())
                .collect::<Vec<Handle>>()
        };
        a.write(&message(b"", events(MAX_HANDLES))).unwrap();
        assert_eq!(b.read().unwrap().handles.len(), MAX_HANDLES);
        assert!(matches!(
            a.write(&message(b"", events(MAX_HANDLES + 1))),
            Err(Error::TooManyHandles { count: 65 })
        ));
        assert!(b.try_read().unwrap().is_none());
    }

    /// A peer that bypasses [`Channel::write`] and sends more than the limits: the reader
    /// refuses the message and closes the descriptors that came with it.
    #[test]
    fn oversized_messages_are_truncated_errors_and_their_handles_closed() {
        let (a, b) = Channel::pair().unwrap();
        let send_raw = |len: usize, fds: &[BorrowedFd<'_>]| {
            let bytes = vec![0; len];
            let mut space = vec![MaybeUninit::uninit(); rustix::cmsg_space!(ScmRights(fds.len()))];
            let mut control = SendAncillaryBuffer::new(&mut space);
            assert!(control.push(SendAncillaryMessage::ScmRights(fds)));
            rustix::net::sendmsg(&a.fd, &[IoSlice::new(&bytes)], &mut control, SendFlags::empty()).unwrap();
        };

        // Too long: the pipe's write end travels with it and must be closed by the reader.
        let (reader, writer) = rustix::pipe::pipe().unwrap();
        send_raw(HEADER_LEN + MAX_BODY + 1, &[writer.as_fd()]);
        drop(writer);
        assert!(matches!(b.read(), Err(Error::Truncated)));
        let mut end = [0u8; 1];
        assert_eq!(
            rustix::io::read(&reader, &mut end),
            Ok(0),
            "the received write end is closed"
        );

        // Too many handles, just over the limit and far over it (the kernel cuts the list:
        // MSG_CTRUNC): the ones received are closed too.
        for count in [MAX_HANDLES + 1, 200] {
            let (reader, writer) = rustix::pipe::pipe().unwrap();
            let many: Vec<BorrowedFd<'_>> = (0..count).map(|_| writer.as_fd()).collect();
            send_raw(HEADER_LEN, &many);
            drop(writer);
            assert!(matches!(b.read(), Err(Error::Truncated)), "{count} handles");
            assert_eq!(
                rustix::io::read(&reader, &mut end),
                Ok(0),
                "the received write ends are closed"
            );
        }

        // A message shorter than a header.
        send_raw(3, &[]);
        assert!(matches!(
            b.read(),
            Err(Error::Wire(crate::wire::WireError::ShortHeader { len: 3 }))
        ));
    }

    #[test]
    fn peer_closed_is_its_own_error() {
        let (a, b) = Channel::pair().unwrap();
        a.write(&message(b"last words", vec![])).unwrap();
        drop(a);
        assert_eq!(b.read().unwrap().body, b"last words");
        assert!(matches!(b.read(), Err(Error::PeerClosed)));
        assert!(matches!(b.try_read(), Err(Error::PeerClosed)));
        assert!(matches!(b.write(&message(b"", vec![])), Err(Error::PeerClosed)));
        assert_eq!(Error::PeerClosed.errno(), Errno::IO.raw_os_error());
    }
}
