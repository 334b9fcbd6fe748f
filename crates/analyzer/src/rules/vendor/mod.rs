//! `HC6xxx`: what ties the app to one vendor's proprietary services.

mod hc6001_vendor_services;

use super::Rule;

pub(super) static RULES: &[&Rule] = &[&hc6001_vendor_services::RULE];
