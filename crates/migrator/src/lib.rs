//! The rewriting half of `hyper-migrate` as a library: what `fix` applies to an APK.

pub mod axml_edit;
pub mod fix;
