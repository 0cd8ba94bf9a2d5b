//! The record of the last build into an output folder, kept beside it as
//! `.NAME.build.json` (`.public.build.json` for `public/`): a fingerprint of
//! everything the site was made from, and every file the site has, with its
//! size and time. A build whose fingerprint is the one recorded, into a site
//! whose files are all as recorded, has nothing to do: it stops there, having
//! only read its input files, and shows the warnings the recorded build gave.
//!
//! The record is removed before a new site is swapped in and written after,
//! so a build killed in between leaves none, and the next build is a full one.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use walkdir::WalkDir;

use crate::diagnostic::{Diagnostic, Severity, Sources, Span};
use crate::limits::Limits;
use crate::load::Reader;
use crate::pipeline::BuildOptions;
use crate::write::{self, Site, nanos};

/// The version of the record's format; a record of another is ignored.
const FORMAT: u32 = 1;

/// A site's record.
#[derive(Serialize, Deserialize)]
pub struct Record {
    format: u32,
    /// The fingerprint of what the site was made from, in hex.
    inputs: String,
    /// How many pages the site has.
    pub pages: usize,
    /// Articles, claims, glossary entries, events.
    pub counts: [usize; 4],
    /// Every file of the site: its path from the site's root, its size,
    /// and its modification time in nanoseconds since 1970.
    files: Site,
    /// The warnings the build gave.
    warnings: Vec<Warning>,
}

#[derive(Serialize, Deserialize)]
struct Warning {
    code: String,
    file: PathBuf,
    line: usize,
    column: usize,
    len: usize,
    message: String,
    help: Option<String>,
}

/// Where the record of `output` is kept: beside it.
fn path_of(output: &Path) -> PathBuf {
    let (parent, name) = write::place(output);
    parent.join(format!(".{name}.build.json"))
}

/// The fingerprint of everything a build of `options` makes its site from:
/// every file under `content/` and `templates/` (path and contents), the
/// options that shape the site, and this program. `None` when a file cannot
/// be read: the build then goes on as usual and reports it.
pub fn fingerprint(options: &BuildOptions, output: &Path) -> Option<blake3::Hash> {
    let root = &options.root;
    let mut files = Vec::new();
    for dir in ["content", "templates"] {
        let top = root.join(dir);
        if !top.exists() {
            continue;
        }
        for entry in WalkDir::new(&top).sort_by_file_name() {
            let entry = entry.ok()?;
            if !entry.file_type().is_dir() {
                files.push(entry.into_path());
            }
        }
    }
    let hashes: Vec<blake3::Hash> = files
        .par_iter()
        .map(|file| {
            let bytes = fs::read(file).ok()?;
            let mut hasher = blake3::Hasher::new();
            hasher.update(
                file.strip_prefix(root)
                    .unwrap_or(file)
                    .as_os_str()
                    .as_encoded_bytes(),
            );
            hasher.update(&[0]);
            hasher.update(&bytes);
            Some(hasher.finalize())
        })
        .collect::<Option<_>>()?;
    let mut hasher = blake3::Hasher::new();
    hasher.update(env!("CARGO_PKG_VERSION").as_bytes());
    // The program itself: a rebuilt binary may render differently.
    let exe = std::env::current_exe().and_then(fs::metadata).ok()?;
    hasher.update(&exe.len().to_le_bytes());
    hasher.update(&nanos(&exe).to_le_bytes());
    let shaping = format!(
        "{:?}|{:?}|{}|{:?}",
        options.base_url,
        options.limits,
        options.deny_warnings,
        std::path::absolute(output).ok()?
    );
    hasher.update(shaping.as_bytes());
    for hash in hashes {
        hasher.update(hash.as_bytes());
    }
    Some(hasher.finalize())
}

/// The record of `output`, if the site there was made from `inputs` and its
/// files are still as the record says: none added, removed or changed.
pub fn unchanged(output: &Path, inputs: &blake3::Hash) -> Option<Record> {
    let text = fs::read_to_string(path_of(output)).ok()?;
    let record: Record = serde_json::from_str(&text).ok()?;
    if record.format != FORMAT || record.inputs != inputs.to_hex().as_str() {
        return None;
    }
    let intact = record.files.par_iter().all(|(path, len, time)| {
        fs::symlink_metadata(output.join(path))
            .is_ok_and(|meta| meta.is_file() && meta.len() == *len && nanos(&meta) == *time)
    });
    let count = WalkDir::new(output)
        .into_iter()
        .filter(|e| e.as_ref().is_ok_and(|e| !e.file_type().is_dir()))
        .count();
    (intact && count == record.files.len()).then_some(record)
}

impl Record {
    /// The warnings the recorded build gave, and the texts of the files
    /// they point into, read again as a build reads them.
    pub fn warnings(&self, root: &Path, limits: &Limits) -> (Vec<Diagnostic>, Sources) {
        let reader = Reader::new(root, limits);
        let mut sources = Sources::default();
        let diagnostics = self
            .warnings
            .iter()
            .map(|w| {
                // A file that cannot be read now is shown without its text.
                if sources.get(&w.file).is_none()
                    && let Some(text) = reader.read(&w.file, &mut Vec::new())
                {
                    sources.insert(w.file.clone(), text);
                }
                Diagnostic {
                    severity: Severity::Warning,
                    // Codes are static in the program; a recorded one is
                    // made so once per run, for the few warnings shown.
                    code: Box::leak(w.code.clone().into_boxed_str()),
                    file: w.file.clone(),
                    span: Span::new(w.line, w.column, w.len),
                    message: w.message.clone(),
                    help: w.help.clone(),
                }
            })
            .collect();
        (diagnostics, sources)
    }

    /// How many files the site has.
    pub fn files(&self) -> usize {
        self.files.len()
    }
}

/// Removes the record of `output`, before its site is replaced.
pub fn forget(output: &Path) -> Result<()> {
    let path = path_of(output);
    match fs::remove_file(&path) {
        Err(err) if err.kind() != std::io::ErrorKind::NotFound => {
            Err(err).with_context(|| format!("removing {}", path.display()))
        }
        _ => Ok(()),
    }
}

/// Records the site now at `output`, made from `inputs`: its `files` as
/// they were written, which is what they are until someone changes them.
pub fn record(
    output: &Path,
    inputs: &blake3::Hash,
    pages: usize,
    counts: [usize; 4],
    diagnostics: &[Diagnostic],
    files: Site,
) -> Result<()> {
    let record = Record {
        format: FORMAT,
        inputs: inputs.to_hex().to_string(),
        pages,
        counts,
        files,
        warnings: diagnostics
            .iter()
            .filter(|d| !d.is_error())
            .map(|d| Warning {
                code: d.code.to_string(),
                file: d.file.clone(),
                line: d.span.line,
                column: d.span.column,
                len: d.span.len,
                message: d.message.clone(),
                help: d.help.clone(),
            })
            .collect(),
    };
    let path = path_of(output);
    let partial = path.with_extension("json.partial");
    fs::write(&partial, serde_json::to_vec(&record)?)
        .with_context(|| format!("writing {}", partial.display()))?;
    fs::rename(&partial, &path).with_context(|| format!("writing {}", path.display()))
}
