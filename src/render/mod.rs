//! Render: every page of docs/site.md, from the model through the theme's templates.

pub mod annotations;
pub mod backlinks;
pub mod feeds;
pub mod meta;
pub mod pages;
pub mod text;
pub mod theme;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{self, Write};
use std::ops::Range;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;
use serde_json::json;

use crate::anchor::Anchors;
use crate::diagnostic::Diagnostic;
use crate::model::{ArticleId, ClaimId, EntryId, Model};
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
    fn keep_only(&self, paths: &HashSet<String>) {
        let mut pages = self.pages.lock().unwrap_or_else(|e| e.into_inner());
        pages.retain(|path, _| paths.contains(path));
    }
}

/// Where the finished files of a build go, from any thread.
pub trait Files: Sync {
    /// Takes a finished file.
    fn put(&self, file: Output);
    /// Takes the file at `path` as `write` makes it: straight into the site
    /// when it is written to disk, so that a large file is never whole in
    /// memory; made in memory and [`Files::put`] otherwise.
    fn put_with(&self, path: &str, write: &mut dyn FnMut(&mut dyn Write) -> io::Result<()>);
}

/// Renders every page and asset of the site, minified, handing each to
/// `emit` as soon as it is ready (from any thread): a page's data is dropped
/// once it is rendered, so a build holds only the pages being rendered, not
/// the whole site. Returns how many pages were rendered, or the template
/// errors.
#[allow(clippy::too_many_arguments)]
pub fn render<'m>(
    model: &'m Model,
    anchors: &'m Anchors,
    theme: &Theme,
    cache: Option<&Cache>,
    progress: Option<&Progress>,
    timings: &mut Timings,
    emit: &dyn Files,
) -> Result<usize, Vec<Diagnostic>> {
    let shared = Shared {
        model,
        anchors,
        backlinks: backlinks::Backlinks::new(model),
        fingerprints: cache.is_some(),
        entry_keys: model.entries.iter().map(|e| e.key()).collect(),
    };
    timings.lap("backlinks");
    let site = site_data(model, theme);
    let total = INDEX_PAGES.len() + model.articles.len() + model.claims.len() + model.entries.len();
    if let Some(p) = progress {
        p.stage("rendering", Some(total));
    }
    let fingerprint = cache.map(|cache| {
        cache.hits.store(0, Ordering::Relaxed);
        Fingerprint::new(theme, &site)
    });
    // Converted to Tera's values once; each page's context shares them.
    let site = tera::Value::from_serializable(&site);
    let errors = Mutex::new(Vec::new());
    let sizes = Sizes::default();
    // The pages of this build, for the cache to forget the others.
    let seen = Mutex::new(HashSet::new());
    // Hands a finished page on, or keeps its error.
    let deliver = |output: Result<Output, Diagnostic>| {
        match output {
            Ok(output) => emit.put(output),
            Err(d) => errors.lock().unwrap_or_else(|e| e.into_inner()).push(d),
        }
        if let Some(p) = progress {
            p.step();
        }
    };
    // Renders one page, hands it on, and keeps only its mention records.
    let finish = |page: PageData<'m>| -> Vec<MentionRecord<'m>> {
        let output = match (cache, &fingerprint) {
            (Some(cache), Some(context)) => {
                let fingerprint = context.of(&page);
                seen.lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .insert(page.path.clone());
                match cache.get(&page.path, &fingerprint) {
                    Some(bytes) => Ok(Output {
                        path: page.path.clone(),
                        bytes,
                    }),
                    None => render_page(theme, &site, &sizes, &page).inspect(|output| {
                        cache.put(&page.path, fingerprint, &output.bytes);
                    }),
                }
            }
            _ => render_page(theme, &site, &sizes, &page),
        };
        deliver(output);
        page.records
    };
    let shared = &shared;
    // A page of many rows is rendered a row at a time where the theme
    // allows, but for `serve`, whose cache fingerprints a page's data.
    let make = |make: &Make| -> Vec<MentionRecord<'m>> {
        match *make {
            Make::Data(make) => finish(make(shared)),
            Make::Rows(make, template) => {
                if let (None, Some(frame)) = (cache, theme.frames.get(template)) {
                    let mut rows = Stream::new(&theme.tera, frame.spec);
                    let page = make(shared, &mut rows);
                    if let Some(bytes) = rows.finish(&frame.template, &page_context(&site, &page)) {
                        deliver(Ok(Output {
                            path: page.path.clone(),
                            bytes,
                        }));
                        return page.records;
                    }
                }
                finish(make(shared, &mut pages::Collect::default()))
            }
        }
    };
    // The pages that list the whole briefing are large: they are rendered
    // one after the other, beside the articles and claims, so that no two
    // of them are in memory at once. The files that are not pages come
    // first, each handed on as soon as it is made (a failed build discards
    // them with the pages): made at the start, when the pages' mention
    // records are few, they take room the checked YAML has left, rather
    // than adding to the glossary pages' peak.
    let (index_records, records): (Vec<_>, Vec<_>) = rayon::join(
        || {
            data_files(model, anchors, emit);
            INDEX_PAGES.iter().map(|(_, m)| make(m)).collect()
        },
        || {
            (0..model.articles.len())
                .into_par_iter()
                .map(|a| finish(pages::article(shared, ArticleId::new(a))))
                .chain(
                    (0..model.claims.len())
                        .into_par_iter()
                        .map(|c| finish(pages::claim(shared, ClaimId::new(c)))),
                )
                .collect()
        },
    );
    timings.lap("pages");
    // Glossary pages come last: they list the mentions the others hold.
    // Each entry's list is made as long as its mentions at once: at 10,000
    // articles there are some 400,000 records, and lists grown by doubling
    // would copy them again and leave a quarter of their room unused.
    let mut counts = vec![0usize; model.entries.len()];
    for record in index_records.iter().chain(&records).flatten() {
        if let Some(count) = counts.get_mut(record.entry.index()) {
            *count += 1;
        }
    }
    let mut by_entry: Vec<Vec<MentionRecord>> =
        counts.into_iter().map(Vec::with_capacity).collect();
    for record in index_records.into_iter().chain(records).flatten() {
        if let Some(list) = by_entry.get_mut(record.entry.index()) {
            list.push(record);
        }
    }
    by_entry
        .into_par_iter()
        .enumerate()
        .for_each(|(i, mentions)| {
            finish(pages::entry(shared, EntryId::new(i), mentions));
        });
    timings.lap("glossary pages");
    if let Some(cache) = cache {
        cache.keep_only(&seen.into_inner().unwrap_or_else(|e| e.into_inner()));
    }
    let mut errors = errors.into_inner().unwrap_or_else(|e| e.into_inner());
    if !errors.is_empty() {
        errors.sort_by(|a, b| a.message.cmp(&b.message));
        errors.dedup();
        return Err(errors);
    }
    for asset in &theme.assets {
        emit.put(Output {
            path: asset.published.clone(),
            bytes: asset.bytes.clone(),
        });
    }
    // Every page was rendered: an error would have returned above.
    Ok(total)
}

/// The files of the site that are data, not pages: the Web Annotations,
/// and with an address for the site, its feed and sitemap. The two large
/// ones are written as they are made; each is done before the next.
fn data_files(model: &Model, anchors: &Anchors, emit: &dyn Files) {
    emit.put_with(annotations::PATH, &mut |out| {
        annotations::write_to(model, anchors, out)
    });
    if let Some(base) = &model.meta.base_url {
        emit.put_with("feed.xml", &mut |out| feeds::write_atom(model, base, out));
        emit.put(Output {
            path: "sitemap.xml".into(),
            bytes: feeds::sitemap(model, base).into_bytes(),
        });
    }
}

/// What makes the data of a page that is not one per article, claim or entry.
type MakePage = for<'m> fn(&Shared<'m>) -> PageData<'m>;

/// What makes a page of many rows, handing each row to a [`pages::Rows`].
type MakeRowsPage = for<'m> fn(&Shared<'m>, &mut dyn pages::Rows) -> PageData<'m>;

/// How a page that is not one per article, claim or entry is made.
enum Make {
    /// From its data.
    Data(MakePage),
    /// Row by row, with its template's name (see [`theme::ROW_LOOPS`]).
    Rows(MakeRowsPage, &'static str),
}

/// The pages that are not one per article, claim or entry, each with its
/// path, which the sitemap lists (but for the 404 page).
const INDEX_PAGES: [(&str, Make); 7] = [
    ("index.html", Make::Data(pages::index)),
    (
        "articles/index.html",
        Make::Rows(pages::articles_index, "articles.html"),
    ),
    (
        "claims/index.html",
        Make::Rows(pages::claims_index, "claims.html"),
    ),
    ("actors/index.html", Make::Data(pages::glossary_index)),
    ("timeline/index.html", Make::Data(pages::timeline)),
    (
        "coverage/index.html",
        Make::Rows(pages::coverage, "coverage.html"),
    ),
    ("404.html", Make::Data(pages::not_found)),
];

/// Rows rendered as they are made, one after the other into the page's
/// body, and dropped; each group's end marks where its rows go in the
/// page's frame.
struct Stream<'t> {
    tera: &'t tera::Tera,
    spec: &'static theme::RowLoop,
    /// What a row's template sees: the site, the page's place and data,
    /// and the row.
    context: tera::Context,
    body: Vec<u8>,
    /// Where in `body` each group's rows end.
    ends: Vec<usize>,
    /// What the frame's data holds in place of each group's rows.
    markers: Vec<String>,
    /// Different in every build, so that no text of the briefing can be
    /// taken for a marker.
    nonce: String,
    failed: bool,
    /// How many rows the page has, and how many are rendered so far.
    rows: usize,
    rendered: usize,
}

/// How many rows [`Stream`] renders before it makes room for all of them.
const ROWS_TO_MEASURE: usize = 64;

impl<'t> Stream<'t> {
    fn new(tera: &'t tera::Tera, spec: &'static theme::RowLoop) -> Self {
        let now = std::time::SystemTime::now();
        let seed = format!("{now:?} {} {:p}", std::process::id(), spec);
        let nonce = blake3::hash(seed.as_bytes()).to_hex()[..16].to_string();
        Stream {
            tera,
            spec,
            context: tera::Context::new(),
            body: Vec::new(),
            ends: Vec::new(),
            markers: Vec::new(),
            nonce,
            failed: false,
            rows: 0,
            rendered: 0,
        }
    }

    /// The page: its frame rendered with `context`, each marker replaced
    /// by its group's rows. `None` when a row or the frame did not render,
    /// or the frame does not hold each marker once, in order: the page is
    /// then rendered from its data instead.
    fn finish(self, frame: &str, context: &tera::Context) -> Option<Vec<u8>> {
        if self.failed {
            return None;
        }
        let mut out = Vec::new();
        self.tera.render_to(frame, context, &mut out).ok()?;
        let mut cuts = Vec::with_capacity(self.markers.len());
        let mut at = 0;
        for marker in &self.markers {
            let marker = marker.as_bytes();
            let start = at + memchr::memmem::find(&out[at..], marker)?;
            at = start + marker.len();
            if memchr::memmem::find(&out[at..], marker).is_some() {
                return None;
            }
            cuts.push(start..at);
        }
        Some(splice(self.body, &self.ends, &out, &cuts))
    }
}

impl pages::Rows for Stream<'_> {
    fn page(&mut self, page: &tera::Value, rows: usize) {
        self.context.insert_value("page", page.clone());
        self.rows = rows;
    }

    fn row(&mut self, row: tera::Value) {
        if self.failed {
            return;
        }
        self.context.insert_value(self.spec.row_name, row);
        let rendered = self
            .tera
            .render_to(self.spec.row_template, &self.context, &mut self.body);
        self.failed = rendered.is_err();
        self.rendered += 1;
        // Once a few rows show how long a row is, the page's room is made
        // at once (a quarter more, for the frame and longer rows), rather
        // than grown by doubling: growing copies the rows each time, and
        // the last copy would have the page twice in memory.
        if self.rendered == ROWS_TO_MEASURE && self.rows > ROWS_TO_MEASURE {
            let per_row = self.body.len() / ROWS_TO_MEASURE;
            let room = per_row.saturating_mul(self.rows).saturating_mul(5) / 4;
            self.body.reserve(room.saturating_sub(self.body.len()));
        }
    }

    fn end_group(&mut self) -> tera::Value {
        self.ends.push(self.body.len());
        let marker = format!("\u{E000}{} {}\u{E000}", self.nonce, self.markers.len());
        self.markers.push(marker.clone());
        tera::Value::from(marker)
    }
}

/// The page whose `frame` has the markers at `cuts`: the frame's pieces
/// around them, and in each marker's place its group's rows from `body`
/// (the rows of group `g` end at `ends[g]`). Made in `body`'s own buffer,
/// each group moved once to its place, so that the page's bytes are in
/// memory only once.
fn splice(mut body: Vec<u8>, ends: &[usize], frame: &[u8], cuts: &[Range<usize>]) -> Vec<u8> {
    let mut pieces = Vec::with_capacity(cuts.len() + 1);
    let mut at = 0;
    for cut in cuts {
        pieces.push(&frame[at..cut.start]);
        at = cut.end;
    }
    pieces.push(&frame[at..]);
    // How much of the frame comes before piece `k`.
    let mut before = Vec::with_capacity(pieces.len() + 1);
    before.push(0);
    for piece in &pieces {
        before.push(before[before.len() - 1] + piece.len());
    }
    let rows = body.len();
    body.resize(rows + before[pieces.len()], 0);
    let start = |g: usize| if g == 0 { 0 } else { ends[g - 1] };
    // From the last group back, so that no group is written over before
    // it is moved.
    for g in (0..ends.len()).rev() {
        body.copy_within(start(g)..ends[g], start(g) + before[g + 1]);
    }
    for (k, piece) in pieces.iter().enumerate() {
        let at = start(k) + before[k];
        body[at..at + piece.len()].copy_from_slice(piece);
    }
    body
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
        if let Some(data) = &page.fingerprint {
            hasher.update(data.as_bytes());
        }
        hasher.update(&[0]);
        for preview in &page.previews {
            hasher.update(format!("{preview:?}").as_bytes());
        }
        hasher.update(format!("{:?}", page.head).as_bytes());
        hasher.finalize()
    }
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
        "base_url": model.meta.base_url,
    })
}

/// The size of the largest page each template has rendered so far in this
/// build: a page's buffer starts that large, instead of growing (and being
/// copied) many times on the way.
#[derive(Default)]
struct Sizes(Mutex<HashMap<&'static str, usize>>);

impl Sizes {
    fn hint(&self, template: &'static str) -> usize {
        let sizes = self.0.lock().unwrap_or_else(|e| e.into_inner());
        sizes.get(template).copied().unwrap_or(0)
    }

    fn saw(&self, template: &'static str, size: usize) {
        let mut sizes = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let largest = sizes.entry(template).or_insert(0);
        *largest = (*largest).max(size);
    }
}

/// What a page's template sees: the site, the page's place and data, its
/// previews and what its head tells machines.
fn page_context(site: &tera::Value, page: &PageData) -> tera::Context {
    let root = if page.path.contains('/') { "../" } else { "" };
    let mut context = tera::Context::new();
    context.insert_value("site", site.clone());
    context.insert("root", &root);
    context.insert("path", &page.path);
    context.insert_value("page", page.data.clone());
    context.insert("previews", &page.previews);
    context.insert("head", &page.head);
    context
}

fn render_page(
    theme: &Theme,
    site: &tera::Value,
    sizes: &Sizes,
    page: &PageData,
) -> Result<Output, Diagnostic> {
    let context = page_context(site, page);
    let mut bytes = Vec::with_capacity(sizes.hint(page.template));
    theme
        .tera
        .render_to(page.template, &context, &mut bytes)
        .map_err(|_| {
            // Rendered again from the templates as written, so that the
            // error points at their lines.
            let err = match theme.written.render(page.template, &context) {
                Err(err) => err,
                Ok(_) => tera::Error::message("the minified template failed"),
            };
            theme::template_error(&err, &format!("rendering {} failed", page.path))
        })?;
    sizes.saw(page.template, bytes.len());
    Ok(Output {
        path: page.path.clone(),
        bytes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splicing_puts_each_group_of_rows_in_its_markers_place() {
        let frame = b"<head>[A]<mid>[B]<mid>[C]<end>";
        let cuts = [6..9, 14..17, 22..25];
        for (cut, marker) in cuts.iter().zip(["[A]", "[B]", "[C]"]) {
            assert_eq!(&frame[cut.clone()], marker.as_bytes());
        }
        let body = b"a1a2b1c1c2c3".to_vec();
        let page = splice(body, &[4, 6, 12], frame, &cuts);
        assert_eq!(
            String::from_utf8(page).unwrap(),
            "<head>a1a2<mid>b1<mid>c1c2c3<end>"
        );
        // A group without rows, and a frame without groups.
        let page = splice(b"b1".to_vec(), &[0, 2], b"<h>[A]<m>[B]<e>", &[3..6, 9..12]);
        assert_eq!(String::from_utf8(page).unwrap(), "<h><m>b1<e>");
        assert_eq!(splice(Vec::new(), &[], b"<page>", &[]), b"<page>");
    }
}
