//! `recipe.toml`: what a corpus app exercises, how it is packaged, and what Android's tools
//! must say about the result. The format is documented in `corpus/README.md`.

use std::path::Path;

use serde::Deserialize;

use crate::CorpusError;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Recipe {
    pub summary: String,
    #[serde(default)]
    pub exercises: Vec<String>,
    #[serde(default)]
    pub dex: Vec<DexSpec>,
    #[serde(default)]
    pub native: Vec<NativeSpec>,
    #[serde(default)]
    pub package: PackageSpec,
    #[serde(default)]
    pub expect: Expect,
}

/// One DEX file, assembled from smali directories, generated code, or both.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DexSpec {
    #[serde(default)]
    pub smali: Vec<String>,
    #[serde(default = "default_api")]
    pub api: u32,
    pub generate: Option<GenerateSpec>,
    /// Damage done to the assembled DEX before packaging (the APK is signed over it).
    pub corrupt: Option<Corruption>,
}

/// Generated code: `classes` classes with `methods` static methods each, every method calling
/// the next (so the DEX has as many call sites as methods) unless `calls = false`, and
/// `fields` static fields each.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GenerateSpec {
    /// Java package in internal form, e.g. `org/hypercompat/gen/a`.
    pub package: String,
    pub classes: u32,
    pub methods: u32,
    /// Whether each method calls the next. An invoke addresses its method with a 16-bit index,
    /// so smali refuses a call to a method whose index passes 65,535; a DEX with more methods
    /// than that can only be written with `calls = false` (methods declared, never called).
    #[serde(default = "yes")]
    pub calls: bool,
    /// Static `int` fields per class, declared and never accessed.
    #[serde(default)]
    pub fields: u32,
}

/// How the builder damages a DEX after smali wrote it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum Corruption {
    /// The header's Adler-32 checksum is replaced by its bitwise complement; the content and
    /// the SHA-1 signature (which does not cover the checksum) stay intact.
    #[serde(rename = "checksum")]
    Checksum,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NativeSpec {
    pub name: String,
    pub sources: Vec<String>,
    pub abis: Vec<Abi>,
    #[serde(default = "default_page_size")]
    pub page_size: u32,
    #[serde(default)]
    pub link: Vec<String>,
    /// Extra compiler/linker arguments, after the defaults (so `-fno-pic` or
    /// `-Wl,-z,execstack` override them): how legacy build settings are reproduced.
    #[serde(default)]
    pub flags: Vec<String>,
    /// Whether the library records its name as `DT_SONAME` (the NDK always does).
    #[serde(default = "yes")]
    pub soname: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
pub enum Abi {
    #[serde(rename = "arm64-v8a")]
    Arm64V8a,
    #[serde(rename = "armeabi-v7a")]
    ArmeabiV7a,
    #[serde(rename = "x86_64")]
    X86_64,
}

impl Abi {
    pub const ALL: [Abi; 3] = [Abi::Arm64V8a, Abi::ArmeabiV7a, Abi::X86_64];

    /// The directory name under `lib/` in an APK.
    pub fn dir(self) -> &'static str {
        match self {
            Abi::Arm64V8a => "arm64-v8a",
            Abi::ArmeabiV7a => "armeabi-v7a",
            Abi::X86_64 => "x86_64",
        }
    }

    /// Debian's cross compiler (or the host compiler) for this ABI and its ABI flags.
    pub fn compiler(self) -> (&'static str, &'static [&'static str]) {
        match self {
            Abi::Arm64V8a => ("aarch64-linux-gnu-gcc", &[]),
            // Android's armeabi-v7a: ARMv7-A, Thumb-2, soft-float calling convention.
            Abi::ArmeabiV7a => (
                "arm-linux-gnueabihf-gcc",
                &["-march=armv7-a", "-mthumb", "-mfloat-abi=softfp"],
            ),
            Abi::X86_64 => ("gcc", &["-m64"]),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PackageSpec {
    #[serde(default = "yes")]
    pub compress_native: bool,
    #[serde(default)]
    pub compress_arsc: bool,
    #[serde(default)]
    pub align: Alignment,
    #[serde(default = "default_schemes")]
    pub sign: Vec<Scheme>,
    #[serde(default)]
    pub tamper: bool,
    /// The signing key: `keys/<key>.pk8` with its certificate `keys/<key>.x509.pem`.
    #[serde(default = "default_key")]
    pub key: String,
    /// Entries appended after packaging (before zipalign and signing) by the builder's own zip
    /// code, whatever their names: an existing name gives a duplicate, `..` an unsafe name.
    #[serde(default)]
    pub append: Vec<String>,
    /// After signing, a second central-directory record for an entry's local header.
    pub overlap: Option<OverlapSpec>,
}

/// A central-directory record named `alias` that points at the local header of `entry`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OverlapSpec {
    pub entry: String,
    pub alias: String,
}

impl Default for PackageSpec {
    fn default() -> Self {
        PackageSpec {
            compress_native: true,
            compress_arsc: false,
            align: Alignment::Page,
            sign: default_schemes(),
            tamper: false,
            key: default_key(),
            append: Vec::new(),
            overlap: None,
        }
    }
}

/// Which zipalign check passes: `page` (`-c -p 4`), `4` (`-c 4`) or `none`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
pub enum Alignment {
    #[default]
    #[serde(rename = "page")]
    Page,
    #[serde(rename = "4")]
    Four,
    #[serde(rename = "none")]
    None,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
pub enum Scheme {
    #[serde(rename = "v1")]
    V1,
    #[serde(rename = "v2")]
    V2,
    #[serde(rename = "v3")]
    V3,
}

impl Scheme {
    pub const ALL: [Scheme; 3] = [Scheme::V1, Scheme::V2, Scheme::V3];

    /// apksigner's option that enables or disables this scheme.
    pub fn apksigner_flag(self) -> &'static str {
        match self {
            Scheme::V1 => "--v1-signing-enabled",
            Scheme::V2 => "--v2-signing-enabled",
            Scheme::V3 => "--v3-signing-enabled",
        }
    }

    /// How `apksigner verify -v` names this scheme in its `Verified using ... scheme` lines.
    pub fn apksigner_label(self) -> &'static str {
        match self {
            Scheme::V1 => "v1 scheme",
            Scheme::V2 => "v2 scheme",
            Scheme::V3 => "v3 scheme",
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    #[serde(default = "yes")]
    pub verifies: bool,
    #[serde(default = "default_schemes")]
    pub schemes: Vec<Scheme>,
    #[serde(default)]
    pub zipalign: Alignment,
    /// The rule codes `hyper-migrate analyze` must report for this app, no more, no fewer.
    #[serde(default)]
    pub findings: Vec<String>,
}

impl Default for Expect {
    fn default() -> Self {
        Expect {
            verifies: true,
            schemes: default_schemes(),
            zipalign: Alignment::Page,
            findings: Vec::new(),
        }
    }
}

fn default_api() -> u32 {
    24
}

fn default_page_size() -> u32 {
    16384
}

fn default_schemes() -> Vec<Scheme> {
    vec![Scheme::V2, Scheme::V3]
}

fn default_key() -> String {
    "test-only".to_string()
}

fn yes() -> bool {
    true
}

impl Recipe {
    pub fn load(path: &Path) -> Result<Recipe, CorpusError> {
        let text = std::fs::read_to_string(path).map_err(|source| CorpusError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let recipe: Recipe = toml::from_str(&text).map_err(|err| CorpusError::Recipe {
            path: path.to_path_buf(),
            reason: err.message().to_string(),
        })?;
        recipe.validate().map_err(|reason| CorpusError::Recipe {
            path: path.to_path_buf(),
            reason,
        })?;
        Ok(recipe)
    }

    fn validate(&self) -> Result<(), String> {
        for (index, dex) in self.dex.iter().enumerate() {
            if dex.smali.is_empty() && dex.generate.is_none() {
                return Err(format!(
                    "[[dex]] #{}: give `smali`, `generate` or both",
                    index + 1
                ));
            }
        }
        for lib in &self.native {
            if !lib.name.starts_with("lib") || !lib.name.ends_with(".so") {
                return Err(format!("[[native]] `{}`: name must be lib<name>.so", lib.name));
            }
            if !lib.page_size.is_power_of_two() || lib.page_size < 4096 {
                return Err(format!(
                    "[[native]] `{}`: page_size must be a power of two >= 4096",
                    lib.name
                ));
            }
            if lib.abis.is_empty() || lib.sources.is_empty() {
                return Err(format!("[[native]] `{}`: needs sources and abis", lib.name));
            }
        }
        if self.package.overlap.is_some() && !self.package.sign.is_empty() {
            // Any signature covers the central directory, so the added record breaks it.
            return Err("`overlap` is added after signing: it needs `sign = []`".into());
        }
        if self.package.append.iter().any(String::is_empty) {
            return Err("`append` names must not be empty".into());
        }
        if self.package.key.is_empty() || self.package.key.contains(['/', '\\', '.']) {
            return Err(format!("`key` {:?} must name keys/<key>.pk8", self.package.key));
        }
        if self.package.tamper && self.expect.verifies {
            return Err("a tampered app cannot be expected to verify".into());
        }
        Ok(())
    }
}
