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
