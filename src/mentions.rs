//! Mentions: every name and alias of every glossary entry, found in one pass
//! of aho-corasick over a text, whole words only, the longest match winning.

use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

use crate::markdown::Doc;
use crate::model::{Entry, EntryId};

/// A mention of a glossary entry in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// The range of the text it covers.
    pub range: Range<usize>,
    /// The entry.
    pub entry: EntryId,
}

/// Finds the mentions of every entry that links its mentions.
pub struct Matcher {
    automaton: Option<AhoCorasick>,
    /// For each pattern, the entry it names.
    owners: Vec<EntryId>,
}

impl Matcher {
    /// Builds one automaton over all names and aliases. It is a DFA where
    /// the glossary allows one (every page's text is searched, and the
    /// glossary is built once a build: it costs memory in proportion to
    /// the names, a few MB for thousands), else what aho-corasick finds
    /// best; the error, for a glossary past what any automaton can hold,
    /// says how many names it has.
    pub fn new(entries: &[Entry]) -> anyhow::Result<Matcher> {
        let mut patterns = Vec::new();
        let mut owners = Vec::new();
        for (i, e) in entries.iter().enumerate().filter(|(_, e)| e.link_mentions) {
            for alias in e.aliases.iter().filter(|a| !a.is_empty()) {
                patterns.push(alias.as_str());
                owners.push(EntryId::new(i));
            }
        }
        if patterns.is_empty() {
            return Ok(Matcher {
                automaton: None,
                owners,
            });
        }
        let build = |kind| {
            AhoCorasick::builder()
                .kind(kind)
                .match_kind(MatchKind::Standard)
                .build(&patterns)
        };
        let automaton = build(Some(AhoCorasickKind::DFA))
            .or_else(|_| build(None))
            .map_err(|err| {
                anyhow::anyhow!(
                    "the {} names and aliases of the glossary cannot be searched: {err}",
                    patterns.len()
                )
            })?;
        Ok(Matcher {
            automaton: Some(automaton),
            owners,
        })
    }

    /// The mentions in `text`: whole words, the longest winning where two
    /// overlap, in text order.
    pub fn find(&self, text: &str) -> Vec<Found> {
        let Some(ac) = &self.automaton else {
            return Vec::new();
        };
        let mut candidates: Vec<Found> = ac
            .find_overlapping_iter(text)
            .filter(|m| is_whole_word(text, m.start(), m.end()))
            .map(|m| Found {
                range: m.start()..m.end(),
                entry: self.owners[m.pattern().as_usize()],
            })
            .collect();
        // Longest first, then leftmost; keep each that overlaps none kept before.
        candidates.sort_by_key(|f| (std::cmp::Reverse(f.range.len()), f.range.start));
        // Most candidates are kept, and an article's are kept for the whole
        // build: room for all of them at once rather than grown by doubling.
        let mut kept: Vec<Found> = Vec::with_capacity(candidates.len());
        for c in candidates {
            let i = kept.partition_point(|k| k.range.start < c.range.start);
            let clear_before = i == 0 || kept[i - 1].range.end <= c.range.start;
            let clear_after = i == kept.len() || c.range.end <= kept[i].range.start;
            if clear_before && clear_after {
                kept.insert(i, c);
            }
        }
        kept
    }

    /// The mentions in a parsed Markdown text, leaving out link text and code.
    pub fn find_in_doc(&self, doc: &Doc) -> Vec<Found> {
        let mut found = self.find(&doc.text);
        found.retain(|f| {
            !doc.unlinkable
                .iter()
                .any(|u| u.start < f.range.end && f.range.start < u.end)
        });
        found
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn is_whole_word(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    let first = text[start..end].chars().next();
    let last = text[start..end].chars().next_back();
    // A boundary is needed only where the alias itself starts or ends with a word character.
    let starts_ok = !first.is_some_and(is_word_char) || !before.is_some_and(is_word_char);
    let ends_ok = !last.is_some_and(is_word_char) || !after.is_some_and(is_word_char);
    starts_ok && ends_ok
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ActorKind, EntryKind, Loc};

    fn entry(id: &str, aliases: &[&str]) -> Entry {
        Entry {
            id: id.into(),
            name: aliases[0].into(),
            kind: EntryKind::Actor(ActorKind::Person),
            role: None,
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
            member_of: vec![],
            summary: None,
            links: vec![],
            link_mentions: true,
            alias_spans: vec![Default::default(); aliases.len()],
            loc: Loc::default(),
        }
    }

    fn found(text: &str, entries: &[Entry]) -> Vec<(String, usize)> {
        Matcher::new(entries)
            .unwrap()
            .find(text)
            .into_iter()
            .map(|f| (text[f.range].to_string(), f.entry.index()))
            .collect()
    }

    #[test]
    fn whole_words_and_possessives() {
        let entries = [
            entry("colombia", &["Colombia"]),
            entry("petro", &["Petro", "Gustavo Petro"]),
        ];
        assert_eq!(
            found(
                "Colombian Gustavo Petro met Petro’s allies in Colombia.",
                &entries
            ),
            vec![
                ("Gustavo Petro".into(), 1),
                ("Petro".into(), 1),
                ("Colombia".into(), 0)
            ]
        );
    }

    #[test]
    fn the_longest_match_wins_where_two_overlap() {
        let entries = [
            entry(
                "petro",
                &["Gustavo Petro", "Colombian President Gustavo Petro"],
            ),
            entry("colombia", &["Colombian President"]),
        ];
        assert_eq!(
            found("Colombian President Gustavo Petro said", &entries),
            vec![("Colombian President Gustavo Petro".into(), 0)]
        );
    }

    #[test]
    fn case_sensitive() {
        let entries = [entry("caracol", &["Caracol"])];
        assert!(found("a caracol shell", &entries).is_empty());
    }

    #[test]
    fn link_text_is_not_linked_again() {
        let entries = [entry("petro", &["Petro"])];
        let doc = Doc::parse("[Petro](https://x.org) and Petro", true);
        let f = Matcher::new(&entries).unwrap().find_in_doc(&doc);
        assert_eq!(f.len(), 1);
        assert_eq!(&doc.text[f[0].range.clone()], "Petro");
        assert!(f[0].range.start > 5);
    }
}
