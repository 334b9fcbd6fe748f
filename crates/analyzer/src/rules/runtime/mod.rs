//! `HC5xxx`: what the app needs from the runtime (device nodes, system services), checked
//! against what the target profile says the runtime provides.

mod hc5001_device_node;
mod hc5002_system_service;

use super::Rule;

pub(super) static RULES: &[&Rule] = &[&hc5001_device_node::RULE, &hc5002_system_service::RULE];
