//! A native microkernel program that calls a Binder service: it waits on svcmgr (its channel
//! is fd 3) for the service the Binder service manager published there, makes one AIDL call
//! `String echo(String)` (transaction 1) with `parcel.Transact`, prints the answer and exits.
//! Written against the `microkernel` crate's API only.
//!
//! Started as a `--service` of `hyper-compat binder-world --service-manager`, it prints
//! `ready` at once and its answer later. The environment chooses the call:
//! `PARCEL_SERVICE` (default `hcpeer.IPeer/default`), `PARCEL_DESCRIPTOR` (default
//! `hcpeer.IPeer`) and `PARCEL_TEXT` (default `from a native program`).

use std::io::Write;
use std::process::ExitCode;

use microkernel::protocols::{parcel, svcmgr};
use microkernel::{Channel, Error, rpc, startup};

fn var(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_owned())
}

fn main() -> ExitCode {
    let service = var("PARCEL_SERVICE", "hcpeer.IPeer/default");
    let descriptor = var("PARCEL_DESCRIPTOR", "hcpeer.IPeer");
    let text = var("PARCEL_TEXT", "from a native program");
    println!("ready");
    let _ = std::io::stdout().flush();
    match call(&service, &descriptor, &text) {
        Ok(answer) => {
            println!("{service} answered {answer:?}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            println!("{service} failed: {error}");
            ExitCode::FAILURE
        }
    }
}

fn call(service: &str, descriptor: &str, text: &str) -> Result<String, String> {
    let mut svcmgr = startup::svcmgr_channel().map_err(|e| e.to_string())?;
    let wait = svcmgr::WaitForRequest { name: service.into() };
    let (_, handles) =
        rpc::call::<svcmgr::WaitFor>(&mut svcmgr, &wait, Vec::new()).map_err(|e| e.to_string())?;
    let mut channel = Channel::try_from(handles.into_iter().next().ok_or("no channel")?)
        .map_err(|e: Error| e.to_string())?;
    let mut data = Vec::new();
    parcel::write_interface_token(&mut data, descriptor);
    parcel::write_string16(&mut data, text);
    let request = parcel::TransactRequest {
        code: 1,
        data,
        one_way: false,
    };
    let (reply, _) =
        rpc::call::<parcel::Transact>(&mut channel, &request, Vec::new()).map_err(|e| e.to_string())?;
    let status = reply.data.get(..4).ok_or("an empty reply")?;
    if status != [0; 4] {
        return Err(format!(
            "AIDL exception {}",
            i32::from_le_bytes(status.try_into().expect("4 bytes"))
        ));
    }
    parcel::read_string16(&reply.data, 4)
        .map(|(answer, _)| answer)
        .ok_or_else(|| "the reply holds no string".into())
}
