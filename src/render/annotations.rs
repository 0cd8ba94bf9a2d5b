//! `annotations.jsonld`: every source of every claim and event as a W3C Web
//! Annotation (Web Annotation Data Model, JSON-LD), in one
//! `AnnotationCollection`, so that Hypothesis and other annotation clients
//! can import the briefing's quotes.
//!
//! Each annotation targets its article (the article's `url` when it has one,
//! else its page on the site) with two selectors: a `TextQuoteSelector` whose
//! `prefix` and `suffix` (at least [`CONTEXT`] characters each) are made long
//! enough that prefix + exact + suffix occurs once in the article's text, and
//! a `TextPositionSelector` counting characters of the article's normalised
//! text (docs/format.md, "Quotes"). The body is the claim (or event): its text, a
//! link to its page and, for a claim, its status as a tag.
//!
//! Addresses are absolute under `base_url` when the briefing has one. Without
//! it, the model still requires absolute addresses: an annotation's id, and
//! the target of an article without `url`, are name-based `urn:uuid:`s
//! (the same in every build), and the body has no link to the claim's page.

use std::cell::RefCell;
use std::io::Write;
use std::ops::Range;

use serde::Serialize;

use crate::anchor::{Anchors, claim_anchor, event_anchor};
use crate::markdown::plain;
use crate::model::{Model, Source};

/// How many characters of context a quote selector gives at least on each side.
pub const CONTEXT: usize = 32;

/// The path of the file in the site.
pub const PATH: &str = "annotations.jsonld";

const CONTEXT_IRI: &str = "http://www.w3.org/ns/anno.jsonld";

/// The whole collection, as pretty-printed JSON-LD.
pub fn annotations(model: &Model, anchors: &Anchors) -> Vec<u8> {
    let mut out = Vec::new();
    // Writing into memory cannot fail: the types hold strings, numbers and
    // lists only.
    let _ = make(model, anchors, Out::Memory(&mut out));
    out
}

/// [`annotations`], written to `out` as it is made: the file is never whole
/// in memory.
pub fn write_to(model: &Model, anchors: &Anchors, out: &mut dyn Write) -> std::io::Result<()> {
    make(model, anchors, Out::Writer(out))
}

/// Where [`make`] writes.
enum Out<'w> {
    /// Into memory, reserved at the file's size first.
    Memory(&'w mut Vec<u8>),
    Writer(&'w mut dyn Write),
}

fn make(model: &Model, anchors: &Anchors, into: Out<'_>) -> std::io::Result<()> {
    let common = Common::new(model);
    let base = common.base;
    let language = model.meta.language.as_str();
    // The bodies of each claim and event, shared by the annotations of its sources.
    let claim_bodies: Vec<Vec<Body>> = model
        .claims
        .iter()
        .map(|claim| {
            let mut bodies = vec![
                Body::Describing {
                    kind: "TextualBody",
                    purpose: "describing",
                    value: claim.label.clone(),
                    format: "text/plain",
                    language,
                },
                Body::Tagging {
                    kind: "TextualBody",
                    purpose: "tagging",
                    value: claim.status.name(),
                },
            ];
            if !base.is_empty() {
                bodies.push(Body::link(format!("{base}claims/{}.html", claim.id)));
            }
            bodies
        })
        .collect();
    let event_bodies: Vec<Vec<Body>> = model
        .events
        .iter()
        .map(|event| {
            let describing = format!("{}: {}", event.date.display(), plain(&event.title.doc.text));
            let mut bodies = vec![Body::Describing {
                kind: "TextualBody",
                purpose: "describing",
                value: describing,
                format: "text/plain",
                language,
            }];
            if !base.is_empty() {
                bodies.push(Body::link(format!(
                    "{base}timeline/index.html#event-{}",
                    event.id
                )));
            }
            bodies
        })
        .collect();
    // The annotations are made one at a time as they are written, so that
    // they are never all in memory beside the file they make.
    let claims = model.claims.iter().enumerate().flat_map(|(c, claim)| {
        found(
            &claim.id,
            claim_anchor,
            &claim_bodies[c],
            &claim.sources,
            &anchors.claim_quotes[c],
            &anchors.claim_positions[c],
        )
    });
    let events = model.events.iter().enumerate().flat_map(|(e, event)| {
        found(
            &event.id,
            event_anchor,
            &event_bodies[e],
            &event.sources,
            &anchors.event_quotes[e],
            &anchors.event_positions[e],
        )
    });
    // The file's size, estimated from above so that a buffer in memory is
    // never grown (and copied, into twice the room) on the way: each
    // annotation has about 1.25 kB of names, punctuation, indentation and
    // the quote's context besides its quote, its claim's text and four
    // addresses. Room reserved and never written costs address space, not
    // memory.
    let (total, size) = claims
        .clone()
        .chain(events.clone())
        .fold((0, 1024), |(n, size), item| {
            let label = item.body.first().map_or(0, Body::text_len);
            (
                n + 1,
                size + 1400 + item.range.len() + label + 4 * base.len(),
            )
        });
    let items = Items {
        model,
        common: &common,
        items: RefCell::new(Some(claims.chain(events))),
    };
    let collection = Collection {
        context: CONTEXT_IRI,
        id: format!("{base}{PATH}"),
        kind: "AnnotationCollection",
        label: &model.meta.title,
        total,
        first: Page {
            id: format!("{base}{PATH}#page-1"),
            kind: "AnnotationPage",
            start_index: 0,
            items,
        },
    };
    match into {
        Out::Memory(out) => {
            out.reserve(size);
            serde_json::to_writer_pretty(out, &collection)?;
        }
        Out::Writer(out) => serde_json::to_writer_pretty(out, &collection)?,
    }
    Ok(())
}

/// The `AnnotationCollection` with its one page.
#[derive(Serialize)]
#[serde(bound = "")]
struct Collection<'a, I: Iterator<Item = Item<'a>>> {
    #[serde(rename = "@context")]
    context: &'static str,
    id: String,
    #[serde(rename = "type")]
    kind: &'static str,
    label: &'a str,
    total: usize,
    first: Page<'a, I>,
}

#[derive(Serialize)]
#[serde(bound = "")]
struct Page<'a, I: Iterator<Item = Item<'a>>> {
    id: String,
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(rename = "startIndex")]
    start_index: usize,
    items: Items<'a, I>,
}

/// What one annotation is made from: a source of a claim or an event, where
/// it was found, and the bodies of what it annotates.
struct Item<'a> {
    /// The claim's or event's id, the anchor it makes of an id and a
    /// source's number, and the source's number.
    id: &'a str,
    anchor: fn(&str, usize) -> String,
    n: usize,
    body: &'a [Body<'a>],
    source: &'a Source,
    range: &'a Range<usize>,
    position: &'a Range<usize>,
}

/// The items of the sources of one claim or event that were found.
fn found<'a>(
    id: &'a str,
    anchor: fn(&str, usize) -> String,
    body: &'a [Body<'a>],
    sources: &'a [Source],
    quotes: &'a [Option<Range<usize>>],
    positions: &'a [Option<Range<usize>>],
) -> impl Iterator<Item = Item<'a>> + Clone {
    sources
        .iter()
        .zip(quotes.iter().zip(positions))
        .enumerate()
        .filter_map(move |(n, (source, found))| match found {
            (Some(range), Some(position)) => Some(Item {
                id,
                anchor,
                n: n + 1,
                body,
                source,
                range,
                position,
            }),
            _ => None,
        })
}

/// The annotations of the collection, made as they are serialised. The
/// iterator is taken by the one serialisation the collection has.
struct Items<'a, I> {
    model: &'a Model,
    common: &'a Common<'a>,
    items: RefCell<Option<I>>,
}

impl<'a, I: Iterator<Item = Item<'a>>> Serialize for Items<'a, I> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let items = self.items.borrow_mut().take().into_iter().flatten();
        serializer.collect_seq(items.map(|item| {
            annotation(
                self.model,
                self.common,
                &(item.anchor)(item.id, item.n),
                item.body,
                item.source,
                item.range,
                item.position,
            )
        }))
    }
}

#[derive(Serialize)]
struct Annotation<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    id: String,
    #[serde(rename = "type")]
    kind: &'static str,
    motivation: &'static str,
    body: &'a [Body<'a>],
    target: Target<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    created: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    creator: Option<&'a Creator<'a>>,
}

/// A body of an annotation, its keys in the order they are written.
#[derive(Serialize)]
#[serde(untagged)]
enum Body<'a> {
    /// The claim's text, or the event's date and title.
    Describing {
        #[serde(rename = "type")]
        kind: &'static str,
        purpose: &'static str,
        value: String,
        format: &'static str,
        language: &'a str,
    },
    /// The claim's status.
    Tagging {
        #[serde(rename = "type")]
        kind: &'static str,
        purpose: &'static str,
        value: &'static str,
    },
    /// A link to the claim's or event's page: only with `base_url`, since a
    /// body's address must be absolute.
    Linking {
        id: String,
        #[serde(rename = "type")]
        kind: &'static str,
        format: &'static str,
        purpose: &'static str,
    },
}

impl Body<'_> {
    /// The length of the text a describing body gives.
    fn text_len(&self) -> usize {
        match self {
            Body::Describing { value, .. } => value.len(),
            Body::Tagging { .. } | Body::Linking { .. } => 0,
        }
    }

    fn link(page: String) -> Self {
        Body::Linking {
            id: page,
            kind: "Text",
            format: "text/html",
            purpose: "linking",
        }
    }
}

#[derive(Serialize)]
struct Target<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    source: String,
    selector: (QuoteSelector<'a>, PositionSelector),
}

#[derive(Serialize)]
struct QuoteSelector<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    exact: &'a str,
    prefix: &'a str,
    suffix: &'a str,
}

#[derive(Serialize)]
struct PositionSelector {
    #[serde(rename = "type")]
    kind: &'static str,
    start: usize,
    end: usize,
}

/// Who made the annotations: one author, or a list of them.
#[derive(Serialize)]
#[serde(untagged)]
enum Creator<'a> {
    One(Agent<'a>),
    Many(Vec<Agent<'a>>),
}

#[derive(Serialize)]
struct Agent<'a> {
    name: &'a str,
}

/// What every annotation of the briefing has alike.
struct Common<'a> {
    base: &'a str,
    /// When the annotations were made: the briefing's date, if it has one.
    created: Option<String>,
    /// Who made them: the briefing's authors.
    creator: Option<Creator<'a>>,
}

impl<'a> Common<'a> {
    fn new(model: &'a Model) -> Self {
        let authors = &model.meta.authors;
        let creator = match &authors[..] {
            [] => None,
            [one] => Some(Creator::One(Agent { name: one })),
            many => Some(Creator::Many(
                many.iter().map(|a| Agent { name: a }).collect(),
            )),
        };
        Common {
            base: model.meta.base_url.as_deref().unwrap_or(""),
            created: model.meta.date.as_ref().map(|d| d.timestamp()),
            creator,
        }
    }
}

fn annotation<'a>(
    model: &'a Model,
    common: &'a Common<'a>,
    anchor: &str,
    body: &'a [Body<'a>],
    source: &Source,
    range: &Range<usize>,
    position: &Range<usize>,
) -> Annotation<'a> {
    let base = common.base;
    let article = &model.articles[source.article];
    let target = match (&article.url, base) {
        (Some(url), _) => url.clone(),
        (None, "") => stable_urn(&[&model.meta.title, &article.id]),
        (None, base) => [base, "articles/", &article.id, ".html"].concat(),
    };
    let (prefix, exact, suffix) = quote_selector(&article.doc.text, range.clone());
    // The annotation is the highlight in the article's page. Its id must be
    // an absolute IRI: without `base_url`, a name-based UUID of the briefing
    // and the anchor, the same in every build.
    let id = if base.is_empty() {
        stable_urn(&[&model.meta.title, &article.id, anchor])
    } else {
        [base, "articles/", &article.id, ".html#", anchor].concat()
    };
    Annotation {
        context: CONTEXT_IRI,
        id,
        kind: "Annotation",
        motivation: "describing",
        body,
        target: Target {
            kind: "SpecificResource",
            source: target,
            selector: (
                QuoteSelector {
                    kind: "TextQuoteSelector",
                    exact,
                    prefix,
                    suffix,
                },
                PositionSelector {
                    kind: "TextPositionSelector",
                    start: position.start,
                    end: position.end,
                },
            ),
        },
        created: common.created.as_deref(),
        creator: common.creator.as_ref(),
    }
}

/// A `urn:uuid:` made from a hash of `parts`: the same parts give the same
/// name in every build.
fn stable_urn(parts: &[&str]) -> String {
    let mut hasher = blake3::Hasher::new();
    for part in parts {
        hasher.update(part.as_bytes());
        hasher.update(&[0]);
    }
    let mut b: [u8; 16] = [0; 16];
    b.copy_from_slice(&hasher.finalize().as_bytes()[..16]);
    // Version 8 (custom) and the RFC 9562 variant.
    b[6] = (b[6] & 0x0f) | 0x80;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "urn:uuid:{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

/// The exact text of `range` in `text`, with a prefix and a suffix of at
/// least [`CONTEXT`] characters (fewer at the ends of the text), each grown
/// until prefix + exact + suffix occurs exactly once in `text`.
pub fn quote_selector(text: &str, range: Range<usize>) -> (&str, &str, &str) {
    let exact = &text[range.clone()];
    // Wherever prefix + exact + suffix occurs, the exact text does, so the
    // selector is unique when it differs around each other place of the
    // exact text: those are searched once, not once per context tried.
    let others: Vec<usize> = crate::normalize::find_overlapping(text, exact)
        .into_iter()
        .filter(|&at| at != range.start)
        .collect();
    let mut want = CONTEXT;
    loop {
        let from = back_chars(text, range.start, want);
        let to = forward_chars(text, range.end, want);
        let whole = &text.as_bytes()[from..to];
        let before = range.start - from;
        let unique = others
            .iter()
            .all(|&at| at < before || !text.as_bytes()[at - before..].starts_with(whole));
        if unique || (from == 0 && to == text.len()) {
            return (&text[from..range.start], exact, &text[range.end..to]);
        }
        want *= 2;
    }
}

/// The byte offset `n` characters before `at` (or 0).
fn back_chars(text: &str, at: usize, n: usize) -> usize {
    text[..at]
        .char_indices()
        .rev()
        .nth(n.saturating_sub(1))
        .map_or(0, |(i, _)| i)
}

/// The byte offset `n` characters after `at` (or the end).
fn forward_chars(text: &str, at: usize, n: usize) -> usize {
    text[at..]
        .char_indices()
        .nth(n)
        .map_or(text.len(), |(i, _)| at + i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_is_written_into_the_room_reserved_for_it() {
        use crate::options::BuildOptions;
        use crate::pipeline::analyse;
        // The default briefing, without and with an address for the site.
        for base_url in [None, Some("https://example.org/a/briefing/".to_string())] {
            let options = BuildOptions {
                root: std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")),
                output: None,
                deny_warnings: false,
                write: false,
                progress: None,
                base_url,
                limits: crate::limits::Limits::default(),
            };
            let Ok(analysis) = analyse(&options, &mut crate::progress::Timings::default()) else {
                panic!("the default briefing did not check");
            };
            let bytes = annotations(&analysis.model, &analysis.anchors);
            assert!(bytes.len() > 10_000, "{} bytes", bytes.len());
            // A buffer grown past its estimate would have doubled; one
            // estimated far above would hold much room never written.
            assert!(
                bytes.capacity() <= bytes.len() + bytes.len() / 4,
                "{} bytes in {} reserved",
                bytes.len(),
                bytes.capacity()
            );
        }
    }

    #[test]
    fn the_context_grows_until_the_quote_is_unique() {
        let text = format!("{} said no. {} said no.", "a".repeat(40), "b".repeat(40));
        let second = text.rfind("said no").unwrap();
        let (prefix, exact, suffix) = quote_selector(&text, second..second + 7);
        assert_eq!(exact, "said no");
        assert_eq!(prefix.chars().count(), CONTEXT);
        assert!(prefix.ends_with("bbb "));
        assert_eq!(suffix, ".");
        let whole = format!("{prefix}{exact}{suffix}");
        assert_eq!(text.matches(&whole).count(), 1);

        // A repeated passage needs a longer context.
        let block = "x".repeat(50);
        let text = format!("{block} one {block} one {block} two");
        let at = text.find("one").unwrap();
        let (prefix, exact, suffix) = quote_selector(&text, at..at + 3);
        let whole = format!("{prefix}{exact}{suffix}");
        assert_eq!(text.matches(&whole).count(), 1, "{whole}");
        assert!(suffix.chars().count() > CONTEXT);
    }

    #[test]
    fn the_context_respects_characters() {
        let text = "“Ünïcödé” — said the mayor, “twice”.";
        let at = text.find("said").unwrap();
        let (prefix, exact, suffix) = quote_selector(text, at..at + 4);
        assert_eq!(prefix, "“Ünïcödé” — ");
        assert_eq!(exact, "said");
        assert_eq!(suffix, " the mayor, “twice”.");
    }

    /// The selector the plain way, searching the whole text for each
    /// context tried: what [`quote_selector`] must agree with.
    fn selector_by_search(text: &str, range: Range<usize>) -> (&str, &str, &str) {
        let mut want = CONTEXT;
        loop {
            let from = back_chars(text, range.start, want);
            let to = forward_chars(text, range.end, want);
            let whole = &text[from..to];
            let count = (0..text.len())
                .filter(|&i| text.is_char_boundary(i) && text[i..].starts_with(whole))
                .count();
            if count == 1 || (from == 0 && to == text.len()) {
                return (
                    &text[from..range.start],
                    &text[range.clone()],
                    &text[range.end..to],
                );
            }
            want *= 2;
        }
    }

    proptest::proptest! {
        #[test]
        fn the_selector_is_the_shortest_unique_context(
            text in "([ab]{1,3}|[ .é]){1,120}",
            at in 0usize..200,
            width in 1usize..6,
        ) {
            let range = crate::test_support::char_range(&text, at, width);
            proptest::prop_assume!(!range.is_empty());
            proptest::prop_assert_eq!(
                quote_selector(&text, range.clone()),
                selector_by_search(&text, range)
            );
        }
    }
}
