//! Snapshot tests: each page kind of the default briefing, reviewed as a diff
//! when the output changes (`cargo insta review`).

use std::path::PathBuf;

use briefing::{BuildOptions, build};

/// A minified page with a line break before each tag, so that a change shows
/// as a readable diff.
fn readable(html: &str) -> String {
    html.replace('<', "\n<").trim_start().to_string()
}

#[test]
fn every_page_kind_of_the_default_briefing() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let options = BuildOptions {
        root,
        output: Some(out.clone()),
        deny_warnings: true,
        write: true,
        progress: None,
        base_url: None,
        limits: Default::default(),
    };
    assert!(build(&options).is_ok(), "the default briefing builds");
    let pages = [
        ("index", "index.html"),
        ("article", "articles/unattributed-report.html"),
        ("articles-index", "articles/index.html"),
        ("claims-index", "claims/index.html"),
        ("claim", "claims/handwritten-note.html"),
        ("glossary-index", "actors/index.html"),
        ("actor", "actors/daniel-noboa.html"),
        ("term", "terms/forced-eradication.html"),
        ("timeline", "timeline/index.html"),
        ("coverage", "coverage/index.html"),
        ("not-found", "404.html"),
    ];
    for (name, path) in pages {
        let html = std::fs::read_to_string(out.join(path)).unwrap();
        insta::assert_snapshot!(name, readable(&html));
    }
}
