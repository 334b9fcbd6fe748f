//! Calls that vfs answers later than it receives them — a Binder read waiting for work, a FIFO
//! open waiting for its other end — published where the supervisor finds them.
//!
//! The supervisor fails the calls a dead vfs had in hand with `EIO` ([`crate::run`]): the
//! bridge threads' current calls, and these. Each parked call's notification id is written to
//! the first 8 bytes of a slot of the memory vfs shares with its supervisor (the same memory
//! and slot layout as the bridge threads'), and zeroed once the call is answered; a thread that
//! dies meanwhile leaves a stale id, cleared by [`Parked::sweep`] (answering it would find
//! nobody: harmless).

use std::collections::HashMap;
use std::os::fd::BorrowedFd;
use std::sync::Mutex;

/// How many calls may be parked at once (beyond that, a call parks unpublished: a dead vfs
/// leaves it waiting, as before this existed).
pub const SLOTS: usize = 512;

/// A slot's id word in the shared memory.
#[derive(Debug, Clone, Copy)]
pub struct IdSlot(pub *mut u64);

// SAFETY: each id word is written only under the pool's lock.
unsafe impl Send for IdSlot {}
// SAFETY: as above.
unsafe impl Sync for IdSlot {}

#[derive(Debug, Default)]
struct State {
    free: Vec<usize>,
    by_id: HashMap<u64, usize>,
}

/// The published parked calls of one vfs.
#[derive(Debug)]
pub struct Parked {
    slots: Vec<IdSlot>,
    state: Mutex<State>,
}

impl Parked {
    pub fn new(slots: Vec<IdSlot>) -> Parked {
        Parked {
            state: Mutex::new(State {
                free: (0..slots.len()).rev().collect(),
                by_id: HashMap::new(),
            }),
            slots,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn write(&self, slot: usize, id: u64) {
        // SAFETY: the slot's word lies in the shared mapping, which outlives every thread of
        // this process; it is written under the lock only.
        unsafe { std::ptr::write_volatile(self.slots[slot].0, id) };
    }

    /// Publishes call `id`; `false` when every slot is taken.
    pub fn take(&self, id: u64) -> bool {
        let mut state = self.lock();
        if state.by_id.contains_key(&id) {
            return true;
        }
        let Some(slot) = state.free.pop() else {
            return false;
        };
        self.write(slot, id);
        state.by_id.insert(id, slot);
        true
    }

    /// Call `id` is answered (or gone): it is no longer the supervisor's to fail.
    pub fn release(&self, id: u64) {
        let mut state = self.lock();
        if let Some(slot) = state.by_id.remove(&id) {
            self.write(slot, 0);
            state.free.push(slot);
        }
    }

    /// Releases the calls whose thread is gone.
    pub fn sweep(&self, listener: BorrowedFd<'_>) {
        let ids: Vec<u64> = self.lock().by_id.keys().copied().collect();
        for id in ids {
            if !crate::bridge::id_valid(listener, id) {
                self.release(id);
            }
        }
    }
}
