//! The options both commands judge an APK with: which rules, and against which target.

use std::path::PathBuf;

use analyzer::rules::{Profile, Selection};

#[derive(Debug, clap::Args)]
pub struct RuleOptions {
    /// Only rules whose code starts with one of these (HC3, HC4001) or has this name
    /// (`analyze` runs only them, `fix` repairs only their findings); comma-separated or repeated
    #[arg(long, value_delimiter = ',')]
    pub select: Vec<String>,
    /// Not the rules whose code starts with one of these or has this name
    #[arg(long, value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// Target profile (TOML) to judge against instead of the built-in one
    #[arg(long)]
    pub profile: Option<PathBuf>,
}

impl RuleOptions {
    /// The selection, with every prefix checked to name a rule.
    pub fn selection(&self) -> Result<Selection, String> {
        let selection = Selection {
            select: self.select.clone(),
            ignore: self.ignore.clone(),
        };
        selection.validate()?;
        Ok(selection)
    }

    /// The profile file's, or the built-in one; the error names the file.
    pub fn profile(&self) -> Result<Profile, String> {
        let Some(path) = &self.profile else {
            return Ok(Profile::builtin().clone());
        };
        let failed = |err: String| format!("{}: {err}", path.display());
        let text = std::fs::read_to_string(path).map_err(|err| failed(err.to_string()))?;
        Profile::parse(&text).map_err(|err| failed(err.to_string()))
    }
}
