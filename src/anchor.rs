//! Anchor: find each source's quote in its article's visible text, and count
//! the mentions of every glossary entry.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::ops::Range;

use rayon::prelude::*;

use crate::diagnostic::{Code, Diagnostic};
use crate::mentions::{Found, Matcher};
use crate::model::{ClaimId, EventId, Model, Source};
use crate::normalize::{Normalized, normalize};

/// Whose quote a highlight is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner {
    /// A claim's.
    Claim(ClaimId),
    /// An event's.
    Event(EventId),
}

/// A quote found in an article.
#[derive(Debug, Clone)]
pub struct Highlight {
    /// `q-CLAIM-N` or `e-EVENT-N`.
    pub anchor: String,
    /// Whose quote it is.
    pub owner: Owner,
    /// The range of the article's visible text (`Doc::text`) it covers.
    pub range: Range<usize>,
}

/// Where every quote was found.
#[derive(Debug, Default)]
pub struct Anchors {
    /// For each article, its highlights in text order.
    pub highlights: Vec<Vec<Highlight>>,
    /// For each claim, for each source, the range found (None where it was not).
    pub claim_quotes: Vec<Vec<Option<Range<usize>>>>,
    /// For each event, for each source, the range found.
    pub event_quotes: Vec<Vec<Option<Range<usize>>>>,
    /// For each claim, for each source, where the quote is in the article's
    /// normalised text, in characters (for a W3C TextPositionSelector).
    pub claim_positions: Vec<Vec<Option<Range<usize>>>>,
    /// The same for each event's sources.
    pub event_positions: Vec<Vec<Option<Range<usize>>>>,
    /// For each article, the mentions of glossary entries in its body, in
    /// text order: found once, for the warnings here and for its page.
    pub mentions: Vec<Vec<Found>>,
    /// For each text of the model, by its [`crate::model::TextId`], the
    /// mentions in it: found once, for the warnings here and for every page
    /// that shows it (a claim's text is on its page, the claims page and
    /// its entries' pages).
    pub text_mentions: Vec<Vec<Found>>,
}

/// The anchor id of the N-th (from 1) source of a claim.
pub fn claim_anchor(claim: &str, n: usize) -> String {
    numbered_id("q-", claim, n)
}

/// The anchor id of the N-th (from 1) source of an event.
pub fn event_anchor(event: &str, n: usize) -> String {
    numbered_id("e-", event, n)
}

fn numbered_id(prefix: &str, id: &str, n: usize) -> String {
    let mut out = String::with_capacity(prefix.len() + id.len() + 4);
    push_numbered_id(&mut out, prefix, id, n);
    out
}

/// Adds `PREFIXID-N` to `out`, joined rather than formatted: the ids of
/// highlights (`q-`, `e-`) and mentions (`m-`), made for each on every page.
pub fn push_numbered_id(out: &mut String, prefix: &str, id: &str, n: usize) {
    out.push_str(prefix);
    out.push_str(id);
    out.push('-');
    // Writing to a String cannot fail.
    let _ = write!(out, "{n}");
}

/// Anchors every quote, and warns about glossary entries that nothing names.
///
/// Articles are anchored in parallel, each with its normalised text made,
/// used for every quote from it, and dropped: the normalised text and its map
/// back to the original (eight bytes a byte) exist for a few articles at a
/// time, not for the whole briefing.
pub fn anchor(model: &Model, matcher: &Matcher) -> (Anchors, Vec<Diagnostic>) {
    // Every source, by the article it quotes.
    let mut quoting: Vec<Vec<(Owner, usize)>> = vec![Vec::new(); model.articles.len()];
    let owners = ClaimId::all(&model.claims)
        .zip(&model.claims)
        .map(|(c, claim)| (Owner::Claim(c), &claim.sources))
        .chain(
            EventId::all(&model.events)
                .zip(&model.events)
                .map(|(e, event)| (Owner::Event(e), &event.sources)),
        );
    for (owner, sources) in owners {
        for (n, source) in sources.iter().enumerate() {
            quoting[source.article.index()].push((owner, n));
        }
    }
    let sources_of = |owner: Owner| match owner {
        Owner::Claim(c) => &model.claims[c].sources,
        Owner::Event(e) => &model.events[e].sources,
    };
    let results: Vec<Vec<(Owner, usize, Located)>> = quoting
        .par_iter()
        .enumerate()
        .map(|(a, quotes)| {
            if quotes.is_empty() {
                return Vec::new();
            }
            let norm = Normalized::new(&model.articles[a].doc.text);
            quotes
                .iter()
                .map(|&(owner, n)| {
                    let located = locate(&norm, &sources_of(owner)[n]).map(|(start, end)| {
                        let (from, to) = norm.original_range(start, end);
                        let first = norm.text[..start].chars().count();
                        let position = first..first + norm.text[start..end].chars().count();
                        (from..to, position)
                    });
                    (owner, n, located)
                })
                .collect()
        })
        .collect();
    // Nothing found yet: a `None` for every source of every claim and event.
    let claims_unfound: Vec<_> = model
        .claims
        .iter()
        .map(|c| vec![None; c.sources.len()])
        .collect();
    let events_unfound: Vec<_> = model
        .events
        .iter()
        .map(|e| vec![None; e.sources.len()])
        .collect();
    let mut anchors = Anchors {
        highlights: vec![Vec::new(); model.articles.len()],
        claim_quotes: claims_unfound.clone(),
        claim_positions: claims_unfound,
        event_quotes: events_unfound.clone(),
        event_positions: events_unfound,
        mentions: model
            .articles
            .par_iter()
            .map(|a| matcher.find_in_doc(&a.doc))
            .collect(),
        text_mentions: model
            .texts()
            .par_iter()
            .map(|t| matcher.find_in_doc(&t.doc))
            .collect(),
    };
    // Diagnostics in the order of the claims and events, as they were written.
    let mut failed: Vec<((usize, usize, usize), Diagnostic)> = Vec::new();
    for (a, located) in results.into_iter().enumerate() {
        for (owner, n, result) in located {
            let (quotes, positions, anchor_id, order) = match owner {
                Owner::Claim(c) => (
                    &mut anchors.claim_quotes[c.index()],
                    &mut anchors.claim_positions[c.index()],
                    claim_anchor(&model.claims[c].id, n + 1),
                    (0, c.index(), n),
                ),
                Owner::Event(e) => (
                    &mut anchors.event_quotes[e.index()],
                    &mut anchors.event_positions[e.index()],
                    event_anchor(&model.events[e].id, n + 1),
                    (1, e.index(), n),
                ),
            };
            match result {
                Ok((range, position)) => {
                    anchors.highlights[a].push(Highlight {
                        anchor: anchor_id,
                        owner,
                        range: range.clone(),
                    });
                    quotes[n] = Some(range);
                    positions[n] = Some(position);
                }
                Err(diag) => failed.push((order, diag)),
            }
        }
    }
    failed.sort_by_key(|(order, _)| *order);
    let mut diags: Vec<Diagnostic> = failed.into_iter().map(|(_, d)| d).collect();
    for h in &mut anchors.highlights {
        h.sort_by(|a, b| {
            a.range
                .start
                .cmp(&b.range.start)
                .then(b.range.end.cmp(&a.range.end))
                .then(a.anchor.cmp(&b.anchor))
        });
    }
    warn_unnamed_entries(model, &anchors, &mut diags);
    (anchors, diags)
}

/// Where a quote was found: its range in the article's visible text, and in
/// characters of the normalised text.
type Located = Result<(Range<usize>, Range<usize>), Diagnostic>;

/// The normalised range of a source's quote in its article.
pub fn locate(norm: &Normalized, source: &Source) -> Result<(usize, usize), Diagnostic> {
    let quote = normalize(&source.quote);
    let all = norm.find_all(&quote);
    let err =
        |code, message: String| Diagnostic::new(code, &source.loc.file, source.loc.span, message);
    if all.is_empty() {
        return Err(err(
            Code::QuoteNotFound,
            "the quote is not in the article".into(),
        )
        .with_help(closest_help(&norm.text, &quote)));
    }
    if let Some(n) = source.occurrence {
        return match all.get(n - 1) {
            Some(&start) => Ok((start, start + quote.len())),
            None => Err(err(
                Code::OccurrenceOutOfRange,
                format!("`occurrence: {n}` asks for more than the article has: the quote occurs {} time{}", all.len(), plural(all.len())),
            )
            .with_help(format!("use an occurrence from 1 to {}", all.len()))),
        };
    }
    let prefix = source.prefix.as_deref().map(normalize);
    let suffix = source.suffix.as_deref().map(normalize);
    let chosen: Vec<usize> = all
        .iter()
        .copied()
        .filter(|&s| {
            prefix
                .as_ref()
                .is_none_or(|p| norm.text[..s].trim_end().ends_with(p.as_str()))
        })
        .filter(|&s| {
            suffix.as_ref().is_none_or(|x| {
                norm.text[s + quote.len()..]
                    .trim_start()
                    .starts_with(x.as_str())
            })
        })
        .collect();
    match chosen.as_slice() {
        [start] => Ok((*start, start + quote.len())),
        [] => Err(err(
            Code::QuoteContextNotFound,
            "no occurrence of the quote has the given prefix and suffix".into(),
        )
        .with_help(occurrences_help(&norm.text, &all, &all, quote.len()))),
        many => Err(err(
            Code::AmbiguousQuote,
            format!("the quote occurs {} times in the article", many.len()),
        )
        .with_help(occurrences_help(&norm.text, many, &all, quote.len()))),
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Lists the occurrences with their surroundings, and how to pick each.
/// `starts` are the occurrences to list, `all` every occurrence of the quote.
fn occurrences_help(text: &str, starts: &[usize], all: &[usize], len: usize) -> String {
    let mut help = String::from(
        "say which one with `occurrence: N` or a `prefix:`/`suffix:`; the occurrences are:",
    );
    for &s in starts.iter().take(LISTED_OCCURRENCES) {
        let n = all.iter().position(|&x| x == s).map_or(0, |p| p + 1);
        let before = tail_words(&text[..s], 4);
        let after = head_words(&text[s + len..], 4);
        let mut pick = format!("`occurrence: {n}`");
        if let Some(selector) = unique_selector(text, all, s, len) {
            pick.push_str(&format!(" or {selector}"));
        }
        help.push_str(&format!(
            "\n{n}. …{before}[{}]{after}… ({pick})",
            &text[s..s + len]
        ));
    }
    if starts.len() > LISTED_OCCURRENCES {
        help.push_str(&format!(
            "\n… and {} more: a longer quote would pick one more easily",
            starts.len() - LISTED_OCCURRENCES
        ));
    }
    help
}

/// How many occurrences of an ambiguous quote its error lists.
const LISTED_OCCURRENCES: usize = 10;

/// The shortest `prefix:` (or else `suffix:`) of whole words that picks only
/// the occurrence at `start`.
fn unique_selector(text: &str, all: &[usize], start: usize, len: usize) -> Option<String> {
    for words in 1..=6 {
        let prefix = last_words(&text[..start], words);
        if !prefix.is_empty()
            && all
                .iter()
                .filter(|&&s| text[..s].trim_end().ends_with(prefix))
                .count()
                == 1
        {
            return Some(format!("`prefix: \"{prefix}\"`"));
        }
        let suffix = first_words(&text[start + len..], words);
        if !suffix.is_empty()
            && all
                .iter()
                .filter(|&&s| text[s + len..].trim_start().starts_with(suffix))
                .count()
                == 1
        {
            return Some(format!("`suffix: \"{suffix}\"`"));
        }
    }
    None
}

fn last_words(text: &str, n: usize) -> &str {
    let text = text.trim_end();
    let start = text
        .rmatch_indices(' ')
        .nth(n - 1)
        .map_or(0, |(i, _)| i + 1);
    &text[start..]
}

fn first_words(text: &str, n: usize) -> &str {
    let text = text.trim_start();
    let end = text
        .match_indices(' ')
        .nth(n - 1)
        .map_or(text.len(), |(i, _)| i);
    &text[..end]
}

fn tail_words(text: &str, n: usize) -> String {
    let words: Vec<&str> = text.split(' ').collect();
    let from = words.len().saturating_sub(n + 1);
    words[from..].join(" ")
}

fn head_words(text: &str, n: usize) -> String {
    text.split(' ').take(n + 1).collect::<Vec<_>>().join(" ")
}

/// Quotes longer than this (in bytes) are compared with their closest
/// passage word by word, not by edit distance, which grows with the square
/// of the length.
const LONG_QUOTE: usize = 1_000;

/// The passage of `text` closest to `quote`, with what differs marked.
fn closest_help(text: &str, quote: &str) -> String {
    let Some(passage) = closest_passage(text, quote) else {
        return "the article's text is empty".into();
    };
    if quote.len() > LONG_QUOTE {
        return long_quote_help(passage, quote);
    }
    let diff = similar::TextDiff::from_words(quote, passage);
    let mut marked = String::new();
    for change in diff.iter_all_changes() {
        let v = change.value();
        match change.tag() {
            similar::ChangeTag::Equal => marked.push_str(v),
            similar::ChangeTag::Delete => marked.push_str(&format!("[-{v}-]")),
            similar::ChangeTag::Insert => marked.push_str(&format!("{{+{v}+}}")),
        }
    }
    format!(
        "the closest passage in the article is:\n  {passage}\nwhat differs ([-quote only-] {{+article only+}}):\n  {marked}\ncopy the passage exactly as the article prints it"
    )
}

/// For a long quote: where the closest passage starts, and the first word
/// where the two part.
fn long_quote_help(passage: &str, quote: &str) -> String {
    let start = head_words(passage, 11);
    let mut help = format!("the closest passage in the article starts:\n  {start}…\n");
    let mut theirs = passage.split(' ');
    let first_difference = quote
        .split(' ')
        .enumerate()
        .find_map(|(i, word)| match theirs.next() {
            Some(other) if other == word => None,
            other => Some((i + 1, word, other)),
        });
    match first_difference {
        Some((n, word, Some(other))) => help.push_str(&format!(
            "the first difference is at word {n} of the quote: the quote has `{word}`, the article `{other}`\n"
        )),
        Some((n, word, None)) => help.push_str(&format!(
            "the passage ends before word {n} of the quote, `{word}`\n"
        )),
        None => {}
    }
    help.push_str("copy the passage exactly as the article prints it");
    help
}

/// The window of whole words of `text` most like `quote`.
pub fn closest_passage<'t>(text: &'t str, quote: &str) -> Option<&'t str> {
    let words: Vec<(usize, usize)> = word_spans(text);
    if words.is_empty() {
        return None;
    }
    let quote_words: HashSet<&str> = quote.split(' ').collect();
    let k = quote.split(' ').count().clamp(1, words.len());
    // First, the starts whose window of k words shares the most words with
    // the quote, counted as the window slides.
    let in_quote: Vec<bool> = words
        .iter()
        .map(|&(a, b)| quote_words.contains(&text[a..b]))
        .collect();
    let mut shared = in_quote[..k].iter().filter(|&&x| x).count();
    let mut scored = Vec::with_capacity(words.len() - k + 1);
    scored.push((shared, 0));
    for i in 1..=words.len() - k {
        shared = shared + usize::from(in_quote[i + k - 1]) - usize::from(in_quote[i - 1]);
        scored.push((shared, i));
    }
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    if quote.len() > LONG_QUOTE {
        let i = scored[0].1;
        return Some(&text[words[i].0..words[i + k - 1].1]);
    }
    // Then, among the best few, the window (of about the quote's length) with the smallest edit distance.
    let mut best: Option<(f64, usize, usize)> = None;
    for &(_, i) in scored.iter().take(5) {
        for len in k.saturating_sub(2).max(1)..=(k + 2) {
            let Some(last) = words.get(i + len - 1) else {
                break;
            };
            let candidate = &text[words[i].0..last.1];
            let score = strsim::normalized_levenshtein(candidate, quote);
            if best.is_none_or(|(b, _, _)| score > b) {
                best = Some((score, words[i].0, last.1));
            }
        }
    }
    best.map(|(_, a, b)| &text[a..b])
}

fn word_spans(text: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (c == ' ', start) {
            (true, Some(s)) => {
                spans.push((s, i));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = start {
        spans.push((s, text.len()));
    }
    spans
}

/// Warns about entries that are never mentioned nor referred to.
fn warn_unnamed_entries(model: &Model, anchors: &Anchors, diags: &mut Vec<Diagnostic>) {
    let mut named = vec![false; model.entries.len()];
    let found = anchors.mentions.iter().chain(&anchors.text_mentions);
    for f in found.flatten() {
        named[f.entry.index()] = true;
    }
    for c in &model.claims {
        c.by.iter()
            .chain(&c.about)
            .for_each(|&i| named[i.index()] = true);
    }
    for e in &model.events {
        e.actors.iter().for_each(|&i| named[i.index()] = true);
    }
    for e in &model.entries {
        e.member_of.iter().for_each(|&i| named[i.index()] = true);
    }
    for (e, named) in model.entries.iter().zip(named) {
        if !named {
            diags.push(
                Diagnostic::new(Code::UnusedEntry, &e.loc.file, e.loc.span, format!("`{}` is never mentioned nor referred to", e.id))
                    .with_help("add an alias that the texts use, refer to it from a claim or event, or remove it"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::Doc;
    use crate::model::Loc;
    use proptest::prelude::*;

    fn source(quote: &str) -> Source {
        Source {
            article: crate::model::ArticleId::new(0),
            quote: quote.into(),
            occurrence: None,
            prefix: None,
            suffix: None,
            note: None,
            loc: Loc::default(),
        }
    }

    fn find(body: &str, s: &Source) -> Result<String, Diagnostic> {
        let doc = Doc::parse(body, false);
        let norm = Normalized::new(&doc.text);
        let (a, b) = locate(&norm, s)?;
        let (x, y) = norm.original_range(a, b);
        Ok(doc.text[x..y].to_string())
    }

    #[test]
    fn quotes_cross_emphasis_links_and_paragraphs() {
        let body = "“Yeah, we *did*,” Trump said.\n\nThe [note](https://x.org) read: “Gustavo – A great honor”.";
        assert_eq!(
            find(body, &source("\"Yeah, we did,\" Trump said. The note read")).unwrap(),
            "“Yeah, we did,” Trump said.\nThe note read"
        );
        assert_eq!(
            find(body, &source("Gustavo - A great honor")).unwrap(),
            "Gustavo – A great honor"
        );
    }

    #[test]
    fn quotes_are_case_sensitive() {
        let e = find("Trump said so.", &source("trump said")).unwrap_err();
        assert_eq!(e.code, Code::QuoteNotFound);
        assert!(e.help.unwrap().contains("Trump said"));
    }

    #[test]
    fn repeated_quotes_need_a_selector() {
        let body = "Petro said yes. Later Petro said no.";
        let e = find(body, &source("Petro said")).unwrap_err();
        assert_eq!(e.code, Code::AmbiguousQuote);
        let help = e.help.as_deref().unwrap();
        assert!(
            help.contains(
                "1. …[Petro said] yes. Later Petro said… (`occurrence: 1` or `suffix: \"yes.\"`)"
            ),
            "{help}"
        );
        assert!(
            help.contains("(`occurrence: 2` or `prefix: \"Later\"`)"),
            "{help}"
        );
        let second = Source {
            occurrence: Some(2),
            ..source("Petro said")
        };
        assert_eq!(find(body, &second).unwrap(), "Petro said");
        let third = Source {
            occurrence: Some(3),
            ..source("Petro said")
        };
        assert_eq!(
            find(body, &third).unwrap_err().code,
            Code::OccurrenceOutOfRange
        );
        let by_prefix = Source {
            prefix: Some("Later".into()),
            ..source("Petro said")
        };
        let doc = Doc::parse(body, false);
        let norm = Normalized::new(&doc.text);
        assert_eq!(locate(&norm, &by_prefix).unwrap().0, 22);
        let by_suffix = Source {
            suffix: Some("yes".into()),
            ..source("Petro said")
        };
        assert_eq!(locate(&norm, &by_suffix).unwrap().0, 0);
    }

    #[test]
    fn the_closest_passage_is_shown_with_its_differences() {
        let text = "Asked whether the leaders had reached an understanding, Trump said they were working on the issue.";
        let passage = closest_passage(text, "Trump said they were working on it.").unwrap();
        assert!(
            passage.starts_with("Trump said they were working on the"),
            "{passage}"
        );
        let help = closest_help(text, "Trump said they were working on it.");
        assert!(help.contains("[-it.-]"), "{help}");
        assert!(help.contains("{+the+}"), "{help}");
    }

    proptest! {
        /// The anchor found for a quote always reads the quote, normalised.
        #[test]
        fn an_anchor_reads_its_quote(words in proptest::collection::vec("[A-Za-z’“”—]{1,6}", 3..30), a in 0usize..30, len in 1usize..6) {
            let body = words.join(" ");
            let a = a % words.len();
            let b = (a + len).min(words.len());
            let quote = words[a..b].join(" ");
            let doc = Doc::parse(&body, false);
            let norm = Normalized::new(&doc.text);
            if let Ok((s, e)) = locate(&norm, &Source { occurrence: Some(1), ..source(&quote) }) {
                let (x, y) = norm.original_range(s, e);
                prop_assert_eq!(normalize(&doc.text[x..y]), normalize(&quote));
            }
        }
    }
}
