//! `briefing export`: the checked model as data for spreadsheets and
//! notebooks. JSON is one document; CSV is one file per table (claims with
//! one row per source, articles, actors, terms, events), since a CSV file
//! holds one table.
//!
//! Texts are exported as their visible text on one line (Markdown removed);
//! references are ids; each source carries its quote as written, the passage
//! the article prints there, and where that passage is (characters of the
//! article's normalised text, as in `annotations.jsonld`).

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde_json::{Value, json};

use crate::anchor::Anchors;
use crate::markdown::plain as one_line;
use crate::model::{EntryId, EntryKind, Model, Source, Text};

/// A Markdown text as its visible text on one line.
fn plain(text: &Text) -> String {
    one_line(&text.doc.text)
}

fn ids(model: &Model, entries: &[EntryId]) -> Vec<String> {
    entries
        .iter()
        .map(|&e| model.entries[e].id.clone())
        .collect()
}

/// One exported source.
struct SourceRow {
    article: String,
    quote: String,
    passage: Option<String>,
    start: Option<usize>,
    end: Option<usize>,
    note: Option<String>,
}

fn source_rows(
    model: &Model,
    sources: &[Source],
    found: &[Option<std::ops::Range<usize>>],
    positions: &[Option<std::ops::Range<usize>>],
) -> Vec<SourceRow> {
    sources
        .iter()
        .enumerate()
        .map(|(n, s)| {
            let article = &model.articles[s.article];
            let passage = found[n]
                .as_ref()
                .map(|r| one_line(&article.doc.text[r.clone()]));
            SourceRow {
                article: article.id.clone(),
                quote: s.quote.clone(),
                passage,
                start: positions[n].as_ref().map(|r| r.start),
                end: positions[n].as_ref().map(|r| r.end),
                note: s.note.as_ref().map(plain),
            }
        })
        .collect()
}

fn source_json(row: &SourceRow) -> Value {
    json!({
        "article": row.article,
        "quote": row.quote,
        "passage": row.passage,
        "start": row.start,
        "end": row.end,
        "note": row.note,
    })
}

/// The whole model as one JSON document.
pub fn json(model: &Model, anchors: &Anchors) -> Value {
    let meta = &model.meta;
    let articles: Vec<Value> = model
        .articles
        .iter()
        .map(|a| {
            json!({
                "id": a.id, "title": a.title, "title_supplied": a.title_supplied,
                "outlet": a.outlet, "author": a.author,
                "published": a.published.as_ref().map(|d| d.machine()),
                "url": a.url, "section": a.section, "language": a.language,
            })
        })
        .collect();
    let mut actors = Vec::new();
    let mut terms = Vec::new();
    for e in &model.entries {
        match e.kind {
            EntryKind::Actor(kind) => actors.push(json!({
                "id": e.id, "name": e.name, "kind": kind.name(), "role": e.role,
                "aliases": e.aliases.iter().filter(|a| **a != e.name).collect::<Vec<_>>(),
                "member_of": ids(model, &e.member_of),
                "summary": e.summary.as_ref().map(plain),
                "links": e.links.iter().map(|(t, u)| json!({"title": t, "url": u})).collect::<Vec<_>>(),
            })),
            EntryKind::Term => terms.push(json!({
                "id": e.id, "term": e.name,
                "aliases": e.aliases.iter().filter(|a| **a != e.name).collect::<Vec<_>>(),
                "definition": e.summary.as_ref().map(plain),
            })),
        }
    }
    let claims: Vec<Value> = model
        .claims
        .iter()
        .enumerate()
        .map(|(c, claim)| {
            let sources = source_rows(
                model,
                &claim.sources,
                &anchors.claim_quotes[c],
                &anchors.claim_positions[c],
            );
            json!({
                "id": claim.id,
                "text": plain(&claim.text),
                "by": claim.by.map(|b| model.entries[b].id.clone()),
                "about": ids(model, &claim.about),
                "topic": claim.topic.map(|t| model.topics[t].id.clone()),
                "date": claim.date.as_ref().map(|d| d.machine()),
                "status": claim.status.name(),
                "note": claim.note.as_ref().map(plain),
                "sources": sources.iter().map(source_json).collect::<Vec<_>>(),
                "related": claim.related.iter().map(|&(j, rel)| json!({"claim": model.claims[j].id, "relation": rel.forward()})).collect::<Vec<_>>(),
            })
        })
        .collect();
    let events: Vec<Value> = model
        .events
        .iter()
        .enumerate()
        .map(|(e, event)| {
            let sources = source_rows(
                model,
                &event.sources,
                &anchors.event_quotes[e],
                &anchors.event_positions[e],
            );
            json!({
                "id": event.id,
                "date": event.date.machine(),
                "title": plain(&event.title),
                "description": event.description.as_ref().map(plain),
                "actors": ids(model, &event.actors),
                "claims": event.claims.iter().map(|&c| model.claims[c].id.clone()).collect::<Vec<_>>(),
                "sources": sources.iter().map(source_json).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "briefing": {
            "title": meta.title,
            "summary": meta.summary.as_ref().map(plain),
            "date": meta.date.as_ref().map(|d| d.machine()),
            "language": meta.language,
            "base_url": meta.base_url,
            "authors": meta.authors,
            "topics": model.topics.iter().map(|t| json!({"id": t.id, "title": t.title})).collect::<Vec<_>>(),
        },
        "articles": articles,
        "actors": actors,
        "terms": terms,
        "claims": claims,
        "events": events,
    })
}

/// The CSV tables: `claims.csv` (a row per source of each claim),
/// `articles.csv`, `actors.csv`, `terms.csv`, `events.csv` (a row per event).
/// Lists within a cell are separated by `; `. Returns the files written.
pub fn csv(model: &Model, anchors: &Anchors, dir: &Path) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let mut written = Vec::new();
    let mut table = |name: &str, header: &[&str], rows: Vec<Vec<String>>| -> Result<()> {
        let path = dir.join(name);
        let mut out = ::csv::Writer::from_path(&path)
            .with_context(|| format!("creating {}", path.display()))?;
        out.write_record(header)?;
        for row in rows {
            out.write_record(&row)?;
        }
        out.flush()
            .with_context(|| format!("writing {}", path.display()))?;
        written.push(path);
        Ok(())
    };
    let opt = |v: Option<String>| v.unwrap_or_default();
    let list = |v: Vec<String>| v.join("; ");
    let mut rows = Vec::new();
    for (c, claim) in model.claims.iter().enumerate() {
        let sources = source_rows(
            model,
            &claim.sources,
            &anchors.claim_quotes[c],
            &anchors.claim_positions[c],
        );
        for (n, s) in sources.into_iter().enumerate() {
            rows.push(vec![
                claim.id.clone(),
                plain(&claim.text),
                claim.status.name().to_string(),
                opt(claim.by.map(|b| model.entries[b].id.clone())),
                list(ids(model, &claim.about)),
                opt(claim.topic.map(|t| model.topics[t].id.clone())),
                opt(claim.date.as_ref().map(|d| d.machine())),
                (n + 1).to_string(),
                s.article,
                model.articles[claim.sources[n].article].outlet.clone(),
                s.quote,
                opt(s.passage),
                opt(s.start.map(|x| x.to_string())),
                opt(s.end.map(|x| x.to_string())),
                opt(s.note),
                opt(claim.note.as_ref().map(plain)),
            ]);
        }
    }
    table(
        "claims.csv",
        &[
            "claim",
            "text",
            "status",
            "by",
            "about",
            "topic",
            "date",
            "source",
            "article",
            "outlet",
            "quote",
            "passage",
            "start",
            "end",
            "source_note",
            "note",
        ],
        rows,
    )?;
    let rows = model
        .articles
        .iter()
        .map(|a| {
            vec![
                a.id.clone(),
                a.title.clone(),
                a.outlet.clone(),
                opt(a.author.clone()),
                opt(a.published.as_ref().map(|d| d.machine())),
                opt(a.url.clone()),
            ]
        })
        .collect();
    table(
        "articles.csv",
        &["article", "title", "outlet", "author", "published", "url"],
        rows,
    )?;
    let mut actors = Vec::new();
    let mut terms = Vec::new();
    for e in &model.entries {
        let aliases = list(
            e.aliases
                .iter()
                .filter(|a| **a != e.name)
                .cloned()
                .collect(),
        );
        match e.kind {
            EntryKind::Actor(kind) => actors.push(vec![
                e.id.clone(),
                e.name.clone(),
                kind.name().to_string(),
                opt(e.role.clone()),
                aliases,
                list(ids(model, &e.member_of)),
                opt(e.summary.as_ref().map(plain)),
            ]),
            EntryKind::Term => terms.push(vec![
                e.id.clone(),
                e.name.clone(),
                aliases,
                opt(e.summary.as_ref().map(plain)),
            ]),
        }
    }
    table(
        "actors.csv",
        &[
            "actor",
            "name",
            "kind",
            "role",
            "aliases",
            "member_of",
            "summary",
        ],
        actors,
    )?;
    table(
        "terms.csv",
        &["term", "name", "aliases", "definition"],
        terms,
    )?;
    let rows = model
        .events
        .iter()
        .map(|e| {
            vec![
                e.id.clone(),
                e.date.machine(),
                plain(&e.title),
                opt(e.description.as_ref().map(plain)),
                list(ids(model, &e.actors)),
                list(
                    e.claims
                        .iter()
                        .map(|&c| model.claims[c].id.clone())
                        .collect(),
                ),
                list(
                    e.sources
                        .iter()
                        .map(|s| model.articles[s.article].id.clone())
                        .collect(),
                ),
            ]
        })
        .collect();
    table(
        "events.csv",
        &[
            "event",
            "date",
            "title",
            "description",
            "actors",
            "claims",
            "articles",
        ],
        rows,
    )?;
    Ok(written)
}
