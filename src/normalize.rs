//! Quote normalisation (docs/format.md, "Quotes"), with a map back to the original text.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::canonical_combining_class;

/// A text normalised for quote matching, remembering for every byte where it
/// came from in the original.
#[derive(Debug, Clone, Default)]
pub struct Normalized {
    /// The normalised text.
    pub text: String,
    /// For each byte of `text`: the byte range of the original it came from.
    origin: Vec<(u32, u32)>,
}

impl Normalized {
    /// Normalises `original`, keeping the map back to it.
    pub fn new(original: &str) -> Normalized {
        let mut out = Normalized {
            text: String::with_capacity(original.len()),
            origin: Vec::with_capacity(original.len()),
        };
        let bytes = original.as_bytes();
        let mut pending_space: Option<(u32, u32)> = None;
        let mut at = 0;
        while at < bytes.len() {
            // Most text is runs of ASCII letters, digits and punctuation,
            // and single spaces between them, which NFC and folding leave
            // as they are: copied whole, but for a last character that a
            // combining mark may follow.
            let rest = &bytes[at..];
            let mut run = 0;
            while let Some(&b) = rest.get(run) {
                let single_space =
                    b == b' ' && run > 0 && rest.get(run + 1).is_some_and(u8::is_ascii_graphic);
                if !(b.is_ascii_graphic() || single_space) {
                    break;
                }
                run += 1;
            }
            if bytes.get(at + run).is_some_and(|b| !b.is_ascii()) {
                run = run.saturating_sub(1);
            }
            if run > 0 {
                if let Some(space) = pending_space.take() {
                    out.push(' ', space);
                }
                out.text.push_str(&original[at..at + run]);
                out.origin
                    .extend((at..at + run).map(|i| (i as u32, i as u32 + 1)));
                at += run;
                continue;
            }
            let end = cluster_end(original, at);
            out.push_cluster(original, at..end, &mut pending_space);
            at = end;
        }
        out
    }

    /// Normalises the character at `range` of `original` with its
    /// combining marks. A run of white space becomes one space, pending
    /// until a character follows.
    fn push_cluster(
        &mut self,
        original: &str,
        range: std::ops::Range<usize>,
        pending_space: &mut Option<(u32, u32)>,
    ) {
        let cluster = &original[range.clone()];
        let range = (range.start as u32, range.end as u32);
        if cluster.chars().all(char::is_whitespace) {
            if pending_space.is_none() && !self.text.is_empty() {
                *pending_space = Some(range);
            }
            return;
        }
        if let Some(space) = pending_space.take() {
            self.push(' ', space);
        }
        for c in cluster.nfc() {
            match fold(c) {
                Folded::One(f) => self.push(f, range),
                Folded::Ellipsis => "...".chars().for_each(|f| self.push(f, range)),
            }
        }
    }

    fn push(&mut self, c: char, range: (u32, u32)) {
        self.text.push(c);
        for _ in 0..c.len_utf8() {
            self.origin.push(range);
        }
    }

    /// The range of the original text that the normalised range `start..end` covers.
    pub fn original_range(&self, start: usize, end: usize) -> (usize, usize) {
        debug_assert!(start < end && end <= self.origin.len());
        (
            self.origin[start].0 as usize,
            self.origin[end - 1].1 as usize,
        )
    }

    /// Whether `start..end` begins and ends between characters of the
    /// original (not inside a letter and its accents, nor inside what one
    /// character was folded into).
    fn on_boundaries(&self, start: usize, end: usize) -> bool {
        (start == 0 || self.origin[start - 1] != self.origin[start])
            && (end == self.origin.len() || self.origin[end - 1] != self.origin[end])
    }

    /// Every start of `needle` in the text, overlapping ones included, that
    /// begins and ends where a character of the original does: "e" is not
    /// found in "é" written as e and a combining accent, nor "." in "…".
    pub fn find_all(&self, needle: &str) -> Vec<usize> {
        if needle.is_empty() {
            return Vec::new();
        }
        let mut found = find_overlapping(&self.text, needle);
        found.retain(|&at| self.on_boundaries(at, at + needle.len()));
        found
    }
}

/// Every start of `needle` in `text`, overlapping ones included: each search
/// resumes one character after the last start.
pub fn find_overlapping(text: &str, needle: &str) -> Vec<usize> {
    let finder = memchr::memmem::Finder::new(needle.as_bytes());
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(i) = text
        .as_bytes()
        .get(from..)
        .and_then(|rest| finder.find(rest))
    {
        let at = from + i;
        found.push(at);
        from = at + text[at..].chars().next().map_or(1, char::len_utf8);
    }
    found
}

/// Normalises a quote, prefix or suffix written in an annotation.
pub fn normalize(text: &str) -> String {
    Normalized::new(text).text
}

enum Folded {
    One(char),
    Ellipsis,
}

fn fold(c: char) -> Folded {
    Folded::One(match c {
        '\u{2019}' | '\u{2018}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '\'' => '\'',
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '"' => '"',
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2015}'
        | '\u{2212}' | '-' => '-',
        '\u{2026}' => return Folded::Ellipsis,
        other => other,
    })
}

/// Where the character at `start` ends together with the combining marks
/// that follow it: the unit NFC composes within.
fn cluster_end(text: &str, start: usize) -> usize {
    let mut chars = text[start..].char_indices();
    let mut end = chars.next().map_or(start, |(_, c)| start + c.len_utf8());
    for (i, c) in chars {
        if c.is_ascii() || canonical_combining_class(c) == 0 {
            break;
        }
        end = start + i + c.len_utf8();
    }
    end
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn folds_quotes_dashes_ellipses_and_space() {
        assert_eq!(
            normalize("  “Gustavo – A great honor…” he\u{a0}said,\n\n it’s  true "),
            "\"Gustavo - A great honor...\" he said, it's true"
        );
    }

    #[test]
    fn composes_to_nfc() {
        assert_eq!(normalize("Bogota\u{301}"), "Bogotá");
        assert_eq!(normalize("Bogotá"), "Bogotá");
    }

    #[test]
    fn maps_back_to_the_original() {
        let original = "He said:\n\n“Yeah, we did,”  Trump said.";
        let n = Normalized::new(original);
        let start = n.text.find("\"Yeah").unwrap();
        let end = start + "\"Yeah, we did,\"".len();
        let (a, b) = n.original_range(start, end);
        assert_eq!(&original[a..b], "“Yeah, we did,”");
    }

    #[test]
    fn finds_only_whole_characters() {
        let n = Normalized::new("&\u{73f} cafe\u{301} and so…");
        assert_eq!(n.find_all("&"), Vec::<usize>::new());
        assert_eq!(n.find_all("cafe"), Vec::<usize>::new());
        assert_eq!(n.find_all("café").len(), 1);
        assert_eq!(n.find_all("so."), Vec::<usize>::new());
        assert_eq!(n.find_all("so...").len(), 1);
    }

    #[test]
    fn finds_overlapping_occurrences() {
        let n = Normalized::new("aaa");
        assert_eq!(n.find_all("aa"), vec![0, 1]);
    }

    /// Normalises one character and its combining marks at a time, the
    /// plain way: what the fast path for ASCII runs must agree with.
    fn one_cluster_at_a_time(original: &str) -> Normalized {
        let mut out = Normalized::default();
        let mut pending_space = None;
        let mut at = 0;
        while at < original.len() {
            let end = cluster_end(original, at);
            out.push_cluster(original, at..end, &mut pending_space);
            at = end;
        }
        out
    }

    proptest! {
        #[test]
        fn ascii_runs_are_normalised_as_one_character_at_a_time(s in "([a-c'\"-]{0,4}[\u{301}\u{73f}]?|[’“” \n\t…–é]|[a-c] [a-c]?){0,30}") {
            let fast = Normalized::new(&s);
            let plain = one_cluster_at_a_time(&s);
            prop_assert_eq!(&fast.text, &plain.text);
            prop_assert_eq!(fast.origin, plain.origin);
        }

        #[test]
        fn normalising_is_idempotent(s in "\\PC{0,40}") {
            let once = normalize(&s);
            prop_assert_eq!(normalize(&once), once.clone());
        }

        #[test]
        fn every_normalised_range_maps_to_text_that_normalises_back(s in "([a-c]\u{301}?|[’“” \n…–]){1,30}") {
            let n = Normalized::new(&s);
            for start in 0..n.text.len() {
                for end in start + 1..=n.text.len() {
                    if !n.text.is_char_boundary(start) || !n.text.is_char_boundary(end) {
                        continue;
                    }
                    let piece = &n.text[start..end];
                    // A piece that splits a letter from its accent cannot map back exactly.
                    let splits_cluster = n.text[end..].chars().next().is_some_and(|c| canonical_combining_class(c) != 0)
                        || piece.chars().next().is_some_and(|c| canonical_combining_class(c) != 0);
                    if splits_cluster || piece.starts_with(' ') || piece.ends_with(' ') || piece.contains('.') {
                        continue;
                    }
                    let (a, b) = n.original_range(start, end);
                    prop_assert_eq!(normalize(&s[a..b]), piece);
                }
            }
        }
    }
}
