//! Any Markdown text and any quotes: each quote found reads the quote
//! (normalised), and highlighting the quotes and linking mentions never
//! changes the text a reader sees.

#![no_main]

use arbitrary::Arbitrary;
use briefing::markdown::{Doc, Mark, MarkKind, render};
use briefing::model::{Loc, Source};
use briefing::normalize::{Normalized, normalize};
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
struct Input {
    body: String,
    quotes: Vec<(String, Option<u8>)>,
    /// Mentions at arbitrary places: (start, length), in bytes of the text.
    mentions: Vec<(u16, u8)>,
}

/// The text of an HTML fragment as a browser shows it.
fn visible(html: &str) -> String {
    scraper::Html::parse_fragment(html)
        .root_element()
        .text()
        .collect()
}

fn at_boundary(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fuzz_target!(|input: Input| {
    let doc = Doc::parse(&input.body, false);
    let norm = Normalized::new(&doc.text);
    let mut marks = Vec::new();
    for (i, (quote, occurrence)) in input.quotes.iter().take(8).enumerate() {
        let source = Source {
            article: briefing::model::ArticleId::new(0),
            quote: quote.clone(),
            occurrence: occurrence.map(|n| usize::from(n).max(1)),
            prefix: None,
            suffix: None,
            note: None,
            loc: Loc::default(),
        };
        if let Ok((s, e)) = briefing::anchor::locate(&norm, &source) {
            let (x, y) = norm.original_range(s, e);
            assert_eq!(
                normalize(&doc.text[x..y]),
                normalize(quote),
                "the anchor does not read the quote"
            );
            marks.push(Mark {
                range: x..y,
                kind: MarkKind::Highlight {
                    anchor: format!("q-{i}"),
                    class: "hl".into(),
                    title: quote.clone(),
                    preview: "claims/c".into(),
                },
            });
        }
    }
    for (i, &(start, len)) in input.mentions.iter().take(8).enumerate() {
        let a = at_boundary(&doc.text, usize::from(start));
        let b = at_boundary(&doc.text, a + usize::from(len));
        if a < b {
            marks.push(Mark {
                range: a..b,
                kind: MarkKind::Mention {
                    href: "actors/x.html".into(),
                    anchor: format!("m-x-{i}"),
                    title: "X".into(),
                    preview: "actors/x".into(),
                },
            });
        }
    }
    marks.sort_by_key(|m| (m.range.start, std::cmp::Reverse(m.range.end)));
    let plain = render(&doc, &[], &[], "");
    let marked = render(&doc, &marks, &[], "");
    assert_eq!(
        visible(&marked),
        visible(&plain),
        "the marks changed the visible text"
    );
});
