//! End-to-end: build real briefings into temporary folders and check the pages.

mod common;

use common::{highlights, read_site, squeeze};

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};

use briefing::normalize::normalize;
use briefing::{BuildOptions, Failure, build};
use scraper::{Html, Selector};

fn manifest() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn build_into(root: &Path, output: &Path) -> Result<briefing::Outcome, Failure> {
    build(&BuildOptions {
        root: root.to_path_buf(),
        output: Some(output.to_path_buf()),
        deny_warnings: true,
        write: true,
        progress: None,
        base_url: None,
        limits: Default::default(),
    })
}

/// Options for a build kept in memory, as `serve` makes it.
fn in_memory(root: &Path) -> BuildOptions {
    BuildOptions {
        root: root.to_path_buf(),
        output: None,
        deny_warnings: false,
        write: false,
        progress: None,
        base_url: None,
        limits: Default::default(),
    }
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

/// Whether the page has an element matching `selector`.
fn has(html: &str, selector: &str) -> bool {
    Html::parse_document(html)
        .select(&sel(selector))
        .next()
        .is_some()
}

fn built(root: &Path) -> (tempfile::TempDir, BTreeMap<String, Vec<u8>>) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    if let Err(e) = build_into(root, &out) {
        match e {
            Failure::Content {
                diagnostics,
                sources,
            } => panic!("{}", sources.render_all(&diagnostics)),
            Failure::Io(e) | Failure::Usage(e) => panic!("{e:#}"),
        }
    }
    let site = read_site(&out);
    (dir, site)
}

/// Resolves `href` from the page at `page` to a site path and fragment.
fn resolve(page: &str, href: &str) -> (String, Option<String>) {
    let (path, fragment) = match href.split_once('#') {
        Some((p, f)) => (p, Some(f.to_string())),
        None => (href, None),
    };
    if path.is_empty() {
        return (page.to_string(), fragment);
    }
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop();
    for piece in path.split('/') {
        match piece {
            ".." => {
                parts.pop();
            }
            "." => {}
            p => parts.push(p),
        }
    }
    (parts.join("/"), fragment)
}

/// Checks that every relative link of every page reaches a file, and every
/// fragment an element id of it; returns how many links were checked.
fn check_links(site: &BTreeMap<String, Vec<u8>>) -> usize {
    let pages: HashMap<&str, Html> = site
        .iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .map(|(p, b)| {
            (
                p.as_str(),
                Html::parse_document(std::str::from_utf8(b).unwrap()),
            )
        })
        .collect();
    let ids: HashMap<&str, HashSet<String>> = pages
        .iter()
        .map(|(p, doc)| {
            (
                *p,
                doc.select(&sel("[id]"))
                    .map(|e| e.value().attr("id").unwrap().to_string())
                    .collect(),
            )
        })
        .collect();
    let mut checked = 0;
    let mut broken = Vec::new();
    for (page, doc) in &pages {
        if *page == "404.html" {
            continue;
        }
        for el in doc.select(&sel("a[href], link[href]")) {
            let href = el.value().attr("href").unwrap();
            if href.starts_with("http://")
                || href.starts_with("https://")
                || href.starts_with("mailto:")
            {
                continue;
            }
            assert!(!href.starts_with('/'), "{page}: absolute link {href}");
            let (target, fragment) = resolve(page, href);
            checked += 1;
            if !site.contains_key(&target) {
                broken.push(format!("{page}: {href} (no file {target})"));
            } else if let Some(f) = fragment
                && !ids.get(target.as_str()).is_some_and(|set| set.contains(&f))
            {
                broken.push(format!("{page}: {href} (no id {f} in {target})"));
            }
        }
    }
    assert!(
        broken.is_empty(),
        "{} broken links:\n{}",
        broken.len(),
        broken.join("\n")
    );
    checked
}

fn page<'a>(site: &'a BTreeMap<String, Vec<u8>>, path: &str) -> &'a str {
    std::str::from_utf8(site.get(path).unwrap_or_else(|| panic!("no page {path}"))).unwrap()
}

#[test]
fn the_default_briefing_builds_every_page_with_working_links() {
    let (_dir, site) = built(&manifest());
    for path in [
        "index.html",
        "articles/index.html",
        "claims/index.html",
        "actors/index.html",
        "timeline/index.html",
        "coverage/index.html",
        "404.html",
    ] {
        assert!(site.contains_key(path), "{path} is missing");
    }
    let claims = site
        .keys()
        .filter(|p| p.starts_with("claims/") && *p != "claims/index.html")
        .count();
    assert!(claims >= 25, "only {claims} claim pages");
    assert!(
        site.keys()
            .any(|p| p.starts_with("style.") && p.ends_with(".css")),
        "no hashed stylesheet"
    );
    let checked = check_links(&site);
    assert!(checked > 1000, "only {checked} links checked");
}

#[test]
fn every_highlight_reads_its_quote_and_links_back_to_its_claim() {
    let (_dir, site) = built(&manifest());
    let article = page(&site, "articles/myind-2026-02-04.html");
    let found = highlights(article);
    let progress = &found["q-progress-on-narcotics-1"];
    assert_eq!(normalize(progress), "Trump said progress was being made.");
    assert!(
        has(article, "mark#q-progress-on-narcotics-1"),
        "the first piece carries the id"
    );
    // The claim page links to the highlight, and the highlight's margin note to the claim.
    let claim = page(&site, "claims/progress-on-narcotics.html");
    assert!(claim.contains("../articles/myind-2026-02-04.html#q-progress-on-narcotics-1"));
    assert!(claim.contains("../articles/unattributed-report.html#q-progress-on-narcotics-2"));
    assert!(has(
        article,
        r#"a[href="../claims/progress-on-narcotics.html"]"#
    ));
}

#[test]
fn related_claims_are_shown_from_both_ends() {
    let (_dir, site) = built(&manifest());
    let stated = page(&site, "claims/no-firm-agreement.html");
    assert!(
        stated.contains("contradicts"),
        "the claim that states the relation"
    );
    assert!(has(stated, r#"a[href="../claims/agreement-reached.html"]"#));
    let other = page(&site, "claims/agreement-reached.html");
    assert!(other.contains("is contradicted by"), "the other end");
    assert!(has(other, r#"a[href="../claims/no-firm-agreement.html"]"#));
}

#[test]
fn mentions_link_to_the_glossary_and_the_glossary_lists_them() {
    let (_dir, site) = built(&manifest());
    let article = page(&site, "articles/unattributed-report.html");
    assert!(has(article, r#"a#m-petro-1[href="../actors/petro.html"]"#));
    let petro = page(&site, "actors/petro.html");
    assert!(
        petro.contains("../articles/unattributed-report.html#m-petro-1"),
        "the glossary links back to the mention"
    );
    // "Colombian" is not a mention of Colombia; "Colombia’s" is.
    let doc = Html::parse_document(article);
    let colombia: Vec<String> = doc
        .select(&sel("a.mention[href$='colombia.html']"))
        .map(|e| e.text().collect())
        .collect();
    assert!(colombia.iter().all(|t| t == "Colombia"), "{colombia:?}");
    assert!(!colombia.is_empty());
}

#[test]
fn coverage_counts_the_sources_of_each_claim() {
    let (_dir, site) = built(&manifest());
    let coverage = Html::parse_document(page(&site, "coverage/index.html"));
    let rows: Vec<_> = coverage.select(&sel("table.coverage tbody tr")).collect();
    assert!(rows.len() >= 25);
    let both = rows
        .iter()
        .filter(|r| r.select(&sel("td a")).count() == 2)
        .count();
    assert!(both >= 8, "only {both} claims reported by both sources");
}

/// Whether `html` holds the preview card with `key` (the minifier drops the
/// quotes around values that do not need them).
fn has_preview_card(html: &str, key: &str) -> bool {
    html.contains(&format!("data-preview-card={key} "))
        || html.contains(&format!("data-preview-card={key}>"))
        || html.contains(&format!("data-preview-card=\"{key}\""))
}

#[test]
fn every_highlight_and_mention_has_its_preview_and_every_highlight_its_note() {
    let (_dir, site) = built(&manifest());
    let mut previews = 0;
    for (path, bytes) in &site {
        if !path.ends_with(".html") {
            continue;
        }
        let html = std::str::from_utf8(bytes).unwrap();
        let doc = Html::parse_document(html);
        for el in doc.select(&sel("[data-preview]")) {
            let key = el.value().attr("data-preview").unwrap();
            assert!(has_preview_card(html, key), "{path}: no preview for {key}");
            previews += 1;
        }
        for mark in doc.select(&sel("mark[id]")) {
            let id = mark.value().attr("id").unwrap();
            let notes = doc
                .select(&sel(&format!("[data-note-for='{id}'] a")))
                .count();
            assert_eq!(notes, 1, "{path}: highlight {id} has {notes} notes");
        }
    }
    assert!(previews > 500, "only {previews} previewable elements");
    // A preview says what it previews: a claim's status, an entry's name.
    let article = page(&site, "articles/myind-2026-02-04.html");
    assert!(has_preview_card(article, "claims/progress-on-narcotics"));
    assert!(article.contains(
        "Trump said progress was being made on countering narcotics flows from Colombia."
    ));
}

#[test]
fn an_entry_page_does_not_link_its_own_name_to_itself() {
    let (_dir, site) = built(&manifest());
    let petro = Html::parse_document(page(&site, "actors/petro.html"));
    let own = petro
        .select(&sel("a.mention[href='../actors/petro.html']"))
        .count();
    assert_eq!(own, 0, "mentions of Petro on Petro's page link to it");
    let others = petro
        .select(&sel("a.mention[href='../actors/trump.html']"))
        .count();
    assert!(others > 0, "other entries are still linked");
}

#[test]
fn the_claims_filter_offers_only_choices_that_keep_a_claim_with_their_counts() {
    let (_dir, site) = built(&manifest());
    let claims = Html::parse_document(page(&site, "claims/index.html"));
    let cards: Vec<_> = claims.select(&sel(".claim-card")).collect();
    for (select, attr) in [
        ("#filter-topic", "data-topic"),
        ("#filter-status", "data-status"),
        ("#filter-entry", "data-entries"),
        ("#filter-article", "data-articles"),
    ] {
        let options: Vec<_> = claims
            .select(&sel(&format!("{select} option")))
            .filter(|o| !o.value().attr("value").unwrap_or("").is_empty())
            .collect();
        assert!(!options.is_empty(), "{select} offers nothing");
        for option in options {
            let value = option.value().attr("value").unwrap();
            let kept = cards
                .iter()
                .filter(|c| {
                    c.value()
                        .attr(attr)
                        .is_some_and(|v| v.split(' ').any(|t| t == value))
                })
                .count();
            let label: String = option.text().collect();
            assert!(kept > 0, "{select} offers {value}, which keeps no claim");
            assert!(
                label.ends_with(&format!("({kept})")),
                "{select}: {label} but {kept} claims match"
            );
        }
    }
}

#[test]
fn building_twice_gives_identical_files() {
    let (_a, first) = built(&manifest());
    let (_b, second) = built(&manifest());
    assert_eq!(
        first.keys().collect::<Vec<_>>(),
        second.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &first {
        assert!(bytes == &second[path], "{path} differs between two builds");
    }
}

#[test]
fn a_briefing_written_by_someone_else_builds_and_its_highlights_read_its_quotes() {
    let root = manifest().join("tests/fixtures/other-briefing");
    let (_dir, site) = built(&root);
    check_links(&site);
    let wire = highlights(page(&site, "articles/wire-2026-02-03.html"));
    let myind = highlights(page(&site, "articles/myind-2026-02-04.html"));
    let expect = [
        (
            &myind,
            "q-progress-on-narcotics-1",
            "“Yeah, we did,” Trump said.",
        ),
        (
            &wire,
            "q-progress-on-narcotics-2",
            "\"Yeah, we did,\" he told reporters.",
        ),
        (
            &wire,
            "q-no-firm-agreement-1",
            "“We worked on it, and we got along very well.” Petro's aides",
        ),
        (
            &wire,
            "q-cross-paragraph-1",
            "friendly meeting at the White House. “Yeah, we did,”",
        ),
        (
            &wire,
            "q-overlapping-1",
            "we got along very well.\" Petro's aides were pleased. Petro said",
        ),
        (&wire, "q-chosen-by-occurrence-1", "Petro said"),
        (&wire, "q-chosen-by-prefix-1", "Petro said yes."),
        (&wire, "q-chosen-by-suffix-1", "Trump said"),
        (
            &myind,
            "q-petro-denies-1",
            "ties to the drug trade - allegations that Petro has denied...",
        ),
        (&wire, "q-petro-denies-2", "the meeting was cordial"),
        (
            &myind,
            "e-october-sanctions-1",
            "The sanctions were linked to alleged but unproven ties",
        ),
    ];
    for (found, anchor, quote) in expect {
        let text = found
            .get(anchor)
            .unwrap_or_else(|| panic!("no highlight {anchor}"));
        assert_eq!(squeeze(text), squeeze(quote), "{anchor}");
    }
    // The one chosen by occurrence is the blockquote's, not the first sentence's.
    let wire_html = page(&site, "articles/wire-2026-02-03.html");
    let quote_at = wire_html.find(r#"id="q-chosen-by-occurrence-1""#).unwrap();
    assert!(wire_html[..quote_at].contains("<blockquote>"));
    // Raw HTML is text, the supplied title is bracketed, dates keep their precision.
    assert!(
        wire_html.contains("&lt;b>bold&lt;/b>") || wire_html.contains("&lt;b&gt;bold&lt;/b&gt;"),
        "raw HTML must be escaped"
    );
    let myind_html = page(&site, "articles/myind-2026-02-04.html");
    assert!(myind_html.contains("[A headline the annotator wrote]"));
    assert!(myind_html.contains(">February 2026<"));
    // Internal links in Markdown became relative links.
    assert!(has(
        page(&site, "index.html"),
        r#"a[href="timeline/index.html#event-october-sanctions"]"#
    ));
}

// The test minifies whole pages; only the templates use `minify::template`.
#[allow(dead_code)]
#[path = "../src/render/minify.rs"]
mod minify;

/// minify-html as a whole page, the way the built-in templates are minified.
fn minified(html: &[u8]) -> Vec<u8> {
    minify_html::minify(html, &minify::config())
}

#[test]
fn the_minified_built_in_templates_render_the_same_pages_as_written() {
    // A briefing whose templates/ holds every built-in template as written:
    // overrides are not minified, so its pages come from the text as written.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("briefing");
    common::copy_default_briefing(&root);
    let theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
    for entry in walkdir::WalkDir::new(&theme).into_iter().flatten() {
        let relative = entry.path().strip_prefix(&theme).unwrap();
        if entry.file_type().is_file() && relative.extension().is_some_and(|e| e == "html") {
            let to = root.join("templates").join(relative);
            fs::create_dir_all(to.parent().unwrap()).unwrap();
            // Not a byte-for-byte copy, which would count as the built-in file.
            let text = fs::read_to_string(entry.path()).unwrap();
            fs::write(to, text + "{# as written #}").unwrap();
        }
    }
    let (_a, built_in) = built(&manifest());
    let (_b, written) = built(&root);
    assert_eq!(
        built_in.keys().collect::<Vec<_>>(),
        written.keys().collect::<Vec<_>>()
    );
    let mut pages = 0;
    for (path, bytes) in &built_in {
        if path.ends_with(".html") {
            pages += 1;
            let as_written = &written[path];
            assert!(bytes.len() < as_written.len(), "{path} is minified");
            let (a, b) = (minified(bytes), minified(as_written));
            let at = a
                .iter()
                .zip(&b)
                .position(|(x, y)| x != y)
                .unwrap_or(a.len().min(b.len()));
            let around = |v: &[u8]| {
                String::from_utf8_lossy(&v[at.saturating_sub(200)..(at + 100).min(v.len())])
                    .into_owned()
            };
            assert!(
                a == b,
                "{path} differs from the page of the templates as written:\n{}\n---\n{}",
                around(&a),
                around(&b)
            );
        }
    }
    assert!(pages > 50, "{pages} pages");
}

#[test]
fn a_failed_build_leaves_the_previous_site_exactly_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("briefing");
    let out = root.join("public");
    copy_dir(&manifest().join("tests/fixtures/other-briefing"), &root);
    build_into(&root, &out).map_err(|_| "first build").unwrap();
    let before = read_site(&out);
    // Break a quote, and build again.
    let claims = root.join("content/annotations/20-claims.yaml");
    let text = fs::read_to_string(&claims)
        .unwrap()
        .replace("Petro said yes.", "Petro said maybe.");
    fs::write(&claims, text).unwrap();
    match build_into(&root, &out) {
        Err(Failure::Content { diagnostics, .. }) => {
            assert!(
                diagnostics
                    .iter()
                    .any(|d| d.code.name() == "quote-not-found")
            )
        }
        other => panic!(
            "expected a content failure, got {:?}",
            other.map(|o| o.pages)
        ),
    }
    assert_eq!(read_site(&out), before, "the previous site changed");
    let leftovers: Vec<String> = fs::read_dir(&root)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    // Only the record of the previous site, which is still that site's.
    assert_eq!(
        leftovers,
        [".public.build.json"],
        "temporary folders left behind"
    );
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from).into_iter().flatten() {
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).unwrap();
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A briefing of `outlets` one-paragraph articles, each from its own outlet
/// and with one claim; the first claim is also reported by the second article.
fn many_outlets(outlets: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    fs::create_dir_all(content.join("articles")).unwrap();
    fs::create_dir_all(content.join("annotations")).unwrap();
    fs::write(
        content.join("briefing.yaml"),
        "title: Many outlets\nbase_url: https://example.org/many/\n",
    )
    .unwrap();
    let mut claims =
        String::from("actors:\n  - id: mayor\n    name: Mayor Ames\n    kind: person\nclaims:\n");
    for i in 0..outlets {
        fs::write(
            content.join(format!("articles/a{i}.md")),
            format!("---\ntitle: Report {i}\noutlet: Outlet {i}\n---\n\nMayor Ames opened bridge number {i} today.\n"),
        )
        .unwrap();
        claims.push_str(&format!(
            "  - id: c{i}\n    text: Bridge {i} opened.\n    about: [mayor]\n    sources:\n      - article: a{i}\n        quote: opened bridge number {i} today\n"
        ));
        if i == 0 {
            claims.push_str("      - article: a1\n        quote: Mayor Ames opened bridge\n");
        }
    }
    fs::write(content.join("annotations/claims.yaml"), claims).unwrap();
    dir
}

#[test]
fn coverage_is_a_matrix_of_outlets_up_to_twelve_and_a_list_beyond() {
    let few = many_outlets(3);
    let (_out, site) = built(few.path());
    let doc = Html::parse_document(page(&site, "coverage/index.html"));
    assert_eq!(doc.select(&sel("table.coverage thead th")).count(), 3 + 2);
    assert_eq!(doc.select(&sel("table.coverage-list")).count(), 0);
    let first = doc.select(&sel("tr.status-reported")).next().unwrap();
    assert_eq!(
        first.select(&sel("td a")).count(),
        2,
        "c0 is in two outlets"
    );

    let many = many_outlets(briefing::render::pages::COVERAGE_MAX_COLUMNS + 1);
    let (_out, site) = built(many.path());
    let doc = Html::parse_document(page(&site, "coverage/index.html"));
    assert_eq!(doc.select(&sel("table.coverage-list thead th")).count(), 3);
    let rows: Vec<_> = doc
        .select(&sel("table.coverage tbody tr:not(.topic-row)"))
        .collect();
    assert_eq!(rows.len(), 13);
    let reported_by: String = rows[0]
        .select(&sel("td.reported-by"))
        .next()
        .unwrap()
        .text()
        .collect();
    assert!(
        reported_by.starts_with("Outlet 0") && reported_by.contains("; Outlet 1"),
        "{reported_by}"
    );
    assert_eq!(rows[0].select(&sel("td.reported-by a")).count(), 2);
    assert!(rows[1].value().classes().any(|c| c == "single"));
    // The single-source claims are listed under their outlets, and only
    // outlets with such claims get a heading.
    assert_eq!(doc.select(&sel(".only-columns h3")).count(), 12);
}

/// The inode of every file of a built site, by path.
#[cfg(unix)]
fn inodes(dir: &Path) -> BTreeMap<String, u64> {
    use std::os::unix::fs::MetadataExt;
    read_site(dir)
        .into_keys()
        .map(|path| {
            let ino = fs::metadata(dir.join(&path)).unwrap().ino();
            (path, ino)
        })
        .collect()
}

#[cfg(unix)]
#[test]
fn a_rebuild_writes_only_the_files_that_changed() {
    let briefing = tempfile::tempdir().unwrap();
    let root = briefing.path();
    common::copy_default_briefing(root);
    let out = root.join("public");
    let first = build_into(root, &out).unwrap_or_else(|_| panic!("the build fails"));
    assert_eq!(first.written, first.files);
    let before = inodes(&out);

    // No change: no file is written; every file is the same file as before.
    let again = build_into(root, &out).unwrap_or_else(|_| panic!("the build fails"));
    assert_eq!(again.written, 0);
    assert_eq!(inodes(&out), before);

    // One claim's text changed: only the pages that show it are new files.
    edit_claim_text(root, "roughly two hours");
    let edit = build_into(root, &out).unwrap_or_else(|_| panic!("the build fails"));
    let after = inodes(&out);
    let changed: Vec<&String> = after
        .iter()
        .filter(|(path, ino)| before.get(*path) != Some(*ino))
        .map(|(path, _)| path)
        .collect();
    assert_eq!(changed.len(), edit.written);
    assert!(
        changed.contains(&&"claims/two-hours.html".to_string()),
        "{changed:?}"
    );
    assert!(changed.len() < 15, "{changed:?}");
    for (path, bytes) in read_site(&out) {
        if !changed.contains(&&path) {
            assert!(
                !String::from_utf8_lossy(&bytes).contains("roughly two hours"),
                "{path}"
            );
        }
    }

    // A change of the theme leaves the annotations, which are written
    // straight into their file as they are made, as they were: the same file.
    let theme = fs::read_to_string(manifest().join("templates/404.html")).unwrap();
    fs::create_dir_all(root.join("templates")).unwrap();
    let changed = theme.replace(
        "{% endblock content %}",
        "<!-- changed -->{% endblock content %}",
    );
    assert_ne!(changed, theme);
    fs::write(root.join("templates/404.html"), changed).unwrap();
    build_into(root, &out).unwrap_or_else(|_| panic!("the build fails"));
    let themed = inodes(&out);
    assert_ne!(themed["404.html"], after["404.html"]);
    assert_eq!(themed["annotations.jsonld"], after["annotations.jsonld"]);
}

/// Whether a build stopped once it found its inputs and site unchanged.
fn stopped_early(outcome: &briefing::Outcome) -> bool {
    let stages: Vec<&str> = outcome.timings.laps().iter().map(|l| l.stage).collect();
    stages == ["inputs", "unchanged"]
}

#[test]
fn a_rebuild_with_no_change_stops_early_unless_the_site_or_its_inputs_changed() {
    let briefing = tempfile::tempdir().unwrap();
    let root = briefing.path();
    common::copy_default_briefing(root);
    common::remove_base_url(root);
    let out = root.join("public");
    let options = |base_url: Option<&str>| BuildOptions {
        root: root.to_path_buf(),
        output: Some(out.clone()),
        write: true,
        base_url: base_url.map(String::from),
        ..Default::default()
    };
    let run = |base_url| build(&options(base_url)).unwrap_or_else(|_| panic!("the build fails"));
    let first = run(None);
    let site = read_site(&out);
    assert!(root.join(".public.build.json").is_file());
    assert_eq!(first.diagnostics.len(), 1, "the no-base-url warning");

    // Nothing changed: the build stops after reading its inputs, with the
    // same counts and the same warning, and the site is untouched.
    let again = run(None);
    assert!(stopped_early(&again));
    assert_eq!(
        (again.written, again.files, again.pages, again.counts),
        (0, first.files, first.pages, first.counts)
    );
    assert_eq!(again.diagnostics, first.diagnostics);
    assert!(
        again
            .sources
            .render_all(&again.diagnostics)
            .contains("no-base-url"),
        "the warning is shown again"
    );
    assert_eq!(read_site(&out), site);

    // A file of the site removed, changed or added: a full build mends it.
    fs::remove_file(out.join("index.html")).unwrap();
    let mended = run(None);
    assert!(!stopped_early(&mended));
    assert_eq!(read_site(&out), site);
    let page = out.join("claims/two-hours.html");
    let mut bytes = fs::read(&page).unwrap();
    bytes[0] = b'X';
    fs::write(&page, &bytes).unwrap();
    assert_ne!(run(None).written, 0);
    assert_eq!(read_site(&out), site);
    fs::write(out.join("stray.html"), "stray").unwrap();
    run(None);
    assert_eq!(read_site(&out), site);
    fs::create_dir_all(out.join("claims/stray")).unwrap();
    fs::write(out.join("claims/stray/page.html"), "stray").unwrap();
    assert!(!stopped_early(&run(None)));
    assert_eq!(read_site(&out), site);

    // Another option or an edited input: a full build.
    let with_address = run(Some("https://example.org/b/"));
    assert!(!stopped_early(&with_address));
    assert!(out.join("feed.xml").is_file());
    let claims = root.join("content/annotations/claims.yaml");
    let text = fs::read_to_string(&claims).unwrap();
    fs::write(
        &claims,
        text.replace("about two hours", "roughly two hours"),
    )
    .unwrap();
    run(Some("https://example.org/b/"));
    let page = fs::read_to_string(out.join("claims/two-hours.html")).unwrap();
    assert!(page.contains("roughly two hours"));
}

#[test]
fn the_front_page_of_a_large_briefing_shows_the_key_claims_and_links_to_the_rest() {
    let briefing = many_outlets(briefing::render::pages::HOME_LIST + 1);
    let (_out, site) = built(briefing.path());
    let doc = Html::parse_document(page(&site, "index.html"));
    let cards = doc.select(&sel(".claim-list > li")).count();
    assert_eq!(cards, briefing::render::pages::HOME_CLAIMS_PER_TOPIC);
    let more: String = doc
        .select(&sel("p.more a"))
        .next()
        .unwrap()
        .text()
        .collect();
    assert_eq!(more, "11 more claims in “Other claims”");
    // The claim two outlets report is among the key claims.
    assert!(
        doc.select(&sel("a[href='claims/c0.html']"))
            .next()
            .is_some()
    );
    let links: Vec<String> = doc
        .select(&sel(".briefing-side p a"))
        .map(|a| a.text().collect())
        .collect();
    assert!(links.contains(&"All 31 sources".to_string()), "{links:?}");
    assert_eq!(doc.select(&sel("#sources-heading + ul > li")).count(), 30);
    // The claims page still lists every claim.
    let claims = Html::parse_document(page(&site, "claims/index.html"));
    assert_eq!(claims.select(&sel(".claim-list > li")).count(), 31);
}

/// The JSON-LD blocks of a page, parsed.
fn json_ld(html: &str) -> Vec<serde_json::Value> {
    let doc = Html::parse_document(html);
    doc.select(&sel("script[type='application/ld+json']"))
        .map(|s| {
            let text: String = s.text().collect();
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
        })
        .collect()
}

#[test]
fn pages_describe_themselves_in_schema_org_json_ld_and_open_graph() {
    let root = manifest().join("tests/fixtures/other-briefing");
    let (_dir, site) = built(&root);
    let mut reviews = 0;
    for (path, bytes) in &site {
        if !path.ends_with(".html") {
            continue;
        }
        let html = std::str::from_utf8(bytes).unwrap();
        let doc = Html::parse_document(html);
        // JSON-LD is the only inline script, and it is data.
        for script in doc.select(&sel("script")) {
            let kind = script.value().attr("type");
            let inline = script.value().attr("src").is_none();
            assert!(
                !inline || kind == Some("application/ld+json"),
                "{path}: inline script"
            );
        }
        let ld = json_ld(html);
        let types: Vec<&str> = ld.iter().map(|v| v["@type"].as_str().unwrap()).collect();
        for v in &ld {
            assert_eq!(v["@context"], "https://schema.org", "{path}");
        }
        if path.starts_with("articles/") && path != "articles/index.html" {
            assert_eq!(types, ["NewsArticle"], "{path}");
            assert!(ld[0]["headline"].is_string() && ld[0]["publisher"]["name"].is_string());
            assert!(
                ld[0]["url"].as_str().unwrap().starts_with("https://"),
                "{path}"
            );
        } else if path.starts_with("claims/") && path != "claims/index.html" {
            let status = doc
                .select(&sel("main .status-label"))
                .next()
                .map(|e| e.text().collect::<String>())
                .unwrap_or_default();
            let verdict = matches!(status.trim(), "confirmed" | "disputed" | "false");
            assert_eq!(
                types,
                [if verdict { "ClaimReview" } else { "Claim" }],
                "{path} ({status})"
            );
            let claim = if verdict {
                &ld[0]["itemReviewed"]
            } else {
                &ld[0]
            };
            assert_eq!(claim["@type"], "Claim");
            assert!(!claim["appearance"].as_array().unwrap().is_empty());
            if verdict {
                reviews += 1;
                let rating = &ld[0]["reviewRating"];
                assert_eq!(
                    (
                        rating["worstRating"].as_u64(),
                        rating["bestRating"].as_u64()
                    ),
                    (Some(1), Some(5))
                );
                assert_eq!(
                    rating["alternateName"]
                        .as_str()
                        .map(str::to_lowercase)
                        .as_deref(),
                    Some(status.trim())
                );
            }
        } else {
            assert!(ld.is_empty(), "{path}");
        }
        // Open Graph, and a canonical address under base_url.
        let og = doc.select(&sel("meta[property='og:title']")).count();
        assert_eq!(og, 1, "{path}");
        if path != "404.html" {
            let canonical = doc.select(&sel("link[rel=canonical]")).next().unwrap();
            assert_eq!(
                canonical.value().attr("href").unwrap(),
                format!("https://example.org/briefings/petro/{path}")
            );
        }
    }
    assert!(reviews > 0, "the fixture has claims with a verdict");
}

#[test]
fn the_feed_is_atom_with_an_entry_per_article_and_claim() {
    let (_dir, site) = built(&manifest());
    let feed =
        feed_rs::parser::parse(&site["feed.xml"][..]).expect("an Atom parser reads the feed");
    assert_eq!(feed.feed_type, feed_rs::model::FeedType::Atom);
    assert_eq!(
        feed.title.unwrap().content,
        "Trump and Petro meet at the White House"
    );
    assert_eq!(feed.entries.len(), 2 + 46);
    let base = "https://briefing.example/trump-petro/";
    for entry in &feed.entries {
        let href = &entry.links[0].href;
        assert!(href.starts_with(base), "{href}");
        let path = &href[base.len()..];
        assert!(site.contains_key(path), "{href} is not a page of the site");
        assert!(entry.updated.is_some(), "{href}");
        assert!(entry.title.is_some() && entry.summary.is_some(), "{href}");
    }
    let article = feed
        .entries
        .iter()
        .find(|e| e.links[0].href.ends_with("articles/myind-2026-02-04.html"))
        .unwrap();
    assert_eq!(
        article.updated.unwrap().to_rfc3339(),
        "2026-02-04T17:23:00+00:00"
    );
    assert_eq!(article.authors[0].name.as_deref(), Some("Myind Staff"));
}

#[test]
fn the_sitemap_lists_every_page_but_the_404_page_under_base_url() {
    let (_dir, site) = built(&manifest());
    let text = std::str::from_utf8(&site["sitemap.xml"]).unwrap();
    let doc = roxmltree::Document::parse(text).expect("well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "urlset");
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://www.sitemaps.org/schemas/sitemap/0.9")
    );
    let locs: HashSet<String> = root
        .descendants()
        .filter(|n| n.tag_name().name() == "loc")
        .map(|n| n.text().unwrap().to_string())
        .collect();
    let pages: HashSet<String> = site
        .keys()
        .filter(|p| p.ends_with(".html") && *p != "404.html")
        .map(|p| format!("https://briefing.example/trump-petro/{p}"))
        .collect();
    assert_eq!(locs, pages);
}

#[test]
fn without_base_url_there_is_no_feed_nor_sitemap_and_a_warning_says_how() {
    let many = tempfile::tempdir().unwrap();
    common::copy_default_briefing(many.path());
    common::remove_base_url(many.path());
    let out = many.path().join("public");
    let outcome = build(&BuildOptions {
        root: many.path().to_path_buf(),
        output: Some(out.clone()),
        deny_warnings: false,
        write: true,
        progress: None,
        base_url: None,
        limits: Default::default(),
    })
    .unwrap_or_else(|_| panic!("the build fails"));
    assert!(!out.join("feed.xml").exists() && !out.join("sitemap.xml").exists());
    let warning = outcome
        .diagnostics
        .iter()
        .find(|d| d.code.name() == "no-base-url")
        .expect("a warning");
    assert!(warning.help.as_deref().unwrap().contains("--base-url"));
    // --base-url on the command line brings them back.
    build(&BuildOptions {
        root: many.path().to_path_buf(),
        output: Some(out.clone()),
        deny_warnings: true,
        write: true,
        progress: None,
        base_url: Some("https://example.net/x".into()),
        limits: Default::default(),
    })
    .unwrap_or_else(|_| panic!("the build fails"));
    let feed = fs::read_to_string(out.join("feed.xml")).unwrap();
    assert!(feed.contains("<id>https://example.net/x/feed.xml</id>"));
}

/// `serve` keeps the pages of one build for the next: a page is rendered
/// again only when its data, template or theme changed. The fingerprint of
/// a page's data must be the same from build to build, or nothing is reused.
#[test]
fn a_cache_of_pages_renders_again_only_what_an_edit_changed() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    common::copy_default_briefing(root);
    let options = in_memory(root);
    let cache = briefing::render::Cache::default();
    let build_from = |cache| match briefing::build_with(&options, Some(cache)) {
        Ok((outcome, files)) => {
            let files: BTreeMap<String, Vec<u8>> =
                files.into_iter().map(|f| (f.path, f.bytes)).collect();
            (outcome.pages, files)
        }
        Err(Failure::Content {
            diagnostics,
            sources,
        }) => panic!("{}", sources.render_all(&diagnostics)),
        Err(Failure::Io(e) | Failure::Usage(e)) => panic!("{e:#}"),
    };
    let build = || build_from(&cache);
    let (pages, first) = build();
    assert_eq!(cache.hits(), 0);
    let (_, again) = build();
    assert_eq!(
        cache.hits(),
        pages,
        "an unchanged briefing reuses every page"
    );
    assert_eq!(first, again);

    edit_claim_text(root, "about three hours");
    let (pages, third) = build();
    let rendered = pages - cache.hits();
    // What the cache gave is what a build from nothing gives.
    let (_, fresh) = build_from(&briefing::render::Cache::default());
    assert_eq!(
        third.keys().collect::<Vec<_>>(),
        fresh.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &fresh {
        assert!(
            third[path] == *bytes,
            "{path} is not as a build from nothing makes it"
        );
    }
    // The claim's page, the articles that quote it, the lists of claims and
    // the glossary entries it names; not the rest.
    assert!(
        (3..pages / 3).contains(&rendered),
        "{rendered} of {pages} pages rendered again"
    );
    // Pages only: the data files (annotations.jsonld, the feed) are made
    // anew in every build.
    let changed: Vec<&String> = third
        .iter()
        .filter(|(path, _)| path.ends_with(".html"))
        .filter(|(path, bytes)| first.get(*path) != Some(*bytes))
        .map(|(path, _)| path)
        .collect();
    assert!(changed.len() <= rendered, "{changed:?}");
    let page = changed
        .iter()
        .find(|p| p.starts_with("claims/") && !p.ends_with("index.html"))
        .expect("the claim's page changed");
    assert!(String::from_utf8_lossy(&third[*page]).contains("about three hours"));
}

/// Rewrites the text of the default briefing's claim `two-hours` at `root`:
/// "The meeting lasted `how_long`."
fn edit_claim_text(root: &Path, how_long: &str) {
    let claims = root.join("content/annotations/claims.yaml");
    let yaml = fs::read_to_string(&claims).unwrap();
    let edited = yaml.replacen(
        "text: The meeting lasted about two hours.",
        &format!("text: The meeting lasted {how_long}."),
        1,
    );
    assert_ne!(yaml, edited);
    fs::write(&claims, edited).unwrap();
}

/// The sources, claims and coverage pages, rendered a row at a time into the written
/// site, are byte for byte what rendering them from their whole data gives
/// (as `serve` does, and as a theme whose page has no row loop gets).
#[test]
fn pages_rendered_a_row_at_a_time_match_pages_rendered_from_their_data() {
    let (_dir, written) = built(&manifest());
    let options = in_memory(&manifest());
    let cache = briefing::render::Cache::default();
    let Ok((_, files)) = briefing::build_with(&options, Some(&cache)) else {
        panic!("the default briefing builds in memory");
    };
    for path in [
        "articles/index.html",
        "claims/index.html",
        "coverage/index.html",
    ] {
        let from_data = &files.iter().find(|f| f.path == path).unwrap().bytes;
        assert!(
            from_data == &written[path],
            "{path} differs rendered from data"
        );
    }
    // Rows are there either way: one per claim.
    let claims = Html::parse_document(page(&written, "claims/index.html"))
        .select(&sel(".claim-card"))
        .count();
    let rows = Html::parse_document(page(&written, "coverage/index.html"))
        .select(&sel("tbody tr:not(.topic-row)"))
        .count();
    assert!(claims > 10, "{claims} claim cards");
    assert_eq!(rows, claims);
}

/// A briefing's own coverage page, written before rows had a template of
/// their own (its rows inline in its loop), is rendered from its data.
#[test]
fn a_coverage_page_with_its_rows_inline_still_shows_every_row() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&manifest().join("content"), &dir.path().join("content"));
    let theme = manifest().join("templates");
    let row = fs::read_to_string(theme.join("partials/coverage-row.html")).unwrap();
    let template = fs::read_to_string(theme.join("coverage.html")).unwrap();
    let include = r#"{% include "partials/coverage-row.html" %}"#;
    assert!(template.contains(include));
    fs::create_dir_all(dir.path().join("templates")).unwrap();
    fs::write(
        dir.path().join("templates/coverage.html"),
        template.replace(include, &format!("{row}<!-- inline -->")),
    )
    .unwrap();
    let (_out, site) = built(dir.path());
    let coverage = page(&site, "coverage/index.html");
    let claims = page(&site, "claims/index.html")
        .matches("claim-card status-")
        .count();
    assert!(claims > 10, "{claims} claim cards");
    assert_eq!(coverage.matches("<!-- inline -->").count(), claims);
}

/// A briefing's own row template that shows its group (`g`, the loop
/// variable of the page around it) cannot render a row on its own: the
/// page is rendered from its data, and every row shows its topic.
#[test]
fn a_row_template_that_needs_its_group_renders_from_the_page_data() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&manifest().join("content"), &dir.path().join("content"));
    let row = fs::read_to_string(manifest().join("templates/partials/coverage-row.html")).unwrap();
    fs::create_dir_all(dir.path().join("templates/partials")).unwrap();
    fs::write(
        dir.path().join("templates/partials/coverage-row.html"),
        row.replace(
            "<td class=\"total\">",
            "<td class=\"topic\">{{ g.title }}</td><td class=\"total\">",
        ),
    )
    .unwrap();
    let (_out, site) = built(dir.path());
    let topics: Vec<String> = Html::parse_document(page(&site, "coverage/index.html"))
        .select(&sel("td.topic"))
        .map(|td| td.text().collect())
        .collect();
    let claims = page(&site, "claims/index.html")
        .matches("claim-card status-")
        .count();
    assert_eq!(topics.len(), claims);
    assert_eq!(topics[0], "The meeting");
}
