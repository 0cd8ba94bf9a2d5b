//! A whole briefing, generated: articles, actors, claims quoting the
//! articles, events, with any text in every field. The build either
//! succeeds or reports errors; it never panics, and a site it writes has
//! no script but the theme's.

#![no_main]

use std::fs;
use std::path::Path;

use arbitrary::Arbitrary;
use briefing::{BuildOptions, Failure, build};
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
struct Briefing {
    title: String,
    articles: Vec<Article>,
    actors: Vec<Actor>,
    claims: Vec<Claim>,
    events: Vec<Event>,
}

#[derive(Arbitrary, Debug)]
struct Article {
    title: String,
    outlet: String,
    body: String,
}

#[derive(Arbitrary, Debug)]
struct Actor {
    name: String,
    aliases: Vec<String>,
}

#[derive(Arbitrary, Debug)]
struct Claim {
    text: String,
    by: u8,
    /// (article, start, length) of the quote, in bytes of the article's body.
    sources: Vec<(u8, u16, u8)>,
}

#[derive(Arbitrary, Debug)]
struct Event {
    title: String,
    day: u8,
}

/// A YAML scalar holding exactly `text`: JSON strings are YAML.
fn scalar(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_default()
}

fn piece(text: &str, start: u16, len: u8) -> &str {
    let mut a = usize::from(start).min(text.len());
    while !text.is_char_boundary(a) {
        a -= 1;
    }
    let mut b = (a + usize::from(len)).min(text.len());
    while !text.is_char_boundary(b) {
        b -= 1;
    }
    &text[a..b]
}

fn write(root: &Path, b: &Briefing) -> std::io::Result<()> {
    let content = root.join("content");
    fs::create_dir_all(content.join("articles"))?;
    fs::create_dir_all(content.join("annotations"))?;
    fs::write(
        content.join("briefing.yaml"),
        format!(
            "title: {}\nbase_url: https://example.org/b/\n",
            scalar(&b.title)
        ),
    )?;
    let articles: Vec<&Article> = b.articles.iter().take(4).collect();
    for (i, a) in articles.iter().enumerate() {
        fs::write(
            content.join(format!("articles/a{i}.md")),
            format!(
                "---\ntitle: {}\noutlet: {}\n---\n{}",
                scalar(&a.title),
                scalar(&a.outlet),
                a.body
            ),
        )?;
    }
    let mut yaml = String::from("actors:\n");
    let actors = b.actors.len().min(6);
    for (i, actor) in b.actors.iter().take(actors).enumerate() {
        let aliases: Vec<String> = actor.aliases.iter().take(4).map(|a| scalar(a)).collect();
        yaml.push_str(&format!(
            "  - id: p{i}\n    name: {}\n    kind: person\n    aliases: [{}]\n",
            scalar(&actor.name),
            aliases.join(", ")
        ));
    }
    yaml.push_str("claims:\n");
    for (i, claim) in b.claims.iter().take(8).enumerate() {
        yaml.push_str(&format!(
            "  - id: c{i}\n    text: {}\n",
            scalar(&claim.text)
        ));
        if actors > 0 {
            yaml.push_str(&format!("    by: p{}\n", usize::from(claim.by) % actors));
        }
        yaml.push_str("    sources:\n");
        for &(article, start, len) in claim.sources.iter().take(3) {
            if articles.is_empty() {
                break;
            }
            let n = usize::from(article) % articles.len();
            yaml.push_str(&format!(
                "      - article: a{n}\n        quote: {}\n",
                scalar(piece(&articles[n].body, start, len))
            ));
        }
    }
    yaml.push_str("events:\n");
    for (i, event) in b.events.iter().take(4).enumerate() {
        yaml.push_str(&format!(
            "  - id: e{i}\n    date: 2026-01-{:02}\n    title: {}\n",
            usize::from(event.day) % 28 + 1,
            scalar(&event.title)
        ));
    }
    fs::write(content.join("annotations/all.yaml"), yaml)
}

fuzz_target!(|b: Briefing| {
    let Ok(dir) = tempfile::tempdir() else {
        return;
    };
    if write(dir.path(), &b).is_err() {
        return;
    }
    let output = dir.path().join("public");
    let options = BuildOptions {
        root: dir.path().to_path_buf(),
        output: Some(output.clone()),
        write: true,
        ..BuildOptions::default()
    };
    match build(&options) {
        Ok(_) => {
            for entry in walk(&output) {
                let Ok(html) = fs::read_to_string(&entry) else {
                    continue;
                };
                let page = scraper::Html::parse_document(&html);
                let scripts = scraper::Selector::parse("script").unwrap_or_else(|_| unreachable!());
                for script in page.select(&scripts) {
                    let kind = script.value().attr("type").unwrap_or("");
                    let src = script.value().attr("src").unwrap_or("");
                    assert!(
                        kind == "application/ld+json" || src.contains("briefing."),
                        "{}: a script that is not the theme's: {}",
                        entry.display(),
                        script.html()
                    );
                }
            }
        }
        Err(Failure::Content {
            diagnostics,
            sources,
        }) => {
            let _ = sources.render_all(&diagnostics);
        }
        Err(Failure::Io(err) | Failure::Usage(err)) => panic!("{err:#}"),
    }
});

/// The HTML files under `dir`.
fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "html") {
                files.push(path);
            }
        }
    }
    files
}
