//! A target profile: what the microkernel target provides (platform level, page size, ABIs,
//! libraries, permissions, features). Rules judge an app against one; `--profile FILE` swaps it.

use serde::Deserialize;

/// The built-in profile (`crates/analyzer/profiles/hypercompat.toml`).
pub const DEFAULT_TOML: &str = include_str!("../../profiles/hypercompat.toml");

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    pub name: String,
    pub description: String,
    pub sdk: SdkProfile,
    pub native: NativeProfile,
    pub permissions: PermissionProfile,
    pub features: FeatureProfile,
    pub libraries: LibraryProfile,
    pub runtime: RuntimeProfile,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SdkProfile {
    pub platform: i32,
    pub min_target: i32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NativeProfile {
    pub page_size: u64,
    pub abis: Vec<String>,
    pub public_libraries: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PermissionProfile {
    pub granted: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeatureProfile {
    pub available: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LibraryProfile {
    pub provided: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuntimeProfile {
    pub device_nodes: Vec<String>,
    pub services: Vec<String>,
}

impl RuntimeProfile {
    /// Whether the runtime provides the device node at `path` (entries ending in `/` are
    /// directories of nodes).
    pub fn has_device(&self, path: &str) -> bool {
        self.device_nodes
            .iter()
            .any(|node| node == path || (node.ends_with('/') && path.starts_with(node.as_str())))
    }
}

impl Profile {
    /// Reads a profile; the error names the key or line that is wrong.
    pub fn parse(text: &str) -> Result<Profile, String> {
        let profile: Profile = toml::from_str(text).map_err(|err| err.message().to_string())?;
        if !profile.native.page_size.is_power_of_two() || profile.native.page_size < 4096 {
            return Err(format!(
                "native.page_size must be a power of two of at least 4096, not {}",
                profile.native.page_size
            ));
        }
        Ok(profile)
    }

    /// The built-in profile.
    pub fn builtin() -> &'static Profile {
        static BUILTIN: std::sync::OnceLock<Profile> = std::sync::OnceLock::new();
        BUILTIN.get_or_init(|| {
            Profile::parse(DEFAULT_TOML).unwrap_or_else(|err| panic!("built-in profile: {err}"))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_profile_parses() {
        let profile = Profile::builtin();
        assert_eq!(profile.native.page_size, 16384);
        assert!(profile.native.public_libraries.iter().any(|l| l == "libc.so"));
    }

    #[test]
    fn bad_profiles_are_refused_with_the_reason() {
        let unknown = DEFAULT_TOML.replace("[sdk]", "[sdk]\nbogus = 1");
        assert!(Profile::parse(&unknown).unwrap_err().contains("bogus"));
        let missing = DEFAULT_TOML.replace("min_target = 24", "");
        assert!(Profile::parse(&missing).unwrap_err().contains("min_target"));
        let page = DEFAULT_TOML.replace("page_size = 16384", "page_size = 1000");
        assert!(Profile::parse(&page).unwrap_err().contains("page_size"));
    }
}
