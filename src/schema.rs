//! JSON Schemas of the files users write: `briefing.yaml`, an article's front
//! matter, and an annotation file. They are derived from the format's raw
//! types ([`crate::format`]), so a key added there appears here; its
//! [`crate::format::forms`] add what the types alone cannot say (the id
//! rule, the date forms, the allowed words of `kind`, `status` and
//! `relation`).
//!
//! The schemas are for editors (autocomplete, hover help, checking as one
//! types) and for other tools. The build's own checks stay the authority:
//! they also check what a schema cannot, such as whether an id refers to
//! something that exists.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::format::{RawAnnotations, RawBriefing, RawFrontMatter};
use schemars::generate::SchemaSettings;

/// The folder, under a briefing's root, that holds its schema files.
pub const DIR: &str = "schemas";

/// One of the kinds of file a schema describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Briefing,
    FrontMatter,
    Annotations,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::Briefing, Kind::FrontMatter, Kind::Annotations];

    /// The schema's file name in [`DIR`].
    pub fn file_name(self) -> &'static str {
        match self {
            Kind::Briefing => "briefing.schema.json",
            Kind::FrontMatter => "front-matter.schema.json",
            Kind::Annotations => "annotations.schema.json",
        }
    }

    /// The schema as pretty-printed JSON, ending in a newline.
    pub fn json(self) -> String {
        let generator = SchemaSettings::draft2020_12().into_generator();
        let schema = match self {
            Kind::Briefing => generator.into_root_schema_for::<RawBriefing>(),
            Kind::FrontMatter => generator.into_root_schema_for::<RawFrontMatter>(),
            Kind::Annotations => generator.into_root_schema_for::<RawAnnotations>(),
        };
        // Serialising a `serde_json::Value` cannot fail.
        let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
        text.push('\n');
        text
    }
}

/// The schema files of a briefing at `root`: each path (relative to `root`)
/// with the text it should hold.
pub fn files() -> Vec<(PathBuf, String)> {
    Kind::ALL
        .iter()
        .map(|k| (Path::new(DIR).join(k.file_name()), k.json()))
        .collect()
}

/// The schema files under `root` that are missing or differ from what this
/// version of the tool generates.
pub fn stale(root: &Path) -> std::io::Result<Vec<PathBuf>> {
    Ok(stale_files(root)?
        .into_iter()
        .map(|(file, _)| file)
        .collect())
}

/// The schema files that are missing or outdated under `root`, each with
/// the text it should hold.
fn stale_files(root: &Path) -> std::io::Result<Vec<(PathBuf, String)>> {
    let mut stale = Vec::new();
    for (file, text) in files() {
        match fs::read_to_string(root.join(&file)) {
            Ok(on_disk) if on_disk == text => {}
            Ok(_) => stale.push((file, text)),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => stale.push((file, text)),
            Err(err) => return Err(err),
        }
    }
    Ok(stale)
}

/// Writes the schema files under `root` that are missing or outdated, and
/// returns them.
pub fn write(root: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let stale =
        stale_files(root).with_context(|| format!("cannot read {}", root.join(DIR).display()))?;
    if !stale.is_empty() {
        let dir = root.join(DIR);
        fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    let mut written = Vec::new();
    for (file, text) in stale {
        let path = root.join(&file);
        fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
        written.push(file);
    }
    Ok(written)
}

/// The comment that points the YAML language server (VS Code, Neovim, Helix,
/// …) at a schema, for a file `depth` folders below the briefing's root.
pub fn modeline(kind: Kind, depth: usize) -> String {
    format!(
        "# yaml-language-server: $schema={}{}/{}",
        "../".repeat(depth),
        DIR,
        kind.file_name()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_a_titled_schema_with_its_keys() {
        let annotations: serde_json::Value =
            serde_json::from_str(&Kind::Annotations.json()).unwrap();
        assert_eq!(
            annotations["$schema"],
            "https://json-schema.org/draft/2020-12/schema"
        );
        assert_eq!(annotations["additionalProperties"], false);
        let keys: Vec<&str> = annotations["properties"]
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(keys, ["actors", "terms", "claims", "events"]);
        let front: serde_json::Value = serde_json::from_str(&Kind::FrontMatter.json()).unwrap();
        assert_eq!(front["required"], serde_json::json!(["title", "outlet"]));
    }

    #[test]
    fn the_modeline_climbs_to_the_root() {
        assert_eq!(
            modeline(Kind::Annotations, 2),
            "# yaml-language-server: $schema=../../schemas/annotations.schema.json"
        );
    }
}
