//! The docs stay true to the program: every key of the shipped schemas is
//! in `docs/format.md`, every kind of file a build writes in
//! `docs/site.md`, every command's `--help` in `docs/cli.md`, every
//! dependency in `docs/dependencies.md`; `docs/diagnostics.md` is what the
//! list of codes and their error cases make it (`UPDATE_DOCS=1` writes
//! it); and no file of the project refers to a document it does not hold.

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use briefing::diagnostic::{CODES, Severity};

fn project() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read(relative: &str) -> String {
    fs::read_to_string(project().join(relative)).unwrap_or_else(|e| panic!("{relative}: {e}"))
}

/// Every property name anywhere in a JSON Schema.
fn keys(schema: &serde_json::Value, out: &mut BTreeSet<String>) {
    match schema {
        serde_json::Value::Object(map) => {
            if let Some(serde_json::Value::Object(properties)) = map.get("properties") {
                out.extend(properties.keys().cloned());
            }
            map.values().for_each(|v| keys(v, out));
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| keys(v, out)),
        _ => {}
    }
}

#[test]
fn every_key_of_the_shipped_schemas_is_in_the_format_docs() {
    let format = read("docs/format.md");
    let mut missing = Vec::new();
    let mut all = BTreeSet::new();
    for entry in fs::read_dir(project().join("schemas")).unwrap().flatten() {
        let schema: serde_json::Value =
            serde_json::from_str(&fs::read_to_string(entry.path()).unwrap()).unwrap();
        let mut found = BTreeSet::new();
        keys(&schema, &mut found);
        for key in &found {
            if !format.contains(&format!("`{key}`")) {
                missing.push(format!(
                    "{} in {}",
                    key,
                    entry.file_name().to_string_lossy()
                ));
            }
        }
        all.extend(found);
    }
    assert!(
        all.contains("occurrence") && all.contains("link_mentions"),
        "{all:?}"
    );
    assert!(missing.is_empty(), "not in docs/format.md: {missing:?}");
}

/// The kind of a file of the site: `claims/ID.html` for a claim's page,
/// `style.HASH.css` for the stylesheet.
fn kind(path: &str) -> String {
    let mut kind = path.to_string();
    for dir in ["articles", "claims", "actors", "terms"] {
        if let Some(name) = path.strip_prefix(&format!("{dir}/"))
            && name.ends_with(".html")
            && name != "index.html"
        {
            kind = format!("{dir}/ID.html");
        }
    }
    let parts: Vec<&str> = kind.split('.').collect();
    parts
        .iter()
        .map(|p| {
            if p.len() == 10 && p.bytes().all(|b| b.is_ascii_hexdigit()) {
                "HASH"
            } else {
                p
            }
        })
        .collect::<Vec<_>>()
        .join(".")
}

#[test]
fn every_kind_of_file_a_build_writes_is_in_the_site_docs() {
    let site = read("docs/site.md");
    let out = tempfile::tempdir().unwrap();
    let options = briefing::BuildOptions {
        root: project().to_path_buf(),
        output: Some(out.path().join("site")),
        write: true,
        base_url: Some("https://example.org/briefing/".into()),
        ..Default::default()
    };
    if briefing::build(&options).is_err() {
        panic!("the default briefing builds");
    }
    let mut kinds = BTreeSet::new();
    for entry in walkdir::WalkDir::new(out.path().join("site")) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let relative = entry.path().strip_prefix(out.path().join("site")).unwrap();
            kinds.insert(kind(&relative.to_string_lossy().replace('\\', "/")));
        }
    }
    assert!(
        kinds.contains("claims/ID.html") && kinds.contains("feed.xml"),
        "{kinds:?}"
    );
    let missing: Vec<&String> = kinds
        .iter()
        .filter(|k| !site.contains(&format!("`{k}`")))
        .collect();
    assert!(missing.is_empty(), "not in docs/site.md: {missing:?}");
}

fn help(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_briefing"))
        .args(args)
        .arg("--help")
        .output()
        .expect("briefing runs");
    String::from_utf8(out.stdout).expect("help is UTF-8")
}

#[test]
fn the_command_line_docs_hold_every_commands_help_as_printed() {
    let cli = read("docs/cli.md");
    let top = help(&[]);
    let commands: Vec<&str> = top
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .collect();
    assert!(commands.len() >= 6, "{top}");
    let mut differ = Vec::new();
    for (name, text) in std::iter::once(("briefing".to_string(), top.clone())).chain(
        commands
            .iter()
            .map(|c| (format!("briefing {c}"), help(&[c]))),
    ) {
        if !cli.contains(&format!("```text\n{text}```")) {
            differ.push(name);
        }
    }
    for c in &commands {
        assert!(
            cli.contains(&format!("## `briefing {c}`")),
            "{c} has no section"
        );
    }
    assert!(
        differ.is_empty(),
        "docs/cli.md does not hold the --help of {differ:?} as printed; paste it again"
    );
}

/// The first diagnostic of `code` in an error case's expected output.
fn example(expected: &str, name: &str) -> Option<String> {
    expected
        .split("\n\n")
        .find(|block| {
            block.starts_with(&format!("error[{name}]"))
                || block.starts_with(&format!("warning[{name}]"))
        })
        .map(|block| block.trim_end().to_string())
}

/// `docs/diagnostics.md`, made from the list of codes and, for each, the
/// first error case that shows it.
fn diagnostics_docs() -> (String, Vec<&'static str>) {
    let cases = common::error_cases();
    let outputs: Vec<(String, String)> = cases
        .iter()
        .map(|case| {
            (
                case.file_name().unwrap().to_string_lossy().into_owned(),
                fs::read_to_string(case.join("expected.txt")).unwrap_or_default(),
            )
        })
        .collect();
    let mut doc = String::from(
        "# Diagnostics\n\n\
         Every error and warning `briefing` reports, by its code: what it means,\n\
         an example as `briefing check` prints it, and the fix. Errors stop the\n\
         build; warnings do not, unless `--deny-warnings` is given. Each example\n\
         is the expected output of the error case named under it, a small\n\
         briefing in `tests/errors/` with that one defect.\n\n\
         This page is generated from the program's list of codes\n\
         (`src/diagnostic/code.rs`) and the error cases: run\n\
         `UPDATE_DOCS=1 cargo test --test docs` after changing either.\n\n",
    );
    let mut index = String::from("| code | severity | what it means |\n|---|---|---|\n");
    let mut entries = String::new();
    let mut without_case = Vec::new();
    for code in &CODES {
        let severity = match code.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        index.push_str(&format!(
            "| [`{}`](#{}) | {severity} | {} |\n",
            code.name, code.name, code.summary
        ));
        entries.push_str(&format!(
            "## {}\n\n*{severity}*. {}\n\n",
            code.name, code.summary
        ));
        match outputs
            .iter()
            .find_map(|(case, out)| example(out, code.name).map(|e| (case, e)))
        {
            Some((case, shown)) => entries.push_str(&format!(
                "```text\n{shown}\n```\n\n(`tests/errors/{case}`)\n\n"
            )),
            None => without_case.push(code.name),
        }
        entries.push_str(&format!("**Fix:** {}\n\n", code.fix));
    }
    doc.push_str(&index);
    doc.push('\n');
    doc.push_str(&entries);
    (doc.trim_end().to_string() + "\n", without_case)
}

#[test]
fn the_diagnostics_docs_are_made_from_the_codes_and_every_code_has_an_error_case() {
    let (doc, without_case) = diagnostics_docs();
    assert!(
        without_case.is_empty(),
        "codes without a case in tests/errors/: {without_case:?}"
    );
    let file = project().join("docs/diagnostics.md");
    if std::env::var_os("UPDATE_DOCS").is_some() {
        fs::write(&file, &doc).unwrap();
        return;
    }
    let written = fs::read_to_string(&file).unwrap_or_default();
    assert!(
        written == doc,
        "docs/diagnostics.md is not what the codes and cases make: run UPDATE_DOCS=1 cargo test --test docs"
    );
}

#[test]
fn every_dependency_is_in_the_dependency_docs() {
    let deps = read("docs/dependencies.md");
    let mut names = BTreeSet::new();
    for manifest in ["Cargo.toml", "fuzz/Cargo.toml"] {
        let text = read(manifest);
        let mut in_deps = false;
        for line in text.lines() {
            let line = line.trim();
            if line.starts_with('[') {
                in_deps = line.ends_with("dependencies]") && !line.contains("briefing");
                continue;
            }
            if in_deps && let Some((name, _)) = line.split_once('=') {
                let name = name.trim();
                if !name.is_empty() && !name.starts_with('#') && name != "briefing" {
                    names.insert(name.to_string());
                }
            }
        }
    }
    let package: serde_json::Value =
        serde_json::from_str(&read("tests/browser/package.json")).unwrap();
    for section in ["dependencies", "devDependencies"] {
        if let Some(map) = package[section].as_object() {
            names.extend(map.keys().cloned());
        }
    }
    assert!(
        names.contains("tera") && names.contains("playwright-core"),
        "{names:?}"
    );
    let missing: Vec<&String> = names
        .iter()
        .filter(|n| !deps.contains(&format!("`{n}`")))
        .collect();
    assert!(
        missing.is_empty(),
        "not in docs/dependencies.md: {missing:?}"
    );
}

/// The project's own files that may name documents: its texts, code,
/// schemas, theme and scripts (not test data or vendored files).
fn project_files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for top in [
        "src",
        "docs",
        "schemas",
        "templates",
        "tests",
        "bench",
        "examples",
        ".ci",
        "fuzz",
    ] {
        for entry in walkdir::WalkDir::new(project().join(top))
            .into_iter()
            .flatten()
        {
            let path = entry.path();
            let skipped = path.components().any(|c| {
                let c = c.as_os_str();
                c == "data"
                    || c == "errors"
                    || c == "fixtures"
                    || c == "target"
                    || c == "node_modules"
                    || c == "corpus"
                    || c == "artifacts"
                    || c == "regressions"
            });
            if entry.file_type().is_file() && !skipped {
                files.push(path.to_path_buf());
            }
        }
    }
    for top in [
        "README.md",
        "ARCHITECTURE.md",
        "CONTRIBUTING.md",
        "CHANGELOG.md",
        "Cargo.toml",
        "build.rs",
    ] {
        files.push(project().join(top));
    }
    files
}

#[test]
fn no_file_refers_to_a_document_the_project_does_not_hold() {
    let mut broken = Vec::new();
    for file in project_files() {
        let Ok(text) = fs::read_to_string(&file) else {
            continue;
        };
        let name = file.strip_prefix(project()).unwrap().display().to_string();
        // The original contracts, now docs/format.md and docs/site.md.
        for gone in ["FORMAT.md", "SITE.md", "STYLE.md"] {
            if text.contains(gone) && !name.ends_with("docs.rs") {
                broken.push(format!("{name} names {gone}"));
            }
        }
        // Every `docs/NAME.md` named (but in this checker's own words).
        let mut rest = if name.ends_with("docs.rs") {
            ""
        } else {
            text.as_str()
        };
        while let Some(i) = rest.find("docs/") {
            let after = &rest[i + 5..];
            let len = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.'))
                .unwrap_or(after.len());
            let doc = after[..len].trim_end_matches('.');
            if doc.ends_with(".md") && !project().join("docs").join(doc).exists() {
                broken.push(format!("{name} names docs/{doc}"));
            }
            rest = &after[len..];
        }
        // Every relative link of a Markdown file, outside its code blocks.
        if name.ends_with(".md") {
            let dir = file.parent().unwrap();
            let prose: String = text.split("```").step_by(2).collect::<Vec<_>>().join("\n");
            let mut rest = prose.as_str();
            while let Some(i) = rest.find("](") {
                let after = &rest[i + 2..];
                let end = after.find(')').unwrap_or(after.len());
                let target = after[..end].split('#').next().unwrap_or("");
                // `![description](…)` in the format's docs is an example.
                if !target.is_empty()
                    && target != "…"
                    && !target.contains("://")
                    && !target.starts_with("mailto:")
                    && !dir.join(target).exists()
                {
                    broken.push(format!("{name} links to {target}"));
                }
                rest = &after[end..];
            }
        }
    }
    assert!(broken.is_empty(), "{broken:#?}");
}

#[test]
fn the_readme_is_short() {
    let readme = read("README.md");
    let lines = readme.lines().count();
    assert!(lines <= 200, "README.md has {lines} lines");
    for doc in [
        "docs/guide.md",
        "docs/format.md",
        "docs/site.md",
        "docs/cli.md",
        "docs/diagnostics.md",
    ] {
        assert!(readme.contains(doc), "README.md links {doc}");
    }
}
