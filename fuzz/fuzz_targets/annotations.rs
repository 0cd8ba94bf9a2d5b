//! An annotation file as anything at all, beside a fixed article: it is
//! parsed, checked and anchored, and its diagnostics shown, without a panic.

#![no_main]

use std::path::PathBuf;

use briefing::limits::Limits;
use briefing::mentions::Matcher;
use briefing::{anchor, load, resolve};
use libfuzzer_sys::fuzz_target;

const ARTICLE: &str = "---\ntitle: Trump and Petro meet\noutlet: Wire\npublished: 2026-02-03\n---\n\nU.S. President Donald Trump and Colombian President Gustavo Petro said on\nTuesday that they had a *cordial* meeting.\n\n“Yeah, we did,” Trump said. Petro said yes. Later Petro said no.\n";

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let briefing = (
        PathBuf::from("content/briefing.yaml"),
        "title: T\ntopics:\n  - id: meeting\n    title: The meeting\n".to_string(),
    );
    let article = (
        PathBuf::from("content/articles/wire.md"),
        ARTICLE.to_string(),
    );
    let annotations = (
        PathBuf::from("content/annotations/a.yaml"),
        text.to_string(),
    );
    let (loaded, mut diags) = load::parse(
        Some(briefing),
        vec![article],
        vec![annotations],
        &Limits::default(),
    );
    let (model, resolve_diags) = resolve::resolve(&loaded);
    diags.extend(resolve_diags);
    if let Some(model) = model
        && let Ok(matcher) = Matcher::new(&model.entries)
    {
        let (_, anchor_diags) = anchor::anchor(&model, &matcher);
        diags.extend(anchor_diags);
    }
    let _ = loaded.sources.render_all(&diags);
});
