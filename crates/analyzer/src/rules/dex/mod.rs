//! `HC2xxx`: DEX files and the framework APIs they use.

mod hc2001_reference_limit;
mod hc2002_dex_checksum;
mod hc2003_reflection;
mod hc2004_dynamic_code_loading;
mod hc2005_missing_native_library;
mod hc2006_process_execution;
mod hc2007_non_sdk_api_denied;
mod hc2008_non_sdk_api_restricted;
pub mod non_sdk;

use super::Rule;

pub(super) static RULES: &[&Rule] = &[
    &hc2001_reference_limit::RULE,
    &hc2002_dex_checksum::RULE,
    &hc2003_reflection::RULE,
    &hc2004_dynamic_code_loading::RULE,
    &hc2005_missing_native_library::RULE,
    &hc2006_process_execution::RULE,
    &hc2007_non_sdk_api_denied::RULE,
    &hc2008_non_sdk_api_restricted::RULE,
];
