//! The `migrator` library: what `hyper-migrate fix` does to an APK, apart from the command
//! line. [`fix`] plans the changes from the analyzer's findings, [`axml_edit`] edits the
//! compiled manifest, [`repack`] rewrites the zip container (alignment, old signatures out,
//! entries replaced or added), [`sign`] signs the result (JAR v1, APK Signature Scheme v2 and
//! v3), and [`repack_and_sign`] runs both in the one order that is valid: repack and align, add
//! the JAR signature files, then insert the APK Signing Block over the final bytes.
//!
//! Outputs are deterministic: the same input, changes and key give the same bytes, and
//! repacking a signed output with the same key reproduces it.

pub mod axml_edit;
pub mod dex;
pub mod dex_fix;
pub mod fix;
pub mod repack;
pub mod sign;

use std::collections::BTreeMap;

use analyzer::signing::v2v3::Chunked;
use analyzer::zip::ZipArchive;
use sha2::Sha256;

pub use repack::{Changes, Compression, RepackError};
pub use sign::{KeyError, KeyKind, PasswordSource, SignError, SignOptions, SigningKey};

use repack::PlannedEntry;
use sign::block::{self, BlockSchemes};
use sign::v1::{self, JarSigner};

/// Why an APK could not be rewritten.
#[derive(Debug, thiserror::Error)]
pub enum FixError {
    #[error(transparent)]
    Repack(#[from] RepackError),
    #[error(transparent)]
    Sign(#[from] SignError),
}

/// Repacks `input` with `changes` (see [`repack`]) and signs it with `key` as `options` say,
/// into memory.
pub fn repack_and_sign(
    input: &[u8],
    changes: &Changes,
    key: &SigningKey,
    options: &SignOptions,
) -> Result<Vec<u8>, FixError> {
    let mut out = Vec::new();
    repack_and_sign_into(input, changes, key, options, &mut out)?;
    Ok(out)
}

/// [`repack_and_sign`] written to `out` as it is made: entries, then the APK Signing Block,
/// the central directory and the end record, with nothing the size of the output in memory
/// (the v2/v3 digest is taken from the bytes on their way out). On an error, `out` holds a
/// partial APK that must be thrown away.
pub fn repack_and_sign_into(
    input: &[u8],
    changes: &Changes,
    key: &SigningKey,
    options: &SignOptions,
    out: &mut dyn std::io::Write,
) -> Result<(), FixError> {
    if !(options.v1 || options.v2 || options.v3) {
        return Err(SignError::NoScheme.into());
    }
    let zip = ZipArchive::parse(input).map_err(RepackError::from)?;
    let mut entries = repack::plan(&zip, changes)?;
    if options.v1 {
        let min_sdk = match options.min_sdk {
            Some(min_sdk) => min_sdk,
            None => planned_min_sdk(&zip, &entries)?,
        };
        let signer = JarSigner::new(key, min_sdk)?;
        let mut digests = BTreeMap::new();
        for entry in &entries {
            if !v1::needs_digest(entry.name()) {
                continue;
            }
            let name = std::str::from_utf8(entry.name())
                .map_err(|_| SignError::UnsignableName(String::from_utf8_lossy(entry.name()).into_owned()))?;
            // Hashed as it is inflated: no entry is held whole for its digest.
            let digest = signer
                .digest(|piece| entry.uncompressed_pieces(&zip, piece))
                .map_err(SignError::from)?;
            digests.insert(name.to_string(), digest);
            analyzer::pager::done_with(entry.data());
        }
        let scheme_ids: Vec<u32> = [(options.v2, 2), (options.v3, 3)]
            .into_iter()
            .filter_map(|(on, id)| on.then_some(id))
            .collect();
        for (name, data) in signer.sign(&digests, &scheme_ids)? {
            entries.push(PlannedEntry::new_deflated(name, data));
        }
    }
    let schemes = BlockSchemes {
        v2: options.v2,
        v3: options.v3,
    };
    let block_signed = schemes.v2 || schemes.v3;
    let write_error = |error| FixError::from(repack::write_error(error));
    let mut digest = Chunked::<Sha256>::default();
    let tail = repack::write_entries(&entries, &mut |piece| {
        if block_signed {
            digest.update(piece);
        }
        out.write_all(piece)
    })?;
    let mut end = tail.end;
    if block_signed {
        for section in [&tail.central_directory, &end] {
            digest.end_section();
            digest.update(section);
        }
        let block = block::block(&digest.finish(), key, schemes)?;
        end = block::moved_end(&end, tail.entries_len, block.len())?;
        out.write_all(&block).map_err(write_error)?;
    }
    out.write_all(&tail.central_directory).map_err(write_error)?;
    out.write_all(&end).map_err(write_error)?;
    Ok(())
}

/// The min SDK of the manifest among the planned entries.
fn planned_min_sdk(zip: &ZipArchive<'_>, entries: &[PlannedEntry<'_>]) -> Result<u32, SignError> {
    let find = |name: &[u8]| entries.iter().find(|e| e.name() == name);
    let manifest = find(b"AndroidManifest.xml")
        .ok_or_else(|| SignError::MinSdkUnknown("no AndroidManifest.xml".into()))?
        .uncompressed(zip)?;
    let resources = match find(b"resources.arsc") {
        Some(entry) => Some(entry.uncompressed(zip)?),
        None => None,
    };
    sign::min_sdk_from_manifest(&manifest, resources.as_deref())
}
