//! The input format's types: what a user writes in `briefing.yaml`, an
//! article's front matter and the annotation files, as raw structs that keep
//! the place every value was written ([`S`]). Loading fills them, resolving
//! checks them, and the JSON Schemas are derived from them ([`forms`] says,
//! for a schema, what each kind of value may be). The contract they follow
//! is `docs/format.md`.

pub mod forms;

use std::borrow::Cow;
use std::path::PathBuf;

use arcstr::Substr;
use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde::Deserialize;
use serde_saphyr::{Location, Spanned};

use crate::diagnostic::Span;

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
    description = "A briefing: its title, summary and topics. See docs/format.md, content/briefing.yaml."
)]
pub struct RawBriefing {
    /// Required. The briefing's title.
    #[schemars(with = "forms::Text")]
    pub title: S<String>,
    /// A summary of the briefing, shown on its front page.
    #[schemars(with = "Option<forms::Markdown>")]
    pub summary: Option<S<String>>,
    /// When the briefing was written.
    #[schemars(with = "Option<forms::Date>")]
    pub date: Option<S<String>>,
    /// The language of the briefing, as a BCP 47 tag. Default: en.
    #[schemars(with = "Option<forms::Text>")]
    pub language: Option<S<String>>,
    /// Where the site will live, e.g. https://example.org/briefings/petro/. Used only where an absolute address is required.
    #[schemars(with = "Option<forms::Url>")]
    pub base_url: Option<S<String>>,
    /// Who wrote the briefing.
    #[serde(default)]
    #[schemars(with = "Vec<forms::Text>")]
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
    #[schemars(with = "forms::Id")]
    pub id: S<String>,
    /// Required. The topic's title.
    #[schemars(with = "forms::Text")]
    pub title: S<String>,
    /// What the topic covers.
    #[schemars(with = "Option<forms::Markdown>")]
    pub summary: Option<S<String>>,
}

/// An article's front matter.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "Article front matter",
    description = "The YAML between the `---` lines at the top of content/articles/ID.md. See docs/format.md, content/articles/ID.md."
)]
pub struct RawFrontMatter {
    /// Required. The article's headline as published.
    #[schemars(with = "forms::Text")]
    pub title: S<String>,
    /// True when the source has no headline and the annotator wrote one; the title is then shown in square brackets.
    #[serde(default)]
    pub title_supplied: bool,
    /// Required. Who published the article.
    #[schemars(with = "forms::Text")]
    pub outlet: S<String>,
    /// Who wrote it.
    #[schemars(with = "Option<forms::Text>")]
    pub author: Option<S<String>>,
    /// When it was published.
    #[schemars(with = "Option<forms::Date>")]
    pub published: Option<S<String>>,
    /// Where the original lives.
    #[schemars(with = "Option<forms::Url>")]
    pub url: Option<S<String>>,
    /// The section it appeared in.
    #[schemars(with = "Option<forms::Text>")]
    pub section: Option<S<String>>,
    /// The article's language, as a BCP 47 tag.
    #[schemars(with = "Option<forms::Text>")]
    pub language: Option<S<String>>,
    /// How this copy was obtained, what was left out.
    #[schemars(with = "Option<forms::Markdown>")]
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
    description = "A file of content/annotations/: actors, terms, claims and events. Lists from all files are merged. See docs/format.md, content/annotations/*.yaml."
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
    #[schemars(with = "forms::Id")]
    pub id: S<String>,
    /// Required. The actor's name; it is found in the text as a mention.
    #[schemars(with = "forms::Text")]
    pub name: S<String>,
    /// Required. What kind of actor this is.
    #[schemars(with = "forms::ActorKindWord")]
    pub kind: S<String>,
    /// Who the actor is, in one line.
    #[schemars(with = "Option<forms::Text>")]
    pub role: Option<S<String>>,
    /// Other names found in the text as mentions (case-sensitive, whole words).
    #[serde(default)]
    #[schemars(with = "Vec<forms::Text>")]
    pub aliases: Vec<S<String>>,
    /// Ids of the actors this one belongs to.
    #[serde(default)]
    #[schemars(with = "Vec<forms::Id>")]
    pub member_of: Vec<S<String>>,
    /// Who the actor is, at length.
    #[schemars(with = "Option<forms::Markdown>")]
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
    #[schemars(with = "forms::Text")]
    pub title: S<String>,
    /// Required. Where it leads.
    #[schemars(with = "forms::Url")]
    pub url: S<String>,
}

/// A term of the glossary.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Term")]
pub struct RawTerm {
    /// Required. The term's id, unique across actors and terms.
    #[schemars(with = "forms::Id")]
    pub id: S<String>,
    /// Required. The term as shown; it is found in the text as a mention.
    #[schemars(with = "forms::Text")]
    pub term: S<String>,
    /// Other forms found in the text as mentions (case-sensitive, whole words).
    #[serde(default)]
    #[schemars(with = "Vec<forms::Text>")]
    pub aliases: Vec<S<String>>,
    /// Required. What the term means.
    #[schemars(with = "forms::Markdown")]
    pub definition: S<String>,
}

/// A claim: what was said, by whom, according to which source.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Claim")]
pub struct RawClaim {
    /// Required. The claim's id.
    #[schemars(with = "forms::Id")]
    pub id: S<String>,
    /// Required. The claim, in a sentence (inline Markdown).
    #[schemars(with = "forms::Markdown")]
    pub text: S<String>,
    /// The id of the actor who asserts it. Absent: the outlets' own reporting.
    #[schemars(with = "Option<forms::Id>")]
    pub by: Option<S<String>>,
    /// Ids of the actors the claim is about.
    #[serde(default)]
    #[schemars(with = "Vec<forms::Id>")]
    pub about: Vec<S<String>>,
    /// The id of a topic of briefing.yaml.
    #[schemars(with = "Option<forms::Id>")]
    pub topic: Option<S<String>>,
    /// When it was said.
    #[schemars(with = "Option<forms::Date>")]
    pub date: Option<S<String>>,
    /// How far the claim holds up. Default: reported.
    #[schemars(with = "Option<forms::StatusWord>")]
    pub status: Option<S<String>>,
    /// The annotator's commentary.
    #[schemars(with = "Option<forms::Markdown>")]
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
    #[schemars(with = "forms::Id")]
    pub article: S<String>,
    /// Required. The exact passage, as a reader sees it (quotes, dashes and white space may differ).
    #[schemars(with = "forms::Text")]
    pub quote: S<String>,
    /// Which occurrence of the quote is meant, when it occurs more than once.
    #[schemars(with = "Option<forms::Occurrence>")]
    pub occurrence: Option<S<i64>>,
    /// Text just before the quote, to pick one of several occurrences.
    #[schemars(with = "Option<forms::Text>")]
    pub prefix: Option<S<String>>,
    /// Text just after the quote, to pick one of several occurrences.
    #[schemars(with = "Option<forms::Text>")]
    pub suffix: Option<S<String>>,
    /// The annotator's note on this source.
    #[schemars(with = "Option<forms::Markdown>")]
    pub note: Option<S<String>>,
}

/// A link from a claim to another.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Related")]
pub struct RawRelated {
    /// Required. The other claim's id.
    #[schemars(with = "forms::Id")]
    pub claim: S<String>,
    /// Required. How this claim relates to it.
    #[schemars(with = "forms::RelationWord")]
    pub relation: S<String>,
}

/// An event of the timeline.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Event")]
pub struct RawEvent {
    /// Required. The event's id.
    #[schemars(with = "forms::Id")]
    pub id: S<String>,
    /// Required. When it happened.
    #[schemars(with = "forms::Date")]
    pub date: S<String>,
    /// Required. What happened (inline Markdown).
    #[schemars(with = "forms::Markdown")]
    pub title: S<String>,
    /// More about it.
    #[schemars(with = "Option<forms::Markdown>")]
    pub description: Option<S<String>>,
    /// Ids of the actors involved.
    #[serde(default)]
    #[schemars(with = "Vec<forms::Id>")]
    pub actors: Vec<S<String>>,
    /// Ids of the claims it bears on.
    #[serde(default)]
    #[schemars(with = "Vec<forms::Id>")]
    pub claims: Vec<S<String>>,
    /// The passages of the articles that report it.
    #[serde(default)]
    pub sources: Vec<RawSource>,
}

/// The span of a spanned value as a diagnostic span, shifted by `line_offset`
/// lines (front matter starts on the file's second line).
pub fn span_of<T>(value: &S<T>, line_offset: usize) -> Span {
    span_at(value.referenced, line_offset)
}

/// A place serde-saphyr gives as a diagnostic span, shifted by
/// `line_offset` lines; the whole file where it gives no line.
pub fn span_at(l: Location, line_offset: usize) -> Span {
    if l.line() == 0 {
        return Span::file();
    }
    Span::new(
        l.line() as usize + line_offset,
        l.column() as usize,
        l.span().len().max(1) as usize,
    )
}
