//! Load: read a briefing's files and parse them into raw structs that keep the
//! place every value came from.

use std::fs;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_saphyr::Spanned;
use walkdir::WalkDir;

use crate::diagnostic::{Diagnostic, Sources, Span, did_you_mean};

/// A value with the place it was written.
pub type S<T> = Spanned<T>;

/// `content/briefing.yaml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBriefing {
    pub title: S<String>,
    pub summary: Option<S<String>>,
    pub date: Option<S<String>>,
    pub language: Option<S<String>>,
    pub base_url: Option<S<String>>,
    #[serde(default)]
    pub authors: Vec<S<String>>,
    #[serde(default)]
    pub topics: Vec<RawTopic>,
}

/// A topic in `briefing.yaml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTopic {
    pub id: S<String>,
    pub title: S<String>,
    pub summary: Option<S<String>>,
}

/// An article's front matter.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFrontMatter {
    pub title: S<String>,
    #[serde(default)]
    pub title_supplied: bool,
    pub outlet: S<String>,
    pub author: Option<S<String>>,
    pub published: Option<S<String>>,
    pub url: Option<S<String>>,
    pub section: Option<S<String>>,
    pub language: Option<S<String>>,
    pub note: Option<S<String>>,
}

/// One article file.
#[derive(Debug)]
pub struct RawArticle {
    /// The file, relative to the briefing's root.
    pub file: PathBuf,
    /// The file stem: the article's id.
    pub id: String,
    pub front: RawFrontMatter,
    /// The Markdown body.
    pub body: String,
    /// The 1-based line of the file on which the body starts.
    pub body_line: usize,
}

/// One annotation file's contents.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAnnotations {
    #[serde(default)]
    pub actors: Vec<RawActor>,
    #[serde(default)]
    pub terms: Vec<RawTerm>,
    #[serde(default)]
    pub claims: Vec<RawClaim>,
    #[serde(default)]
    pub events: Vec<RawEvent>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawActor {
    pub id: S<String>,
    pub name: S<String>,
    pub kind: S<String>,
    pub role: Option<S<String>>,
    #[serde(default)]
    pub aliases: Vec<S<String>>,
    #[serde(default)]
    pub member_of: Vec<S<String>>,
    pub summary: Option<S<String>>,
    #[serde(default)]
    pub links: Vec<RawLink>,
    pub link_mentions: Option<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLink {
    pub title: S<String>,
    pub url: S<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTerm {
    pub id: S<String>,
    pub term: S<String>,
    #[serde(default)]
    pub aliases: Vec<S<String>>,
    pub definition: S<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawClaim {
    pub id: S<String>,
    pub text: S<String>,
    pub by: Option<S<String>>,
    #[serde(default)]
    pub about: Vec<S<String>>,
    pub topic: Option<S<String>>,
    pub date: Option<S<String>>,
    pub status: Option<S<String>>,
    pub note: Option<S<String>>,
    pub sources: S<Vec<RawSource>>,
    #[serde(default)]
    pub related: Vec<RawRelated>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSource {
    pub article: S<String>,
    pub quote: S<String>,
    pub occurrence: Option<S<i64>>,
    pub prefix: Option<S<String>>,
    pub suffix: Option<S<String>>,
    pub note: Option<S<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRelated {
    pub claim: S<String>,
    pub relation: S<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEvent {
    pub id: S<String>,
    pub date: S<String>,
    pub title: S<String>,
    pub description: Option<S<String>>,
    #[serde(default)]
    pub actors: Vec<S<String>>,
    #[serde(default)]
    pub claims: Vec<S<String>>,
    #[serde(default)]
    pub sources: Vec<RawSource>,
}

/// Everything read from a briefing folder.
#[derive(Debug, Default)]
pub struct Loaded {
    /// `content/briefing.yaml`, when it parsed.
    pub briefing: Option<RawBriefing>,
    /// The articles that parsed, in id order.
    pub articles: Vec<RawArticle>,
    /// The annotation files that parsed, in name order.
    pub annotations: Vec<(PathBuf, RawAnnotations)>,
    /// The text of every file read, for quoting in diagnostics.
    pub sources: Sources,
}

/// The path of `briefing.yaml` relative to the root.
pub fn briefing_file() -> PathBuf {
    Path::new("content").join("briefing.yaml")
}

/// Reads the briefing at `root`. Every problem found becomes a diagnostic.
pub fn load(root: &Path) -> (Loaded, Vec<Diagnostic>) {
    let mut loaded = Loaded::default();
    let mut diags = Vec::new();
    let content = root.join("content");
    if !content.is_dir() {
        diags.push(
            Diagnostic::error(
                "no-content",
                Path::new("content"),
                Span::file(),
                format!("no `content` folder in {}", root.display()),
            )
            .with_help("run the command in a briefing's folder, or name one with --root DIR"),
        );
        return (loaded, diags);
    }
    let file = briefing_file();
    if let Some(text) = read_text(root, &file, &mut diags) {
        loaded.briefing = parse_yaml::<RawBriefing>(&file, &text, 0, &mut diags).flatten();
        if loaded.briefing.is_none() && !diags.iter().any(|d| d.file == file) {
            diags.push(
                Diagnostic::error("missing-key", &file, Span::file(), "briefing.yaml is empty")
                    .with_help("give the briefing at least a `title:`"),
            );
        }
        loaded.sources.insert(file, text);
    }
    for file in files_in(root, "content/articles", &["md"], &mut diags) {
        if let Some(text) = read_text(root, &file, &mut diags) {
            if let Some(article) = parse_article(&file, &text, &mut diags) {
                loaded.articles.push(article);
            }
            loaded.sources.insert(file, text);
        }
    }
    loaded.articles.sort_by(|a, b| a.id.cmp(&b.id));
    for file in files_in(root, "content/annotations", &["yaml", "yml"], &mut diags) {
        if let Some(text) = read_text(root, &file, &mut diags) {
            if let Some(parsed) = parse_yaml::<RawAnnotations>(&file, &text, 0, &mut diags) {
                loaded
                    .annotations
                    .push((file.clone(), parsed.unwrap_or_default()));
            }
            loaded.sources.insert(file, text);
        }
    }
    (loaded, diags)
}

/// The files with one of `extensions` under `root/dir`, relative to `root`,
/// sorted by path. Other files are reported, since they would otherwise be
/// silently ignored.
fn files_in(
    root: &Path,
    dir: &str,
    extensions: &[&str],
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
                diags.push(Diagnostic::error(
                    "unreadable",
                    &path,
                    Span::file(),
                    format!("cannot read: {err}"),
                ));
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let Ok(relative) = entry.path().strip_prefix(root) else {
            continue;
        };
        let name = entry.file_name().to_string_lossy();
        if name.starts_with('.') {
            continue;
        }
        let ext = entry
            .path()
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("");
        if extensions.contains(&ext) {
            files.push(relative.to_path_buf());
        } else {
            let wanted = extensions
                .iter()
                .map(|e| format!(".{e}"))
                .collect::<Vec<_>>()
                .join(" or ");
            diags.push(
                Diagnostic::warning(
                    "ignored-file",
                    relative,
                    Span::file(),
                    format!("this file is ignored: files here end in {wanted}"),
                )
                .with_help("rename it, or move it out of the content folder"),
            );
        }
    }
    files
}

fn read_text(root: &Path, file: &Path, diags: &mut Vec<Diagnostic>) -> Option<String> {
    let bytes = match fs::read(root.join(file)) {
        Ok(bytes) => bytes,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            diags.push(
                Diagnostic::error("missing-file", file, Span::file(), "file not found")
                    .with_help("a briefing needs content/briefing.yaml with at least a `title:`"),
            );
            return None;
        }
        Err(err) => {
            diags.push(Diagnostic::error(
                "unreadable",
                file,
                Span::file(),
                format!("cannot read the file: {err}"),
            ));
            return None;
        }
    };
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            if text.starts_with('\u{feff}') {
                text.drain(..3);
            }
            Some(text)
        }
        Err(err) => {
            let valid = err.utf8_error().valid_up_to();
            let bytes = err.as_bytes();
            let good = String::from_utf8_lossy(&bytes[..valid]);
            let span = Span::from_offset(&good, good.len(), 1);
            diags.push(
                Diagnostic::error(
                    "not-utf8",
                    file,
                    Span::new(span.line, span.column, 1),
                    "the file is not valid UTF-8",
                )
                .with_help("save the file as UTF-8"),
            );
            None
        }
    }
}

/// Splits an article into front matter and body and parses the front matter.
fn parse_article(file: &Path, text: &str, diags: &mut Vec<Diagnostic>) -> Option<RawArticle> {
    let id = file.file_stem()?.to_string_lossy().into_owned();
    let Some((yaml, body, body_line)) = split_front_matter(text) else {
        diags.push(
            Diagnostic::error("no-front-matter", file, Span::new(1, 1, 1), "the article has no front matter")
                .with_help("start the file with a line `---`, the article's `title:` and `outlet:`, and another line `---`"),
        );
        return None;
    };
    let front = parse_yaml::<RawFrontMatter>(file, yaml, 1, diags)?;
    let Some(front) = front else {
        diags.push(
            Diagnostic::error(
                "missing-key",
                file,
                Span::new(1, 1, 3),
                "the front matter is empty",
            )
            .with_help("give the article at least a `title:` and an `outlet:`"),
        );
        return None;
    };
    Some(RawArticle {
        file: file.to_path_buf(),
        id,
        front,
        body: body.to_string(),
        body_line,
    })
}

/// `(front matter, body, line the body starts on)`, or `None` when the file
/// does not start with a `---` line closed by another.
fn split_front_matter(text: &str) -> Option<(&str, &str, usize)> {
    let rest = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))?;
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "---" {
            let yaml = &rest[..offset];
            let body = &rest[offset + line.len()..];
            let body_line = 2 + yaml.matches('\n').count() + 1;
            return Some((yaml, body, body_line));
        }
        offset += line.len();
    }
    None
}

fn options() -> serde_saphyr::Options {
    let mut options = serde_saphyr::Options::default();
    options.with_snippet = false;
    options
}

/// Parses YAML whose first line is line `1 + line_offset` of `file`. The outer
/// `None` is a failure (reported); the inner one an empty document.
fn parse_yaml<T: for<'de> Deserialize<'de>>(
    file: &Path,
    text: &str,
    line_offset: usize,
    diags: &mut Vec<Diagnostic>,
) -> Option<Option<T>> {
    match serde_saphyr::from_str_with_options::<Option<T>>(text, options()) {
        Ok(value) => Some(value),
        Err(err) => {
            diags.push(yaml_diagnostic(file, &err, line_offset));
            None
        }
    }
}

/// Turns a YAML or shape error into a diagnostic in the user's words.
fn yaml_diagnostic(file: &Path, err: &serde_saphyr::Error, line_offset: usize) -> Diagnostic {
    let err = err.without_snippet();
    let span = err
        .location()
        .filter(|l| l.line() > 0)
        .map(|l| {
            Span::new(
                l.line() as usize + line_offset,
                l.column() as usize,
                l.span().len().max(1) as usize,
            )
        })
        .unwrap_or_default();
    let full = err.to_string();
    let message = match full.rfind(" at line ") {
        Some(i) => &full[..i],
        None => full.as_str(),
    };
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let (key, expected) = rest.split_once('`').unwrap_or((rest, ""));
        let allowed = allowed_keys(expected);
        let mut help = match did_you_mean(key, allowed.iter().map(String::as_str)) {
            Some(close) => format!("did you mean `{close}`? "),
            None => String::new(),
        };
        help.push_str(&format!(
            "the keys allowed here are: {}",
            allowed.join(", ")
        ));
        return Diagnostic::error("unknown-key", file, span, format!("unknown key `{key}`"))
            .with_help(help);
    }
    if let Some(rest) = message.strip_prefix("missing field `") {
        let key = rest.trim_end_matches('`');
        return Diagnostic::error(
            "missing-key",
            file,
            span,
            format!("missing required key `{key}`"),
        )
        .with_help(format!("add `{key}:` to this entry"));
    }
    if let Some(rest) = message.strip_prefix("duplicate mapping key: ") {
        let key = rest.split(',').next().unwrap_or(rest);
        return Diagnostic::error(
            "duplicate-key",
            file,
            span,
            format!("the key `{key}` is given twice"),
        )
        .with_help("keep one of them");
    }
    if message.starts_with("cannot deserialize null into string") {
        return Diagnostic::error(
            "wrong-type",
            file,
            span,
            "expected a text value here, found nothing",
        )
        .with_help("write the value after the colon, or remove the key");
    }
    let wrong_type = |what: &str, help: &str| {
        Diagnostic::error("wrong-type", file, span, format!("expected {what} here")).with_help(help)
    };
    match message {
        "expected sequence start" => wrong_type(
            "a list",
            "write the items as `- item` lines under the key, or as `[a, b]`",
        ),
        "expected mapping start" => wrong_type(
            "a mapping",
            "write `key: value` lines, indented under the key",
        ),
        "expected string scalar" => wrong_type(
            "a text value",
            "write plain text; quote it if it starts with `[`, `{`, `*`, `&` or `!`",
        ),
        m if m.starts_with("invalid type") => Diagnostic::error(
            "wrong-type",
            file,
            span,
            m.replace("a sequence", "a list")
                .replace("a map", "a mapping"),
        ),
        m => Diagnostic::error(
            "yaml-syntax",
            file,
            span,
            format!("the YAML does not parse: {m}"),
        ),
    }
}

fn allowed_keys(expected: &str) -> Vec<String> {
    let list = expected.trim_start_matches(", ");
    let list = list
        .strip_prefix("expected one of ")
        .or_else(|| list.strip_prefix("expected "))
        .unwrap_or(list);
    list.split(", ")
        .flat_map(|part| part.split(" or "))
        .map(|k| k.trim().trim_matches('`').to_string())
        .filter(|k| !k.is_empty())
        .collect()
}

/// The span of a spanned value as a diagnostic span, shifted by `line_offset`
/// lines (front matter starts on the file's second line).
pub fn span_of<T>(value: &S<T>, line_offset: usize) -> Span {
    let l = value.referenced;
    if l.line() == 0 {
        return Span::file();
    }
    Span::new(
        l.line() as usize + line_offset,
        l.column() as usize,
        l.span().len().max(1) as usize,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_is_split_from_the_body() {
        let text = "---\ntitle: T\noutlet: O\n---\n\nBody text.\n";
        let (yaml, body, line) = split_front_matter(text).unwrap();
        assert_eq!(yaml, "title: T\noutlet: O\n");
        assert_eq!(body, "\nBody text.\n");
        assert_eq!(line, 5);
        assert!(split_front_matter("title: T\n").is_none());
        assert!(split_front_matter("---\r\ntitle: T\r\n---\r\nBody").is_some());
    }

    #[test]
    fn unknown_keys_get_a_suggestion() {
        let mut diags = Vec::new();
        let parsed =
            parse_yaml::<RawAnnotations>(Path::new("a.yaml"), "claimz: []\n", 0, &mut diags);
        assert!(parsed.is_none());
        assert_eq!(diags[0].message, "unknown key `claimz`");
        assert_eq!(
            diags[0].help.as_deref(),
            Some("did you mean `claims`? the keys allowed here are: actors, terms, claims, events")
        );
        assert_eq!(diags[0].span, Span::new(1, 1, 6));
    }
}
