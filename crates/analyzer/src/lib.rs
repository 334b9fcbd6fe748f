//! The HyperCompat analyzer: zero-copy readers for the files an Android app is made of.
//!
//! Readers work on borrowed bytes (`&[u8]`, typically a whole file), check every offset before
//! use, return typed errors instead of panicking, and never allocate in proportion to a count
//! read from the input without first checking that the input can hold it.

pub mod apk;
pub mod arsc;
pub mod axml;
mod bytes;
pub mod container;
pub mod dex;
pub mod elf;
pub mod hiddenapi;
pub mod manifest;
pub mod pager;
pub mod report;
pub mod res;
pub mod rules;
pub mod signing;
pub mod signing_block;
pub mod source;
mod text_manifest;
pub mod zip;
