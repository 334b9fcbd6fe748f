//! `HC1xxx`: what the manifest asks of the platform.

mod hc1001_platform_too_old;
mod hc1002_target_sdk_too_old;
mod hc1003_shared_user_id;
mod hc1004_native_libs_not_mappable;
mod hc1005_debuggable;
mod hc1006_cleartext_traffic;
mod hc1007_exported_without_permission;
mod hc1008_permission_not_granted;
mod hc1009_feature_unavailable;
mod hc1010_library_not_provided;
mod hc1011_legacy_external_storage;
mod hc1012_no_launcher_activity;
mod hc1013_backup_without_rules;
mod hc1014_max_sdk_below_platform;
mod hc1015_exported_unset;
mod hc1016_test_only;

use super::Rule;

pub(super) static RULES: &[&Rule] = &[
    &hc1001_platform_too_old::RULE,
    &hc1002_target_sdk_too_old::RULE,
    &hc1003_shared_user_id::RULE,
    &hc1004_native_libs_not_mappable::RULE,
    &hc1005_debuggable::RULE,
    &hc1006_cleartext_traffic::RULE,
    &hc1007_exported_without_permission::RULE,
    &hc1008_permission_not_granted::RULE,
    &hc1009_feature_unavailable::RULE,
    &hc1010_library_not_provided::RULE,
    &hc1011_legacy_external_storage::RULE,
    &hc1012_no_launcher_activity::RULE,
    &hc1013_backup_without_rules::RULE,
    &hc1014_max_sdk_below_platform::RULE,
    &hc1015_exported_unset::RULE,
    &hc1016_test_only::RULE,
];
