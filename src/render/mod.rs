//! Render: every page of SITE.md, from the model through the theme's templates.

pub mod pages;
pub mod text;
pub mod theme;

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde_json::json;

use crate::anchor::Anchors;
use crate::diagnostic::Diagnostic;
use crate::mentions::Matcher;
use crate::model::Model;
use pages::PageData;
use text::{MentionRecord, Shared};
use theme::Theme;

/// A finished file of the site.
pub struct Output {
    /// Its path from the site's root, with `/` separators.
    pub path: String,
    /// Its contents.
    pub bytes: Vec<u8>,
}

/// Renders every page and asset of the site, minified.
pub fn render(
    model: &Model,
    anchors: &Anchors,
    matcher: &Matcher,
    theme: &Theme,
) -> Result<Vec<Output>, Vec<Diagnostic>> {
    let backlinks = pages::Backlinks::new(model);
    let shared = Shared {
        model,
        anchors,
        matcher,
        backlinks: &backlinks,
    };
    let mut pages = page_data(&shared);
    // Glossary pages come last: they list the mentions the others hold.
    let mut by_entry: BTreeMap<usize, Vec<MentionRecord>> = BTreeMap::new();
    for record in pages.iter().flat_map(|p| p.records.iter()) {
        by_entry
            .entry(record.entry)
            .or_default()
            .push(record.clone());
    }
    let entries: Vec<PageData> = (0..model.entries.len())
        .into_par_iter()
        .map(|i| pages::entry(&shared, i, by_entry.get(&i).cloned().unwrap_or_default()))
        .collect();
    pages.extend(entries);
    let site = site_data(model, theme);
    let rendered: Vec<Result<Output, Diagnostic>> = pages
        .par_iter()
        .map(|page| render_page(theme, &site, page))
        .collect();
    let mut outputs = Vec::with_capacity(rendered.len() + theme.assets.len());
    let mut errors = Vec::new();
    for r in rendered {
        match r {
            Ok(o) => outputs.push(o),
            Err(d) => errors.push(d),
        }
    }
    if !errors.is_empty() {
        errors.dedup();
        return Err(errors);
    }
    outputs.extend(theme.assets.iter().map(|a| Output {
        path: a.published.clone(),
        bytes: a.bytes.clone(),
    }));
    Ok(outputs)
}

fn page_data(shared: &Shared) -> Vec<PageData> {
    let model = shared.model;
    let mut pages = vec![
        pages::index(shared),
        pages::articles_index(shared),
        pages::claims_index(shared),
        pages::glossary_index(shared),
        pages::timeline(shared),
        pages::coverage(shared),
        pages::not_found(shared),
    ];
    pages.par_extend(
        (0..model.articles.len())
            .into_par_iter()
            .map(|a| pages::article(shared, a)),
    );
    pages.par_extend(
        (0..model.claims.len())
            .into_par_iter()
            .map(|c| pages::claim(shared, c)),
    );
    pages
}

fn site_data(model: &Model, theme: &Theme) -> serde_json::Value {
    let assets: BTreeMap<&str, &str> = theme
        .assets
        .iter()
        .map(|a| (a.name.as_str(), a.published.as_str()))
        .collect();
    json!({
        "title": model.meta.title,
        "language": model.meta.language,
        "assets": assets,
        "css": assets.get("style.css"),
        "js": assets.get("briefing.js"),
        "has_timeline": !model.events.is_empty(),
    })
}

fn render_page(
    theme: &Theme,
    site: &serde_json::Value,
    page: &PageData,
) -> Result<Output, Diagnostic> {
    let root = if page.path.contains('/') { "../" } else { "" };
    let mut context = tera::Context::new();
    context.insert("site", site);
    context.insert("root", &root);
    context.insert("path", &page.path);
    context.insert("page", &page.data);
    context.insert("previews", &page.previews);
    let html = theme
        .tera
        .render(page.template, &context)
        .map_err(|err| theme::template_error(&err, &format!("rendering {} failed", page.path)))?;
    Ok(Output {
        path: page.path.clone(),
        bytes: minify(html.as_bytes()),
    })
}

/// Minifies a page with minify-html, keeping it valid HTML.
pub fn minify(html: &[u8]) -> Vec<u8> {
    let mut cfg = minify_html::Cfg::new();
    cfg.keep_html_and_head_opening_tags = true;
    cfg.keep_closing_tags = true;
    cfg.minify_css = true;
    cfg.minify_doctype = false;
    cfg.allow_noncompliant_unquoted_attribute_values = false;
    cfg.allow_removing_spaces_between_attributes = false;
    minify_html::minify(html, &cfg)
}
