//! Render: every page of SITE.md, from the model through the theme's templates.

pub mod pages;
pub mod text;
pub mod theme;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;
use serde_json::json;

use crate::anchor::Anchors;
use crate::diagnostic::Diagnostic;
use crate::mentions::Matcher;
use crate::model::Model;
use crate::progress::{Progress, Timings};
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

/// Pages rendered by an earlier build, by path: the fingerprint of what the
/// page was rendered from (its data, template name, the site's data and the
/// theme) and the result. A page with the same fingerprint is not rendered
/// again. Only `briefing serve` keeps one: a one-off build neither
/// fingerprints its pages nor keeps a copy of them.
#[derive(Default)]
pub struct Cache {
    pages: Mutex<HashMap<String, (blake3::Hash, Vec<u8>)>>,
    hits: AtomicUsize,
}

impl Cache {
    /// How many pages the last build took from the cache.
    pub fn hits(&self) -> usize {
        self.hits.load(Ordering::Relaxed)
    }

    fn get(&self, path: &str, fingerprint: &blake3::Hash) -> Option<Vec<u8>> {
        let pages = self.pages.lock().unwrap_or_else(|e| e.into_inner());
        match pages.get(path) {
            Some((f, bytes)) if f == fingerprint => {
                self.hits.fetch_add(1, Ordering::Relaxed);
                Some(bytes.clone())
            }
            _ => None,
        }
    }

    fn put(&self, path: &str, fingerprint: blake3::Hash, bytes: &[u8]) {
        let mut pages = self.pages.lock().unwrap_or_else(|e| e.into_inner());
        pages.insert(path.to_string(), (fingerprint, bytes.to_vec()));
    }

    /// Forgets the pages a build no longer has.
    fn keep_only(&self, paths: &HashSet<&str>) {
        let mut pages = self.pages.lock().unwrap_or_else(|e| e.into_inner());
        pages.retain(|path, _| paths.contains(path.as_str()));
    }
}

/// Renders every page and asset of the site, minified.
pub fn render(
    model: &Model,
    anchors: &Anchors,
    matcher: &Matcher,
    theme: &Theme,
    cache: Option<&Cache>,
    progress: Option<&Progress>,
    timings: &mut Timings,
) -> Result<Vec<Output>, Vec<Diagnostic>> {
    let stage = |name, len| progress.inspect(|p| p.stage(name, len));
    let step = || progress.inspect(|p| p.step());
    stage("preparing", None);
    let backlinks = pages::Backlinks::new(model);
    let shared = Shared {
        model,
        anchors,
        matcher,
        backlinks: &backlinks,
    };
    timings.lap("backlinks");
    let mut pages = page_data(&shared, timings);
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
    timings.lap("glossary pages' data");
    let site = site_data(model, theme);
    stage("rendering", Some(pages.len()));
    let rendered: Vec<Result<Output, Diagnostic>> = match cache {
        None => pages
            .par_iter()
            .map(|page| {
                step();
                render_page(theme, &site, page)
            })
            .collect(),
        Some(cache) => {
            cache.hits.store(0, Ordering::Relaxed);
            let context = Fingerprint::new(theme, &site);
            let rendered = pages
                .par_iter()
                .map(|page| {
                    step();
                    let fingerprint = context.of(page);
                    if let Some(bytes) = cache.get(&page.path, &fingerprint) {
                        return Ok(Output {
                            path: page.path.clone(),
                            bytes,
                        });
                    }
                    let output = render_page(theme, &site, page)?;
                    cache.put(&page.path, fingerprint, &output.bytes);
                    Ok(output)
                })
                .collect();
            cache.keep_only(&pages.iter().map(|p| p.path.as_str()).collect());
            rendered
        }
    };
    timings.lap("templates");
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

/// What every page's rendering depends on besides its own data: the theme's
/// files and the site's data, hashed once per build.
struct Fingerprint {
    shared: blake3::Hasher,
}

impl Fingerprint {
    fn new(theme: &Theme, site: &serde_json::Value) -> Fingerprint {
        let mut shared = blake3::Hasher::new();
        shared.update(theme.fingerprint.as_bytes());
        shared.update(site.to_string().as_bytes());
        Fingerprint { shared }
    }

    /// The fingerprint of one page: the shared part, its template, its data
    /// and its previews.
    fn of(&self, page: &PageData) -> blake3::Hash {
        let mut hasher = self.shared.clone();
        hasher.update(page.template.as_bytes());
        hasher.update(&[0]);
        hasher.update(page.data.to_string().as_bytes());
        hasher.update(&[0]);
        for preview in &page.previews {
            hasher.update(format!("{preview:?}").as_bytes());
        }
        hasher.finalize()
    }
}

fn page_data(shared: &Shared, timings: &mut Timings) -> Vec<PageData> {
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
    timings.lap("index pages' data");
    pages.par_extend(
        (0..model.articles.len())
            .into_par_iter()
            .map(|a| pages::article(shared, a)),
    );
    timings.lap("article pages' data");
    pages.par_extend(
        (0..model.claims.len())
            .into_par_iter()
            .map(|c| pages::claim(shared, c)),
    );
    timings.lap("claim pages' data");
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
