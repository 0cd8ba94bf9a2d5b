//! The record of the last build into an output folder, kept beside it as
//! `.NAME.build.json` (`.public.build.json` for `public/`): a fingerprint of
//! everything the site was made from, and every file the site has, with its
//! size and time. A build whose fingerprint is the one recorded, into a site
//! whose files are all as recorded, has nothing to do: it stops there, having
//! only read its input files, and shows the warnings the recorded build gave.
//!
//! The record is removed before a new site is swapped in and written after,
//! so a build killed in between leaves none, and the next build is a full one.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::diagnostic::{Code, Diagnostic, Severity, Sources, Span};
use crate::limits::Limits;
use crate::load::{self, Reader};
use crate::options::BuildOptions;
use crate::write::{self, Site, nanos};

/// The version of the record's format; a record of another is ignored.
const FORMAT: u32 = 2;

/// A site's record.
#[derive(Serialize, Deserialize)]
pub struct Record {
    format: u32,
    /// The fingerprint of what the site was made from, in hex.
    inputs: String,
    /// When its input files were looked at, in nanoseconds since 1970.
    at: u64,
    /// Each input file, in path order.
    sources: Vec<Input>,
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

/// One input file as the build that made the site found it: its path from
/// the briefing's root, the hash of its path and contents, and enough of
/// its metadata to tell, without reading it again, that it is unchanged.
#[derive(Serialize, Deserialize, Clone)]
struct Input {
    path: String,
    /// Size, modification and change times (nanoseconds since 1970), inode.
    stamp: Stamp,
    /// The blake3 hash of its path and contents, in hex.
    hash: String,
}

/// What a file's metadata says of its contents: a file whose stamp is as
/// recorded has not been written since, as long as the recorded times were
/// already in the past when the record was made (see [`RACY`]).
#[derive(Serialize, Deserialize, Clone, Copy, PartialEq, Eq, Debug)]
struct Stamp {
    len: u64,
    modified: u64,
    changed: u64,
    inode: u64,
}

/// How long before a fingerprint was taken a file's times must be for its
/// stamp to vouch for its contents, in nanoseconds. A file written within
/// the same tick of the file system's clock as it was read can keep its
/// times while its contents change (git calls such index entries racily
/// clean); two seconds covers the coarsest clocks (FAT's) and the lag of
/// the kernel's coarse clock behind the system's.
const RACY: u64 = 2_000_000_000;

/// A time the system gives as seconds and nanoseconds since 1970, in
/// nanoseconds; `None` before 1970 or past what 64 bits hold.
#[cfg(unix)]
fn since_1970(secs: i64, nanos: i64) -> Option<u64> {
    u64::try_from(secs)
        .ok()?
        .checked_mul(1_000_000_000)?
        .checked_add(u64::try_from(nanos).ok()?)
}

#[cfg(unix)]
fn stamp(meta: &fs::Metadata) -> Option<Stamp> {
    use std::os::unix::fs::MetadataExt;
    Some(Stamp {
        len: meta.len(),
        modified: since_1970(meta.mtime(), meta.mtime_nsec())?,
        changed: since_1970(meta.ctime(), meta.ctime_nsec())?,
        inode: meta.ino(),
    })
}

/// Elsewhere a file's metadata vouches for nothing: every file is read.
#[cfg(not(unix))]
fn stamp(_: &fs::Metadata) -> Option<Stamp> {
    None
}

/// The fingerprint of everything a build makes its site from, and what it
/// took from each input file.
pub struct Inputs {
    hash: blake3::Hash,
    files: Vec<Input>,
    /// When the files were looked at, in nanoseconds since 1970.
    at: u64,
    /// How many of them were read, their stamps not being as recorded.
    read: usize,
}

/// The record of the last build into `output`, if there is one this
/// program can read.
pub fn previous(output: &Path) -> Option<Record> {
    let text = fs::read(path_of(output)).ok()?;
    let record: Record = serde_json::from_slice(&text).ok()?;
    (record.format == FORMAT).then_some(record)
}

/// The fingerprint of everything a build of `options` makes its site from:
/// every file under `content/` and `templates/` (path and contents), the
/// options that shape the site, and this program. A file whose metadata is
/// as the `previous` record has it, from well before that record was made,
/// is not read: its recorded hash stands for its contents. `None` when a
/// file cannot be read: the build then goes on as usual and reports it.
pub fn fingerprint(
    options: &BuildOptions,
    listed: &load::Listing,
    output: &Path,
    previous: Option<&Record>,
) -> Option<Inputs> {
    let at = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    let root = listed.root();
    if !listed.complete() {
        return None;
    }
    let files = listed.files();
    let known: HashMap<&str, &Input> = previous
        .filter(|record| record.at > RACY)
        .map(|record| {
            record
                .sources
                .iter()
                .filter(|input| input.stamp.modified.max(input.stamp.changed) < record.at - RACY)
                .map(|input| (input.path.as_str(), input))
                .collect()
        })
        .unwrap_or_default();
    let read = std::sync::atomic::AtomicUsize::new(0);
    let inputs: Vec<Input> = files
        .par_iter()
        .map(|listed_file| {
            let relative = &listed_file.path;
            let path = relative.to_string_lossy();
            let meta = listed_file.meta.as_ref()?;
            // A pipe or device is not read (it could wait forever): the
            // build reports it.
            if !meta.is_file() {
                return None;
            }
            let stamp = stamp(meta);
            if let Some(stamp) = stamp
                && let Some(input) = known.get(path.as_ref())
                && input.stamp == stamp
            {
                return Some((*input).clone());
            }
            let bytes = fs::read(root.join(relative)).ok()?;
            read.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let mut hasher = blake3::Hasher::new();
            hasher.update(relative.as_os_str().as_encoded_bytes());
            hasher.update(&[0]);
            hasher.update(&bytes);
            // The build, if it goes on, takes the bytes from the listing.
            listed.keep(relative, bytes);
            Some(Input {
                path: path.into_owned(),
                // Without a stamp, the file is read again next time.
                stamp: stamp.unwrap_or(Stamp {
                    len: u64::MAX,
                    modified: u64::MAX,
                    changed: u64::MAX,
                    inode: u64::MAX,
                }),
                hash: hasher.finalize().to_hex().to_string(),
            })
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
    for input in &inputs {
        hasher.update(input.hash.as_bytes());
    }
    Some(Inputs {
        hash: hasher.finalize(),
        files: inputs,
        at,
        read: read.into_inner(),
    })
}

/// The record of `output`, if the site there was made from `inputs` and its
/// files are still as the record says: none added, removed or changed.
/// When some input files had to be read (touched, or copied, with their
/// contents as they were), the record takes their new stamps, so that the
/// next build need not read them again.
pub fn unchanged(output: &Path, mut record: Record, inputs: &Inputs) -> Option<Record> {
    if record.inputs != inputs.hash.to_hex().as_str() || !intact(output, &record.files) {
        return None;
    }
    if inputs.read > 0 {
        record.sources = inputs.files.clone();
        record.at = inputs.at;
        // Without the new stamps, the next build reads those files again:
        // nothing is lost.
        let _ = write(output, &record);
    }
    Some(record)
}

/// Whether the site at `output` has exactly the `files` recorded, each of
/// the size and time recorded, and nothing else. Each folder is listed
/// once, and its files are looked at from the folder (on Linux), which
/// spares looking up every page's path from the root.
fn intact(output: &Path, files: &Site) -> bool {
    // The files each folder should hold, by their names; a folder of the
    // site holding only folders has an empty list.
    let mut folders: HashMap<&str, Vec<(&str, u64, u64)>> = HashMap::new();
    folders.entry("").or_default();
    for (path, len, time) in files {
        let (dir, name) = path.rsplit_once('/').unwrap_or(("", path));
        folders.entry(dir).or_default().push((name, *len, *time));
        let mut above = dir;
        while let Some((parent, _)) = above.rsplit_once('/') {
            folders.entry(parent).or_default();
            above = parent;
        }
    }
    folders.par_iter().all(|(dir, names)| {
        let folder = output.join(dir);
        let Ok(entries) = fs::read_dir(&folder) else {
            return false;
        };
        let expected: std::collections::HashSet<&str> = names.iter().map(|f| f.0).collect();
        let mut count = 0;
        for entry in entries {
            let Ok(entry) = entry else { return false };
            let name = entry.file_name();
            let Some(name) = name.to_str() else {
                return false;
            };
            let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
            let known = if is_dir {
                let sub = if dir.is_empty() {
                    name.to_string()
                } else {
                    [dir, "/", name].concat()
                };
                folders.contains_key(sub.as_str())
            } else {
                count += 1;
                expected.contains(name)
            };
            if !known {
                return false;
            }
        }
        count == names.len() && as_recorded(&folder, names)
    })
}

/// Whether each of the `files` of `folder` is a regular file of the size and
/// time recorded.
#[cfg(target_os = "linux")]
fn as_recorded(folder: &Path, files: &[(&str, u64, u64)]) -> bool {
    use rustix::fs::{AtFlags, Mode, OFlags, StatxFlags, open, statx};
    let Ok(dir) = open(
        folder,
        OFlags::DIRECTORY | OFlags::RDONLY | OFlags::CLOEXEC,
        Mode::empty(),
    ) else {
        return false;
    };
    files.par_chunks(512).all(|chunk| {
        chunk.iter().all(|&(name, len, time)| {
            let Ok(stat) = statx(
                &dir,
                name,
                AtFlags::SYMLINK_NOFOLLOW | AtFlags::STATX_DONT_SYNC,
                StatxFlags::TYPE | StatxFlags::SIZE | StatxFlags::MTIME,
            ) else {
                return false;
            };
            let regular = u32::from(stat.stx_mode) & 0o170000 == 0o100000;
            let modified = since_1970(stat.stx_mtime.tv_sec, i64::from(stat.stx_mtime.tv_nsec));
            regular && stat.stx_size == len && modified == Some(time)
        })
    })
}

#[cfg(not(target_os = "linux"))]
fn as_recorded(folder: &Path, files: &[(&str, u64, u64)]) -> bool {
    files.par_iter().all(|&(name, len, time)| {
        fs::symlink_metadata(folder.join(name))
            .is_ok_and(|meta| meta.is_file() && meta.len() == len && nanos(&meta) == time)
    })
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
            .filter_map(|w| {
                // The record is of this program (its fingerprint says so),
                // so every code it holds is one of its own.
                let code = Code::from_name(&w.code)?;
                // A file that cannot be read now is shown without its text.
                if sources.get(&w.file).is_none()
                    && let Some(text) = reader.read(&w.file, &mut Vec::new())
                {
                    sources.insert(w.file.clone(), text);
                }
                Some(Diagnostic {
                    severity: Severity::Warning,
                    code,
                    file: w.file.clone(),
                    span: Span::new(w.line, w.column, w.len),
                    message: w.message.clone(),
                    help: w.help.clone(),
                    labels: Box::default(),
                })
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
    inputs: Inputs,
    pages: usize,
    counts: [usize; 4],
    diagnostics: &[Diagnostic],
    files: Site,
) -> Result<()> {
    let record = Record {
        format: FORMAT,
        inputs: inputs.hash.to_hex().to_string(),
        at: inputs.at,
        sources: inputs.files,
        pages,
        counts,
        files,
        warnings: diagnostics
            .iter()
            .filter(|d| !d.is_error())
            .map(|d| Warning {
                code: d.code.name().to_string(),
                file: d.file.clone(),
                line: d.span.line,
                column: d.span.column,
                len: d.span.len,
                message: d.message.clone(),
                help: d.help.clone(),
            })
            .collect(),
    };
    write(output, &record)
}

/// Writes the record of `output` whole: into a file beside it, then renamed
/// into place, so that a build killed meanwhile leaves the old record or
/// none.
fn write(output: &Path, record: &Record) -> Result<()> {
    let path = path_of(output);
    let partial = path.with_extension("json.partial");
    fs::write(&partial, serde_json::to_vec(record)?)
        .with_context(|| format!("writing {}", partial.display()))?;
    fs::rename(&partial, &path).with_context(|| format!("writing {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fingerprint of the briefing of `options`, listed anew.
    fn look(options: &BuildOptions, out: &Path, previous: Option<&Record>) -> Option<Inputs> {
        fingerprint(options, &load::Listing::list(&options.root), out, previous)
    }

    /// A briefing of two files, and the options of a build of it.
    fn briefing() -> (tempfile::TempDir, BuildOptions) {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path().join("content");
        fs::create_dir_all(content.join("articles")).unwrap();
        fs::write(content.join("briefing.yaml"), "title: T\n").unwrap();
        fs::write(content.join("articles/a.md"), "---\nid: a\n---\nText.\n").unwrap();
        let options = BuildOptions {
            root: dir.path().to_path_buf(),
            ..Default::default()
        };
        (dir, options)
    }

    /// A record of `inputs` taken `age` nanoseconds after the files were
    /// looked at, of an empty site.
    fn record_after(inputs: Inputs, age: u64) -> Record {
        Record {
            format: FORMAT,
            inputs: inputs.hash.to_hex().to_string(),
            at: inputs.at + age,
            sources: inputs.files,
            pages: 0,
            counts: [0; 4],
            files: Vec::new(),
            warnings: Vec::new(),
        }
    }

    /// The same, with every file's hash replaced by a made-up one.
    fn record_with_made_up_hashes(inputs: Inputs, age: u64) -> Record {
        let mut record = record_after(inputs, age);
        for input in &mut record.sources {
            input.hash = "made up".into();
        }
        record
    }

    #[cfg(unix)]
    #[test]
    fn a_file_whose_metadata_is_as_recorded_long_after_is_not_read_again() {
        let (dir, options) = briefing();
        let out = dir.path().join("public");
        let first = look(&options, &out, None).unwrap();
        let honest = first.hash;
        // Recorded an hour after the files were last written: their
        // metadata vouches for them, so the recorded hashes stand.
        let record = record_with_made_up_hashes(first, 3_600_000_000_000);
        let again = look(&options, &out, Some(&record)).unwrap();
        assert!(again.files.iter().all(|f| f.hash == "made up"));
        assert_ne!(again.hash, honest);
        // A file written since is read again, and only it.
        fs::write(dir.path().join("content/briefing.yaml"), "title: Edited\n").unwrap();
        let edited = look(&options, &out, Some(&record)).unwrap();
        let read: Vec<&str> = edited
            .files
            .iter()
            .filter(|f| f.hash != "made up")
            .map(|f| f.path.as_str())
            .collect();
        assert_eq!(read, ["content/briefing.yaml"]);
    }

    #[cfg(unix)]
    #[test]
    fn a_build_that_read_unchanged_files_again_records_their_new_stamps() {
        let (dir, options) = briefing();
        let out = dir.path().join("public");
        fs::create_dir_all(&out).unwrap();
        let first = look(&options, &out, None).unwrap();
        // A record from an hour later, but for one file whose stamp has
        // changed since (it was touched, its contents as they were).
        let mut record = record_after(first, 3_600_000_000_000);
        record.sources[0].stamp.modified -= 1;
        let again = look(&options, &out, Some(&record)).unwrap();
        assert_eq!(again.read, 1);
        assert!(unchanged(&out, record, &again).is_some());
        let recorded = previous(&out).unwrap();
        let stamps = |files: &[Input]| files.iter().map(|f| f.stamp).collect::<Vec<_>>();
        assert_eq!(stamps(&recorded.sources), stamps(&again.files));
        assert_eq!(recorded.at, again.at);
    }

    #[test]
    fn a_file_written_just_before_the_record_was_made_is_read_again() {
        let (dir, options) = briefing();
        let out = dir.path().join("public");
        let first = look(&options, &out, None).unwrap();
        let honest = first.hash;
        // Recorded within the same second as the files were written: a
        // write in that second might have kept their metadata.
        let record = record_with_made_up_hashes(first, RACY / 2);
        let again = look(&options, &out, Some(&record)).unwrap();
        assert!(again.files.iter().all(|f| f.hash != "made up"));
        assert_eq!(again.hash, honest);
    }
}
