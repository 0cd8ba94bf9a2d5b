//! Load: read a briefing's files ([`files`]) and parse them into the
//! format's raw structs ([`crate::format`]), which keep the place every
//! value came from; a YAML error is said in the user's words ([`yaml`]).

pub mod files;
mod yaml;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use arcstr::ArcStr;
use rayon::prelude::*;
use serde::Deserialize;

use crate::diagnostic::{Code, Diagnostic, Sources, Span};
use crate::format::{RawAnnotations, RawArticle, RawBriefing, RawFrontMatter};
use crate::limits::Limits;

pub use files::{Listing, Reader};

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

/// Reads the briefing of the files `listing` lists. Every problem found becomes
/// a diagnostic.
pub fn load(listing: &Listing, limits: &Limits) -> (Loaded, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let content = listing.root().join("content");
    if !content.is_dir() {
        diags.push(
            Diagnostic::new(
                Code::NoContent,
                Path::new("content"),
                Span::file(),
                "this folder has no `content` folder, so it is not a briefing",
            )
            .with_help("run the command in a briefing's folder, or name one with --root DIR"),
        );
        return (Loaded::default(), diags);
    }
    let reader = Reader::of(listing, limits);
    let file = briefing_file();
    let briefing = reader.read(&file, &mut diags).map(|text| (file, text));
    // Articles are many: read them in parallel, then merge in file order so
    // that diagnostics come out the same every time.
    let read_all = |files: Vec<PathBuf>, diags: &mut Vec<Diagnostic>| {
        let read: Vec<_> = files
            .into_par_iter()
            .map(|file| {
                let mut file_diags = Vec::new();
                let text = reader.read(&file, &mut file_diags);
                (file, text, file_diags)
            })
            .collect();
        let mut texts = Vec::new();
        for (file, text, file_diags) in read {
            diags.extend(file_diags);
            texts.extend(text.map(|text| (file, text)));
        }
        texts
    };
    let articles = listing.files_in("content/articles", Some(&["md"]), &mut diags);
    let articles = read_all(articles, &mut diags);
    let annotations = listing.files_in("content/annotations", Some(&["yaml", "yml"]), &mut diags);
    let annotations = read_all(annotations, &mut diags);
    let (loaded, parse_diags) = parse(briefing, articles, annotations, limits);
    diags.extend(parse_diags);
    (loaded, diags)
}

/// Parses a briefing's files, given as `(path, text)`: `content/briefing.yaml`,
/// the articles and the annotation files. The texts go into the sources.
pub fn parse(
    briefing: Option<(PathBuf, String)>,
    articles: Vec<(PathBuf, String)>,
    annotations: Vec<(PathBuf, String)>,
    limits: &Limits,
) -> (Loaded, Vec<Diagnostic>) {
    let mut loaded = Loaded::default();
    let mut diags = Vec::new();
    if let Some((file, text)) = briefing {
        loaded.briefing = parse_yaml::<RawBriefing>(&file, &text, 0, limits, &mut diags).flatten();
        if loaded.briefing.is_none() && !diags.iter().any(|d| d.file == file) {
            diags.push(
                Diagnostic::new(
                    Code::MissingKey,
                    &file,
                    Span::file(),
                    "briefing.yaml is empty",
                )
                .with_help("give the briefing at least a `title:`"),
            );
        }
        loaded.sources.insert(file, text);
    }
    let articles: Vec<(PathBuf, ArcStr)> = articles
        .into_par_iter()
        .map(|(file, text)| (file, ArcStr::from(text)))
        .collect();
    let parsed: Vec<_> = articles
        .par_iter()
        .map(|(file, text)| {
            let mut file_diags = Vec::new();
            let article = parse_article(file, text, limits, &mut file_diags);
            (article, file_diags)
        })
        .collect();
    for (article, file_diags) in parsed {
        diags.extend(file_diags);
        loaded.articles.extend(article);
    }
    loaded.articles.sort_by(|a, b| a.id.cmp(&b.id));
    // Past the limit of claims, the remaining files are not parsed: the
    // build stops on that error anyway.
    let claims = AtomicUsize::new(0);
    let parsed: Vec<_> = annotations
        .par_iter()
        .map(|(file, text)| {
            let mut file_diags = Vec::new();
            if claims.load(Ordering::Relaxed) > limits.claims {
                return (None, file_diags);
            }
            let parsed = parse_yaml::<RawAnnotations>(file, text, 0, limits, &mut file_diags);
            if let Some(Some(parsed)) = &parsed {
                claims.fetch_add(parsed.claims.len(), Ordering::Relaxed);
            }
            (parsed, file_diags)
        })
        .collect();
    for ((file, _), (parsed, file_diags)) in annotations.iter().zip(parsed) {
        diags.extend(file_diags);
        if let Some(parsed) = parsed {
            loaded
                .annotations
                .push((file.clone(), parsed.unwrap_or_default()));
        }
    }
    let claims = claims.into_inner();
    if claims > limits.claims {
        diags.push(
            Diagnostic::new(
                Code::LimitClaims,
                Path::new("content/annotations"),
                Span::file(),
                format!(
                    "the briefing has more than {} claims, the limit ({claims} in the files read before stopping)",
                    limits.claims
                ),
            )
            .with_help(
                "each claim is a page: if the briefing is meant to be this large, raise the limit with `--limit claims=N`, N at least the number of claims",
            ),
        );
    }
    for (file, text) in articles {
        loaded.sources.insert(file, text);
    }
    for (file, text) in annotations {
        loaded.sources.insert(file, text);
    }
    (loaded, diags)
}

/// Splits an article into front matter and body and parses the front matter.
fn parse_article(
    file: &Path,
    text: &ArcStr,
    limits: &Limits,
    diags: &mut Vec<Diagnostic>,
) -> Option<RawArticle> {
    let id = file.file_stem()?.to_string_lossy().into_owned();
    let Some((yaml, body, body_line)) = split_front_matter(text) else {
        diags.push(
            Diagnostic::new(Code::NoFrontMatter, file, Span::new(1, 1, 1), "the article has no front matter")
                .with_help("start the file with a line `---`, the article's `title:` and `outlet:`, and another line `---`"),
        );
        return None;
    };
    let front = parse_yaml::<RawFrontMatter>(file, yaml, 1, limits, diags)?;
    let Some(front) = front else {
        diags.push(
            Diagnostic::new(
                Code::MissingKey,
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
        body: text.substr_from(body),
        body_line,
    })
}

/// `(front matter, body, line the body starts on)`, or `None` when the file
/// does not start with a `---` line closed by another.
pub fn split_front_matter(text: &str) -> Option<(&str, &str, usize)> {
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

pub(super) fn options(limits: &Limits) -> serde_saphyr::Options {
    let mut options = serde_saphyr::Options::default();
    options.with_snippet = false;
    // No value keeps its comments: they are read past, not collected.
    options.emit_comments = false;
    options.budget = Some(limits.yaml_budget());
    options
}

/// Parses YAML whose first line is line `1 + line_offset` of `file`. The outer
/// `None` is a failure (reported); the inner one an empty document.
fn parse_yaml<T: for<'de> Deserialize<'de>>(
    file: &Path,
    text: &str,
    line_offset: usize,
    limits: &Limits,
    diags: &mut Vec<Diagnostic>,
) -> Option<Option<T>> {
    match serde_saphyr::from_str_with_options::<Option<T>>(text, options(limits)) {
        Ok(value) => Some(value),
        Err(err) => {
            diags.push(yaml::diagnostic(file, text, &err, line_offset, limits));
            None
        }
    }
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
        let parsed = parse_yaml::<RawAnnotations>(
            Path::new("a.yaml"),
            "claimz: []\n",
            0,
            &Limits::default(),
            &mut diags,
        );
        assert!(parsed.is_none());
        assert_eq!(diags[0].message, "unknown key `claimz`");
        assert_eq!(
            diags[0].help.as_deref(),
            Some("did you mean `claims`? the keys allowed here are: actors, terms, claims, events")
        );
        assert_eq!(diags[0].span, Span::new(1, 1, 6));
    }
}
