//! Reading a briefing's files safely: listing a folder in name order,
//! reporting what would be ignored, and reading each file as UTF-8 within
//! the size limit, never from outside the briefing's folder and never from
//! a pipe or device.

use std::fs;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::diagnostic::{Code, Diagnostic, Span};
use crate::limits::{Limits, Size};

/// The files under `root/dir`, relative to `root` and sorted by path: those
/// with one of `extensions`, or all. Other files are reported, since they
/// would otherwise be silently ignored, and so are links to folders. Links
/// to files are listed; [`Reader`] refuses those that lead out of the
/// briefing's folder.
pub fn files_in(
    root: &Path,
    dir: &str,
    extensions: Option<&[&str]>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let top = root.join(dir);
    if !top.is_dir() {
        return files;
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
                diags.push(Diagnostic::new(
                    Code::Unreadable,
                    &path,
                    Span::file(),
                    format!("cannot read: {}", io_reason(err.io_error())),
                ));
                continue;
            }
        };
        let Ok(relative) = entry.path().strip_prefix(root) else {
            continue;
        };
        let name = entry.file_name().to_string_lossy();
        if name.starts_with('.') || entry.file_type().is_dir() {
            continue;
        }
        // A link is read as the file it leads to (the reader checks that
        // it stays in the briefing); a link to a folder is not followed.
        if entry.path_is_symlink() && entry.path().is_dir() {
            diags.push(
                Diagnostic::new(
                    Code::IgnoredFile,
                    relative,
                    Span::file(),
                    "this is a link to a folder, and links to folders are not followed",
                )
                .with_help("move the folder here instead of linking it"),
            );
            continue;
        }
        let ext = entry
            .path()
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("");
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
                        relative,
                        Span::file(),
                        format!("this file is ignored: files here end in {wanted}"),
                    )
                    .with_help("rename it, or move it out of the content folder"),
                );
            }
            _ => files.push(relative.to_path_buf()),
        }
    }
    files
}

/// Reads the files of one briefing: as UTF-8 without a byte-order mark,
/// within the size limit, and never from outside the briefing's folder.
pub struct Reader<'a> {
    root: &'a Path,
    /// The briefing's folder with every link resolved, when it has one.
    real_root: Option<PathBuf>,
    limits: &'a Limits,
}

impl<'a> Reader<'a> {
    pub fn new(root: &'a Path, limits: &'a Limits) -> Self {
        Reader {
            root,
            real_root: fs::canonicalize(root).ok(),
            limits,
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
        let bytes = fs::read(&real).map_err(|err| unreadable(&err))?;
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
