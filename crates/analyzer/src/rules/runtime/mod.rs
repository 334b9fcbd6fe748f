//! `HC5xxx`: what the app needs from the runtime (device nodes, system services, syscalls),
//! checked against what the target profile and the syscall bridge's table say the runtime
//! provides.

mod hc5001_device_node;
mod hc5002_system_service;
mod hc5003_unsupported_syscall;

use super::Rule;

pub(super) static RULES: &[&Rule] = &[
    &hc5001_device_node::RULE,
    &hc5002_system_service::RULE,
    &hc5003_unsupported_syscall::RULE,
];
