//! Data-driven error tests: each folder of `tests/errors/` is a briefing with
//! one defect, and `expected.txt` is what `briefing check` must say about it,
//! file, line, column, message and help included.
//!
//! An optional `args` file holds `--deny-warnings` or `--limit NAME=VALUE`. To write the expected
//! files after a deliberate change of wording, run with `UPDATE_EXPECTED=1`
//! and review the diff.

mod common;

use std::fs;
use std::path::Path;

use briefing::{BuildOptions, Failure, build};

fn check(case: &Path) -> String {
    let args = fs::read_to_string(case.join("args")).unwrap_or_default();
    let mut limits = briefing::limits::Limits::default();
    let mut words = args.split_whitespace();
    while let Some(word) = words.next() {
        if word == "--limit" {
            limits.set(words.next().unwrap_or_default().parse().unwrap());
        }
    }
    let options = BuildOptions {
        root: case.to_path_buf(),
        output: None,
        deny_warnings: args.contains("--deny-warnings"),
        write: false,
        progress: None,
        base_url: None,
        limits,
    };
    match build(&options) {
        Ok(outcome) => panic!(
            "{}: the build succeeded, with {} warnings; every case must fail",
            case.display(),
            outcome.diagnostics.len()
        ),
        Err(Failure::Content {
            diagnostics,
            sources,
        }) => sources.render_all(&diagnostics),
        Err(Failure::Io(err) | Failure::Usage(err)) => panic!("{}: {err:#}", case.display()),
    }
}

#[test]
fn every_bad_input_gets_its_expected_diagnostics() {
    let cases = common::error_cases();
    assert!(
        cases.len() >= 20,
        "expected at least 20 cases, found {}",
        cases.len()
    );
    let update = std::env::var_os("UPDATE_EXPECTED").is_some();
    let mut failures = Vec::new();
    for case in &cases {
        let actual = check(case);
        let expected_file = case.join("expected.txt");
        if update {
            fs::write(&expected_file, &actual).unwrap();
            continue;
        }
        let expected = fs::read_to_string(&expected_file).unwrap_or_default();
        if actual != expected {
            failures.push(format!(
                "== {}\n-- expected:\n{expected}\n-- actual:\n{actual}",
                case.file_name().unwrap().to_string_lossy()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases differ:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
