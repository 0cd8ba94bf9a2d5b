//! Helpers shared by the end-to-end tests; each test file uses some of them.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

/// The folders of `tests/errors/`, each a briefing with one defect, in name order.
pub fn error_cases() -> Vec<std::path::PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/errors");
    let mut cases: Vec<_> = fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    cases
}

/// Copies the default briefing's `content/` into `root`.
pub fn copy_default_briefing(root: &Path) {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    for entry in walkdir::WalkDir::new(manifest.join("content")) {
        let entry = entry.unwrap();
        let target = root.join(entry.path().strip_prefix(manifest).unwrap());
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).unwrap();
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Removes the `base_url:` line of the briefing at `root`.
pub fn remove_base_url(root: &Path) {
    let file = root.join("content/briefing.yaml");
    let yaml = fs::read_to_string(&file).unwrap();
    let without: String = yaml
        .lines()
        .filter(|l| !l.starts_with("base_url:"))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_ne!(without, yaml, "the briefing has a base_url");
    fs::write(&file, without).unwrap();
}

/// Every file of a built site, by path relative to its root (`/` separators).
pub fn read_site(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let path = e.path().strip_prefix(dir).unwrap().to_string_lossy();
            (path.replace('\\', "/"), fs::read(e.path()).unwrap())
        })
        .collect()
}

/// The text of every highlight, by its anchor: the text of all elements
/// carrying `data-quote="ANCHOR"`, in document order. Pieces in separate
/// paragraphs join without the break between them, so compare with
/// [`squeeze`].
pub fn highlights(html: &str) -> BTreeMap<String, String> {
    let doc = scraper::Html::parse_document(html);
    let mut out: BTreeMap<String, String> = BTreeMap::new();
    let selector = scraper::Selector::parse("[data-quote]").unwrap();
    for el in doc.select(&selector) {
        let anchor = el.value().attr("data-quote").unwrap().to_string();
        let text: String = el.text().collect();
        out.entry(anchor).or_default().push_str(&text);
    }
    out
}

/// A text normalised as quotes are, without any white space.
pub fn squeeze(text: &str) -> String {
    briefing::normalize::normalize(text).replace(' ', "")
}
