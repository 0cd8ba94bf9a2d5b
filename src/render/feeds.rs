//! `feed.xml` (Atom 1.0: an entry per article and per claim) and
//! `sitemap.xml` (sitemaps.org 0.9: every page but the 404 page). Both need
//! absolute addresses, so they are written only when the briefing has a
//! `base_url`; without one the build warns and says how to enable them.

use std::fmt::Write as _;
use std::io::{self, Write};

use pulldown_cmark_escape::{FmtWriter, escape_html};

use super::text::words;
use crate::date::Date;
use crate::markdown::plain;
use crate::model::Model;

/// Text escaped for XML content and double-quoted attributes.
fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // Writing into a String cannot fail.
    let _ = escape_html(FmtWriter(&mut out), text);
    out
}

/// `sitemap.xml`: every page of the site under `base`.
pub fn sitemap(model: &Model, base: &str) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let mut url = |path: &str, date: Option<&Date>| {
        let _ = write!(out, "<url><loc>{}</loc>", xml(&format!("{base}{path}")));
        if let Some(date) = date {
            let _ = write!(out, "<lastmod>{}</lastmod>", date.timestamp());
        }
        out.push_str("</url>\n");
    };
    for (path, _) in super::INDEX_PAGES {
        if path != "404.html" {
            url(path, None);
        }
    }
    for article in &model.articles {
        url(
            &format!("articles/{}.html", article.id),
            article.published.as_ref(),
        );
    }
    for claim in &model.claims {
        url(&format!("claims/{}.html", claim.id), claim.date.as_ref());
    }
    for entry in &model.entries {
        url(&format!("{}.html", entry.key()), None);
    }
    out.push_str("</urlset>\n");
    out
}

/// `feed.xml`: an Atom entry per article and per claim. An entry is dated
/// with its own date, else the briefing's, else the latest article's; the
/// feed with the latest of its entries. Written to `out` entry by entry.
pub fn write_atom(model: &Model, base: &str, out: &mut dyn Write) -> io::Result<()> {
    let latest_article = model
        .articles
        .iter()
        .filter_map(|a| a.published.as_ref())
        .max();
    let fallback = model.meta.date.as_ref().or(latest_article);
    let stamp = |date: Option<&Date>| {
        date.or(fallback)
            .map_or_else(|| "1970-01-01T00:00:00Z".to_string(), Date::timestamp)
    };
    // Each entry's stamp, made once: the feed's own comes before them all.
    let article_stamps: Vec<String> = model
        .articles
        .iter()
        .map(|article| stamp(article.published.as_ref()))
        .collect();
    let claim_stamps: Vec<String> = model
        .claims
        .iter()
        .map(|claim| {
            let reported = claim
                .sources
                .iter()
                .filter_map(|s| model.articles[s.article].published.as_ref())
                .max();
            stamp(claim.date.as_ref().or(reported))
        })
        .collect();
    let updated = article_stamps
        .iter()
        .chain(&claim_stamps)
        .max()
        .map_or_else(|| stamp(None), String::clone);
    let authors: Vec<&str> = if model.meta.authors.is_empty() {
        vec![model.meta.title.as_str()]
    } else {
        model.meta.authors.iter().map(String::as_str).collect()
    };
    out.write_all("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n".as_bytes())?;
    write!(
        out,
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n<title>{}</title>\n<id>{}</id>\n<link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n<updated>{updated}</updated>\n",
        xml(&model.meta.language),
        xml(&model.meta.title),
        xml(&format!("{base}feed.xml")),
        xml(&format!("{base}feed.xml")),
        xml(&format!("{base}index.html")),
    )?;
    for author in authors {
        writeln!(out, "<author><name>{}</name></author>", xml(author))?;
    }
    if let Some(summary) = &model.meta.summary {
        writeln!(
            out,
            "<subtitle>{}</subtitle>",
            xml(&plain(&summary.doc.text))
        )?;
    }
    out.write_all("<generator>briefing</generator>\n".as_bytes())?;
    for (article, entry_updated) in model.articles.iter().zip(&article_stamps) {
        let href = format!("{base}articles/{}.html", article.id);
        let author = article.author.as_deref().unwrap_or(&article.outlet);
        writeln!(
            out,
            "<entry><title>{}</title><id>{}</id><link rel=\"alternate\" type=\"text/html\" href=\"{}\"/><updated>{}</updated><author><name>{}</name></author><category term=\"article\"/><summary>{}</summary></entry>",
            xml(&article.display_title()),
            xml(&href),
            xml(&href),
            entry_updated,
            xml(author),
            xml(&format!(
                "{}: {}",
                article.outlet,
                words(&article.doc.text, 40)
            )),
        )?;
    }
    for (claim, entry_updated) in model.claims.iter().zip(&claim_stamps) {
        let href = format!("{base}claims/{}.html", claim.id);
        let mut outlets: Vec<&str> = claim
            .sources
            .iter()
            .map(|s| model.articles[s.article].outlet.as_str())
            .collect();
        outlets.dedup();
        let by = claim.by.map_or(String::new(), |b| {
            format!(" Made by {}.", model.entries[b].name)
        });
        writeln!(
            out,
            "<entry><title>{}</title><id>{}</id><link rel=\"alternate\" type=\"text/html\" href=\"{}\"/><updated>{}</updated><category term=\"claim\"/><category term=\"{}\"/><summary>{}</summary></entry>",
            xml(&claim.label),
            xml(&href),
            xml(&href),
            entry_updated,
            claim.status.name(),
            xml(&format!(
                "Status: {}.{by} Reported by {}.",
                claim.status.name(),
                outlets.join(", ")
            )),
        )?;
    }
    out.write_all("</feed>\n".as_bytes())
}
