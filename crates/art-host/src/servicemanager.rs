//! `hyper-compat __servicemanager`: Android's service manager ([`binder_shim::servicemanager`])
//! as a sandboxed program, with its microkernel side on svcmgr (its startup channel, fd 3).
//!
//! `hyper-compat binder-world --service-manager` starts it in a sandbox of its own joined to
//! the world, so it is the context manager of every sandbox there; the world's `--service`
//! programs are native services on its svcmgr.
//!
//! - **Native services as Binder services.** `getService(name)` of a name that no Binder
//!   service has but a native service registered with svcmgr returns a binder this process
//!   serves; each transaction on it becomes a `parcel.Transact` call on a svcmgr channel to
//!   the native service, and its answer the reply.
//! - **Binder services for native programs.** Every Binder service added is registered with
//!   svcmgr under its name (unless a native service has it); a native program's
//!   `parcel.Transact` on such a channel is made a Binder call to the service from a thread
//!   of this process, and the reply comes back.

use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::sync::{Arc, Mutex};

use binder_shim::servicemanager::{self, Driver, Native, ServiceManager};
use microkernel::protocols::{parcel, service, svcmgr};
use microkernel::rpc::{self, Dispatcher};
use microkernel::wire::ErrorReply;
use microkernel::{Channel, Errno, Error, Handle};

/// The argument with which `hyper-compat` runs as the service manager.
pub const SERVICE_MANAGER: &str = "__servicemanager";
/// The line it prints once it holds handle 0.
pub const READY: &str = "servicemanager: ready";

/// The Binder services this process published to svcmgr: their current handles, and every
/// name it registered (registrations outlive a service that died; a call then fails).
#[derive(Debug, Default)]
struct Published {
    handles: HashMap<String, u32>,
    registered: HashSet<String>,
}

struct SvcmgrNative {
    svcmgr: Channel,
    driver: Arc<Driver>,
    published: Arc<Mutex<Published>>,
    /// Channels to native services, by name, made on first use.
    channels: HashMap<String, Channel>,
}

impl SvcmgrNative {
    fn lock_published(&self) -> std::sync::MutexGuard<'_, Published> {
        self.published
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// svcmgr's names that are native services (not the ones this process registered).
    fn native_names(&mut self) -> Vec<String> {
        let names = rpc::call::<svcmgr::List>(&mut self.svcmgr, &svcmgr::ListRequest {}, Vec::new())
            .map(|(list, _)| list.names)
            .unwrap_or_default();
        let published = self.lock_published();
        names
            .into_iter()
            .filter(|name| !published.registered.contains(name))
            .collect()
    }
}

/// A Binder status from a failed native call: the errno the service answered (negated, as
/// Binder's status codes are), or `DEAD_OBJECT` when its channel is gone.
fn status_of(error: &Error) -> i32 {
    match error {
        Error::Remote(reply) => -reply.errno,
        _ => servicemanager::DEAD_OBJECT,
    }
}

impl Native for SvcmgrNative {
    fn list(&mut self) -> Vec<String> {
        self.native_names()
    }

    fn exists(&mut self, name: &str) -> bool {
        self.native_names().iter().any(|n| n == name)
    }

    fn transact(&mut self, name: &str, code: u32, data: &[u8], one_way: bool) -> Result<Vec<u8>, i32> {
        let request = parcel::TransactRequest {
            code,
            data: data.to_vec(),
            one_way,
        };
        // A cached channel may belong to a service that was restarted: one more try afresh.
        for _ in 0..2 {
            let channel = match self.channels.remove(name) {
                Some(channel) => channel,
                None => {
                    let lookup = svcmgr::LookupRequest { name: name.into() };
                    let (_, handles) = rpc::call::<svcmgr::Lookup>(&mut self.svcmgr, &lookup, Vec::new())
                        .map_err(|e| status_of(&e))?;
                    let handle = handles.into_iter().next().ok_or(servicemanager::DEAD_OBJECT)?;
                    Channel::try_from(handle).map_err(|_| servicemanager::DEAD_OBJECT)?
                }
            };
            let mut channel = channel;
            match rpc::call::<parcel::Transact>(&mut channel, &request, Vec::new()) {
                Ok((reply, _)) => {
                    self.channels.insert(name.to_owned(), channel);
                    return Ok(reply.data);
                }
                Err(error @ Error::Remote(_)) => {
                    self.channels.insert(name.to_owned(), channel);
                    return Err(status_of(&error));
                }
                Err(Error::BodyTooLarge { .. }) => return Err(servicemanager::FAILED_TRANSACTION),
                Err(_) => continue,
            }
        }
        Err(servicemanager::DEAD_OBJECT)
    }

    fn published(&mut self, name: &str, handle: u32) {
        {
            let mut published = self.lock_published();
            published.handles.insert(name.to_owned(), handle);
            if published.registered.contains(name) {
                return;
            }
        }
        let Ok((connector, service_end)) = Channel::pair() else {
            return;
        };
        let register = svcmgr::RegisterRequest { name: name.into() };
        // A name a native service already has stays the native service's for native programs.
        if rpc::call::<svcmgr::Register>(&mut self.svcmgr, &register, vec![service_end.into()]).is_err() {
            return;
        }
        self.lock_published().registered.insert(name.to_owned());
        let driver = Arc::clone(&self.driver);
        let published = Arc::clone(&self.published);
        let name = name.to_owned();
        std::thread::spawn(move || accept(&connector, &name, &driver, &published));
    }

    fn withdrawn(&mut self, name: &str) {
        self.lock_published().handles.remove(name);
    }
}

/// Serves the native clients of Binder service `name` as svcmgr connects them.
fn accept(connector: &Channel, name: &str, driver: &Arc<Driver>, published: &Arc<Mutex<Published>>) {
    let mut connections = Dispatcher::<Vec<Channel>>::new().on::<service::Connect>(|accepted, _, handles| {
        let handle: Handle = handles.into_iter().next().expect("the dispatcher counts handles");
        accepted.push(Channel::try_from(handle)?);
        Ok((service::ConnectResponse {}, vec![]))
    });
    let mut accepted = Vec::new();
    loop {
        match connector.read() {
            Ok(message) => {
                connections.dispatch(&mut accepted, message);
            }
            Err(Error::Truncated | Error::Wire(_)) => continue,
            Err(_) => return,
        }
        for channel in accepted.drain(..) {
            let (name, driver, published) = (name.to_owned(), Arc::clone(driver), Arc::clone(published));
            std::thread::spawn(move || serve_native_client(&channel, name, driver, published));
        }
    }
}

/// `parcel.Transact` from one native client, made a Binder call to service `name`.
fn serve_native_client(
    channel: &Channel,
    name: String,
    driver: Arc<Driver>,
    published: Arc<Mutex<Published>>,
) {
    let mut dispatcher = Dispatcher::<()>::new().on::<parcel::Transact>(move |_, request, _| {
        let handle = published
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .handles
            .get(&name)
            .copied()
            .ok_or_else(|| ErrorReply::failed(Errno::NOENT, format!("{name}: the Binder service is gone")))?;
        match servicemanager::call(&driver, handle, request.code, &request.data, request.one_way) {
            Ok(data) => Ok((parcel::TransactResponse { data }, vec![])),
            Err(status) => {
                // Binder's status codes are negative errnos, or INT32_MIN-based for the rest.
                let errno = if (-4095..0).contains(&status) {
                    -status
                } else {
                    libc::EIO
                };
                Err(ErrorReply::failed(
                    Errno::from_raw_os_error(errno),
                    format!("Binder status {status}"),
                ))
            }
        }
    });
    let _ = dispatcher.serve(&mut (), channel);
}

/// The service manager's whole life: `/dev/binder`, handle 0, serving until the driver fails.
pub fn main() -> Result<(), String> {
    let driver = Arc::new(Driver::open("/dev/binder").map_err(|e| format!("/dev/binder: {e}"))?);
    let svcmgr = microkernel::startup::svcmgr_channel().map_err(|e| format!("svcmgr channel: {e}"))?;
    let native = SvcmgrNative {
        svcmgr,
        driver: Arc::clone(&driver),
        published: Arc::default(),
        channels: HashMap::new(),
    };
    let mut manager = ServiceManager::new(native);
    manager
        .serve(&driver, || {
            println!("{READY}");
            let _ = std::io::stdout().flush();
        })
        .map_err(|e| format!("serving: {e}"))
}
