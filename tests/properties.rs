//! Property tests on whole builds: for generated briefings — Markdown bodies
//! with emphasis, links, code, lists, quotes and HTML-like text; actors whose
//! names occur in the text; claims quoting passages of the articles — every
//! page written is well-formed HTML, every highlight reads its quote, and
//! the marks never change the text a reader sees.

mod common;

use std::fs;
use std::path::Path;

use briefing::{BuildOptions, Failure, build};
use common::{highlights, squeeze};
use proptest::prelude::*;
use scraper::{Html, Selector};

/// A YAML scalar holding exactly `text` (JSON strings are YAML).
fn y(text: &str) -> String {
    serde_json::to_string(text).unwrap()
}

/// One article body: words, Markdown and characters that need escaping.
fn body() -> impl Strategy<Value = String> {
    proptest::string::string_regex(
        "([A-Z][a-z]{1,7}|[a-z]{1,7}|\\*[a-z]{1,5}\\*|_[a-z]{1,5}_|\\[[a-z]{1,4}\\]\\(https://x\\.org/\\)|`[a-z<>&]{1,3}`|\n\n|\n\n- |\n\n> |\n\n## |[ ,.;:!?’“”&<>\"'—…]){1,120}",
    )
    .unwrap()
}

#[derive(Debug, Clone)]
struct Generated {
    bodies: Vec<String>,
    /// For each actor, the (article, word) of the text that is its name.
    actors: Vec<(usize, usize)>,
    /// For each claim, its sources: (article, start, length) in bytes of the body.
    claims: Vec<Vec<(usize, usize, usize)>>,
}

fn generated() -> impl Strategy<Value = Generated> {
    (
        proptest::collection::vec(body(), 1..4),
        proptest::collection::vec((0usize..4, 0usize..40), 0..4),
        proptest::collection::vec(
            proptest::collection::vec((0usize..4, 0usize..400, 1usize..40), 1..3),
            0..5,
        ),
    )
        .prop_map(|(bodies, actors, claims)| Generated {
            bodies,
            actors,
            claims,
        })
}

/// The slice of `text` nearest `start..start + len`, on character boundaries.
fn piece(text: &str, start: usize, len: usize) -> &str {
    let mut a = start.min(text.len());
    while !text.is_char_boundary(a) {
        a -= 1;
    }
    let mut b = (a + len).min(text.len());
    while !text.is_char_boundary(b) {
        b += 1;
    }
    &text[a..b]
}

/// Writes the briefing; returns each quote with its article and the anchor
/// of its highlight.
fn write(root: &Path, g: &Generated) -> Vec<(usize, String, String)> {
    let content = root.join("content");
    fs::create_dir_all(content.join("articles")).unwrap();
    fs::create_dir_all(content.join("annotations")).unwrap();
    fs::write(
        content.join("briefing.yaml"),
        "title: Generated\nbase_url: https://example.org/g/\n",
    )
    .unwrap();
    for (i, body) in g.bodies.iter().enumerate() {
        fs::write(
            content.join(format!("articles/a{i}.md")),
            format!("---\ntitle: Article {i}\noutlet: Outlet {i}\n---\n{body}\n"),
        )
        .unwrap();
    }
    let mut yaml = String::from("actors:\n");
    let mut names = Vec::new();
    for &(article, word) in &g.actors {
        let words: Vec<&str> = g.bodies[article % g.bodies.len()]
            .split(|c: char| !c.is_alphabetic())
            .filter(|w| w.len() > 2)
            .collect();
        if let Some(name) = words.get(word % words.len().max(1))
            && !names.contains(name)
        {
            yaml.push_str(&format!(
                "  - id: p{}\n    name: {}\n    kind: person\n",
                names.len(),
                y(name)
            ));
            names.push(name);
        }
    }
    if names.is_empty() {
        yaml.push_str("  []\n");
    }
    // Quotes are cut from the text as a reader sees it, and pinned to their
    // first occurrence.
    let texts: Vec<String> = g
        .bodies
        .iter()
        .map(|b| briefing::markdown::Doc::parse(b, false).text)
        .collect();
    yaml.push_str("claims:\n");
    let mut quotes = Vec::new();
    for (i, sources) in g.claims.iter().enumerate() {
        let sources: Vec<(usize, &str)> = sources
            .iter()
            .map(|&(article, start, len)| {
                let n = article % texts.len();
                (n, piece(&texts[n], start, len))
            })
            .filter(|(_, quote)| !quote.trim().is_empty())
            .collect();
        if sources.is_empty() {
            continue;
        }
        yaml.push_str(&format!(
            "  - id: c{i}\n    text: Claim {i}.\n    about: [p0]\n    sources:\n"
        ));
        for (k, (n, quote)) in sources.into_iter().enumerate() {
            yaml.push_str(&format!(
                "      - article: a{n}\n        quote: {}\n        occurrence: 1\n",
                y(quote)
            ));
            quotes.push((
                n,
                briefing::anchor::claim_anchor(&format!("c{i}"), k + 1),
                quote.to_string(),
            ));
        }
    }
    if quotes.is_empty() {
        yaml.push_str("  []\n");
    }
    fs::write(content.join("annotations/all.yaml"), yaml).unwrap();
    quotes
}

/// The text of the elements `selector` picks, without the margin notes
/// set beside the article's paragraphs.
fn text_of(html: &Html, selector: &str) -> String {
    let selector = Selector::parse(selector).unwrap();
    let mut text = String::new();
    for element in html.select(&selector) {
        for node in element.descendants() {
            let in_notes = node.ancestors().any(|a| {
                a.value().as_element().is_some_and(|e| {
                    e.has_class("margin-notes", scraper::CaseSensitivity::CaseSensitive)
                })
            });
            if let Some(t) = node.value().as_text()
                && !in_notes
            {
                text.push_str(t);
            }
        }
    }
    text
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn every_page_of_a_generated_briefing_is_well_formed_and_shows_its_article_unchanged(g in generated()) {
        let dir = tempfile::tempdir().unwrap();
        let quotes = write(dir.path(), &g);
        let output = dir.path().join("public");
        let options = BuildOptions {
            root: dir.path().to_path_buf(),
            output: Some(output.clone()),
            write: true,
            ..BuildOptions::default()
        };
        match build(&options) {
            Ok(_) => {}
            // Quotes cut at random may be ambiguous, empty or made of
            // Markdown syntax: those builds fail with errors, never a panic.
            Err(Failure::Content { diagnostics, .. }) => {
                prop_assert!(diagnostics.iter().any(|d| d.is_error()));
                return Ok(());
            }
            Err(Failure::Io(err) | Failure::Usage(err)) => panic!("{err:#}"),
        }
        let site = common::read_site(&output);
        for (path, bytes) in &site {
            if !path.ends_with(".html") {
                continue;
            }
            let html = Html::parse_document(std::str::from_utf8(bytes).unwrap());
            prop_assert!(html.errors.is_empty(), "{path} is not well-formed: {:?}", html.errors);
        }
        // The article as a reader sees it is the article without marks: the
        // same text as Markdown alone renders.
        for (i, body) in g.bodies.iter().enumerate() {
            let page = Html::parse_document(std::str::from_utf8(&site[&format!("articles/a{i}.html")]).unwrap());
            let shown = text_of(&page, ".article-body");
            let doc = briefing::markdown::Doc::parse(format!("{body}\n"), false);
            let plain = Html::parse_fragment(&briefing::markdown::render(&doc, &[], &[], ""));
            let plain: String = plain.root_element().text().collect();
            prop_assert_eq!(squeeze(&shown), squeeze(&plain));
        }
        // Every highlight reads its quote.
        for (article, anchor, quote) in &quotes {
            let found = highlights(std::str::from_utf8(&site[&format!("articles/a{article}.html")]).unwrap());
            prop_assert_eq!(found.get(anchor).map(|t| squeeze(t)), Some(squeeze(quote)), "{}", anchor);
        }
    }
}
