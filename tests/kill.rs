//! A build killed at any moment (SIGKILL, at random points) leaves the
//! previous site or the new one, whole: never a mix, never no site.

mod common;

use common::read_site;

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use rand::{Rng, SeedableRng};

fn binary() -> &'static str {
    env!("CARGO_BIN_EXE_briefing")
}

fn build(root: &Path, out: &Path) -> Command {
    let mut cmd = Command::new(binary());
    cmd.args(["build", "--quiet", "--root"])
        .arg(root)
        .arg("--output")
        .arg(out)
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    cmd
}

/// Kills `runs` builds at random moments, alternating between two
/// briefings, and checks the output after each.
fn kill_builds_at_random(runs: usize, seed: u64) {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a");
    let b = dir.path().join("b");
    common::copy_default_briefing(&a);
    common::copy_default_briefing(&b);
    let yaml = b.join("content/briefing.yaml");
    let text = fs::read_to_string(&yaml).unwrap();
    let title = text.lines().find(|l| l.starts_with("title:")).unwrap();
    fs::write(&yaml, text.replacen(title, "title: The second briefing", 1)).unwrap();

    // The two sites, built whole elsewhere.
    let mut sites = Vec::new();
    let mut longest = Duration::ZERO;
    for (root, name) in [(&a, "site-a"), (&b, "site-b")] {
        let out = dir.path().join(name);
        let started = Instant::now();
        assert!(build(root, &out).status().unwrap().success());
        longest = longest.max(started.elapsed());
        sites.push(read_site(&out));
    }
    assert_ne!(sites[0], sites[1]);

    let out = dir.path().join("public");
    assert!(build(&a, &out).status().unwrap().success());
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let window = (longest.as_micros() as u64 * 6 / 5).max(1);
    let mut killed = 0;
    for run in 0..runs {
        let root = if run % 2 == 0 { &b } else { &a };
        let mut child = build(root, &out).spawn().unwrap();
        std::thread::sleep(Duration::from_micros(rng.random_range(0..window)));
        if child.try_wait().unwrap().is_none() {
            killed += 1;
        }
        let _ = child.kill();
        child.wait().unwrap();
        let site = read_site(&out);
        assert!(
            site == sites[0] || site == sites[1],
            "run {run} (seed {seed}): the output is neither site ({} files)",
            site.len()
        );
    }
    // Some builds end at once: when the build before was killed before its
    // swap, the output may already hold this briefing's site, unchanged.
    assert!(
        killed * 3 >= runs,
        "only {killed} of {runs} builds were killed before they ended"
    );

    // A build after all that leaves nothing beside the output but the
    // records of the sites built.
    assert!(build(&a, &out).status().unwrap().success());
    assert_eq!(read_site(&out), sites[0]);
    let mut beside: Vec<String> = fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    beside.sort();
    assert_eq!(
        beside,
        [
            ".public.build.json",
            ".site-a.build.json",
            ".site-b.build.json",
            "a",
            "b",
            "public",
            "site-a",
            "site-b"
        ]
    );
}

#[test]
fn a_killed_build_leaves_the_previous_site_or_the_new_one() {
    kill_builds_at_random(40, 7);
}

/// The long version: `cargo test --test kill -- --ignored`.
#[test]
#[ignore = "long: 1,000 killed builds"]
fn a_killed_build_leaves_the_previous_site_or_the_new_one_many_times() {
    let seed = std::env::var("KILL_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(11);
    kill_builds_at_random(1000, seed);
}
