//! `annotations.jsonld`: every annotation is checked against the W3C Web
//! Annotation test suite's JSON Schemas (tests/data/web-annotation-tests,
//! under the W3C test suite licence in its license.md), and every
//! TextQuoteSelector finds exactly one place in its article: the highlighted
//! one.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use briefing::markdown::Doc;
use briefing::normalize::normalize;
use briefing::{BuildOptions, build};
use jsonschema::{Registry, Validator};
use serde_json::Value;

const SUITE: &str = "https://www.w3.org/annotation-model/tests/";

fn manifest() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Builds the default briefing (with `base_url` when given) and returns
/// `annotations.jsonld`.
fn built(base_url: Option<&str>) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    // The default briefing without its base_url, unless one is given.
    let root = dir.path().join("briefing");
    common::copy_default_briefing(&root);
    common::remove_base_url(&root);
    build(&BuildOptions {
        root: root.clone(),
        output: Some(out.clone()),
        deny_warnings: base_url.is_some(),
        write: true,
        progress: None,
        base_url: base_url.map(str::to_string),
        limits: Default::default(),
    })
    .unwrap_or_else(|_| panic!("the default briefing builds"));
    serde_json::from_str(&fs::read_to_string(out.join("annotations.jsonld")).unwrap()).unwrap()
}

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap()
}

/// The suite's schemas of the given assertion types, compiled, by file name.
fn suite_validators(kinds: &[&str]) -> Vec<(String, Validator)> {
    let data = manifest().join("tests/data/web-annotation-tests");
    let mut registry = Registry::new();
    for entry in fs::read_dir(data.join("definitions")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        registry = registry
            .add(format!("{SUITE}{name}"), read_json(&path))
            .unwrap();
    }
    let registry = registry.prepare().unwrap();
    let mut validators = Vec::new();
    let mut names: Vec<PathBuf> = fs::read_dir(data.join("annotations"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    names.sort();
    for path in names {
        let schema = read_json(&path);
        if !kinds.contains(&schema["assertionType"].as_str().unwrap_or("")) {
            continue;
        }
        assert_eq!(schema["expectedResult"], "valid");
        let validator = jsonschema::options()
            .with_base_uri(SUITE)
            .with_registry(&registry)
            .build(&schema)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        validators.push((
            path.file_name().unwrap().to_string_lossy().into_owned(),
            validator,
        ));
    }
    validators
}

fn items(collection: &Value) -> &Vec<Value> {
    collection["first"]["items"].as_array().unwrap()
}

#[test]
fn every_annotation_passes_the_w3c_schemas() {
    let validators = suite_validators(&["must"]);
    assert!(validators.len() >= 13, "only {} schemas", validators.len());
    for base in [None, Some("https://example.org/briefing/")] {
        let collection = built(base);
        assert_eq!(collection["@context"], "http://www.w3.org/ns/anno.jsonld");
        assert_eq!(collection["type"], "AnnotationCollection");
        let items = items(&collection);
        assert_eq!(collection["total"], items.len());
        assert!(items.len() >= 90, "{} annotations", items.len());
        for item in items {
            for (name, validator) in &validators {
                let errors: Vec<String> =
                    validator.iter_errors(item).map(|e| e.to_string()).collect();
                assert!(
                    errors.is_empty(),
                    "{name} rejects {}:\n{}",
                    item["id"],
                    errors.join("\n")
                );
            }
        }
    }
}

#[test]
fn the_recommended_properties_are_there() {
    let should = suite_validators(&["should"]);
    let collection = built(Some("https://example.org/b/"));
    let first = &items(&collection)[0];
    let passed: Vec<&str> = should
        .iter()
        .filter(|(_, v)| v.is_valid(first))
        .map(|(name, _)| name.as_str())
        .collect();
    for name in EXPECTED_SHOULD {
        assert!(passed.contains(name), "{name} fails: {passed:?}");
    }
}

/// The suite's "should" assertions the annotations meet: a body, when they
/// were made (the briefing's date), by whom (its authors, by name) and why.
const EXPECTED_SHOULD: &[&str] = &[
    "3.1-bodyKeyFound.json",
    "3.3.1-annotationCreatedImplemented.json",
    "3.3.1-annotationSingleCreatorImplemented.json",
    "3.3.2-annotationCreatorAgentSingleNameImplemented.json",
    "3.3.5-annotationSingleMotivationImplemented.json",
];

#[test]
fn the_w3c_schemas_reject_a_broken_annotation() {
    // The validators are real: an annotation without @context or target fails.
    let validators = suite_validators(&["must"]);
    let collection = built(None);
    let mut broken = items(&collection)[0].clone();
    broken.as_object_mut().unwrap().remove("@context");
    broken.as_object_mut().unwrap().remove("target");
    let failing = validators
        .iter()
        .filter(|(_, v)| !v.is_valid(&broken))
        .count();
    assert!(failing >= 2, "only {failing} schemas reject it");
}

#[test]
fn addresses_are_under_base_url_and_stable_urns_without() {
    let collection = built(Some("https://example.org/briefing"));
    assert_eq!(
        collection["id"],
        "https://example.org/briefing/annotations.jsonld"
    );
    let first = &items(&collection)[0];
    assert_eq!(
        first["id"],
        "https://example.org/briefing/articles/myind-2026-02-04.html#q-cordial-meeting-1"
    );
    assert_eq!(
        first["target"]["source"],
        "https://example.org/briefing/articles/myind-2026-02-04.html"
    );
    assert_eq!(first["created"], "2026-11-23T00:00:00Z");
    assert_eq!(first["creator"]["name"], "Briefing desk");
    // Without base_url, ids and targets are still absolute: stable URNs.
    let collection = built(None);
    let first = &items(&collection)[0];
    let source = first["target"]["source"].as_str().unwrap();
    assert!(source.starts_with("urn:uuid:"), "{source}");
    let id = first["id"].as_str().unwrap();
    assert!(id.starts_with("urn:uuid:") && id.len() == 45, "{id}");
    assert_ne!(id, source);
    assert_eq!(
        built(None)["first"]["items"][0]["id"],
        id,
        "the same in every build"
    );
}

/// Every start of `needle` in `text`, overlapping ones included.
fn occurrences(text: &str, needle: &str) -> Vec<usize> {
    (0..text.len())
        .filter(|&i| text.is_char_boundary(i) && text[i..].starts_with(needle))
        .collect()
}

#[test]
fn each_quote_selector_finds_exactly_the_highlighted_place() {
    let base = "https://example.org/b/";
    let collection = built(Some(base));
    let site = tempfile::tempdir().unwrap();
    let out = site.path().join("public");
    build(&BuildOptions {
        root: manifest(),
        output: Some(out.clone()),
        deny_warnings: true,
        write: true,
        progress: None,
        base_url: Some(base.to_string()),
        limits: Default::default(),
    })
    .unwrap_or_else(|_| panic!("the default briefing builds"));
    let mut checked = 0;
    for item in items(&collection) {
        let source = item["target"]["source"]
            .as_str()
            .unwrap()
            .trim_start_matches(base);
        let article = source
            .trim_start_matches("articles/")
            .trim_end_matches(".html");
        let file =
            fs::read_to_string(manifest().join(format!("content/articles/{article}.md"))).unwrap();
        let (_, body, _) = briefing::load::split_front_matter(&file).unwrap();
        let text = Doc::parse(body, false).text;
        let selectors = item["target"]["selector"].as_array().unwrap();
        let quote = &selectors[0];
        assert_eq!(quote["type"], "TextQuoteSelector");
        let (prefix, exact, suffix) = (
            quote["prefix"].as_str().unwrap(),
            quote["exact"].as_str().unwrap(),
            quote["suffix"].as_str().unwrap(),
        );
        let whole = format!("{prefix}{exact}{suffix}");
        let found = occurrences(&text, &whole);
        assert_eq!(
            found.len(),
            1,
            "{}: {whole:?} is found {} times",
            item["id"],
            found.len()
        );
        assert!(
            prefix.chars().count() >= 32 || found[0] == 0,
            "{}",
            item["id"]
        );

        // The place found is the highlight: the marked text of the anchor.
        let anchor = item["id"].as_str().unwrap().split('#').nth(1).unwrap();
        let page = fs::read_to_string(out.join(source)).unwrap();
        let doc = scraper::Html::parse_document(&page);
        let marks = scraper::Selector::parse(&format!("[data-quote='{anchor}']")).unwrap();
        let marked: String = doc.select(&marks).flat_map(|m| m.text()).collect();
        assert_eq!(normalize(&marked), normalize(exact), "{anchor}");

        // The position selector points at the same words in the normalised text.
        let position = &selectors[1];
        assert_eq!(position["type"], "TextPositionSelector");
        let normalised: Vec<char> = normalize(&text).chars().collect();
        let (start, end) = (
            position["start"].as_u64().unwrap() as usize,
            position["end"].as_u64().unwrap() as usize,
        );
        let at: String = normalised[start..end].iter().collect();
        assert_eq!(at, normalize(exact), "{anchor}");
        checked += 1;
    }
    assert!(checked >= 90);
}
