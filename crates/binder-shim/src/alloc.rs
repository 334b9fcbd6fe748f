//! The transaction-buffer allocator of one binder process: first fit over its mapping, as the
//! kernel's `binder_alloc` places buffers, with its limits: every buffer 8-byte aligned, at
//! least one byte long, and one-way transactions limited to half the space.

use std::collections::BTreeMap;

/// Where a buffer lives: its offset in the mapping and its length (a multiple of 8).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Block {
    pub offset: usize,
    pub len: usize,
}

#[derive(Debug)]
pub struct Allocator {
    size: usize,
    /// Allocated blocks by offset, with whether each is one-way.
    used: BTreeMap<usize, (usize, bool)>,
    free_async: usize,
}

/// Why an allocation failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AllocError {
    /// No free run is long enough (the kernel's `ENOSPC`).
    NoSpace,
    /// One-way transactions already hold half the space.
    NoAsyncSpace,
}

/// `n` rounded up to a multiple of 8 (saturating: a size near `usize::MAX` fits nowhere anyway).
pub const fn align8(n: usize) -> usize {
    n.saturating_add(7) & !7
}

impl Allocator {
    pub fn new(size: usize) -> Allocator {
        Allocator {
            size,
            used: BTreeMap::new(),
            free_async: size / 2,
        }
    }

    pub fn size(&self) -> usize {
        self.size
    }

    /// The first free run of `len` bytes (rounded up to 8, at least 8).
    pub fn alloc(&mut self, len: usize, one_way: bool) -> Result<Block, AllocError> {
        let len = align8(len.max(1));
        if one_way && len > self.free_async {
            return Err(AllocError::NoAsyncSpace);
        }
        let mut start = 0;
        for (&offset, &(used, _)) in &self.used {
            if offset - start >= len {
                break;
            }
            start = offset + used;
        }
        if start.checked_add(len).is_none_or(|end| end > self.size) {
            return Err(AllocError::NoSpace);
        }
        self.used.insert(start, (len, one_way));
        if one_way {
            self.free_async -= len;
        }
        Ok(Block { offset: start, len })
    }

    /// Frees the block at `offset`; false when no block starts there.
    pub fn free(&mut self, offset: usize) -> bool {
        match self.used.remove(&offset) {
            Some((len, one_way)) => {
                if one_way {
                    self.free_async += len;
                }
                true
            }
            None => false,
        }
    }

    /// Bytes in use.
    pub fn in_use(&self) -> usize {
        self.used.values().map(|(len, _)| len).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_fit_reuses_the_first_hole_and_respects_the_limits() {
        let mut a = Allocator::new(64);
        let x = a.alloc(10, false).unwrap();
        let y = a.alloc(8, false).unwrap();
        let z = a.alloc(1, false).unwrap();
        assert_eq!(
            (x, y, z),
            (
                Block { offset: 0, len: 16 },
                Block { offset: 16, len: 8 },
                Block { offset: 24, len: 8 }
            )
        );
        assert!(a.free(16));
        assert!(!a.free(16));
        // The hole at 16 takes a buffer that fits, not a bigger one.
        assert_eq!(a.alloc(9, false).unwrap().offset, 32);
        assert_eq!(a.alloc(8, false).unwrap().offset, 16);
        assert_eq!(a.alloc(24, false), Err(AllocError::NoSpace));
        assert_eq!(a.in_use(), 48);
        // One-way buffers get half the space at most.
        let mut b = Allocator::new(64);
        b.alloc(32, true).unwrap();
        assert_eq!(b.alloc(8, true), Err(AllocError::NoAsyncSpace));
        b.alloc(8, false).unwrap();
        assert!(b.free(0));
        b.alloc(24, true).unwrap();
    }
}
