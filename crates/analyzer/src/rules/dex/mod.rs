//! `HC2xxx`: DEX files and the framework APIs they use.

mod hc2001_reference_limit;
mod hc2002_dex_checksum;

use super::Rule;

pub(super) static RULES: &[&Rule] = &[&hc2001_reference_limit::RULE, &hc2002_dex_checksum::RULE];
