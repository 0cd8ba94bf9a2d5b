//! Script injection: every text field of every kind holds HTML, script and
//! template payloads. The site must show them as text and run none of them.

use std::fs;
use std::path::Path;

use briefing::{BuildOptions, Failure, build};
use scraper::{Html, Selector};

/// One string carrying every payload: markup that would run script, markup
/// that would end the element it is in, and template syntax.
const PAYLOAD: &str = concat!(
    "Pay<script>alert(1)</script>",
    "\"><img src=x onerror=alert(2)>",
    "'><svg onload=alert(3)>",
    "</style></title></textarea></script><script>alert(4)</script>",
    "<a href=\"javascript:alert(5)\">link</a>",
    "{{ site.title }}{% if true %}EVAL{% endif %}{# hidden #}",
    "&amp; &lt;b&gt; ]]> -->load"
);

/// The template syntax of the payload, which must reach the reader as typed.
const TEMPLATE_SYNTAX: &str = "{{ site.title }}{% if true %}EVAL{% endif %}{# hidden #}";

/// A YAML double-quoted scalar holding `text` (JSON's string syntax is YAML's).
fn y(text: &str) -> String {
    serde_json::to_string(text).unwrap()
}

fn write(path: &Path, text: &str) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

/// A briefing whose every text field holds the payload.
fn hostile_briefing(root: &Path) {
    let p = y(PAYLOAD);
    let t = y(&format!("{PAYLOAD} (term)"));
    write(
        &root.join("content/briefing.yaml"),
        &format!(
            "title: {p}\nsummary: {p}\ndate: 2026-01-02\nbase_url: https://example.org/b/\nauthors: [{p}]\ntopics:\n  - id: topic-one\n    title: {p}\n    summary: {p}\n"
        ),
    );
    // The body holds the payload as Markdown text, in a heading, a list, a
    // quote, emphasis, code and a link's text, and as raw HTML blocks.
    let body = format!(
        "{PAYLOAD}\n\n# {PAYLOAD}\n\n- {PAYLOAD}\n\n> {PAYLOAD}\n\n*{PAYLOAD}* `{PAYLOAD}`\n\n[{PAYLOAD}](https://example.org/x)\n\n<script>alert(6)</script>\n\n<img src=x onerror=alert(7)>\n\nThe Actor Payload said the claim text here. A [plain link](https://example.org/y).\n"
    );
    write(
        &root.join("content/articles/hostile.md"),
        &format!(
            "---\ntitle: {p}\noutlet: {p}\nauthor: {p}\npublished: 2026-01-01\nurl: https://example.org/a?q=\"><script>alert(8)</script>\nsection: {p}\nnote: {p}\n---\n\n{body}"
        ),
    );
    write(
        &root.join("content/annotations/all.yaml"),
        &format!(
            r#"actors:
  - id: actor-one
    name: {p}
    kind: person
    role: {p}
    aliases: [Actor Payload]
    summary: {p}
    links:
      - title: {p}
        url: https://example.org/"><script>alert(9)</script>
terms:
  - id: term-one
    term: {t}
    definition: {p}
claims:
  - id: claim-one
    text: {p}
    by: actor-one
    topic: topic-one
    status: disputed
    note: {p}
    sources:
      - article: hostile
        quote: {p}
        note: {p}
      - article: hostile
        quote: the claim text here
events:
  - id: event-one
    date: 2026-01-01
    title: {p}
    description: {p}
    actors: [actor-one]
    claims: [claim-one]
    sources:
      - article: hostile
        quote: The Actor Payload said
"#
        ),
    );
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

fn build_site(root: &Path, out: &Path) {
    let result = build(&BuildOptions {
        root: root.to_path_buf(),
        output: Some(out.to_path_buf()),
        deny_warnings: false,
        write: true,
        progress: None,
        base_url: None,
        limits: Default::default(),
    });
    if let Err(Failure::Content {
        diagnostics,
        sources,
    }) = &result
    {
        panic!("{}", sources.render_all(diagnostics));
    }
    result.unwrap();
}

/// Checks one page: no script but the theme's and JSON-LD, no event
/// handler, no `javascript:` address, no element the theme does not write,
/// and well-formed: html5ever reports no parse error.
fn assert_inert(path: &str, html: &str) {
    let doc = Html::parse_document(html);
    assert!(
        doc.errors.is_empty(),
        "{path} is not well-formed: {:?}",
        doc.errors
    );
    for script in doc.select(&sel("script")) {
        let el = script.value();
        match (el.attr("src"), el.attr("type")) {
            (Some(src), None) => assert!(
                src.starts_with("../briefing.") || src.starts_with("briefing."),
                "{path}: a script from {src}"
            ),
            (None, Some("application/ld+json")) => {
                let text: String = script.text().collect();
                serde_json::from_str::<serde_json::Value>(&text)
                    .unwrap_or_else(|e| panic!("{path}: JSON-LD that is not JSON ({e}): {text}"));
            }
            _ => panic!(
                "{path}: a script the theme did not write: {}",
                script.html()
            ),
        }
    }
    for tag in [
        "img", "svg", "iframe", "object", "embed", "style", "textarea",
    ] {
        assert!(
            doc.select(&sel(tag)).next().is_none(),
            "{path}: a <{tag}> element came from the content"
        );
    }
    for el in doc.select(&sel("*")) {
        for (name, value) in el.value().attrs() {
            assert!(
                !name.starts_with("on"),
                "{path}: an event handler {name}={value}"
            );
            let value = value.trim().to_ascii_lowercase();
            if matches!(name, "href" | "src" | "action" | "formaction" | "data-href") {
                assert!(
                    !value.starts_with("javascript:") && !value.starts_with("data:"),
                    "{path}: {name}={value}"
                );
            }
        }
    }
}

#[test]
fn payloads_in_every_field_are_shown_as_text_and_never_run() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("briefing");
    hostile_briefing(&root);
    let out = dir.path().join("public");
    build_site(&root, &out);

    let mut pages = 0;
    for entry in walkdir::WalkDir::new(&out).into_iter().flatten() {
        let path = entry.path();
        let name = path
            .strip_prefix(&out)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        if name.ends_with(".html") {
            pages += 1;
            assert_inert(&name, &fs::read_to_string(path).unwrap());
        }
    }
    assert!(pages >= 10, "{pages} pages");

    // The payload reaches the reader as the characters typed: in the
    // article's title, the claim's text, the entry's name and the template
    // syntax unevaluated.
    let text_of = |page: &str, selector: &str| -> String {
        let html = fs::read_to_string(out.join(page)).unwrap();
        let doc = Html::parse_document(&html);
        doc.select(&sel(selector))
            .next()
            .unwrap_or_else(|| panic!("{page}: nothing matches {selector}"))
            .text()
            .collect()
    };
    for (page, selector) in [
        ("articles/hostile.html", "h1"),
        ("claims/claim-one.html", "h1"),
        ("actors/actor-one.html", "h1"),
        ("terms/term-one.html", "h1"),
    ] {
        // Markdown fields decode entities (`&amp;` is `&`), as Markdown does.
        let shown = text_of(page, selector);
        let typed = &PAYLOAD[..PAYLOAD.find("&amp;").unwrap()];
        assert!(shown.contains(typed), "{page} {selector} shows {shown:?}");
    }
    let article = text_of("articles/hostile.html", "main");
    assert!(
        article.contains("<script>alert(6)</script>"),
        "raw HTML is text"
    );
    assert!(article.contains(TEMPLATE_SYNTAX), "template syntax is text");

    // The highlight of the quote that is the payload reads the payload.
    let html = fs::read_to_string(out.join("articles/hostile.html")).unwrap();
    let doc = Html::parse_document(&html);
    let marked: String = doc
        .select(&sel("[data-quote=\"q-claim-one-1\"]"))
        .flat_map(|m| m.text())
        .collect();
    assert_eq!(marked, PAYLOAD);

    // The machine-readable files parse, and carry the payload as data.
    let annotations = fs::read_to_string(out.join("annotations.jsonld")).unwrap();
    let json: serde_json::Value = serde_json::from_str(&annotations).unwrap();
    assert!(
        json.to_string()
            .contains(&serde_json::to_string(PAYLOAD).unwrap()[1..20])
    );
    for xml in ["feed.xml", "sitemap.xml"] {
        let text = fs::read_to_string(out.join(xml)).unwrap();
        let parsed = roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{xml}: {e}"));
        if xml == "feed.xml" {
            let titles: Vec<&str> = parsed
                .descendants()
                .filter(|n| n.has_tag_name("title"))
                .filter_map(|n| n.text())
                .collect();
            assert!(titles.iter().any(|t| t.contains(PAYLOAD)), "{titles:?}");
        }
    }
}

#[test]
fn addresses_that_would_run_script_are_refused_with_an_error() {
    for (file, from, to) in [
        (
            "content/articles/hostile.md",
            "url: https://example.org/a?q=",
            "url: javascript:alert(1)//",
        ),
        (
            "content/annotations/all.yaml",
            "url: https://example.org/\"><script>alert(9)</script>",
            "url: \"javascript:alert(1)\"",
        ),
        (
            "content/briefing.yaml",
            "base_url: https://example.org/b/",
            "base_url: \"data:text/html,<script>alert(1)</script>\"",
        ),
        (
            "content/articles/hostile.md",
            "(https://example.org/y)",
            "(javascript:alert(1))",
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("briefing");
        hostile_briefing(&root);
        let path = root.join(file);
        let text = fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{file} lacks {from}");
        fs::write(&path, text.replacen(from, to, 1)).unwrap();
        let out = dir.path().join("public");
        let result = build(&BuildOptions {
            root: root.clone(),
            output: Some(out),
            deny_warnings: false,
            write: true,
            progress: None,
            base_url: None,
            limits: Default::default(),
        });
        match result {
            Err(Failure::Content { diagnostics, .. }) => {
                assert!(
                    diagnostics.iter().any(
                        |d| d.is_error() && d.file.to_string_lossy().replace('\\', "/") == file
                    ),
                    "{to}: {diagnostics:?}"
                );
            }
            Err(Failure::Io(e) | Failure::Usage(e)) => panic!("{to}: {e:#}"),
            Ok(_) => panic!("{to} was built"),
        }
    }
}
