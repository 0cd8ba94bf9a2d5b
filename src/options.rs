//! The options of a build, as the command line gives them: what `build`,
//! `check`, `export` and `serve` share, and what the record of a build
//! fingerprints.

use std::path::PathBuf;

use crate::limits::Limits;
use crate::progress::Progress;

/// What to build and how.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// The briefing's folder.
    pub root: PathBuf,
    /// Where the site goes; `root/public` by default.
    pub output: Option<PathBuf>,
    /// Treat warnings as errors.
    pub deny_warnings: bool,
    /// Write the site (`build`), or only check (`check`).
    pub write: bool,
    /// Where to show how far the build is, if anywhere.
    pub progress: Option<Progress>,
    /// Where the site will live, overriding `base_url` of briefing.yaml.
    pub base_url: Option<String>,
    /// The bounds of the build.
    pub limits: Limits,
}

impl BuildOptions {
    /// Where the site is written: `output`, or `ROOT/public`.
    pub fn output_dir(&self) -> PathBuf {
        self.output
            .clone()
            .unwrap_or_else(|| self.root.join("public"))
    }
}
