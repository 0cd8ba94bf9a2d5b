//! The JSON Schemas of `briefing schema`, checked with a real JSON Schema
//! validator: the copies in schemas/ are current, every YAML file of the
//! default briefing (and of `init` and the fixture briefing) is valid and
//! points at its schema, and wrong files are rejected.

use std::fs;
use std::path::{Path, PathBuf};

use briefing::schema::{self, Kind};
use serde_json::Value;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn validator(kind: Kind) -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(&kind.json()).expect("the schema is JSON");
    jsonschema::meta::validate(&schema).expect("the schema is a valid draft 2020-12 schema");
    jsonschema::validator_for(&schema).expect("the schema compiles")
}

/// YAML as the JSON value a language server checks against the schema.
fn json_of_yaml(yaml: &str) -> Value {
    if yaml.trim().lines().all(|l| l.trim_start().starts_with('#')) {
        return Value::Null;
    }
    serde_saphyr::from_str(yaml).expect("the YAML parses")
}

/// The errors the schema of `kind` finds in `yaml`, one line each.
fn errors(kind: Kind, yaml: &str) -> Vec<String> {
    let instance = json_of_yaml(yaml);
    validator(kind)
        .iter_errors(&instance)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

/// Every YAML file of a briefing, with the kind of schema it follows.
fn yaml_files(root: &Path) -> Vec<(PathBuf, Kind, String)> {
    let mut files = vec![(
        PathBuf::from("content/briefing.yaml"),
        Kind::Briefing,
        fs::read_to_string(root.join("content/briefing.yaml")).unwrap(),
    )];
    for (dir, kind) in [
        ("content/annotations", Kind::Annotations),
        ("content/articles", Kind::FrontMatter),
    ] {
        let mut names: Vec<PathBuf> = fs::read_dir(root.join(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        names.sort();
        for path in names {
            let text = fs::read_to_string(&path).unwrap();
            let yaml = match kind {
                Kind::FrontMatter => briefing::load::split_front_matter(&text)
                    .expect("the article has front matter")
                    .0
                    .to_string(),
                _ => text,
            };
            files.push((path.strip_prefix(root).unwrap().to_path_buf(), kind, yaml));
        }
    }
    files
}

fn assert_valid_briefing(root: &Path) {
    let files = yaml_files(root);
    assert!(files.len() >= 4, "found only {files:?}");
    for (file, kind, yaml) in files {
        let found = errors(kind, &yaml);
        assert!(
            found.is_empty(),
            "{}: the schema rejects a valid file:\n{}",
            file.display(),
            found.join("\n")
        );
    }
}

#[test]
fn the_schema_files_in_the_repository_are_current() {
    let stale = schema::stale(repo()).unwrap();
    assert!(
        stale.is_empty(),
        "{stale:?} differ from `briefing schema`: run `cargo run -- schema --write`"
    );
}

#[test]
fn every_yaml_file_of_the_default_briefing_is_valid() {
    assert_valid_briefing(repo());
}

#[test]
fn the_fixture_and_init_briefings_are_valid() {
    assert_valid_briefing(&repo().join("tests/fixtures/other-briefing"));
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("new");
    briefing::init::init(&root).unwrap();
    assert_valid_briefing(&root);
    assert!(
        schema::stale(&root).unwrap().is_empty(),
        "init writes the schemas"
    );
}

#[test]
fn every_yaml_file_points_at_its_schema_on_its_first_line() {
    let dir = tempfile::tempdir().unwrap();
    let init = dir.path().join("new");
    briefing::init::init(&init).unwrap();
    for root in [repo(), init.as_path()] {
        for (file, kind, yaml) in yaml_files(root) {
            if kind == Kind::FrontMatter {
                continue;
            }
            let depth = file.components().count() - 1;
            let first = yaml.lines().next().unwrap_or("");
            assert_eq!(first, schema::modeline(kind, depth), "{}", file.display());
            let target = first.split("$schema=").nth(1).unwrap();
            let schema_path = root.join(&file).parent().unwrap().join(target);
            assert!(
                schema_path.is_file(),
                "{} points at nothing",
                file.display()
            );
        }
    }
}

#[test]
fn unknown_keys_are_rejected() {
    let found = errors(Kind::Annotations, "claimz: []\n");
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].contains("claimz"), "{found:?}");

    let found = errors(
        Kind::Annotations,
        "claims:\n  - id: a\n    text: T\n    sources:\n      - article: b\n        quote: Q\n        quotes: R\n",
    );
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].starts_with("/claims/0/sources/0:"), "{found:?}");
    assert!(found[0].contains("quotes"), "{found:?}");

    let found = errors(Kind::Briefing, "title: T\ntopic: []\n");
    assert!(found.iter().any(|e| e.contains("topic")), "{found:?}");

    let found = errors(Kind::FrontMatter, "title: T\noutlet: O\npublisher: P\n");
    assert!(found.iter().any(|e| e.contains("publisher")), "{found:?}");
}

#[test]
fn wrong_values_and_missing_keys_are_rejected() {
    let cases = [
        // An id against the rule, a kind that does not exist.
        (
            Kind::Annotations,
            "actors:\n  - id: Petro\n    name: P\n    kind: person\n",
            "/actors/0/id",
        ),
        (
            Kind::Annotations,
            "actors:\n  - id: p\n    name: P\n    kind: president\n",
            "/actors/0/kind",
        ),
        // A status and a relation outside their lists; a claim without sources.
        (
            Kind::Annotations,
            "claims:\n  - id: a\n    text: T\n    status: likely\n    sources: [{article: b, quote: Q}]\n",
            "/claims/0/status",
        ),
        (
            Kind::Annotations,
            "claims:\n  - id: a\n    text: T\n    sources: [{article: b, quote: Q}]\n    related: [{claim: c, relation: refutes}]\n",
            "/claims/0/related/0/relation",
        ),
        (
            Kind::Annotations,
            "claims:\n  - id: a\n    text: T\n    sources: []\n",
            "/claims/0/sources",
        ),
        // A date in no allowed form; an occurrence of 0.
        (
            Kind::Annotations,
            "events:\n  - id: e\n    date: 4 February 2026\n    title: T\n",
            "/events/0/date",
        ),
        (
            Kind::Annotations,
            "events:\n  - id: e\n    date: 2026\n    title: T\n    sources: [{article: b, quote: Q, occurrence: 0}]\n",
            "/events/0/sources/0/occurrence",
        ),
        // A required key missing.
        (Kind::FrontMatter, "title: T\n", ""),
        (Kind::Briefing, "summary: S\n", ""),
    ];
    for (kind, yaml, path) in cases {
        let found = errors(kind, yaml);
        assert!(
            found.iter().any(|e| e.starts_with(&format!("{path}:"))),
            "expected an error at `{path}` for\n{yaml}\ngot {found:?}"
        );
    }
}

#[test]
fn values_the_build_accepts_are_accepted() {
    // A bare year is a number in YAML, and a number is a fine title; empty
    // optional keys are null.
    let yaml = "events:\n  - id: 2026\n    date: 2026\n    title: 1984\n    description:\n";
    assert_eq!(errors(Kind::Annotations, yaml), Vec::<String>::new());
    let yaml = "title: T\noutlet: O\npublished: 2026-02-04T17:23\nurl: https://example.org/a\n";
    assert_eq!(errors(Kind::FrontMatter, yaml), Vec::<String>::new());
}
