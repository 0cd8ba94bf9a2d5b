//! An article file — front matter and Markdown — as anything at all: it is
//! parsed, checked, rendered, and its diagnostics shown, without a panic.

#![no_main]

use std::path::PathBuf;

use briefing::limits::Limits;
use briefing::{load, markdown, resolve};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let briefing = (
        PathBuf::from("content/briefing.yaml"),
        "title: T\n".to_string(),
    );
    let article = (PathBuf::from("content/articles/a.md"), text.to_string());
    let (loaded, mut diags) =
        load::parse(Some(briefing), vec![article], vec![], &Limits::default());
    for article in &loaded.articles {
        let doc = markdown::Doc::parse(article.body.clone(), false);
        let html = markdown::render(&doc, &[], &[], "");
        // Everything the body shows is in its text, and the text is no longer than the body.
        assert!(doc.text.len() <= article.body.len() + doc.text.matches('\n').count() + 1);
        let _ = html;
    }
    let (_, resolve_diags) = resolve::resolve(&loaded);
    diags.extend(resolve_diags);
    let _ = loaded.sources.render_all(&diags);
});
