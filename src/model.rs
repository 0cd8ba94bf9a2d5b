//! The model: a briefing after every id and reference has been checked.
//! References are typed ids ([`ArticleId`], [`ClaimId`], [`EntryId`],
//! [`EventId`], [`TopicId`]): indices into the model's lists that say which
//! list they index.

use std::marker::PhantomData;
use std::ops::{Index, IndexMut};
use std::path::PathBuf;

use crate::date::Date;
use crate::diagnostic::Span;
use crate::markdown::Doc;

/// The item at an index of one of the model's lists: [`Id<Article>`] is
/// an index into [`Model::articles`], and nothing else. Four bytes: a
/// briefing holds at most [`crate::limits::Limits`]'s bound of claims,
/// far below four billion.
pub struct Id<T> {
    index: u32,
    of: PhantomData<fn() -> T>,
}

/// An article of [`Model::articles`].
pub type ArticleId = Id<Article>;
/// A claim of [`Model::claims`].
pub type ClaimId = Id<Claim>;
/// A glossary entry (actor or term) of [`Model::entries`].
pub type EntryId = Id<Entry>;
/// An event of [`Model::events`].
pub type EventId = Id<Event>;
/// A topic of [`Model::topics`].
pub type TopicId = Id<Topic>;

impl<T> Id<T> {
    /// The item at `index` of its list.
    pub fn new(index: usize) -> Self {
        Id {
            index: u32::try_from(index).unwrap_or(u32::MAX),
            of: PhantomData,
        }
    }

    /// Its index in its list.
    pub fn index(self) -> usize {
        self.index as usize
    }

    /// The ids of every item of `list`, in order.
    pub fn all(list: &[T]) -> impl Iterator<Item = Id<T>> + use<T> {
        (0..list.len()).map(Id::new)
    }
}

impl<T> Clone for Id<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Id<T> {}

impl<T> PartialEq for Id<T> {
    fn eq(&self, other: &Self) -> bool {
        self.index == other.index
    }
}

impl<T> Eq for Id<T> {}

impl<T> PartialOrd for Id<T> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl<T> Ord for Id<T> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.index.cmp(&other.index)
    }
}

impl<T> std::hash::Hash for Id<T> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.index.hash(state);
    }
}

impl<T> std::fmt::Debug for Id<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "#{}", self.index)
    }
}

impl<T> Index<Id<T>> for [T] {
    type Output = T;
    fn index(&self, id: Id<T>) -> &T {
        &self[id.index()]
    }
}

impl<T> Index<Id<T>> for Vec<T> {
    type Output = T;
    fn index(&self, id: Id<T>) -> &T {
        &self[id.index()]
    }
}

impl<T> IndexMut<Id<T>> for Vec<T> {
    fn index_mut(&mut self, id: Id<T>) -> &mut T {
        &mut self[id.index()]
    }
}

/// A place in a user's file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Loc {
    /// Relative to the briefing's root.
    pub file: PathBuf,
    /// Where in the file.
    pub span: Span,
}

/// A Markdown text written in a YAML field or front matter.
#[derive(Debug, Clone)]
pub struct Text {
    /// Its place in [`Model::texts`], which later stages key what they
    /// find in it by (its mentions, in the anchors).
    pub id: TextId,
    /// Where it was written.
    pub loc: Loc,
    /// The parsed text.
    pub doc: Doc,
}

/// A text's place in [`Model::texts`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TextId(u32);

impl TextId {
    /// The index into a list in the order of [`Model::texts`].
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// The whole briefing.
#[derive(Debug, Default)]
pub struct Model {
    /// What `briefing.yaml` says of the briefing itself.
    pub meta: Meta,
    /// Topics in the order written.
    pub topics: Vec<Topic>,
    /// Articles in id order.
    pub articles: Vec<Article>,
    /// Actors and terms, in name order.
    pub entries: Vec<Entry>,
    /// Claims in the order written (files in name order).
    pub claims: Vec<Claim>,
    /// Events in date order.
    pub events: Vec<Event>,
}

impl Model {
    /// Every Markdown text of the model but the article bodies, in one
    /// order: the briefing's summary, the topics', the articles' notes, the
    /// entries' summaries, then each claim's text, note and sources' notes,
    /// and each event's title, description and sources' notes.
    pub fn texts(&self) -> Vec<&Text> {
        let mut all: Vec<&Text> = Vec::new();
        all.extend(self.meta.summary.iter());
        all.extend(self.topics.iter().filter_map(|t| t.summary.as_ref()));
        all.extend(self.articles.iter().filter_map(|a| a.note.as_ref()));
        all.extend(self.entries.iter().filter_map(|e| e.summary.as_ref()));
        for c in &self.claims {
            all.push(&c.text);
            all.extend(c.note.iter());
            all.extend(c.sources.iter().filter_map(|s| s.note.as_ref()));
        }
        for e in &self.events {
            all.push(&e.title);
            all.extend(e.description.iter());
            all.extend(e.sources.iter().filter_map(|s| s.note.as_ref()));
        }
        all
    }

    /// Gives every text its [`TextId`], its place in [`Model::texts`]; once
    /// the model is whole (entries sorted), before any later stage.
    pub fn number_texts(&mut self) {
        let mut all: Vec<&mut Text> = Vec::new();
        all.extend(self.meta.summary.iter_mut());
        all.extend(self.topics.iter_mut().filter_map(|t| t.summary.as_mut()));
        all.extend(self.articles.iter_mut().filter_map(|a| a.note.as_mut()));
        all.extend(self.entries.iter_mut().filter_map(|e| e.summary.as_mut()));
        for c in &mut self.claims {
            all.push(&mut c.text);
            all.extend(c.note.iter_mut());
            all.extend(c.sources.iter_mut().filter_map(|s| s.note.as_mut()));
        }
        for e in &mut self.events {
            all.push(&mut e.title);
            all.extend(e.description.iter_mut());
            all.extend(e.sources.iter_mut().filter_map(|s| s.note.as_mut()));
        }
        for (i, text) in all.into_iter().enumerate() {
            text.id = TextId(i as u32);
        }
    }
}

/// `briefing.yaml` without its topics.
#[derive(Debug, Default)]
pub struct Meta {
    pub title: String,
    pub summary: Option<Text>,
    pub date: Option<Date>,
    pub language: String,
    pub base_url: Option<String>,
    pub authors: Vec<String>,
}

#[derive(Debug)]
pub struct Topic {
    pub id: String,
    pub title: String,
    pub summary: Option<Text>,
    pub loc: Loc,
}

/// One source article.
#[derive(Debug)]
pub struct Article {
    pub id: String,
    pub file: PathBuf,
    pub title: String,
    pub title_supplied: bool,
    pub outlet: String,
    pub author: Option<String>,
    pub published: Option<Date>,
    pub url: Option<String>,
    pub section: Option<String>,
    pub language: Option<String>,
    pub note: Option<Text>,
    /// The line of the file on which the body starts.
    pub body_line: usize,
    /// The parsed body, with its Markdown exactly as in the file.
    pub doc: Doc,
}

impl Article {
    /// The title as shown: in square brackets when the annotator supplied it.
    pub fn display_title(&self) -> String {
        if self.title_supplied {
            ["[", &self.title, "]"].concat()
        } else {
            self.title.clone()
        }
    }
}

/// What kind of glossary entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    Actor(ActorKind),
    Term,
}

/// The kinds of actors docs/format.md names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActorKind {
    Person,
    Organization,
    Government,
    Country,
    Place,
    Media,
    Group,
}

impl ActorKind {
    /// Every kind, with its name in YAML.
    pub const ALL: [(&'static str, ActorKind); 7] = [
        ("person", ActorKind::Person),
        ("organization", ActorKind::Organization),
        ("government", ActorKind::Government),
        ("country", ActorKind::Country),
        ("place", ActorKind::Place),
        ("media", ActorKind::Media),
        ("group", ActorKind::Group),
    ];

    /// The name as written in YAML.
    pub fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, k)| *k == self)
            .map_or("", |(n, _)| n)
    }
}

/// An actor or a term: one entry of the glossary.
#[derive(Debug)]
pub struct Entry {
    pub id: String,
    /// An actor's `name` or a term's `term`.
    pub name: String,
    pub kind: EntryKind,
    pub role: Option<String>,
    /// The name and every alias: what mentions are found by.
    pub aliases: Vec<String>,
    /// Where each of `aliases` was written, in the entry's file.
    pub alias_spans: Vec<Span>,
    pub member_of: Vec<EntryId>,
    /// An actor's summary or a term's definition.
    pub summary: Option<Text>,
    pub links: Vec<(String, String)>,
    pub link_mentions: bool,
    pub loc: Loc,
}

impl Entry {
    /// The folder of the entry's page: `actors` or `terms`.
    pub fn section(&self) -> &'static str {
        match self.kind {
            EntryKind::Actor(_) => "actors",
            EntryKind::Term => "terms",
        }
    }

    /// Its section and id, `actors/ID` or `terms/ID`: unique across the
    /// glossary, and its page's path without `.html`.
    pub fn key(&self) -> String {
        format!("{}/{}", self.section(), self.id)
    }

    /// What the entry is, as a reader names it: `person`, `term`, …
    pub fn kind_name(&self) -> &'static str {
        match self.kind {
            EntryKind::Actor(k) => k.name(),
            EntryKind::Term => "term",
        }
    }
}

/// A claim's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    Reported,
    Confirmed,
    Disputed,
    Unverified,
    False,
}

impl Status {
    /// Every status, with its name in YAML.
    pub const ALL: [(&'static str, Status); 5] = [
        ("reported", Status::Reported),
        ("confirmed", Status::Confirmed),
        ("disputed", Status::Disputed),
        ("unverified", Status::Unverified),
        ("false", Status::False),
    ];

    /// The name as written in YAML.
    pub fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, s)| *s == self)
            .map_or("", |(n, _)| n)
    }
}

/// How one claim relates to another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Relation {
    Supports,
    Contradicts,
    Context,
}

impl Relation {
    /// Every relation, with its name in YAML.
    pub const ALL: [(&'static str, Relation); 3] = [
        ("supports", Relation::Supports),
        ("contradicts", Relation::Contradicts),
        ("context", Relation::Context),
    ];

    /// The name in YAML.
    pub fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, r)| *r == self)
            .map_or("", |(n, _)| n)
    }

    /// How the relation reads from the claim that states it: "supports".
    pub fn forward(self) -> &'static str {
        match self {
            Relation::Supports => "supports",
            Relation::Contradicts => "contradicts",
            Relation::Context => "gives context to",
        }
    }

    /// How the relation reads from the other end: "is supported by".
    pub fn backward(self) -> &'static str {
        match self {
            Relation::Supports => "is supported by",
            Relation::Contradicts => "is contradicted by",
            Relation::Context => "is given context by",
        }
    }
}

/// A source of a claim or event: a quote pinned to an article.
#[derive(Debug, Clone)]
pub struct Source {
    pub article: ArticleId,
    pub quote: String,
    pub occurrence: Option<usize>,
    pub prefix: Option<String>,
    pub suffix: Option<String>,
    pub note: Option<Text>,
    /// Where `quote:` was written.
    pub loc: Loc,
}

#[derive(Debug)]
pub struct Claim {
    pub id: String,
    pub text: Text,
    /// Its text's words on one line: how links, titles and previews name
    /// the claim, on many pages each.
    pub label: String,
    pub by: Option<EntryId>,
    pub about: Vec<EntryId>,
    pub topic: Option<TopicId>,
    pub date: Option<Date>,
    pub status: Status,
    pub note: Option<Text>,
    pub sources: Vec<Source>,
    /// Relations this claim states.
    pub related: Vec<(ClaimId, Relation)>,
    pub loc: Loc,
}

impl Claim {
    /// The distinct articles its sources cite, in the order first cited.
    pub fn cited_articles(&self) -> Vec<ArticleId> {
        let mut seen = Vec::new();
        for s in &self.sources {
            if !seen.contains(&s.article) {
                seen.push(s.article);
            }
        }
        seen
    }
}

#[derive(Debug)]
pub struct Event {
    pub id: String,
    pub date: Date,
    pub title: Text,
    pub description: Option<Text>,
    pub actors: Vec<EntryId>,
    pub claims: Vec<ClaimId>,
    pub sources: Vec<Source>,
    pub loc: Loc,
}

#[cfg(test)]
mod tests {
    use crate::options::BuildOptions;
    use crate::progress::Timings;

    /// [`Model::texts`](super::Model::texts) and
    /// [`Model::number_texts`](super::Model::number_texts) walk the texts
    /// in one order: each text's id is its place in the list, for every
    /// kind of text the default briefing has.
    #[test]
    fn every_text_is_numbered_by_its_place_in_the_list() {
        let options = BuildOptions {
            root: env!("CARGO_MANIFEST_DIR").into(),
            ..Default::default()
        };
        let Ok(analysis) = crate::pipeline::analyse(&options, &mut Timings::default()) else {
            panic!("the default briefing is analysed");
        };
        let model = &analysis.model;
        let texts = model.texts();
        assert!(texts.len() > 50, "{}", texts.len());
        for (i, text) in texts.iter().enumerate() {
            assert_eq!(text.id.index(), i, "{:?}", text.loc);
        }
        // The kinds a misordering could hide in.
        assert!(model.meta.summary.is_some());
        assert!(model.entries.iter().any(|e| e.summary.is_some()));
        assert!(model.claims.iter().any(|c| c.note.is_some()));
        assert!(model.events.iter().any(|e| e.description.is_some()));
    }
}
