//! The command line as editors and CI use it.

use std::path::Path;
use std::process::Command;

fn briefing(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_briefing"))
        .args(args)
        .output()
        .expect("briefing runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn check_format_json_prints_one_object_a_line_with_the_place_and_code() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/errors/ambiguous-quote");
    let (code, stdout, stderr) = briefing(&[
        "check",
        "--format",
        "json",
        "--root",
        root.to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.is_empty(), "nothing but JSON: {stderr}");
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    let d = lines
        .iter()
        .find(|d| d["code"] == "ambiguous-quote")
        .expect("the ambiguous quote is reported");
    assert_eq!(d["severity"], "error");
    assert!(
        d["file"]
            .as_str()
            .unwrap()
            .starts_with("content/annotations/")
    );
    assert!(d["line"].as_u64().unwrap() > 0 && d["column"].as_u64().unwrap() > 0);
    assert_eq!(d["end_line"], d["line"]);
    assert!(d["end_column"].as_u64() > d["column"].as_u64());
    assert!(
        d["message"].as_str().unwrap().contains("occurs 3 times"),
        "{d}"
    );
    assert!(d["help"].as_str().unwrap().contains("occurrence"), "{d}");
}

#[test]
fn check_format_json_prints_nothing_for_a_clean_briefing() {
    let root = env!("CARGO_MANIFEST_DIR");
    let (code, stdout, _) = briefing(&["check", "--format", "json", "--root", root]);
    assert_eq!(code, 0);
    assert_eq!(stdout, "");
}

#[test]
fn init_writes_a_briefing_that_builds_with_deny_warnings_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("new-briefing");
    let root_arg = root.to_str().unwrap();
    let (code, _, stderr) = briefing(&["init", root_arg]);
    assert_eq!(code, 0, "{stderr}");
    assert!(root.join("README.md").is_file());
    let (code, _, stderr) = briefing(&["build", "--deny-warnings", "--root", root_arg]);
    assert_eq!(code, 0, "{stderr}");
    assert!(!stderr.contains("warning"), "{stderr}");
    let claim =
        std::fs::read_to_string(root.join("public/claims/cost-not-explained.html")).unwrap();
    assert!(claim.contains("said the cost had not been explained"));
    // A second init into the same folder changes nothing.
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    std::fs::write(root.join("README.md"), format!("{readme}\nmine")).unwrap();
    let (code, _, stderr) = briefing(&["init", root_arg]);
    assert_eq!(code, 2);
    assert!(stderr.contains("already exists"), "{stderr}");
    assert!(
        std::fs::read_to_string(root.join("README.md"))
            .unwrap()
            .ends_with("mine")
    );
}

/// Runs `briefing` under a pseudo-terminal (util-linux `script`), as a person
/// at a terminal would, and returns what the terminal showed.
fn on_terminal(args: &str, env: &[(&str, &str)]) -> Option<String> {
    let command = format!("{} {args}", env!("CARGO_BIN_EXE_briefing"));
    let out = Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("CLICOLOR")
        .envs(env.iter().copied())
        .output()
        .ok()?;
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn diagnostics_are_coloured_on_a_terminal_only_and_never_with_no_color() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/errors/ambiguous-quote");
    let root = root.to_str().unwrap();
    // Through a pipe: no escape codes.
    let (code, _, stderr) = briefing(&["check", "--root", root]);
    assert_eq!(code, 1);
    assert!(stderr.contains("error[ambiguous-quote]"), "{stderr}");
    assert!(!stderr.contains('\u{1b}'), "colours in a pipe: {stderr:?}");

    let Some(shown) = on_terminal(&format!("check --root {root}"), &[]) else {
        eprintln!("util-linux `script` is not installed: the terminal half is skipped");
        return;
    };
    assert!(
        shown.contains("\u{1b}[1m\u{1b}[31merror[ambiguous-quote]"),
        "no colour on a terminal: {shown:?}"
    );
    let shown = on_terminal(&format!("check --root {root}"), &[("NO_COLOR", "1")]).unwrap();
    assert!(shown.contains("error[ambiguous-quote]"), "{shown:?}");
    assert!(
        !shown.contains('\u{1b}'),
        "colours despite NO_COLOR: {shown:?}"
    );
}

#[test]
fn export_json_holds_the_claims_with_their_sources_and_quotes() {
    let root = env!("CARGO_MANIFEST_DIR");
    let (code, stdout, stderr) = briefing(&["export", "--format", "json", "--root", root]);
    assert_eq!(code, 0, "{stderr}");
    let data: serde_json::Value = serde_json::from_str(&stdout).expect("one JSON document");
    let claims = data["claims"].as_array().unwrap();
    assert_eq!(claims.len(), 46);
    assert_eq!(data["articles"].as_array().unwrap().len(), 2);
    assert_eq!(data["events"].as_array().unwrap().len(), 11);
    let first = &claims[0];
    assert_eq!(first["id"], "cordial-meeting");
    assert_eq!(first["about"], serde_json::json!(["trump", "petro"]));
    let source = &first["sources"][0];
    assert_eq!(source["article"], "myind-2026-02-04");
    assert_eq!(source["passage"], source["quote"]);
    assert!(source["end"].as_u64() > source["start"].as_u64());
    for claim in claims {
        for source in claim["sources"].as_array().unwrap() {
            assert!(source["passage"].is_string(), "{}", claim["id"]);
        }
    }
}

#[test]
fn export_csv_writes_a_table_per_kind_with_a_row_per_claim_source() {
    let root = env!("CARGO_MANIFEST_DIR");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("tables");
    let (code, _, stderr) = briefing(&[
        "export",
        "--format",
        "csv",
        "--root",
        root,
        "--output",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    let mut reader = csv::Reader::from_path(out.join("claims.csv")).unwrap();
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(&header[..4], ["claim", "text", "status", "by"]);
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    let json: serde_json::Value =
        serde_json::from_str(&briefing(&["export", "--format", "json", "--root", root]).1).unwrap();
    let sources: usize = json["claims"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["sources"].as_array().unwrap().len())
        .sum();
    assert_eq!(rows.len(), sources);
    // A note with quotation marks and a comma survives the round trip.
    assert!(
        rows.iter()
            .any(|r| r[14].contains("\"a thaw in relations\""))
    );
    for table in ["articles.csv", "actors.csv", "terms.csv", "events.csv"] {
        assert!(out.join(table).is_file(), "{table}");
    }
    // CSV needs a folder; content with errors exports nothing.
    assert_eq!(
        briefing(&["export", "--format", "csv", "--root", root]).0,
        2
    );
    let bad = Path::new(root).join("tests/errors/ambiguous-quote");
    assert_eq!(
        briefing(&[
            "export",
            "--format",
            "json",
            "--root",
            bad.to_str().unwrap()
        ])
        .0,
        1
    );
}

/// A mistake on the command line is said first and alone, with exit code 2,
/// before any file of the briefing is read: the briefing here has errors,
/// and none of them is reported.
#[test]
fn usage_errors_are_reported_before_the_content_with_exit_code_2() {
    let broken = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/errors/quote-not-found");
    let broken = broken.to_str().unwrap();
    let out = tempfile::tempdir().unwrap();
    let out = out.path().join("site");
    let out = out.to_str().unwrap();
    let inside = format!("{broken}/content/site");
    let cases: [(&[&str], &str); 6] = [
        (
            &[
                "build",
                "--root",
                broken,
                "--output",
                out,
                "--base-url",
                "ftp://example.org/",
            ],
            "--base-url ftp://example.org/ is not an http or https address",
        ),
        (
            &[
                "build",
                "--root",
                broken,
                "--output",
                out,
                "--base-url",
                "javascript:alert(1)",
            ],
            "--base-url javascript:alert(1) is not an http or https address",
        ),
        (
            &[
                "export",
                "--format",
                "json",
                "--root",
                broken,
                "--base-url",
                "example.org",
            ],
            "--base-url example.org is not an http or https address",
        ),
        (
            &["build", "--root", broken, "--output", &inside],
            "is inside the briefing's content/ folder",
        ),
        (
            &["build", "--root", broken, "--output", broken],
            "would replace the briefing folder",
        ),
        (
            &["check", "--root", "/no/such/briefing"],
            "--root /no/such/briefing: the briefing's folder does not exist",
        ),
    ];
    for (args, said) in cases {
        let (code, _, stderr) = briefing(args);
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert!(stderr.contains(said), "{args:?}: {stderr}");
        assert!(
            !stderr.contains("error[") && !stderr.contains("-->"),
            "{args:?}: the content is not read: {stderr}"
        );
        assert_eq!(stderr.lines().count(), 1, "{args:?}: one line: {stderr}");
    }
    assert!(!Path::new(out).exists(), "nothing is written");
}
