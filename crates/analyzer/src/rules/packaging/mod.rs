//! `HC4xxx`: how the APK is packed and signed.

mod hc4001_compressed_resources;
mod hc4002_zip_alignment;
mod hc4003_v1_signature_only;
mod hc4004_unsigned;
mod hc4005_signature_invalid;
mod hc4006_duplicate_entries;
mod hc4007_unsafe_entry_names;
mod hc4008_debug_certificate;
mod hc4009_overlapping_entries;

use super::Rule;

pub(super) static RULES: &[&Rule] = &[
    &hc4001_compressed_resources::RULE,
    &hc4002_zip_alignment::RULE,
    &hc4003_v1_signature_only::RULE,
    &hc4004_unsigned::RULE,
    &hc4005_signature_invalid::RULE,
    &hc4006_duplicate_entries::RULE,
    &hc4007_unsafe_entry_names::RULE,
    &hc4008_debug_certificate::RULE,
    &hc4009_overlapping_entries::RULE,
];
