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

use rustix::process::Pid;
use rustix::thread::{CpuSet, sched_getaffinity, sched_getcpu, sched_setaffinity};

/// The set holding only `cpu`.
fn only(cpu: usize) -> CpuSet {
    let mut set = CpuSet::new();
    set.set(cpu);
    set
}

/// A guest thread and the calling thread held to the caller's CPU; both masks are put back
/// when it is dropped.
#[derive(Debug)]
pub(crate) struct Colocated {
    guest: Pid,
    guest_cpus: CpuSet,
    own_cpus: CpuSet,
}

impl Colocated {
    /// Holds guest thread `tid` (a host tid) and the calling thread to the CPU the caller runs
    /// on; `None`, moving nothing, when the guest's mask leaves that CPU out or a call fails.
    /// `own` caches the calling thread's mask, which only this module changes.
    pub(crate) fn on_this_cpu(tid: u32, own: &mut Option<CpuSet>) -> Option<Colocated> {
        let guest = Pid::from_raw(i32::try_from(tid).ok()?)?;
        let cpu = sched_getcpu();
        let guest_cpus = sched_getaffinity(Some(guest)).ok()?;
        if !guest_cpus.is_set(cpu) {
            return None;
        }
        let own_cpus = match own {
            Some(cpus) => *cpus,
            None => *own.insert(sched_getaffinity(None).ok()?),
        };
        if !own_cpus.is_set(cpu) {
            return None;
        }
        let here = only(cpu);
        if guest_cpus == here && own_cpus == here {
            // Both already held there (`taskset -c N hyper-compat …`).
            return None;
        }
        sched_setaffinity(Some(guest), &here).ok()?;
        let colocated = Colocated {
            guest,
            guest_cpus,
            own_cpus,
        };
        // Without the bridge thread held too, the guest's wake-up of it would go to the other
        // CPU; the guest's mask is put back either way (by the drop).
        let _ = sched_setaffinity(None, &here);
        Some(colocated)
    }
}

impl Drop for Colocated {
    fn drop(&mut self) {
        // A guest thread that has exited meanwhile has nothing to put back.
        let _ = sched_setaffinity(Some(self.guest), &self.guest_cpus);
        let _ = sched_setaffinity(None, &self.own_cpus);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A thread standing in for the guest: its tid, and the way to end it.
    fn guest() -> (Pid, std::sync::mpsc::Sender<()>, std::thread::JoinHandle<()>) {
        let (tid_tx, tid_rx) = std::sync::mpsc::channel();
        let (end_tx, end_rx) = std::sync::mpsc::channel::<()>();
        let thread = std::thread::spawn(move || {
            tid_tx.send(rustix::thread::gettid()).unwrap();
            let _ = end_rx.recv();
        });
        (tid_rx.recv().unwrap(), end_tx, thread)
    }

    fn cpus(set: CpuSet) -> Vec<usize> {
        (0..CpuSet::MAX_CPU).filter(|&c| set.is_set(c)).collect()
    }

    fn tid(pid: Pid) -> u32 {
        pid.as_raw_nonzero().get() as u32
    }

    #[test]
    fn both_threads_are_held_to_one_cpu_and_put_back() {
        let (guest, end, thread) = guest();
        let guest_before = sched_getaffinity(Some(guest)).unwrap();
        let own_before = sched_getaffinity(None).unwrap();
        let mut own = None;
        let together = Colocated::on_this_cpu(tid(guest), &mut own).expect("colocated");
        let cpu = sched_getcpu();
        assert_eq!(cpus(sched_getaffinity(Some(guest)).unwrap()), vec![cpu]);
        assert_eq!(cpus(sched_getaffinity(None).unwrap()), vec![cpu]);
        drop(together);
        assert_eq!(cpus(sched_getaffinity(Some(guest)).unwrap()), cpus(guest_before));
        assert_eq!(cpus(sched_getaffinity(None).unwrap()), cpus(own_before));
        assert_eq!(cpus(own.expect("cached")), cpus(own_before));
        end.send(()).unwrap();
        thread.join().unwrap();
    }

    #[test]
    fn a_guest_kept_off_this_cpu_is_not_moved() {
        let own_before = sched_getaffinity(None).unwrap();
        let allowed = cpus(own_before);
        if allowed.len() < 2 {
            eprintln!("skipped: one CPU");
            return;
        }
        // This thread on the first CPU, the guest on the second.
        sched_setaffinity(None, &only(allowed[0])).unwrap();
        let (guest, end, thread) = guest();
        sched_setaffinity(Some(guest), &only(allowed[1])).unwrap();
        let mut own = None;
        assert!(Colocated::on_this_cpu(tid(guest), &mut own).is_none());
        let guest_now = sched_getaffinity(Some(guest)).unwrap();
        assert!(guest_now.is_set(allowed[1]) && !guest_now.is_set(allowed[0]));
        sched_setaffinity(None, &own_before).unwrap();
        end.send(()).unwrap();
        thread.join().unwrap();
    }

    #[test]
    fn threads_already_on_one_cpu_are_left_alone() {
        let own_before = sched_getaffinity(None).unwrap();
        let cpu = sched_getcpu();
        sched_setaffinity(None, &only(cpu)).unwrap();
        // The guest inherits this thread's one CPU.
        let (guest, end, thread) = guest();
        let mut own = None;
        assert!(Colocated::on_this_cpu(tid(guest), &mut own).is_none());
        assert!(sched_getaffinity(Some(guest)).unwrap() == only(cpu));
        sched_setaffinity(None, &own_before).unwrap();
        end.send(()).unwrap();
        thread.join().unwrap();
    }
}
