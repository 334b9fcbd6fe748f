//! [`Vmo`]: a virtual memory object, a memfd that can be sized, written, mapped and sealed.

use std::ffi::CStr;
use std::os::fd::OwnedFd;

use memmap2::Mmap;
use rustix::fs::{MemfdFlags, SealFlags};

use crate::Error;
use crate::handle::kernel_object;

/// A memory object: how payloads over 64 KiB, and shared memory, travel between processes.
#[derive(Debug)]
pub struct Vmo {
    fd: OwnedFd,
}

kernel_object!(Vmo, Vmo);

impl Vmo {
    /// A zero-filled object of `size` bytes; `name` shows in `/proc/<pid>/fd` for debugging.
    pub fn create(name: &CStr, size: u64) -> Result<Vmo, Error> {
        let fd = rustix::fs::memfd_create(name, MemfdFlags::CLOEXEC | MemfdFlags::ALLOW_SEALING)
            .map_err(|e| Error::io("memfd_create", e))?;
        rustix::fs::ftruncate(&fd, size).map_err(|e| Error::io("ftruncate", e))?;
        Ok(Vmo { fd })
    }

    /// An object holding a copy of `bytes`.
    pub fn from_bytes(name: &CStr, bytes: &[u8]) -> Result<Vmo, Error> {
        let vmo = Vmo::create(name, bytes.len() as u64)?;
        vmo.write(0, bytes)?;
        Ok(vmo)
    }

    pub(crate) fn from_fd_unchecked(fd: OwnedFd) -> Vmo {
        Vmo { fd }
    }

    pub fn size(&self) -> Result<u64, Error> {
        let stat = rustix::fs::fstat(&self.fd).map_err(|e| Error::io("fstat", e))?;
        Ok(u64::try_from(stat.st_size).unwrap_or(0))
    }

    /// Grows or shrinks the object (fails with `EPERM` once sealed).
    pub fn set_size(&self, size: u64) -> Result<(), Error> {
        rustix::fs::ftruncate(&self.fd, size).map_err(|e| Error::io("ftruncate", e))
    }

    /// Writes all of `bytes` at `offset`, growing the object if needed (fails with `EPERM`
    /// once sealed).
    pub fn write(&self, mut offset: u64, mut bytes: &[u8]) -> Result<(), Error> {
        while !bytes.is_empty() {
            match rustix::io::pwrite(&self.fd, bytes, offset) {
                Ok(n) => {
                    bytes = &bytes[n..];
                    offset += n as u64;
                }
                Err(rustix::io::Errno::INTR) => {}
                Err(e) => return Err(Error::io("pwrite", e)),
            }
        }
        Ok(())
    }

    /// Reads into `buffer` from `offset`; returns how many bytes there were (fewer than the
    /// buffer at the end of the object).
    pub fn read(&self, mut offset: u64, buffer: &mut [u8]) -> Result<usize, Error> {
        let mut filled = 0;
        while filled < buffer.len() {
            match rustix::io::pread(&self.fd, &mut buffer[filled..], offset) {
                Ok(0) => break,
                Ok(n) => {
                    filled += n;
                    offset += n as u64;
                }
                Err(rustix::io::Errno::INTR) => {}
                Err(e) => return Err(Error::io("pread", e)),
            }
        }
        Ok(filled)
    }

    /// The whole content.
    pub fn read_all(&self) -> Result<Vec<u8>, Error> {
        let size = usize::try_from(self.size()?).map_err(|_| Error::io("read", rustix::io::Errno::FBIG))?;
        let mut bytes = vec![0; size];
        let n = self.read(0, &mut bytes)?;
        bytes.truncate(n);
        Ok(bytes)
    }

    /// Makes the object immutable for every holder, for good: no write, resize or further
    /// seal (`F_SEAL_WRITE | F_SEAL_GROW | F_SEAL_SHRINK | F_SEAL_SEAL`). A receiver can check
    /// [`Vmo::is_read_only`] and then trust the content not to change under it. Fails with
    /// `EBUSY` while a writable shared mapping exists.
    pub fn seal_read_only(&self) -> Result<(), Error> {
        rustix::fs::fcntl_add_seals(
            &self.fd,
            SealFlags::WRITE | SealFlags::GROW | SealFlags::SHRINK | SealFlags::SEAL,
        )
        .map_err(|e| Error::io("fcntl(F_ADD_SEALS)", e))
    }

    /// Whether [`Vmo::seal_read_only`] was applied (by any holder).
    pub fn is_read_only(&self) -> Result<bool, Error> {
        let seals = rustix::fs::fcntl_get_seals(&self.fd).map_err(|e| Error::io("fcntl(F_GET_SEALS)", e))?;
        Ok(seals.contains(SealFlags::WRITE | SealFlags::GROW | SealFlags::SHRINK))
    }

    /// A read-only shared mapping of the whole object.
    ///
    /// Only sealed objects are mapped: a holder that can still shrink the object could make
    /// reads of the mapping fault (`SIGBUS`).
    pub fn map_read_only(&self) -> Result<Mmap, Error> {
        if !self.is_read_only()? {
            return Err(Error::io("mmap of an unsealed vmo", rustix::io::Errno::PERM));
        }
        // SAFETY: the object is sealed against writes, growing and shrinking, so no holder
        // can change the mapped bytes or truncate them away while the mapping lives.
        unsafe { Mmap::map(&self.fd) }.map_err(|e| Error::Io {
            op: "mmap",
            source: e,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Channel, Handle, HandleKind, Message, wire::Header};

    #[test]
    fn sealing_makes_writes_fail_with_eperm_and_allows_mapping() {
        let vmo = Vmo::create(c"test", 0).unwrap();
        vmo.write(4, b"data").unwrap();
        assert_eq!(vmo.size().unwrap(), 8);
        assert_eq!(vmo.read_all().unwrap(), b"\0\0\0\0data");
        assert!(vmo.map_read_only().is_err(), "unsealed objects are not mapped");

        vmo.seal_read_only().unwrap();
        assert!(vmo.is_read_only().unwrap());
        let eperm = Some(rustix::io::Errno::PERM.raw_os_error());
        let Err(Error::Io { source, .. }) = vmo.write(0, b"x") else {
            panic!("write after sealing succeeded");
        };
        assert_eq!(source.raw_os_error(), eperm);
        let Err(error) = vmo.set_size(100) else {
            panic!("resize after sealing succeeded");
        };
        assert_eq!(error.errno(), rustix::io::Errno::PERM.raw_os_error());
        assert_eq!(&vmo.map_read_only().unwrap()[..], b"\0\0\0\0data");
    }

    #[test]
    fn a_sealed_vmo_stays_sealed_on_the_other_side() {
        let (a, b) = Channel::pair().unwrap();
        let vmo = Vmo::from_bytes(c"payload", &[7; 100_000]).unwrap();
        vmo.seal_read_only().unwrap();
        let handle = Handle::from(vmo);
        assert_eq!(handle.kind(), HandleKind::Vmo);
        a.write(&Message {
            header: Header::request(1, 1, 0),
            body: vec![],
            handles: vec![handle],
        })
        .unwrap();
        let received = Vmo::try_from(b.read().unwrap().handles.remove(0)).unwrap();
        assert!(received.is_read_only().unwrap());
        assert!(received.write(0, b"x").is_err());
        assert_eq!(received.map_read_only().unwrap().len(), 100_000);
        assert!(received.map_read_only().unwrap().iter().all(|&b| b == 7));
    }
}
