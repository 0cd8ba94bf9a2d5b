//! `briefing init DIR`: a new briefing with one sample article and its
//! annotations, which builds cleanly, and a README on what to edit.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

/// The files of a new briefing, by path from its folder.
const FILES: &[(&str, &str)] = &[
    ("README.md", include_str!("init/README.md")),
    (
        "content/briefing.yaml",
        include_str!("init/content/briefing.yaml"),
    ),
    (
        "content/articles/riverton-gazette-sample.md",
        include_str!("init/content/articles/riverton-gazette-sample.md"),
    ),
    (
        "content/annotations/glossary.yaml",
        include_str!("init/content/annotations/glossary.yaml"),
    ),
    (
        "content/annotations/claims.yaml",
        include_str!("init/content/annotations/claims.yaml"),
    ),
    (
        "content/annotations/timeline.yaml",
        include_str!("init/content/annotations/timeline.yaml"),
    ),
];

/// Writes a new briefing into `dir`, with the schemas its YAML files point
/// editors at, which may exist but must not hold a
/// `content/` folder or a README already: nothing is overwritten. Returns
/// the files written.
pub fn init(dir: &Path) -> Result<Vec<PathBuf>> {
    let files: Vec<(PathBuf, String)> = FILES
        .iter()
        .map(|(path, text)| (PathBuf::from(path), text.to_string()))
        .chain(crate::schema::files())
        .collect();
    for (path, _) in &files {
        let target = dir.join(path);
        if target.exists() {
            bail!(
                "{} already exists; init writes only into a new or empty folder, and overwrites nothing",
                target.display()
            );
        }
    }
    if dir.join("content").exists() {
        bail!(
            "{} already has a content/ folder: it is a briefing already",
            dir.display()
        );
    }
    let mut written = Vec::new();
    for (path, text) in files {
        let target = dir.join(&path);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        fs::write(&target, text).with_context(|| format!("cannot write {}", target.display()))?;
        written.push(target);
    }
    Ok(written)
}
