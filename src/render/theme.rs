//! The theme: the built-in templates and stylesheet, compiled into the binary,
//! overridden file by file by a briefing's own `templates/`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use tera::Tera;

use crate::diagnostic::{Code, Diagnostic, Sources, Span};
use crate::limits::Limits;
use crate::load;

include!(concat!(env!("OUT_DIR"), "/theme.rs"));

/// The templates, ready to render, and the static files beside them.
pub struct Theme {
    /// Every `.html` template, the built-in ones minified when the program
    /// was compiled, so that pages need no minifying of their own.
    pub tera: Tera,
    /// The templates as written, for pointing at the right line when
    /// rendering with [`Theme::tera`] fails.
    pub written: Tera,
    /// The other files (stylesheet, scripts), by name, with the name they are
    /// published under: `style.css` → `style.1a2b3c4d.css`.
    pub assets: Vec<Asset>,
    /// A hash of every file of the theme: pages rendered with another theme
    /// are rendered again.
    pub fingerprint: blake3::Hash,
    /// The pages of many rows that can be rendered a row at a time, by page
    /// template (see [`ROW_LOOPS`]).
    pub frames: BTreeMap<&'static str, Frame>,
}

/// A page rendered a row at a time: its loop, and the template of its frame.
pub struct Frame {
    pub spec: &'static RowLoop,
    pub template: String,
}

/// A page template whose rows are a loop that includes one template per
/// row. Rendering such a page from data would hold every row's data at
/// once (some 50 MB for the coverage page of 20,000 claims); instead its
/// frame is rendered from the page's data with a marker in place of each
/// group's rows, and each row with the row's template, one at a time, as
/// it is made. Both give the same bytes. A theme whose templates do not
/// have the loop exactly so is rendered from data, as any page.
pub struct RowLoop {
    /// The page's template.
    pub page: &'static str,
    /// The template with the loop: the page's own, or a partial the page
    /// includes.
    holder: &'static str,
    /// The loop, as written.
    row_loop: &'static str,
    /// What the frame shows in the loop's place: the group's rows, which
    /// the frame's data holds as a marker.
    in_frame: &'static str,
    /// The template of one row.
    pub row_template: &'static str,
    /// What the row is called in it.
    pub row_name: &'static str,
}

pub const ROW_LOOPS: [RowLoop; 3] = [
    RowLoop {
        page: "articles.html",
        holder: "articles.html",
        row_loop: r#"{% for a in page.articles %}{% include "partials/source-card.html" %}{% endfor %}"#,
        in_frame: "{{ page.articles | safe }}",
        row_template: "partials/source-card.html",
        row_name: "a",
    },
    RowLoop {
        page: "claims.html",
        holder: "partials/topic-group.html",
        row_loop: r#"{% for claim in group.claims %}{% include "partials/claim-card.html" %}{% endfor %}"#,
        in_frame: "{{ group.claims | safe }}",
        row_template: "partials/claim-card.html",
        row_name: "claim",
    },
    RowLoop {
        page: "coverage.html",
        holder: "coverage.html",
        row_loop: r#"{% for r in g.rows %}{% include "partials/coverage-row.html" %}{% endfor %}"#,
        in_frame: "{{ g.rows | safe }}",
        row_template: "partials/coverage-row.html",
        row_name: "r",
    },
];

/// The name a frame's template is known by: not a file's name (no file
/// name has a `:` on every system), so no template of a briefing's own
/// replaces it.
fn frame_name(template: &str) -> String {
    format!("rows:{template}")
}

/// The frames of [`ROW_LOOPS`] whose templates, as `texts` has them, have
/// their loop once: each as its name and text, with the loop replaced, and
/// the holder's frame beside the page's when the loop is in a partial.
fn frames(texts: &BTreeMap<&str, &str>) -> Vec<(&'static RowLoop, Vec<(String, String)>)> {
    let mut frames = Vec::new();
    for spec in &ROW_LOOPS {
        let (Some(page), Some(holder)) = (texts.get(spec.page), texts.get(spec.holder)) else {
            continue;
        };
        if holder.matches(spec.row_loop).count() != 1 {
            continue;
        }
        let holder_frame = holder.replacen(spec.row_loop, spec.in_frame, 1);
        let templates = if spec.holder == spec.page {
            vec![(frame_name(spec.page), holder_frame)]
        } else {
            let include = format!("\"{}\"", spec.holder);
            if page.matches(&include).count() != 1 {
                continue;
            }
            let page_frame =
                page.replacen(&include, &format!("\"{}\"", frame_name(spec.holder)), 1);
            vec![
                (frame_name(spec.holder), holder_frame),
                (frame_name(spec.page), page_frame),
            ]
        };
        frames.push((spec, templates));
    }
    frames
}

/// A static file of the theme.
pub struct Asset {
    /// Its name in `templates/`, e.g. `style.css`.
    pub name: String,
    /// Its name in the site, with a content hash.
    pub published: String,
    /// Its contents.
    pub bytes: Vec<u8>,
}

/// Loads the theme: built-in files, replaced by any file of the same name in
/// `root/templates/`. The texts of those files go into `sources`, so that
/// diagnostics can quote them.
pub fn load(
    listing: &load::Listing,
    limits: &Limits,
    sources: &mut Sources,
) -> Result<Theme, Vec<Diagnostic>> {
    let mut files: BTreeMap<String, (String, Option<PathBuf>)> = BUILT_IN
        .iter()
        .map(|(name, text)| (name.to_string(), (text.to_string(), None)))
        .collect();
    let mut diags = Vec::new();
    let mut overrides = Vec::new();
    let reader = load::Reader::of(listing, limits);
    for relative in listing.files_in("templates", None, &mut diags) {
        let Some(text) = reader.read(&relative, &mut diags) else {
            continue;
        };
        let Ok(name) = relative.strip_prefix("templates") else {
            continue;
        };
        let name = name.to_string_lossy().replace('\\', "/");
        // A copy of a built-in file (as in this project's own folder) is
        // that file.
        if files.get(&name).is_some_and(|(t, _)| *t == text) {
            continue;
        }
        overrides.push((relative.clone(), text.clone()));
        files.insert(name, (text, Some(relative)));
    }
    let mut hasher = blake3::Hasher::new();
    for (name, (text, _)) in &files {
        hasher.update(name.as_bytes());
        hasher.update(&[0]);
        hasher.update(text.as_bytes());
        hasher.update(&[0]);
    }
    let fingerprint = hasher.finalize();
    let mut tera = Tera::new();
    let mut assets = Vec::new();
    let mut templates = Vec::new();
    for (name, (text, origin)) in files {
        if name.ends_with(".html") {
            templates.push((name, text, origin));
        } else {
            assets.push(Asset {
                published: hashed_name(&name, text.as_bytes()),
                name,
                bytes: text.into_bytes(),
            });
        }
    }
    let pairs: Vec<(&str, &str)> = templates
        .iter()
        .map(|(n, t, _)| (n.as_str(), t.as_str()))
        .collect();
    let mut written = Tera::new();
    let mut frame_templates = BTreeMap::new();
    if let Err(err) = written.add_raw_templates(pairs.clone()) {
        diags.push(template_error(&err, "the template does not compile"));
    } else {
        // The built-in templates are minified (a test checks that they
        // render the same); a briefing's own are used as written, since
        // markup inside a tag (`<a{% if x %} id=…{% endif %}>`) does not
        // survive minifying.
        let ready: Vec<(&str, String)> = templates
            .iter()
            .map(|(n, t, origin)| match (origin, minified(n)) {
                (None, Some(minified)) => (n.as_str(), minified.to_string()),
                _ => (n.as_str(), t.clone()),
            })
            .collect();
        let minified = tera.add_raw_templates(ready.iter().map(|(n, t)| (*n, t.as_str())));
        let texts: BTreeMap<&str, &str> = if minified.is_ok() {
            ready.iter().map(|(n, t)| (*n, t.as_str())).collect()
        } else {
            tera = Tera::new();
            if let Err(err) = tera.add_raw_templates(pairs.clone()) {
                diags.push(template_error(&err, "the template does not compile"));
            }
            pairs.iter().copied().collect()
        };
        if diags.is_empty() {
            for (spec, templates) in frames(&texts) {
                // A frame that does not compile leaves its page rendered
                // from data, which reports what is wrong.
                if tera
                    .add_raw_templates(templates.iter().map(|(n, t)| (n.as_str(), t.as_str())))
                    .is_ok()
                {
                    let template = frame_name(spec.page);
                    frame_templates.insert(spec.page, Frame { spec, template });
                }
            }
        }
    }
    for (file, text) in overrides {
        sources.insert(file, text);
    }
    if diags.is_empty() {
        Ok(Theme {
            tera,
            written,
            assets,
            fingerprint,
            frames: frame_templates,
        })
    } else {
        Err(diags)
    }
}

/// The built-in template `name` as minified when the program was
/// compiled (`build.rs`, with `src/render/minify.rs`).
fn minified(name: &str) -> Option<&'static str> {
    MINIFIED.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
}

/// `style.css` → `style.0123abcd.css`, from the contents' BLAKE3 hash.
fn hashed_name(name: &str, bytes: &[u8]) -> String {
    let hash = blake3::hash(bytes).to_hex();
    let short = &hash.as_str()[..10];
    match name.rsplit_once('.') {
        Some((stem, ext)) => format!("{stem}.{short}.{ext}"),
        None => format!("{name}.{short}"),
    }
}

/// A template error as a diagnostic pointing into `templates/NAME`.
pub fn template_error(err: &tera::Error, what: &str) -> Diagnostic {
    match err.kind() {
        tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) => {
            let span = report.span();
            let len = if span.end_line == span.start_line {
                span.end_col.saturating_sub(span.start_col).max(1)
            } else {
                1
            };
            let file = Path::new("templates").join(report.filename());
            let message = format!("{what}: {}", report.message());
            Diagnostic::new(
                Code::Template,
                &file,
                Span::new(span.start_line, span.start_col + 1, len),
                message,
            )
        }
        // Tera checks a template's filters, tests, functions and includes
        // once all are added, and gives what it found only as the text of
        // its reports, each placed `--> NAME:LINE:COL`.
        tera::ErrorKind::Msg(text) => match located_reports(text).first() {
            Some((name, line, column, len, message)) => Diagnostic::new(
                Code::Template,
                &Path::new("templates").join(name),
                Span::new(*line, *column, *len),
                format!("{what}: {message}"),
            ),
            None => unplaced(err, what),
        },
        _ => unplaced(err, what),
    }
}

/// A template error that names no place in a template.
fn unplaced(err: &tera::Error, what: &str) -> Diagnostic {
    Diagnostic::new(
        Code::Template,
        Path::new("templates"),
        Span::file(),
        format!("{what}: {}", error_chain(err)),
    )
}

/// The reports in the text of a Tera error, each as the template's name,
/// line, column (from 1), length (the carets under it) and message. A report
/// reads `error: MESSAGE`, then `--> NAME:LINE:COL`, the line quoted, and the
/// carets; reports are separated by blank lines.
fn located_reports(text: &str) -> Vec<(String, usize, usize, usize, String)> {
    text.split("\n\n")
        .filter_map(|report| {
            let mut lines = report.lines();
            let message = lines.next()?.strip_prefix("error: ")?;
            let place = lines.next()?.trim_start().strip_prefix("--> ")?;
            let (rest, column) = place.rsplit_once(':')?;
            let (name, line) = rest.rsplit_once(':')?;
            let carets = lines.nth(2).map_or(0, |l| l.matches('^').count());
            Some((
                name.to_string(),
                line.parse().ok()?,
                column.parse().ok()?,
                carets.max(1),
                message.to_string(),
            ))
        })
        .collect()
}

/// An error and all its causes on one line.
pub fn error_chain(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_pages_of_many_rows_render_a_row_at_a_time() {
        let root = tempfile::tempdir().unwrap();
        let listing = load::Listing::list(root.path());
        let theme = load(&listing, &Limits::default(), &mut Sources::default())
            .unwrap_or_else(|_| panic!("the built-in theme loads"));
        let pages: Vec<&str> = theme.frames.keys().copied().collect();
        assert_eq!(pages, ["articles.html", "claims.html", "coverage.html"]);
        for (page, frame) in &theme.frames {
            assert_eq!(frame.spec.page, *page);
            assert!(theme.tera.get_template_names().any(|n| n == frame.template));
        }
        // A page whose loop is not as written has no frame: it is rendered
        // from its data.
        let texts = BTreeMap::from([
            (
                "coverage.html",
                "{% for r in g.rows %}<tr></tr>{% endfor %}",
            ),
            (
                "claims.html",
                r#"{% include "partials/topic-group.html" %}"#,
            ),
            (
                "partials/topic-group.html",
                r#"{% for claim in group.claims %}{% include "partials/claim-card.html" %}{% endfor %}"#,
            ),
        ]);
        let found = frames(&texts);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0.page, "claims.html");
        assert_eq!(
            found[0].1,
            [
                (
                    "rows:partials/topic-group.html".to_string(),
                    "{{ group.claims | safe }}".to_string()
                ),
                (
                    "rows:claims.html".to_string(),
                    r#"{% include "rows:partials/topic-group.html" %}"#.to_string()
                ),
            ]
        );
    }

    #[test]
    fn an_unknown_filter_is_placed_in_its_template() {
        let mut tera = tera::Tera::default();
        let err = tera
            .add_raw_templates([("page.html", "<p>\n{{ x | nosuch }}</p>")])
            .expect_err("an unknown filter does not compile");
        let diag = template_error(&err, "the template does not compile");
        assert_eq!(diag.file, Path::new("templates/page.html"));
        assert_eq!(diag.span, Span::new(2, 8, 6));
        assert_eq!(
            diag.message,
            "the template does not compile: Unknown filter `nosuch`"
        );
    }

    #[test]
    fn every_built_in_template_compiles_minified_and_keeps_its_tags() {
        let templates: Vec<&str> = BUILT_IN
            .iter()
            .filter(|(name, _)| name.ends_with(".html"))
            .map(|(name, _)| *name)
            .collect();
        let minified: Vec<&str> = MINIFIED.iter().map(|(name, _)| *name).collect();
        assert_eq!(minified, templates, "every template is minified");
        let mut tera = Tera::new();
        tera.add_raw_templates(MINIFIED.iter().copied()).unwrap();
        let base = minified_of("base.html");
        let written = BUILT_IN.iter().find(|(n, _)| *n == "base.html").unwrap().1;
        assert!(base.len() < written.len());
        assert!(base.contains("{% block content %}"), "{base}");
        assert!(!base.contains("\n  <"), "indentation is gone: {base}");
    }

    fn minified_of(name: &str) -> &'static str {
        minified(name).unwrap_or_else(|| panic!("{name} is minified"))
    }
}
