//! Write: put the finished files into a temporary folder beside the output,
//! and swap it into place only when every file was written.

use std::collections::HashSet;
use std::fs;
use std::io::{Read as _, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::{Context, Result, bail};

use crate::render::Output;

/// What to do about a failure to read or write outside the content, when
/// the cause is one a user can act on: a full disk, a read-only one, a
/// folder they may not write to.
pub fn help(err: &anyhow::Error) -> Option<&'static str> {
    use std::io::ErrorKind as K;
    let kind = err
        .chain()
        .find_map(|e| e.downcast_ref::<std::io::Error>())?
        .kind();
    Some(match kind {
        K::StorageFull | K::QuotaExceeded | K::FileTooLarge => {
            "the disk is full: free some space, then build again; the previous site is left as it was"
        }
        K::ReadOnlyFilesystem => {
            "the output folder is on a read-only disk: build into another with --output DIR; the previous site is left as it was"
        }
        K::PermissionDenied => {
            "you may not write there: build into a folder of yours with --output DIR, or change the folder's permissions"
        }
        _ => return None,
    })
}

/// Refuses an output folder that would overwrite the briefing itself: the
/// root, a folder above it, or anything inside `content/` or `templates/`.
pub fn check_output(root: &Path, output: &Path) -> Result<()> {
    let root = absolute(root)?;
    let output = absolute(output)?;
    if root.starts_with(&output) {
        bail!(
            "the output folder {} would replace the briefing folder {}; choose another with --output",
            output.display(),
            root.display()
        );
    }
    for protected in ["content", "templates"] {
        if output.starts_with(root.join(protected)) {
            bail!(
                "the output folder {} is inside the briefing's {protected}/ folder; choose another with --output",
                output.display()
            );
        }
    }
    Ok(())
}

fn absolute(path: &Path) -> Result<PathBuf> {
    let path =
        std::path::absolute(path).with_context(|| format!("resolving {}", path.display()))?;
    // Canonicalise the longest existing ancestor, so that links and `..` cannot hide the real place.
    let mut existing = path.as_path();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => break,
        }
    }
    let mut real = existing
        .canonicalize()
        .unwrap_or_else(|_| existing.to_path_buf());
    real.extend(rest.iter().rev());
    Ok(real)
}

/// A new site being written into a temporary folder beside the output, file
/// by file as pages are rendered (from any number of threads), then swapped
/// into place whole by [`Staging::finish`]. Dropped unfinished, the folder is
/// removed and the output left as it was.
pub struct Staging {
    output: PathBuf,
    /// Whether there is a previous site, whose unchanged files are kept.
    previous: bool,
    parent: PathBuf,
    name: String,
    dir: PathBuf,
    made: Mutex<HashSet<PathBuf>>,
    error: Mutex<Option<anyhow::Error>>,
    written: AtomicUsize,
    /// Every file put so far: its path, size and time (see [`Site`]).
    files: Mutex<Site>,
    finished: bool,
}

/// The files of a site as written: each one's path from the site's root,
/// its size, and its modification time in nanoseconds since 1970, sorted by
/// path.
pub type Site = Vec<(String, u64, u64)>;

/// A file's modification time in nanoseconds since 1970 (0 where the system
/// does not tell it).
pub fn nanos(meta: &fs::Metadata) -> u64 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos() as u64)
}

/// The metadata of `path` if it is a regular file holding exactly `bytes`.
fn same_contents(path: &Path, bytes: &[u8]) -> Option<fs::Metadata> {
    let meta = fs::symlink_metadata(path).ok()?;
    let same = meta.is_file()
        && meta.len() == bytes.len() as u64
        && fs::read(path).is_ok_and(|old| old == bytes);
    same.then_some(meta)
}

/// The metadata of the file at `old`, if it is a file of `len` bytes with the
/// same bytes as the file at `new`: compared a block at a time.
fn same_files(old: &Path, new: &Path, len: u64) -> Option<fs::Metadata> {
    let meta = fs::symlink_metadata(old).ok()?;
    if !meta.is_file() || meta.len() != len {
        return None;
    }
    let (mut a, mut b) = (fs::File::open(old).ok()?, fs::File::open(new).ok()?);
    let (mut x, mut y) = (vec![0; 1 << 16], vec![0; 1 << 16]);
    loop {
        let n = read_full(&mut a, &mut x).ok()?;
        let m = read_full(&mut b, &mut y).ok()?;
        if x[..n] != y[..m] {
            return None;
        }
        if n == 0 {
            return Some(meta);
        }
    }
}

/// Reads into `buf` until it is full or the file ends; returns how much.
fn read_full(file: &mut fs::File, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match file.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

impl Staging {
    /// Starts a new site for `output`.
    pub fn new(output: &Path) -> Result<Staging> {
        let (parent, name) = place(output);
        fs::create_dir_all(&parent).with_context(|| format!("creating {}", parent.display()))?;
        remove_leftovers(&parent, &name)?;
        let dir = parent.join(format!(".{name}.tmp-{}", std::process::id()));
        fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        Ok(Staging {
            output: output.to_path_buf(),
            previous: output.is_dir(),
            parent,
            name,
            dir,
            made: Mutex::new(HashSet::new()),
            error: Mutex::new(None),
            written: AtomicUsize::new(0),
            files: Mutex::new(Vec::new()),
            finished: false,
        })
    }

    /// Writes one file. The first failure is kept for [`Staging::finish`] to
    /// report, and later files are not written.
    pub fn put(&self, file: &Output) {
        self.unless_failed(|| self.write(file));
    }

    /// Writes one file as `write` makes it, straight into the new site, so
    /// that a large file is never whole in memory. A file the previous site
    /// has with the same bytes is linked in its place, as with [`Staging::put`].
    pub fn put_with(
        &self,
        path: &str,
        write: &mut dyn FnMut(&mut dyn Write) -> std::io::Result<()>,
    ) {
        self.unless_failed(|| self.write_with(path, write));
    }

    /// Runs `write` unless a file already failed, and keeps its failure if
    /// it is the first.
    fn unless_failed(&self, write: impl FnOnce() -> Result<()>) {
        let failed = self
            .error
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .is_some();
        if failed {
            return;
        }
        if let Err(err) = write() {
            let mut error = self.error.lock().unwrap_or_else(|e| e.into_inner());
            error.get_or_insert(err);
        }
    }

    fn write_with(
        &self,
        path: &str,
        write: &mut dyn FnMut(&mut dyn Write) -> std::io::Result<()>,
    ) -> Result<()> {
        let target = self.dir.join(path);
        self.make_parent(&target)?;
        let mut writing = || -> std::io::Result<fs::Metadata> {
            let mut out = std::io::BufWriter::with_capacity(1 << 16, fs::File::create(&target)?);
            write(&mut out)?;
            let file = out
                .into_inner()
                .map_err(std::io::IntoInnerError::into_error)?;
            file.metadata()
        };
        let meta = writing().with_context(|| format!("writing {}", target.display()))?;
        let previous = self.output.join(path);
        if self.previous
            && let Some(old) = same_files(&previous, &target, meta.len())
            && fs::remove_file(&target).is_ok()
            && fs::hard_link(&previous, &target).is_ok()
        {
            self.keep(path, &old);
            return Ok(());
        }
        self.keep(path, &meta);
        self.written.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    /// Makes the folder `path` goes in, once per folder.
    fn make_parent(&self, path: &Path) -> Result<()> {
        if let Some(dir) = path.parent() {
            let mut made = self.made.lock().unwrap_or_else(|e| e.into_inner());
            if !made.contains(dir) {
                fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
                made.insert(dir.to_path_buf());
            }
        }
        Ok(())
    }

    fn write(&self, file: &Output) -> Result<()> {
        let path = self.dir.join(&file.path);
        self.make_parent(&path)?;
        // A file the previous site already has, byte for byte, is linked
        // into the new one rather than written again: its contents and time
        // stay as they were, and an unchanged rebuild writes no file.
        let previous = self.output.join(&file.path);
        if self.previous
            && let Some(meta) = same_contents(&previous, &file.bytes)
            && fs::hard_link(&previous, &path).is_ok()
        {
            // A link shares the file's size and time.
            self.keep(&file.path, &meta);
            return Ok(());
        }
        let writing = || -> std::io::Result<fs::Metadata> {
            let mut new = fs::File::create(&path)?;
            new.write_all(&file.bytes)?;
            // Asked of the open file: no second look-up of its path.
            new.metadata()
        };
        let meta = writing().with_context(|| format!("writing {}", path.display()))?;
        self.keep(&file.path, &meta);
        self.written.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    fn keep(&self, path: &str, meta: &fs::Metadata) {
        let mut files = self.files.lock().unwrap_or_else(|e| e.into_inner());
        files.push((path.to_string(), meta.len(), nanos(meta)));
    }

    /// How many files were written, as opposed to kept from the previous site.
    pub fn written(&self) -> usize {
        self.written.load(Ordering::Relaxed)
    }

    /// Swaps the new site into place, or reports the first failure to write
    /// it (and leaves the output as it was). `before_swap` runs once every
    /// file is known to be written, just before the swap. Returns the files
    /// of the site, as they were written.
    pub fn finish(mut self, before_swap: impl FnOnce() -> Result<()>) -> Result<Site> {
        let error = self.error.lock().unwrap_or_else(|e| e.into_inner()).take();
        if let Some(err) = error {
            return Err(err);
        }
        before_swap()?;
        swap(&self.dir, &self.output, &self.parent, &self.name)?;
        self.finished = true;
        let mut files = std::mem::take(&mut *self.files.lock().unwrap_or_else(|e| e.into_inner()));
        files.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        Ok(files)
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.finished {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

/// The folder `output` is in, and its name: what is kept beside the output
/// is named after it.
pub fn place(output: &Path) -> (PathBuf, String) {
    let name = output
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    let parent = match output.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    (parent, name)
}

/// Removes what builds killed before they finished left beside `output`,
/// for a build that has nothing to write.
pub fn remove_leftovers_beside(output: &Path) -> Result<()> {
    let (parent, name) = place(output);
    remove_leftovers(&parent, &name)
}

/// Removes what builds killed before they finished left beside the output:
/// `.NAME.tmp-PID` (a new site not swapped in, or after the swap the
/// previous one) and `.NAME.old-PID` folders.
fn remove_leftovers(parent: &Path, name: &str) -> Result<()> {
    let Ok(entries) = fs::read_dir(parent) else {
        return Ok(());
    };
    let prefixes = [format!(".{name}.tmp-"), format!(".{name}.old-")];
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let file_name = file_name.to_string_lossy();
        let leftover = prefixes.iter().any(|p| {
            file_name
                .strip_prefix(p.as_str())
                .is_some_and(|pid| !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()))
        });
        if leftover && entry.file_type().is_ok_and(|t| t.is_dir()) {
            fs::remove_dir_all(entry.path())
                .with_context(|| format!("removing the leftover {}", entry.path().display()))?;
        }
    }
    Ok(())
}

/// Puts the new site in place of the previous one in one step, so that a
/// build killed at any moment leaves one site or the other whole: on Linux
/// the two folders are exchanged atomically (`renameat2` with
/// `RENAME_EXCHANGE`), and the previous site, now under the staging name,
/// is removed afterwards.
fn swap(staging: &Path, output: &Path, parent: &Path, name: &str) -> Result<()> {
    if !output.exists() {
        return fs::rename(staging, output)
            .with_context(|| format!("moving the new site into {}", output.display()));
    }
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        if renameat_with(CWD, staging, CWD, output, RenameFlags::EXCHANGE).is_ok() {
            return fs::remove_dir_all(staging).with_context(|| {
                format!("removing the previous site, now at {}", staging.display())
            });
        }
        // A file system without the exchange: two renames, as elsewhere.
    }
    let old = parent.join(format!(".{name}.old-{}", std::process::id()));
    if old.exists() {
        fs::remove_dir_all(&old)
            .with_context(|| format!("removing the leftover {}", old.display()))?;
    }
    fs::rename(output, &old)
        .with_context(|| format!("moving the previous site {} aside", output.display()))?;
    if let Err(err) = fs::rename(staging, output) {
        // Put the previous site back before reporting.
        let _ = fs::rename(&old, output);
        return Err(err).with_context(|| format!("moving the new site into {}", output.display()));
    }
    fs::remove_dir_all(&old)
        .with_context(|| format!("removing the previous site at {}", old.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_to_write_over_the_briefing() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        assert!(check_output(root, root).is_err());
        assert!(check_output(root, &root.join("content")).is_err());
        assert!(check_output(root, &root.join("templates/x")).is_err());
        assert!(check_output(root, root.parent().unwrap()).is_err());
        assert!(check_output(root, &root.join("public")).is_ok());
    }

    #[test]
    fn replaces_the_previous_site_whole() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        // Each site through Staging, as a build writes it.
        let write = |path: &str, bytes: &[u8]| {
            let staging = Staging::new(&out).unwrap();
            staging.put(&Output {
                path: path.into(),
                bytes: bytes.to_vec(),
            });
            staging.finish(|| Ok(())).unwrap();
        };
        write("a/old.html", b"old");
        write("index.html", b"new");
        assert!(!out.join("a/old.html").exists());
        assert_eq!(fs::read(out.join("index.html")).unwrap(), b"new");
        let leftovers: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(leftovers, vec![std::ffi::OsString::from("public")]);
    }
}
