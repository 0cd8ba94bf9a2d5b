//! The whole build: each stage in turn, stopping where errors make the next
//! stage meaningless.

use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::anchor::Anchors;
use crate::diagnostic::{self, Code, Diagnostic, Sources};
use crate::mentions::Matcher;
use crate::model::Model;
use crate::options::BuildOptions;
use crate::progress::Timings;
use crate::{anchor, load, manifest, render, resolve, write};

/// A build that succeeded.
#[derive(Debug)]
pub struct Outcome {
    /// The warnings, sorted.
    pub diagnostics: Vec<Diagnostic>,
    /// The files read, for showing diagnostics.
    pub sources: Sources,
    /// How many HTML pages were rendered.
    pub pages: usize,
    /// How many files the site has (pages and assets).
    pub files: usize,
    /// How many files were written, as opposed to kept unchanged from the
    /// previous site (0 when nothing was written).
    pub written: usize,
    /// Counts of what the briefing holds: articles, claims, glossary entries, events.
    pub counts: [usize; 4],
    /// Where the site was written, if it was.
    pub output: Option<PathBuf>,
    /// How long it took.
    pub elapsed: Duration,
    /// How long each stage took.
    pub timings: Timings,
}

/// A build that did not.
#[derive(Debug)]
pub enum Failure {
    /// The content has errors (or warnings, with `deny_warnings`).
    Content {
        /// Every diagnostic, sorted.
        diagnostics: Vec<Diagnostic>,
        /// The files read, for showing diagnostics.
        sources: Sources,
    },
    /// The command line asks for something that cannot be done: a
    /// `--base-url` that is not a web address, an `--output` that would
    /// replace the briefing, a `--root` that is not a folder. Found before
    /// any file of the briefing is read.
    Usage(anyhow::Error),
    /// Reading or writing failed for a reason outside the content.
    Io(anyhow::Error),
}

/// Checks the options a user gave, before any file of the briefing is
/// read, so that a mistake on the command line is said first and alone,
/// whatever the content holds. Gives `--base-url` as the folder address
/// the site uses.
pub fn check_usage(options: &BuildOptions) -> Result<Option<String>, Failure> {
    let usage = |message: String| Err(Failure::Usage(anyhow::anyhow!(message)));
    let root = &options.root;
    if !root.is_dir() {
        let what = if root.exists() {
            "is not a folder"
        } else {
            "does not exist"
        };
        return usage(format!(
            "--root {}: the briefing's folder {what}; name the folder that holds content/",
            root.display()
        ));
    }
    if options.write {
        let output = options.output_dir();
        write::check_output(root, &output).map_err(Failure::Usage)?;
    }
    let Some(url) = &options.base_url else {
        return Ok(None);
    };
    let web = url.starts_with("https://") || url.starts_with("http://");
    if !web || !resolve::is_allowed_url(url) {
        return usage(format!(
            "--base-url {url} is not an http or https address, e.g. https://example.org/briefing/"
        ));
    }
    Ok(Some(resolve::folder_url(url.clone())))
}

/// Builds the briefing at `options.root`.
pub fn build(options: &BuildOptions) -> Result<Outcome, Failure> {
    build_with(options, None).map(|(outcome, _)| outcome)
}

/// Builds the briefing at `options.root`. With a `cache`, it also returns
/// its files (sorted by path), for `briefing serve` to serve from memory. With a
/// `cache`, pages whose data, template and theme are those of a page in it
/// are not rendered again (`briefing serve` keeps one across rebuilds).
pub fn build_with(
    options: &BuildOptions,
    cache: Option<&render::Cache>,
) -> Result<(Outcome, Vec<render::Output>), Failure> {
    let started = Instant::now();
    let base_url = check_usage(options)?;
    let root = &options.root;
    let output = options.output_dir();
    let mut timings = Timings::default();
    // The files are listed once; what the record reads to fingerprint
    // them, loading takes rather than reading again.
    let listed = load::Listing::list(root);
    // A one-off build into a site made from the same inputs has nothing to do.
    let (inputs, previous) = match (options.write, cache) {
        (true, None) => {
            let previous = manifest::previous(&output);
            let inputs = manifest::fingerprint(options, &listed, &output, previous.as_ref());
            timings.lap("inputs");
            (inputs, previous)
        }
        _ => (None, None),
    };
    if let (Some(inputs), Some(previous)) = (&inputs, previous)
        && let Some(record) = manifest::unchanged(&output, previous, inputs)
    {
        // What builds killed before they finished left beside it goes, as
        // at the start of any build that writes.
        write::remove_leftovers_beside(&output).map_err(Failure::Io)?;
        timings.lap("unchanged");
        let (mut diagnostics, sources) = record.warnings(root, &options.limits);
        diagnostic::sort(&mut diagnostics);
        let outcome = Outcome {
            diagnostics,
            sources,
            pages: record.pages,
            files: record.files(),
            written: 0,
            counts: record.counts,
            output: Some(output),
            elapsed: started.elapsed(),
            timings,
        };
        return Ok((outcome, Vec::new()));
    }
    let progress = options.progress.as_ref();
    let Analysis {
        model,
        anchors,
        diagnostics: mut diags,
        mut sources,
    } = analyse_listed(options, base_url, &listed, &mut timings)?;
    let theme = match render::theme::load(&listed, &options.limits, &mut sources) {
        Ok(theme) => Some(theme),
        Err(theme_diags) => {
            diags.extend(theme_diags);
            None
        }
    };
    timings.lap("theme");
    if diags.iter().any(Diagnostic::is_error) {
        // These warnings follow from entries that errors left out: noise until the errors are fixed.
        diags.retain(|d| {
            d.is_error()
                || !matches!(
                    d.code,
                    Code::UncitedArticle | Code::UnusedEntry | Code::EmptyTopic
                )
        });
    }
    // Feed and sitemap need absolute addresses. `serve` builds for one
    // person's browser and does not warn.
    if model.meta.base_url.is_none() && cache.is_none() && !diags.iter().any(Diagnostic::is_error) {
        diags.push(
            Diagnostic::new(
                Code::NoBaseUrl,
                &load::briefing_file(),
                diagnostic::Span::file(),
                "feed.xml and sitemap.xml are not written: they need the address the site will have",
            )
            .with_help("add `base_url: https://…/` to briefing.yaml, or build with --base-url URL"),
        );
    }
    let failed = diags.iter().any(|d| d.is_error() || options.deny_warnings);
    let (Some(theme), false) = (theme, failed) else {
        return Err(stop(diags, sources));
    };
    // Each page goes to the new site's folder as soon as it is rendered, and
    // is kept in memory only for `serve` (which passes a cache).
    let staging = if options.write {
        Some(write::Staging::new(&output).map_err(Failure::Io)?)
    } else {
        None
    };
    let emit = Emitted {
        staging: staging.as_ref(),
        keep: cache.is_some(),
        kept: Mutex::new(Vec::new()),
        count: AtomicUsize::new(0),
    };
    let rendered = render::render(
        &model,
        &anchors,
        &theme,
        cache,
        progress,
        &mut timings,
        &emit,
    );
    let Emitted { kept, count, .. } = emit;
    let pages = match rendered {
        Ok(pages) => pages,
        Err(errs) => {
            diags.extend(errs);
            return Err(stop(diags, sources));
        }
    };
    let mut written = 0;
    let counts = [
        model.articles.len(),
        model.claims.len(),
        model.entries.len(),
        model.events.len(),
    ];
    if let Some(staging) = staging {
        written = staging.written();
        let site = staging
            .finish(|| manifest::forget(&output))
            .map_err(Failure::Io)?;
        if let Some(inputs) = inputs {
            // Without a record, the next build is a full one: nothing is lost.
            let _ = manifest::record(&output, inputs, pages, counts, &diags, site);
        }
        timings.lap("writing");
    }
    let mut files = kept.into_inner().unwrap_or_else(|e| e.into_inner());
    files.sort_by(|a, b| a.path.cmp(&b.path));
    diagnostic::sort(&mut diags);
    let outcome = Outcome {
        diagnostics: diags,
        sources,
        pages,
        files: count.into_inner(),
        written,
        counts,
        output: options.write.then_some(output),
        elapsed: started.elapsed(),
        timings,
    };
    Ok((outcome, files))
}

/// Where a build's files go: into the new site's folder as each is made,
/// and kept in memory only for `serve`.
struct Emitted<'s> {
    staging: Option<&'s write::Staging>,
    keep: bool,
    kept: Mutex<Vec<render::Output>>,
    count: AtomicUsize,
}

impl render::Files for Emitted<'_> {
    fn put(&self, file: render::Output) {
        self.count.fetch_add(1, Ordering::Relaxed);
        if let Some(staging) = self.staging {
            staging.put(&file);
        }
        if self.keep {
            self.kept
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(file);
        }
    }

    fn put_with(
        &self,
        path: &str,
        write: &mut dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) {
        match self.staging {
            Some(staging) if !self.keep => {
                self.count.fetch_add(1, Ordering::Relaxed);
                staging.put_with(path, write);
            }
            _ => {
                let mut bytes = Vec::new();
                // Writing into memory does not fail.
                let _ = write(&mut bytes);
                self.put(render::Output {
                    path: path.to_string(),
                    bytes,
                });
            }
        }
    }
}

/// A failed build: its diagnostics, sorted, and the files they point into.
fn stop(mut diagnostics: Vec<Diagnostic>, sources: Sources) -> Failure {
    diagnostic::sort(&mut diagnostics);
    Failure::Content {
        diagnostics,
        sources,
    }
}

/// A briefing read, checked and anchored: everything but the site.
pub struct Analysis {
    pub model: Model,
    pub anchors: Anchors,
    /// The diagnostics so far; they may hold errors of anchoring.
    pub diagnostics: Vec<Diagnostic>,
    /// The files read, for showing diagnostics.
    pub sources: Sources,
}

/// Reads, checks and anchors the briefing at `options.root`, applying
/// `options.base_url`. Stops with the diagnostics when the files cannot be
/// read or checked; errors of anchoring are left in the analysis.
pub fn analyse(options: &BuildOptions, timings: &mut Timings) -> Result<Analysis, Failure> {
    let base_url = check_usage(options)?;
    analyse_listed(
        options,
        base_url,
        &load::Listing::list(&options.root),
        timings,
    )
}

/// [`analyse`], of the files `listing` lists, once [`check_usage`] has
/// passed the options and given `base_url`.
fn analyse_listed(
    options: &BuildOptions,
    base_url: Option<String>,
    listing: &load::Listing,
    timings: &mut Timings,
) -> Result<Analysis, Failure> {
    let progress = options.progress.as_ref();
    let stage = |name| progress.inspect(|p| p.stage(name, None));
    stage("reading");
    let (loaded, mut diags) = load::load(listing, &options.limits);
    if diags.iter().any(Diagnostic::is_error) {
        return Err(stop(diags, loaded.sources));
    }
    timings.lap("reading");
    stage("checking");
    let (model, resolve_diags) = resolve::resolve(&loaded);
    diags.extend(resolve_diags);
    // The raw files are spent once the model is made; their texts stay, for
    // the diagnostics to quote, until anchoring has said its part.
    let load::Loaded {
        mut sources,
        briefing,
        articles,
        annotations,
    } = loaded;
    // Many small values: dropped in parallel.
    drop(briefing);
    rayon::join(
        || articles.into_par_iter().for_each(drop),
        || annotations.into_par_iter().for_each(drop),
    );
    let Some(mut model) = model else {
        return Err(stop(diags, sources));
    };
    if base_url.is_some() {
        model.meta.base_url = base_url;
    }
    let matcher = Matcher::new(&model.entries).map_err(Failure::Io)?;
    timings.lap("checking");
    stage("anchoring");
    let (anchors, anchor_diags) = anchor::anchor(&model, &matcher);
    timings.lap("anchoring");
    diags.extend(anchor_diags);
    // Later stages point only into templates, which they read themselves.
    sources.retain(|file| diags.iter().any(|d| d.file == file));
    Ok(Analysis {
        model,
        anchors,
        diagnostics: diags,
        sources,
    })
}
