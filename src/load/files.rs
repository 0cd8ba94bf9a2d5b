//! Reading a briefing's files safely: listing them once, in name order
//! ([`Listing`]), reporting what would be ignored, and reading each file as
//! UTF-8 within the size limit, never from outside the briefing's folder,
//! never from a pipe or device, and never twice ([`Reader`]).

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use walkdir::WalkDir;

use crate::diagnostic::{Code, Diagnostic, Span};
use crate::limits::{Limits, Size};

/// The files of a briefing, found once a build: every file under
/// `content/` and `templates/`, in path order. The record of the build
/// fingerprints them, loading and the theme take their files from here,
/// and a file the record had to read is kept here for the [`Reader`], so
/// that a build reads each file once.
pub struct Listing {
    root: PathBuf,
    files: Vec<Listed>,
    /// The places that could not be listed, with why.
    errors: Vec<(PathBuf, String)>,
    /// The bytes of the files already read, until the reader takes them.
    read: Mutex<HashMap<PathBuf, Vec<u8>>>,
}

/// A file found under `content/` or `templates/`.
pub struct Listed {
    /// Its path from the briefing's root.
    pub path: PathBuf,
    /// Whether it is a (symbolic) link to a folder, which is not followed.
    pub link_to_folder: bool,
    /// What the file system says of it (through a link), if it says.
    pub meta: Option<fs::Metadata>,
}

impl Listing {
    /// Lists every file under `root/content` and `root/templates`.
    pub fn list(root: &Path) -> Listing {
        let mut files = Vec::new();
        let mut errors = Vec::new();
        for dir in ["content", "templates"] {
            let top = root.join(dir);
            if !top.is_dir() {
                continue;
            }
            for entry in WalkDir::new(&top).sort_by_file_name() {
                let entry = match entry {
                    Ok(entry) => entry,
                    Err(err) => {
                        let path = err
                            .path()
                            .and_then(|p| p.strip_prefix(root).ok())
                            .unwrap_or(Path::new(dir))
                            .to_path_buf();
                        errors.push((path, io_reason(err.io_error())));
                        continue;
                    }
                };
                if entry.file_type().is_dir() {
                    continue;
                }
                let Ok(relative) = entry.path().strip_prefix(root) else {
                    continue;
                };
                let link = entry.path_is_symlink();
                // A link is read through, so its target's metadata is the
                // one that tells of the contents.
                let meta = if link {
                    fs::metadata(entry.path()).ok()
                } else {
                    entry.metadata().ok()
                };
                files.push(Listed {
                    path: relative.to_path_buf(),
                    link_to_folder: link && meta.as_ref().is_some_and(fs::Metadata::is_dir),
                    meta,
                });
            }
        }
        Listing {
            root: root.to_path_buf(),
            files,
            errors,
            read: Mutex::new(HashMap::new()),
        }
    }

    /// The briefing's folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Every file found, in path order.
    pub fn files(&self) -> &[Listed] {
        &self.files
    }

    /// Whether every folder could be listed.
    pub fn complete(&self) -> bool {
        self.errors.is_empty()
    }

    /// Keeps the bytes of `file`, read to fingerprint it, for the reader.
    pub fn keep(&self, file: &Path, bytes: Vec<u8>) {
        self.read
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(file.to_path_buf(), bytes);
    }

    /// The bytes of `file` if they were read already, taken out.
    fn take(&self, file: &Path) -> Option<Vec<u8>> {
        self.read
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(file)
    }

    /// The files under `dir` (a folder of the root), in path order: those
    /// with one of `extensions`, or all. Other files are reported, since
    /// they would otherwise be silently ignored, and so are links to
    /// folders and what could not be listed. Dot-files are skipped. Links
    /// to files are listed; [`Reader`] refuses those that lead out of the
    /// briefing's folder.
    pub fn files_in(
        &self,
        dir: &str,
        extensions: Option<&[&str]>,
        diags: &mut Vec<Diagnostic>,
    ) -> Vec<PathBuf> {
        let dir = Path::new(dir);
        for (path, reason) in &self.errors {
            if path.starts_with(dir) {
                diags.push(Diagnostic::new(
                    Code::Unreadable,
                    path,
                    Span::file(),
                    format!("cannot read: {reason}"),
                ));
            }
        }
        let mut found = Vec::new();
        for file in self.files.iter().filter(|f| f.path.starts_with(dir)) {
            let name = file.path.file_name().unwrap_or_default().to_string_lossy();
            if name.starts_with('.') {
                continue;
            }
            if file.link_to_folder {
                diags.push(
                    Diagnostic::new(
                        Code::IgnoredFile,
                        &file.path,
                        Span::file(),
                        "this is a link to a folder, and links to folders are not followed",
                    )
                    .with_help("move the folder here instead of linking it"),
                );
                continue;
            }
            let ext = file.path.extension().and_then(|e| e.to_str()).unwrap_or("");
            match extensions {
                Some(extensions) if !extensions.contains(&ext) => {
                    let wanted = extensions
                        .iter()
                        .map(|e| format!(".{e}"))
                        .collect::<Vec<_>>()
                        .join(" or ");
                    diags.push(
                        Diagnostic::new(
                            Code::IgnoredFile,
                            &file.path,
                            Span::file(),
                            format!("this file is ignored: files here end in {wanted}"),
                        )
                        .with_help("rename it, or move it out of the content folder"),
                    );
                }
                _ => found.push(file.path.clone()),
            }
        }
        found
    }
}

/// Reads the files of one briefing: as UTF-8 without a byte-order mark,
/// within the size limit, and never from outside the briefing's folder.
pub struct Reader<'a> {
    root: &'a Path,
    /// The briefing's folder with every link resolved, when it has one.
    real_root: Option<PathBuf>,
    limits: &'a Limits,
    /// The listing whose files already read are taken from it.
    listing: Option<&'a Listing>,
}

impl<'a> Reader<'a> {
    /// A reader of the files under `root`.
    pub fn new(root: &'a Path, limits: &'a Limits) -> Self {
        Reader {
            root,
            real_root: fs::canonicalize(root).ok(),
            limits,
            listing: None,
        }
    }

    /// A reader of the listed files, which takes a file already read
    /// from the listing rather than reading it again.
    pub fn of(listing: &'a Listing, limits: &'a Limits) -> Self {
        Reader {
            listing: Some(listing),
            ..Reader::new(listing.root(), limits)
        }
    }

    /// The text of `file` (relative to the root), or `None` with a
    /// diagnostic saying why not.
    pub fn read(&self, file: &Path, diags: &mut Vec<Diagnostic>) -> Option<String> {
        self.try_read(file).map_err(|d| diags.push(d)).ok()
    }

    fn try_read(&self, file: &Path) -> Result<String, Diagnostic> {
        let refuse = |code, message: String, help: &str| {
            Diagnostic::new(code, file, Span::file(), message).with_help(help)
        };
        let unreadable = |err: &std::io::Error| {
            Diagnostic::new(
                Code::Unreadable,
                file,
                Span::file(),
                format!("cannot read the file: {}", io_reason(Some(err))),
            )
        };
        let path = self.root.join(file);
        let real = fs::canonicalize(&path).map_err(|err| {
            match (err.kind(), fs::symlink_metadata(&path).is_ok()) {
                (std::io::ErrorKind::NotFound, true) => refuse(
                    Code::Unreadable,
                    "the file is a link to nothing: what it points to does not exist".into(),
                    "remove the link, or point it at a file in the briefing",
                ),
                (std::io::ErrorKind::NotFound, false) => refuse(
                    Code::MissingFile,
                    "file not found".into(),
                    "a briefing needs content/briefing.yaml with at least a `title:`",
                ),
                _ => unreadable(&err),
            }
        })?;
        if let Some(root) = &self.real_root
            && !real.starts_with(root)
        {
            return Err(refuse(
                Code::OutsideBriefing,
                format!(
                    "the file leads out of the briefing's folder: it is a link to {}",
                    fs::read_link(&path).unwrap_or(real).display()
                ),
                "copy the file into the briefing: links are followed only within its folder",
            ));
        }
        let meta = fs::metadata(&real).map_err(|err| unreadable(&err))?;
        if !meta.is_file() {
            // Reading a pipe or a device could wait forever.
            return Err(refuse(
                Code::Unreadable,
                "this is not a file but a pipe, socket or device".into(),
                "only files are read: remove it, or put the file it stands for here",
            ));
        }
        if meta.len() > self.limits.file_size {
            return Err(refuse(
                Code::LimitFileSize,
                format!(
                    "the file is {}, more than the limit of {} for one file",
                    Size(meta.len()),
                    Size(self.limits.file_size)
                ),
                &format!(
                    "split it into several files, or raise the limit with `--limit file-size={}MB`",
                    meta.len().div_ceil(1_000_000)
                ),
            ));
        }
        let bytes = match self.listing.and_then(|listing| listing.take(file)) {
            Some(bytes) => bytes,
            None => fs::read(&real).map_err(|err| unreadable(&err))?,
        };
        let mut text = String::from_utf8(bytes).map_err(|err| {
            let valid = err.utf8_error().valid_up_to();
            let good = String::from_utf8_lossy(&err.as_bytes()[..valid]);
            let span = Span::from_offset(&good, good.len(), 1);
            Diagnostic::new(
                Code::NotUtf8,
                file,
                Span::new(span.line, span.column, 1),
                "the file is not valid UTF-8",
            )
            .with_help("save the file as UTF-8")
        })?;
        if text.starts_with('\u{feff}') {
            text.drain(..3);
        }
        Ok(text)
    }
}

/// Why a file cannot be read, in words: "permission denied", not
/// "Permission denied (os error 13)".
fn io_reason(err: Option<&std::io::Error>) -> String {
    let Some(err) = err else {
        return "the folder cannot be listed".into();
    };
    let text = err.to_string();
    let text = text.split(" (os error").next().unwrap_or(&text);
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_lowercase().chain(chars).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the record of a build read to fingerprint a file is what the
    /// build loads: the file is not read a second time.
    #[test]
    fn a_file_already_read_is_taken_from_the_listing() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("content/articles")).unwrap();
        fs::write(dir.path().join("content/articles/a.md"), "on disk").unwrap();
        fs::write(dir.path().join("content/notes.txt"), "x").unwrap();
        let listing = Listing::list(dir.path());
        let listed: Vec<&Path> = listing.files().iter().map(|f| f.path.as_path()).collect();
        assert_eq!(
            listed,
            [
                Path::new("content/articles/a.md"),
                Path::new("content/notes.txt")
            ]
        );
        let file = Path::new("content/articles/a.md");
        listing.keep(file, b"as the record read it".to_vec());
        let limits = Limits::default();
        let reader = Reader::of(&listing, &limits);
        let mut diags = Vec::new();
        assert_eq!(
            reader.read(file, &mut diags).as_deref(),
            Some("as the record read it")
        );
        // Taken once: a second read is of the disk.
        assert_eq!(reader.read(file, &mut diags).as_deref(), Some("on disk"));
        assert!(diags.is_empty());
    }
}
