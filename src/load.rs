//! Load: read a briefing's files and parse them into raw structs that keep the
//! place every value came from.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use std::borrow::Cow;

use arcstr::{ArcStr, Substr};
use rayon::prelude::*;
use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde::Deserialize;
use serde_saphyr::{Location, Spanned};
use walkdir::WalkDir;

use crate::diagnostic::{Code, Diagnostic, Sources, Span, did_you_mean};
use crate::limits::{Limits, Size};
use crate::schema;

/// A value with the place it was written.
#[derive(Debug, Clone)]
pub struct S<T> {
    pub value: T,
    /// Where the value was written (for an alias, where it is used).
    pub referenced: Location,
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for S<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let spanned = Spanned::<T>::deserialize(deserializer)?;
        Ok(S {
            value: spanned.value,
            referenced: spanned.referenced,
        })
    }
}

/// In a schema, a spanned value is the value.
impl<T: JsonSchema> JsonSchema for S<T> {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        T::schema_name()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        T::json_schema(generator)
    }
}

/// `content/briefing.yaml`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "briefing.yaml",
    description = "A briefing: its title, summary and topics. See FORMAT.md, content/briefing.yaml."
)]
pub struct RawBriefing {
    /// Required. The briefing's title.
    #[schemars(with = "schema::Text")]
    pub title: S<String>,
    /// A summary of the briefing, shown on its front page.
    #[schemars(with = "Option<schema::Markdown>")]
    pub summary: Option<S<String>>,
    /// When the briefing was written.
    #[schemars(with = "Option<schema::Date>")]
    pub date: Option<S<String>>,
    /// The language of the briefing, as a BCP 47 tag. Default: en.
    #[schemars(with = "Option<schema::Text>")]
    pub language: Option<S<String>>,
    /// Where the site will live, e.g. https://example.org/briefings/petro/. Used only where an absolute address is required.
    #[schemars(with = "Option<schema::Url>")]
    pub base_url: Option<S<String>>,
    /// Who wrote the briefing.
    #[serde(default)]
    #[schemars(with = "Vec<schema::Text>")]
    pub authors: Vec<S<String>>,
    /// Groups of claims; a claim names one with `topic:`.
    #[serde(default)]
    pub topics: Vec<RawTopic>,
}

/// A topic in `briefing.yaml`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Topic")]
pub struct RawTopic {
    /// Required. The topic's id, named by claims' `topic:`.
    #[schemars(with = "schema::Id")]
    pub id: S<String>,
    /// Required. The topic's title.
    #[schemars(with = "schema::Text")]
    pub title: S<String>,
    /// What the topic covers.
    #[schemars(with = "Option<schema::Markdown>")]
    pub summary: Option<S<String>>,
}

/// An article's front matter.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "Article front matter",
    description = "The YAML between the `---` lines at the top of content/articles/ID.md. See FORMAT.md, content/articles/ID.md."
)]
pub struct RawFrontMatter {
    /// Required. The article's headline as published.
    #[schemars(with = "schema::Text")]
    pub title: S<String>,
    /// True when the source has no headline and the annotator wrote one; the title is then shown in square brackets.
    #[serde(default)]
    pub title_supplied: bool,
    /// Required. Who published the article.
    #[schemars(with = "schema::Text")]
    pub outlet: S<String>,
    /// Who wrote it.
    #[schemars(with = "Option<schema::Text>")]
    pub author: Option<S<String>>,
    /// When it was published.
    #[schemars(with = "Option<schema::Date>")]
    pub published: Option<S<String>>,
    /// Where the original lives.
    #[schemars(with = "Option<schema::Url>")]
    pub url: Option<S<String>>,
    /// The section it appeared in.
    #[schemars(with = "Option<schema::Text>")]
    pub section: Option<S<String>>,
    /// The article's language, as a BCP 47 tag.
    #[schemars(with = "Option<schema::Text>")]
    pub language: Option<S<String>>,
    /// How this copy was obtained, what was left out.
    #[schemars(with = "Option<schema::Markdown>")]
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
    /// The Markdown body: a piece of the file's text, which the sources hold.
    pub body: Substr,
    /// The 1-based line of the file on which the body starts.
    pub body_line: usize,
}

/// One annotation file's contents.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "Annotation file",
    description = "A file of content/annotations/: actors, terms, claims and events. Lists from all files are merged. See FORMAT.md, content/annotations/*.yaml."
)]
pub struct RawAnnotations {
    /// The glossary of who is who.
    #[serde(default)]
    pub actors: Vec<RawActor>,
    /// The glossary of what is what.
    #[serde(default)]
    pub terms: Vec<RawTerm>,
    /// What was said, by whom, according to which source.
    #[serde(default)]
    pub claims: Vec<RawClaim>,
    /// The timeline.
    #[serde(default)]
    pub events: Vec<RawEvent>,
}

/// An actor: a person, organisation, place, … of the glossary.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Actor")]
pub struct RawActor {
    /// Required. The actor's id, unique across actors and terms.
    #[schemars(with = "schema::Id")]
    pub id: S<String>,
    /// Required. The actor's name; it is found in the text as a mention.
    #[schemars(with = "schema::Text")]
    pub name: S<String>,
    /// Required. What kind of actor this is.
    #[schemars(with = "schema::ActorKindWord")]
    pub kind: S<String>,
    /// Who the actor is, in one line.
    #[schemars(with = "Option<schema::Text>")]
    pub role: Option<S<String>>,
    /// Other names found in the text as mentions (case-sensitive, whole words).
    #[serde(default)]
    #[schemars(with = "Vec<schema::Text>")]
    pub aliases: Vec<S<String>>,
    /// Ids of the actors this one belongs to.
    #[serde(default)]
    #[schemars(with = "Vec<schema::Id>")]
    pub member_of: Vec<S<String>>,
    /// Who the actor is, at length.
    #[schemars(with = "Option<schema::Markdown>")]
    pub summary: Option<S<String>>,
    /// Links to more about the actor.
    #[serde(default)]
    pub links: Vec<RawLink>,
    /// Whether mentions of the actor link to its page. Default: true.
    pub link_mentions: Option<bool>,
}

/// A link to more about an actor.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Link")]
pub struct RawLink {
    /// Required. The link's text.
    #[schemars(with = "schema::Text")]
    pub title: S<String>,
    /// Required. Where it leads.
    #[schemars(with = "schema::Url")]
    pub url: S<String>,
}

/// A term of the glossary.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Term")]
pub struct RawTerm {
    /// Required. The term's id, unique across actors and terms.
    #[schemars(with = "schema::Id")]
    pub id: S<String>,
    /// Required. The term as shown; it is found in the text as a mention.
    #[schemars(with = "schema::Text")]
    pub term: S<String>,
    /// Other forms found in the text as mentions (case-sensitive, whole words).
    #[serde(default)]
    #[schemars(with = "Vec<schema::Text>")]
    pub aliases: Vec<S<String>>,
    /// Required. What the term means.
    #[schemars(with = "schema::Markdown")]
    pub definition: S<String>,
}

/// A claim: what was said, by whom, according to which source.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Claim")]
pub struct RawClaim {
    /// Required. The claim's id.
    #[schemars(with = "schema::Id")]
    pub id: S<String>,
    /// Required. The claim, in a sentence (inline Markdown).
    #[schemars(with = "schema::Markdown")]
    pub text: S<String>,
    /// The id of the actor who asserts it. Absent: the outlets' own reporting.
    #[schemars(with = "Option<schema::Id>")]
    pub by: Option<S<String>>,
    /// Ids of the actors the claim is about.
    #[serde(default)]
    #[schemars(with = "Vec<schema::Id>")]
    pub about: Vec<S<String>>,
    /// The id of a topic of briefing.yaml.
    #[schemars(with = "Option<schema::Id>")]
    pub topic: Option<S<String>>,
    /// When it was said.
    #[schemars(with = "Option<schema::Date>")]
    pub date: Option<S<String>>,
    /// How far the claim holds up. Default: reported.
    #[schemars(with = "Option<schema::StatusWord>")]
    pub status: Option<S<String>>,
    /// The annotator's commentary.
    #[schemars(with = "Option<schema::Markdown>")]
    pub note: Option<S<String>>,
    /// Required, at least one. The passages of the articles that report the claim.
    #[schemars(length(min = 1))]
    pub sources: S<Vec<RawSource>>,
    /// Other claims this one supports, contradicts or gives context to.
    #[serde(default)]
    pub related: Vec<RawRelated>,
}

/// A passage of an article that reports a claim or an event.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Source")]
pub struct RawSource {
    /// Required. The id of the article (its file name without .md).
    #[schemars(with = "schema::Id")]
    pub article: S<String>,
    /// Required. The exact passage, as a reader sees it (quotes, dashes and white space may differ).
    #[schemars(with = "schema::Text")]
    pub quote: S<String>,
    /// Which occurrence of the quote is meant, when it occurs more than once.
    #[schemars(with = "Option<schema::Occurrence>")]
    pub occurrence: Option<S<i64>>,
    /// Text just before the quote, to pick one of several occurrences.
    #[schemars(with = "Option<schema::Text>")]
    pub prefix: Option<S<String>>,
    /// Text just after the quote, to pick one of several occurrences.
    #[schemars(with = "Option<schema::Text>")]
    pub suffix: Option<S<String>>,
    /// The annotator's note on this source.
    #[schemars(with = "Option<schema::Markdown>")]
    pub note: Option<S<String>>,
}

/// A link from a claim to another.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Related")]
pub struct RawRelated {
    /// Required. The other claim's id.
    #[schemars(with = "schema::Id")]
    pub claim: S<String>,
    /// Required. How this claim relates to it.
    #[schemars(with = "schema::RelationWord")]
    pub relation: S<String>,
}

/// An event of the timeline.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Event")]
pub struct RawEvent {
    /// Required. The event's id.
    #[schemars(with = "schema::Id")]
    pub id: S<String>,
    /// Required. When it happened.
    #[schemars(with = "schema::Date")]
    pub date: S<String>,
    /// Required. What happened (inline Markdown).
    #[schemars(with = "schema::Markdown")]
    pub title: S<String>,
    /// More about it.
    #[schemars(with = "Option<schema::Markdown>")]
    pub description: Option<S<String>>,
    /// Ids of the actors involved.
    #[serde(default)]
    #[schemars(with = "Vec<schema::Id>")]
    pub actors: Vec<S<String>>,
    /// Ids of the claims it bears on.
    #[serde(default)]
    #[schemars(with = "Vec<schema::Id>")]
    pub claims: Vec<S<String>>,
    /// The passages of the articles that report it.
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
pub fn load(root: &Path, limits: &Limits) -> (Loaded, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let content = root.join("content");
    if !content.is_dir() {
        diags.push(
            Diagnostic::new(
                Code::NoContent,
                Path::new("content"),
                Span::file(),
                format!("no `content` folder in {}", root.display()),
            )
            .with_help("run the command in a briefing's folder, or name one with --root DIR"),
        );
        return (Loaded::default(), diags);
    }
    let reader = Reader::new(root, limits);
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
    let articles = files_in(root, "content/articles", Some(&["md"]), &mut diags);
    let articles = read_all(articles, &mut diags);
    let annotations = files_in(
        root,
        "content/annotations",
        Some(&["yaml", "yml"]),
        &mut diags,
    );
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

fn options(limits: &Limits) -> serde_saphyr::Options {
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
            diags.push(yaml_diagnostic(file, &err, line_offset, limits));
            None
        }
    }
}

/// Turns a YAML or shape error into a diagnostic in the user's words.
fn yaml_diagnostic(
    file: &Path,
    err: &serde_saphyr::Error,
    line_offset: usize,
    limits: &Limits,
) -> Diagnostic {
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
    if let Some(d) = budget_diagnostic(file, err, span, limits) {
        return d;
    }
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
        return Diagnostic::new(Code::UnknownKey, file, span, format!("unknown key `{key}`"))
            .with_help(help);
    }
    if let Some(rest) = message.strip_prefix("missing field `") {
        let key = rest.trim_end_matches('`');
        return Diagnostic::new(
            Code::MissingKey,
            file,
            span,
            format!("missing required key `{key}`"),
        )
        .with_help(format!("add `{key}:` to this entry"));
    }
    if let Some(rest) = message.strip_prefix("duplicate mapping key: ") {
        let key = rest.split(',').next().unwrap_or(rest);
        return Diagnostic::new(
            Code::DuplicateKey,
            file,
            span,
            format!("the key `{key}` is given twice"),
        )
        .with_help("keep one of them");
    }
    if message.starts_with("cannot deserialize null into string") {
        return Diagnostic::new(
            Code::WrongType,
            file,
            span,
            "expected a text value here, found nothing",
        )
        .with_help("write the value after the colon, or remove the key");
    }
    let wrong_type = |what: &str, help: &str| {
        Diagnostic::new(Code::WrongType, file, span, format!("expected {what} here"))
            .with_help(help)
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
        m if m.starts_with("invalid type") => Diagnostic::new(
            Code::WrongType,
            file,
            span,
            m.replace("a sequence", "a list")
                .replace("a map", "a mapping"),
        ),
        m => Diagnostic::new(
            Code::YamlSyntax,
            file,
            span,
            format!("the YAML does not parse: {m}"),
        ),
    }
}

/// A breached YAML budget, said as the limit it is and how to stay within
/// it; `None` for any other error.
fn budget_diagnostic(
    file: &Path,
    err: &serde_saphyr::Error,
    span: Span,
    limits: &Limits,
) -> Option<Diagnostic> {
    use serde_saphyr::budget::BudgetBreach as B;
    let mut err = err;
    while let serde_saphyr::Error::AliasError { error, .. }
    | serde_saphyr::Error::WithSnippet { error, .. } = err
    {
        err = error;
    }
    let error = |message: String, help: &str| {
        Some(Diagnostic::new(Code::LimitYaml, file, span, message).with_help(help))
    };
    let deep_help = "nothing in a briefing nests more than five levels deep: look for an unclosed `[` or `{`, or indentation that runs away";
    let alias_help = "write the repeated values out instead of `*name` aliases";
    let size_help = "split the file into several files in the same folder (each is read on its own), or raise the limit with `--limit file-size=…`, which these grow with";
    if err.to_string().contains("recursion limit exceeded") {
        return error("the values are nested too deeply to read".into(), deep_help);
    }
    let serde_saphyr::Error::Budget { breach, .. } = err else {
        return None;
    };
    match breach {
        B::Depth { depth } => error(
            format!("the values are nested {depth} levels deep, too deep to read"),
            deep_help,
        ),
        B::Nodes { nodes } => error(
            format!(
                "the file holds more than {} values (keys, items and texts), the limit for one file",
                nodes - 1
            ),
            size_help,
        ),
        B::Events { events } => error(
            format!(
                "the file holds more than {} YAML elements, the limit for one file",
                events - 1
            ),
            size_help,
        ),
        B::ScalarBytes { .. } => error(
            format!(
                "the file's texts come to more than {}, the limit for one file: aliases (`*name`) repeat the text they point to",
                Size(limits.yaml_text() as u64)
            ),
            "write the repeated values out instead of `*name` aliases, or raise the limit with `--limit file-size=…`, which this grows with",
        ),
        B::Aliases { aliases } => error(
            format!(
                "the file uses more than {} aliases (`*name`), the limit for one file",
                aliases - 1
            ),
            alias_help,
        ),
        B::Anchors { anchors } => error(
            format!(
                "the file defines more than {} anchors (`&name`), the limit for one file",
                anchors - 1
            ),
            alias_help,
        ),
        B::AliasAnchorRatio { aliases, anchors } => error(
            format!(
                "the file uses {aliases} aliases (`*name`) for {anchors} anchors (`&name`): too many repeats to read safely"
            ),
            alias_help,
        ),
        B::RecordedAnchorEvents { .. } | B::RecordedAnchorBytes { .. } => error(
            "the anchors (`&name`) hold more than can be kept for their aliases".into(),
            alias_help,
        ),
        B::Documents { documents } => error(
            format!("the file holds {documents} YAML documents"),
            "a briefing's file is one document: remove the `---` lines that start others",
        ),
        B::MergeKeys { .. } => error(
            "the file uses too many merge keys (`<<`)".into(),
            alias_help,
        ),
        other => error(
            format!("the file goes beyond what can be read safely ({other:?})"),
            size_help,
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
