//! Markdown fragments of one page: mention links numbered per page
//! (`m-ENTRY-N`), and the mentions recorded for the glossary.

use std::collections::HashMap;

use crate::anchor::{Anchors, Owner};
use crate::markdown::{self, Doc, Mark, MarkKind, Note};
use crate::mentions::Matcher;
use crate::model::{Model, Text};

/// What every page needs to render text.
pub struct Shared<'m> {
    pub model: &'m Model,
    pub anchors: &'m Anchors,
    pub matcher: &'m Matcher,
    pub backlinks: &'m super::pages::Backlinks,
}

/// One mention, as the glossary lists it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct MentionRecord {
    /// The entry mentioned.
    #[serde(skip)]
    pub entry: usize,
    /// Where it is, from the site's root: `articles/x.html#m-petro-3`.
    pub href: String,
    /// The page it is on, as a reader names it.
    pub page: String,
    /// The words around it.
    pub before: String,
    pub text: String,
    pub after: String,
}

/// Renders the Markdown of one page.
pub struct PageText<'s, 'm> {
    pub(super) shared: &'s Shared<'m>,
    /// The page's path from the site's root, e.g. `claims/x.html`.
    path: String,
    /// How the glossary names this page.
    label: String,
    /// The relative path from the page to the root: `""` or `"../"`.
    pub root: &'static str,
    counts: HashMap<usize, usize>,
    /// The mentions in the texts whose home is this page, in order, for the glossary.
    pub records: Vec<MentionRecord>,
    recording: bool,
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
            counts: HashMap::new(),
            records: Vec::new(),
            recording: false,
        }
    }

    /// Renders a Markdown text shown here but at home on another page: its
    /// mentions are linked and numbered, but the glossary lists them elsewhere.
    pub fn text(&mut self, text: &Text) -> String {
        self.doc(&text.doc, Vec::new(), &[], None)
    }

    /// Renders a Markdown text whose home is this page: the glossary lists its
    /// mentions as being here. `skip` is an entry whose mentions are not
    /// linked (on its own page).
    pub fn home(&mut self, text: &Text, skip: Option<usize>) -> String {
        self.recording = true;
        let html = self.doc(&text.doc, Vec::new(), &[], skip);
        self.recording = false;
        html
    }

    /// Like [`PageText::home`] for an optional text; empty when absent.
    pub fn home_opt(&mut self, text: &Option<Text>, skip: Option<usize>) -> String {
        text.as_ref()
            .map(|t| self.home(t, skip))
            .unwrap_or_default()
    }

    /// Renders an article body with its highlights and margin notes.
    pub fn article(&mut self, index: usize) -> String {
        let model = self.shared.model;
        let article = &model.articles[index];
        let mut marks = Vec::new();
        let mut notes = Vec::new();
        for h in &self.shared.anchors.highlights[index] {
            let (class, title, note) = match h.owner {
                Owner::Claim(c) => {
                    let claim = &model.claims[c];
                    let status = claim.status.name();
                    let note = format!(
                        "<span class=\"margin-note status-{status}\"><a href=\"{}claims/{}.html\">{}</a> <span class=\"status-label\">{status}</span></span>",
                        self.root,
                        claim.id,
                        markdown::escape(&plain(&claim.text.doc.text))
                    );
                    (
                        format!("hl status-{status}"),
                        format!("Claim: {}", plain(&claim.text.doc.text)),
                        note,
                    )
                }
                Owner::Event(e) => {
                    let event = &model.events[e];
                    let note = format!(
                        "<span class=\"margin-note event-note\"><a href=\"{}timeline/index.html#event-{}\">{}</a> <span class=\"status-label\">event, {}</span></span>",
                        self.root,
                        event.id,
                        markdown::escape(&plain(&event.title.doc.text)),
                        markdown::escape(&event.date.display())
                    );
                    (
                        "hl hl-event".to_string(),
                        format!("Event: {}", plain(&event.title.doc.text)),
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
                },
            });
            notes.push(Note {
                at: h.range.start,
                html: note,
            });
        }
        notes.sort_by_key(|n| n.at);
        self.recording = true;
        let html = self.doc(&article.doc, marks, &notes, None);
        self.recording = false;
        html
    }

    fn doc(
        &mut self,
        doc: &Doc,
        mut marks: Vec<Mark>,
        notes: &[Note],
        skip: Option<usize>,
    ) -> String {
        let model = self.shared.model;
        for found in self.shared.matcher.find_in_doc(doc) {
            if Some(found.entry) == skip {
                continue;
            }
            let entry = &model.entries[found.entry];
            let n = self.counts.entry(found.entry).or_insert(0);
            *n += 1;
            let anchor = format!("m-{}-{}", entry.id, n);
            if self.recording {
                let (before, after) = context(&doc.text, found.range.start, found.range.end);
                self.records.push(MentionRecord {
                    entry: found.entry,
                    href: format!("{}#{}", self.path, anchor),
                    page: self.label.clone(),
                    before,
                    text: doc.text[found.range.clone()].to_string(),
                    after,
                });
            }
            marks.push(Mark {
                range: found.range,
                kind: MarkKind::Mention {
                    href: format!("{}{}/{}.html", self.root, entry.section(), entry.id),
                    anchor,
                    title: entry.name.clone(),
                },
            });
        }
        markdown::render(doc, &marks, notes, self.root)
    }
}

/// A visible text on one line.
pub fn plain(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// About eight words either side of `start..end`, on one line.
pub fn context(text: &str, start: usize, end: usize) -> (String, String) {
    let before: Vec<&str> = text[..start].split_whitespace().collect();
    let from = before.len().saturating_sub(8);
    let mut b = before[from..].join(" ");
    if text[..start].ends_with(char::is_whitespace) && !b.is_empty() {
        b.push(' ');
    }
    if from > 0 {
        b.insert_str(0, "… ");
    }
    let after_all: Vec<&str> = text[end..].split_whitespace().collect();
    let mut a = after_all
        .iter()
        .take(8)
        .copied()
        .collect::<Vec<_>>()
        .join(" ");
    if text[end..].starts_with(char::is_whitespace) && !a.is_empty() {
        a.insert(0, ' ');
    }
    if after_all.len() > 8 {
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
}
