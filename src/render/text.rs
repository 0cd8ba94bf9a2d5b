//! Markdown fragments of one page: mention links numbered per page
//! (`m-ENTRY-N`), and the mentions recorded for the glossary.

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::Arc;

use crate::anchor::{Anchors, Owner};
use crate::markdown::{self, Doc, Mark, MarkKind, Note, plain};
use crate::mentions::Found;
use crate::model::{ArticleId, ClaimId, EntryId, EventId, Model, Text};

/// What every page needs to render text.
pub struct Shared<'m> {
    pub model: &'m Model,
    pub anchors: &'m Anchors,
    pub backlinks: super::backlinks::Backlinks,
    /// Whether pages hash their data, for a cache of pages (`serve`).
    pub fingerprints: bool,
    /// Each glossary entry's key (`actors/ID`), made once: every mention
    /// of the entry on every page names it.
    pub entry_keys: Vec<String>,
}

/// One mention, as the glossary lists it: it borrows the text it is in, and
/// the glossary page takes the words around it from there.
#[derive(Debug, Clone)]
pub struct MentionRecord<'m> {
    /// The entry mentioned. Some 400,000 records are kept at 10,000
    /// articles, so the two numbers take four bytes each (an [`EntryId`]
    /// is four): a mention takes at least one byte of text, so `n` never
    /// nears 2³² in a briefing that fits in memory.
    pub entry: EntryId,
    /// It is the entry's `n`-th mention on that page: `#m-ID-n`.
    pub n: u32,
    /// The page it is on.
    pub page: Arc<RecordPage>,
    /// The visible text it is in, and where in it.
    pub text: &'m str,
    pub range: Range<usize>,
}

/// A page with mentions, as the glossary names it: one per page, shared by
/// the page's records.
#[derive(Debug)]
pub struct RecordPage {
    /// From the site's root: `articles/x.html`.
    pub path: String,
    /// As a reader names it.
    pub label: String,
}

/// What the script shows when a reader points at a highlight or a mention:
/// the claim, event or glossary entry, in brief. The page carries one per
/// thing it highlights or mentions, in a `<template>`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Preview {
    /// The `data-preview` value of the elements it belongs to: `claims/ID`.
    pub key: String,
    /// `claim`, `event`, or the entry's kind (`person`, `term`, …).
    pub kind: &'static str,
    /// A claim's status (also a class name), an event's date, an entry's role.
    pub label: String,
    /// The claim's text, the event's title, the entry's name.
    pub title: String,
    /// More, on one line: who makes a claim and who reports it; the start of
    /// an entry's summary or an event's description.
    pub text: String,
    /// The page it is at home on, relative to this page.
    pub href: String,
}

/// Renders the Markdown of one page.
pub struct PageText<'s, 'm> {
    pub(super) shared: &'s Shared<'m>,
    /// The page's path from the site's root, e.g. `claims/x.html`.
    path: String,
    /// How the glossary names this page.
    pub label: String,
    /// The relative path from the page to the root: `""` or `"../"`.
    pub root: &'static str,
    /// How many mentions of each entry the page has so far.
    counts: BTreeMap<EntryId, usize>,
    /// The mentions in the texts whose home is this page, in order, for the glossary.
    pub records: Vec<MentionRecord<'m>>,
    /// This page, for its records; made at the first.
    record_page: Option<Arc<RecordPage>>,
    recording: bool,
    /// The previews of what this page highlights or mentions, by key.
    pub previews: BTreeMap<String, Preview>,
    /// The glossary entry whose page this is: its mentions here are not
    /// linked, since they would link to the page itself.
    own: Option<EntryId>,
    /// Tera values the page shows more than once, each made once and
    /// shared: a glossary entry's link in every claim card that names it.
    repeats: foldhash::HashMap<(&'static str, usize), tera::Value>,
}

impl<'s, 'm> PageText<'s, 'm> {
    /// A writer for the page at `path`, which the glossary calls `label`.
    pub fn new(shared: &'s Shared<'m>, path: &str, label: &str) -> Self {
        let root = if path.contains('/') { "../" } else { "" };
        PageText {
            shared,
            path: path.to_string(),
            label: label.to_string(),
            root,
            counts: BTreeMap::new(),
            records: Vec::new(),
            record_page: None,
            recording: false,
            previews: BTreeMap::new(),
            own: None,
            repeats: foldhash::HashMap::default(),
        }
    }

    /// The value of `what` number `i` on this page, made by `make` the
    /// first time it is asked for.
    pub fn repeated(
        &mut self,
        what: &'static str,
        i: usize,
        make: impl FnOnce() -> tera::Value,
    ) -> tera::Value {
        self.repeats.entry((what, i)).or_insert_with(make).clone()
    }

    /// The same writer for the page of glossary entry `entry`.
    pub fn of_entry(mut self, entry: EntryId) -> Self {
        self.own = Some(entry);
        self
    }

    /// Renders a Markdown text shown here but at home on another page: its
    /// mentions are linked and numbered, but the glossary lists them elsewhere.
    pub fn text(&mut self, text: &'m Text) -> String {
        let found = &self.shared.anchors.text_mentions[text.id.index()];
        self.doc(&text.doc, found, Vec::new(), &[])
    }

    /// Renders a Markdown text whose home is this page: the glossary lists its
    /// mentions as being here.
    pub fn home(&mut self, text: &'m Text) -> String {
        self.recording = true;
        let found = &self.shared.anchors.text_mentions[text.id.index()];
        let html = self.doc(&text.doc, found, Vec::new(), &[]);
        self.recording = false;
        html
    }

    /// Like [`PageText::home`] for an optional text; empty when absent.
    pub fn home_opt(&mut self, text: &'m Option<Text>) -> String {
        text.as_ref().map(|t| self.home(t)).unwrap_or_default()
    }

    /// Renders an article body with its highlights and margin notes.
    pub fn article(&mut self, index: ArticleId) -> String {
        let model = self.shared.model;
        let article = &model.articles[index];
        let mut marks = Vec::new();
        let mut notes = Vec::new();
        for h in &self.shared.anchors.highlights[index.index()] {
            let anchor = markdown::escape(&h.anchor);
            let (class, title, preview, note) = match h.owner {
                Owner::Claim(c) => {
                    let claim = &model.claims[c];
                    let status = claim.status.name();
                    let text = &claim.label;
                    let note = [
                        "<li class=\"margin-note status-",
                        status,
                        "\" data-note-for=\"",
                        &anchor,
                        "\"><span class=\"status-label\">",
                        status,
                        "</span> <a href=\"",
                        self.root,
                        "claims/",
                        &claim.id,
                        ".html\">",
                        &markdown::escape(text),
                        "</a></li>",
                    ]
                    .concat();
                    let key = self.preview_claim(c);
                    (
                        ["hl status-", status].concat(),
                        ["Claim (", status, "): ", text].concat(),
                        key,
                        note,
                    )
                }
                Owner::Event(e) => {
                    let event = &model.events[e];
                    let text = plain(&event.title.doc.text);
                    let note = format!(
                        "<li class=\"margin-note event-note\" data-note-for=\"{anchor}\"><span class=\"status-label\">event · {}</span> <a href=\"{}timeline/index.html#event-{}\">{}</a></li>",
                        markdown::escape(&event.date.display()),
                        self.root,
                        event.id,
                        markdown::escape(&text)
                    );
                    let key = self.preview_event(e);
                    (
                        "hl hl-event".to_string(),
                        format!("Event: {text}"),
                        key,
                        note,
                    )
                }
            };
            marks.push(Mark {
                range: h.range.clone(),
                kind: MarkKind::Highlight {
                    anchor: h.anchor.clone(),
                    class,
                    title,
                    preview,
                },
            });
            notes.push(Note {
                at: h.range.start,
                html: note,
            });
        }
        notes.sort_by_key(|n| n.at);
        self.recording = true;
        let found = &self.shared.anchors.mentions[index.index()];
        let html = self.doc(&article.doc, found, marks, &notes);
        self.recording = false;
        html
    }

    /// Renders `doc` with its mentions linked: those the anchors `found` in it.
    fn doc(
        &mut self,
        doc: &'m Doc,
        found: &'s [Found],
        mut marks: Vec<Mark<'s>>,
        notes: &[Note],
    ) -> String {
        let model = self.shared.model;
        for found in found {
            if Some(found.entry) == self.own {
                continue;
            }
            let entry = &model.entries[found.entry];
            let n = self.counts.entry(found.entry).or_insert(0);
            *n += 1;
            let n = *n;
            let mut anchor = String::with_capacity(entry.id.len() + 12);
            push_mention_id(&mut anchor, &entry.id, n);
            if self.recording {
                let page = self.record_page.get_or_insert_with(|| {
                    Arc::new(RecordPage {
                        path: self.path.clone(),
                        label: self.label.clone(),
                    })
                });
                self.records.push(MentionRecord {
                    entry: found.entry,
                    n: u32::try_from(n).unwrap_or(u32::MAX),
                    page: Arc::clone(page),
                    text: &doc.text,
                    range: found.range.clone(),
                });
            }
            let key = self.preview_entry(found.entry);
            let href = [self.root, key, ".html"].concat();
            marks.push(Mark {
                range: found.range.clone(),
                kind: MarkKind::Mention {
                    href,
                    anchor,
                    title: &entry.name,
                    preview: key,
                },
            });
        }
        markdown::render(doc, &marks, notes, self.root)
    }

    /// Adds the preview of claim `c`, once; returns its key.
    fn preview_claim(&mut self, c: ClaimId) -> String {
        let model = self.shared.model;
        let claim = &model.claims[c];
        let key = ["claims/", &claim.id].concat();
        if !self.previews.contains_key(&key) {
            let mut outlets: Vec<&str> = Vec::new();
            for s in &claim.sources {
                let outlet = model.articles[s.article].outlet.as_str();
                if !outlets.contains(&outlet) {
                    outlets.push(outlet);
                }
            }
            let by = match claim.by {
                Some(b) => ["By ", &model.entries[b].name, ". "].concat(),
                None => String::new(),
            };
            let text = [&by, "Reported by ", &outlets.join(", "), "."].concat();
            let preview = Preview {
                key: key.clone(),
                kind: "claim",
                label: claim.status.name().to_string(),
                title: claim.label.clone(),
                text,
                href: [self.root, &key, ".html"].concat(),
            };
            self.previews.insert(key.clone(), preview);
        }
        key
    }

    /// Adds the preview of event `e`, once; returns its key.
    fn preview_event(&mut self, e: EventId) -> String {
        let event = &self.shared.model.events[e];
        let key = ["events/", &event.id].concat();
        if !self.previews.contains_key(&key) {
            let preview = Preview {
                key: key.clone(),
                kind: "event",
                label: event.date.display(),
                title: plain(&event.title.doc.text),
                text: event
                    .description
                    .as_ref()
                    .map(|d| words(&d.doc.text, PREVIEW_WORDS))
                    .unwrap_or_default(),
                href: format!("{}timeline/index.html#event-{}", self.root, event.id),
            };
            self.previews.insert(key.clone(), preview);
        }
        key
    }

    /// Adds the preview of glossary entry `i`, once; returns its key.
    fn preview_entry(&mut self, i: EntryId) -> &'s str {
        let shared = self.shared;
        let entry = &shared.model.entries[i];
        let key = shared.entry_keys[i.index()].as_str();
        if !self.previews.contains_key(key) {
            let preview = Preview {
                key: key.to_string(),
                kind: entry.kind_name(),
                label: entry.role.clone().unwrap_or_default(),
                title: entry.name.clone(),
                text: entry
                    .summary
                    .as_ref()
                    .map(|s| words(&s.doc.text, PREVIEW_WORDS))
                    .unwrap_or_default(),
                href: format!("{}{key}.html", self.root),
            };
            self.previews.insert(key.to_string(), preview);
        }
        key
    }
}

/// How many words of a summary or description a preview shows.
const PREVIEW_WORDS: usize = 40;

/// The first `n` words of `text` on one line, with `…` if there were more.
pub fn words(text: &str, n: usize) -> String {
    let mut all = text.split_whitespace();
    let mut out = all.by_ref().take(n).collect::<Vec<_>>().join(" ");
    if all.next().is_some() {
        out.push_str(" …");
    }
    out
}

/// Adds `m-ID-N` to `out`: the id of the `n`-th mention of entry `id` on a
/// page (docs/site.md).
pub fn push_mention_id(out: &mut String, id: &str, n: usize) {
    crate::anchor::push_numbered_id(out, "m-", id, n);
}

/// About eight words either side of `start..end`, on one line. Only the
/// words shown are read: the cost does not grow with the text.
pub fn context(text: &str, start: usize, end: usize) -> (String, String) {
    const SHOWN: usize = 8;
    // One word more than is shown, to know whether there are more: kept
    // in place, nearest first, with no list made.
    let mut nearest = [""; SHOWN + 1];
    let mut found = 0;
    for (slot, word) in nearest
        .iter_mut()
        .zip(text[..start].split_whitespace().rev())
    {
        *slot = word;
        found += 1;
    }
    let shown = &nearest[..found.min(SHOWN)];
    let mut b = String::with_capacity(start.min(SHOWN * 12) + 8);
    if found > SHOWN {
        b.push_str("… ");
    }
    for (i, word) in shown.iter().rev().enumerate() {
        if i > 0 {
            b.push(' ');
        }
        b.push_str(word);
    }
    if text[..start].ends_with(char::is_whitespace) && !shown.is_empty() {
        b.push(' ');
    }
    let mut a = String::with_capacity((text.len() - end).min(SHOWN * 12) + 8);
    let mut after = text[end..].split_whitespace();
    for (i, word) in after.by_ref().take(SHOWN).enumerate() {
        if i > 0 || text[end..].starts_with(char::is_whitespace) {
            a.push(' ');
        }
        a.push_str(word);
    }
    if after.next().is_some() {
        a.push_str(" …");
    }
    (b, a)
}

/// The sentence around `start..end` of `text`: the text before and after the
/// range, back to the previous sentence end and on to the next.
pub fn sentence(text: &str, start: usize, end: usize) -> (String, String) {
    let head = &text[..start];
    let from = head
        .char_indices()
        .rev()
        .find(|&(i, c)| {
            c == '\n' || (matches!(c, '.' | '!' | '?') && head[i + 1..].starts_with(' '))
        })
        .map_or(0, |(i, c)| i + c.len_utf8());
    let tail = &text[end..];
    let to = tail
        .char_indices()
        .find(|&(i, c)| {
            c == '\n'
                || (matches!(c, '.' | '!' | '?')
                    && (tail[i + 1..].starts_with([' ', '\n']) || i + 1 == tail.len()))
        })
        .map_or(
            tail.len(),
            |(i, c)| if c == '\n' { i } else { i + c.len_utf8() },
        );
    (
        plain_keep_edges(&text[from..start])
            .trim_start()
            .to_string(),
        plain_keep_edges(&tail[..to]),
    )
}

fn plain_keep_edges(s: &str) -> String {
    let mut out = plain(s);
    if s.starts_with(char::is_whitespace) && !out.is_empty() {
        out.insert(0, ' ');
    }
    if s.ends_with(char::is_whitespace) && !out.is_empty() {
        out.push(' ');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quote_is_shown_in_its_sentence() {
        let text = "First one. When asked, Trump said progress was made. Next one.";
        let start = text.find("Trump").unwrap();
        let end = text.find(" was").unwrap();
        assert_eq!(
            sentence(text, start, end),
            ("When asked, ".to_string(), " was made.".to_string())
        );
    }

    #[test]
    fn context_keeps_a_few_words() {
        let text = "one two three four five six seven eight nine ten NAME a b c d e f g h i j";
        let s = text.find("NAME").unwrap();
        let (b, a) = context(text, s, s + 4);
        assert_eq!(b, "… three four five six seven eight nine ten ");
        assert_eq!(a, " a b c d e f g h …");
    }

    /// The words around a range, the plain way: what [`context`] must agree with.
    fn context_by_lists(text: &str, start: usize, end: usize) -> (String, String) {
        let before: Vec<&str> = text[..start].split_whitespace().collect();
        let shown = &before[before.len().saturating_sub(8)..];
        let mut b = shown.join(" ");
        if text[..start].ends_with(char::is_whitespace) && !b.is_empty() {
            b.push(' ');
        }
        if before.len() > 8 {
            b.insert_str(0, "… ");
        }
        let after: Vec<&str> = text[end..].split_whitespace().collect();
        let mut a = after[..after.len().min(8)].join(" ");
        if text[end..].starts_with(char::is_whitespace) && !a.is_empty() {
            a.insert(0, ' ');
        }
        if after.len() > 8 {
            a.push_str(" …");
        }
        (b, a)
    }

    proptest::proptest! {
        #[test]
        fn context_is_the_nearest_words_either_side(
            text in "([a-c]{1,3}|[ \n\u{a0}]{1,2}|é){0,40}",
            at in 0usize..80,
            width in 0usize..6,
        ) {
            let range = crate::test_support::char_range(&text, at, width);
            proptest::prop_assert_eq!(
                context(&text, range.start, range.end),
                context_by_lists(&text, range.start, range.end)
            );
        }
    }
}
