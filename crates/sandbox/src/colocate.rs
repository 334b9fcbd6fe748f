//! Keeps a guest thread on the bridge thread's CPU while `SECCOMP_IOCTL_NOTIF_ADDFD` runs.
//!
//! `ADDFD` is carried out by the guest task: the ioctl wakes the guest, which installs the fd
//! and wakes the bridge thread back, and only then does the bridge answer. Neither wake-up is
//! the synchronous kind that `SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP` gives the notification
//! itself, so the scheduler places each woken task on whichever CPU is idle. On a virtual
//! machine whose idle vCPUs halt (Firecracker here), waking one costs about 35 µs, and an
//! `open` paid two such wake-ups: 75–90 µs in a loop of opens, against about 10 µs with every
//! task on one CPU (docs/benchmarks.md).
//!
//! So, for the length of the ioctl, the guest thread and the bridge thread are both allowed
//! only the bridge thread's current CPU, and their own masks are put back before the answer
//! is sent (the answer's wake-up is the synchronous kind). The guest's mask is read each time,
//! and a guest whose mask leaves out this CPU is not moved.
//!
//! Limits: should another thread of the guest change this thread's affinity during those few
//! microseconds, the change is undone; should `hc-vfs` die between the two steps, the guest
//! thread stays on one CPU (it still runs, and may widen its own mask).

use std::io;

/// A set of CPUs, as `sched_{get,set}affinity` take it.
#[derive(Clone, Copy)]
pub(crate) struct CpuSet(libc::cpu_set_t);

impl std::fmt::Debug for CpuSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let cpus: Vec<usize> = (0..libc::CPU_SETSIZE as usize)
            .filter(|&cpu| self.contains(cpu))
            .collect();
        f.debug_tuple("CpuSet").field(&cpus).finish()
    }
}

impl PartialEq for CpuSet {
    fn eq(&self, other: &CpuSet) -> bool {
        // SAFETY: CPU_EQUAL compares two valid sets.
        unsafe { libc::CPU_EQUAL(&self.0, &other.0) }
    }
}

impl CpuSet {
    fn empty() -> CpuSet {
        // SAFETY: cpu_set_t is a plain bit array; all-zero is the empty set.
        CpuSet(unsafe { std::mem::zeroed() })
    }

    fn only(cpu: usize) -> CpuSet {
        let mut set = CpuSet::empty();
        // SAFETY: CPU_SET ignores a number beyond the set's size.
        unsafe { libc::CPU_SET(cpu, &mut set.0) };
        set
    }

    fn contains(&self, cpu: usize) -> bool {
        // SAFETY: CPU_ISSET answers false for a number beyond the set's size.
        unsafe { libc::CPU_ISSET(cpu, &self.0) }
    }

    /// The affinity of thread `tid` (0: the calling thread).
    pub(crate) fn of(tid: libc::pid_t) -> io::Result<CpuSet> {
        let mut set = CpuSet::empty();
        // SAFETY: fills at most the size given of the set it points at.
        let got = unsafe { libc::sched_getaffinity(tid, size_of::<libc::cpu_set_t>(), &raw mut set.0) };
        if got == 0 {
            Ok(set)
        } else {
            Err(io::Error::last_os_error())
        }
    }

    /// Makes this the affinity of thread `tid` (0: the calling thread).
    fn apply_to(&self, tid: libc::pid_t) -> io::Result<()> {
        // SAFETY: reads the set it points at, of the size given.
        let set = unsafe { libc::sched_setaffinity(tid, size_of::<libc::cpu_set_t>(), &raw const self.0) };
        if set == 0 {
            Ok(())
        } else {
            Err(io::Error::last_os_error())
        }
    }
}

/// A guest thread and the calling thread held to the caller's CPU; both masks are put back
/// when it is dropped.
#[derive(Debug)]
pub(crate) struct Colocated {
    guest: libc::pid_t,
    guest_cpus: CpuSet,
    own_cpus: CpuSet,
}

impl Colocated {
    /// Holds guest thread `tid` (a host tid) and the calling thread to the CPU the caller runs
    /// on; `None`, moving nothing, when the guest's mask leaves that CPU out or a call fails.
    /// `own` caches the calling thread's mask, which only this module changes.
    pub(crate) fn on_this_cpu(tid: u32, own: &mut Option<CpuSet>) -> Option<Colocated> {
        let guest = libc::pid_t::try_from(tid).ok()?;
        // SAFETY: sched_getcpu takes nothing (the vDSO answers).
        let cpu = usize::try_from(unsafe { libc::sched_getcpu() }).ok()?;
        let guest_cpus = CpuSet::of(guest).ok()?;
        if !guest_cpus.contains(cpu) {
            return None;
        }
        let own_cpus = match own {
            Some(cpus) => *cpus,
            None => *own.insert(CpuSet::of(0).ok()?),
        };
        if !own_cpus.contains(cpu) {
            return None;
        }
        let here = CpuSet::only(cpu);
        if guest_cpus == here && own_cpus == here {
            // Both already held there (`taskset -c N hyper-compat …`).
            return None;
        }
        here.apply_to(guest).ok()?;
        let colocated = Colocated {
            guest,
            guest_cpus,
            own_cpus,
        };
        // Without the bridge thread held too, the guest's wake-up of it would go to the other
        // CPU; the guest's mask is put back either way (by the drop).
        let _ = here.apply_to(0);
        Some(colocated)
    }
}

impl Drop for Colocated {
    fn drop(&mut self) {
        // A guest thread that has exited meanwhile has nothing to put back.
        let _ = self.guest_cpus.apply_to(self.guest);
        let _ = self.own_cpus.apply_to(0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tid() -> libc::pid_t {
        // SAFETY: gettid takes nothing.
        unsafe { libc::gettid() }
    }

    /// A thread standing in for the guest: its tid, and the way to end it.
    fn guest() -> (
        libc::pid_t,
        std::sync::mpsc::Sender<()>,
        std::thread::JoinHandle<()>,
    ) {
        let (tid_tx, tid_rx) = std::sync::mpsc::channel();
        let (end_tx, end_rx) = std::sync::mpsc::channel::<()>();
        let thread = std::thread::spawn(move || {
            tid_tx.send(tid()).unwrap();
            let _ = end_rx.recv();
        });
        (tid_rx.recv().unwrap(), end_tx, thread)
    }

    #[test]
    fn both_threads_are_held_to_one_cpu_and_put_back() {
        let (guest_tid, end, thread) = guest();
        let guest_before = CpuSet::of(guest_tid).unwrap();
        let own_before = CpuSet::of(0).unwrap();
        let mut own = None;
        let together = Colocated::on_this_cpu(guest_tid as u32, &mut own).expect("colocated");
        // SAFETY: as in the module.
        let cpu = unsafe { libc::sched_getcpu() } as usize;
        let only = |set: CpuSet| {
            (0..libc::CPU_SETSIZE as usize)
                .filter(|&c| set.contains(c))
                .collect::<Vec<_>>()
        };
        assert_eq!(only(CpuSet::of(guest_tid).unwrap()), vec![cpu]);
        assert_eq!(only(CpuSet::of(0).unwrap()), vec![cpu]);
        drop(together);
        assert_eq!(only(CpuSet::of(guest_tid).unwrap()), only(guest_before));
        assert_eq!(only(CpuSet::of(0).unwrap()), only(own_before));
        assert_eq!(only(own.expect("cached")), only(own_before));
        end.send(()).unwrap();
        thread.join().unwrap();
    }

    #[test]
    fn a_guest_kept_off_this_cpu_is_not_moved() {
        let own_before = CpuSet::of(0).unwrap();
        let cpus: Vec<usize> = (0..libc::CPU_SETSIZE as usize)
            .filter(|&c| own_before.contains(c))
            .collect();
        if cpus.len() < 2 {
            eprintln!("skipped: one CPU");
            return;
        }
        // This thread on the first CPU, the guest on the second.
        CpuSet::only(cpus[0]).apply_to(0).unwrap();
        let (guest_tid, end, thread) = guest();
        CpuSet::only(cpus[1]).apply_to(guest_tid).unwrap();
        let mut own = None;
        assert!(Colocated::on_this_cpu(guest_tid as u32, &mut own).is_none());
        let guest_now = CpuSet::of(guest_tid).unwrap();
        assert!(guest_now.contains(cpus[1]) && !guest_now.contains(cpus[0]));
        own_before.apply_to(0).unwrap();
        end.send(()).unwrap();
        thread.join().unwrap();
    }

    #[test]
    fn threads_already_on_one_cpu_are_left_alone() {
        let own_before = CpuSet::of(0).unwrap();
        // SAFETY: as in the module.
        let cpu = unsafe { libc::sched_getcpu() } as usize;
        CpuSet::only(cpu).apply_to(0).unwrap();
        // The guest inherits this thread's one CPU.
        let (guest_tid, end, thread) = guest();
        let mut own = None;
        assert!(Colocated::on_this_cpu(guest_tid as u32, &mut own).is_none());
        assert!(CpuSet::of(guest_tid).unwrap() == CpuSet::only(cpu));
        own_before.apply_to(0).unwrap();
        end.send(()).unwrap();
        thread.join().unwrap();
    }
}
