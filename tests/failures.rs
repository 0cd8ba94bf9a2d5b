//! Failures from outside the content: files that cannot be read, an output
//! folder that cannot be written, a disk that fills up mid-build. Each is a
//! clear error, and the previous site is left as it was. Also what must not
//! fail: Windows line endings and a byte-order mark.

#![cfg(unix)]

mod common;

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use common::{copy_default_briefing, read_site};

fn binary() -> &'static str {
    env!("CARGO_BIN_EXE_briefing")
}

fn briefing(args: &[&str], root: &Path) -> Output {
    Command::new(binary())
        .args(args)
        .arg("--root")
        .arg(root)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A one-article briefing.
fn tiny(root: &Path) {
    fs::create_dir_all(root.join("content/articles")).unwrap();
    fs::write(root.join("content/briefing.yaml"), "title: Tiny\n").unwrap();
    fs::write(
        root.join("content/articles/a.md"),
        "---\ntitle: A\noutlet: O\n---\nHello there.\n",
    )
    .unwrap();
}

#[test]
fn windows_line_endings_and_a_byte_order_mark_build_the_same_site() {
    let dir = tempfile::tempdir().unwrap();
    let (lf, crlf) = (dir.path().join("lf"), dir.path().join("crlf"));
    copy_default_briefing(&lf);
    copy_default_briefing(&crlf);
    for entry in walkdir::WalkDir::new(crlf.join("content")) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let text = fs::read_to_string(entry.path()).unwrap();
            fs::write(
                entry.path(),
                format!("\u{feff}{}", text.replace('\n', "\r\n")),
            )
            .unwrap();
        }
    }
    let mut sites = Vec::new();
    for root in [&lf, &crlf] {
        let out = root.join("public");
        let built = Command::new(binary())
            .args(["build", "--quiet", "--deny-warnings", "--root"])
            .arg(root)
            .arg("--output")
            .arg(&out)
            .output()
            .unwrap();
        assert!(built.status.success(), "{}", stderr(&built));
        sites.push(read_site(&out));
    }
    assert!(sites[0].len() > 80);
    assert!(sites[0] == sites[1], "the sites differ");
}

#[test]
fn a_pipe_in_content_is_an_error_not_a_wait() {
    let dir = tempfile::tempdir().unwrap();
    tiny(dir.path());
    let pipe = dir.path().join("content/articles/b.md");
    let path = std::ffi::CString::new(pipe.as_os_str().as_encoded_bytes()).unwrap();
    // SAFETY: a valid C string and mode.
    assert_eq!(unsafe { libc::mkfifo(path.as_ptr(), 0o644) }, 0);
    let output = briefing(&["check"], dir.path());
    assert!(!output.status.success());
    let text = stderr(&output);
    assert!(
        text.contains("error[unreadable]: this is not a file but a pipe, socket or device")
            && text.contains("content/articles/b.md"),
        "{text}"
    );
}

#[test]
fn an_unreadable_file_is_an_error_that_names_it() {
    let dir = tempfile::tempdir().unwrap();
    tiny(dir.path());
    let file = dir.path().join("content/articles/a.md");
    fs::set_permissions(&file, fs::Permissions::from_mode(0o000)).unwrap();
    // The superuser reads anything: run as nobody then, with the folders
    // open to them.
    // SAFETY: geteuid has no preconditions.
    let root = unsafe { libc::geteuid() } == 0;
    let output = if root {
        for d in [
            dir.path(),
            &dir.path().join("content"),
            &dir.path().join("content/articles"),
        ] {
            fs::set_permissions(d, fs::Permissions::from_mode(0o755)).unwrap();
        }
        fs::set_permissions(
            dir.path().join("content/briefing.yaml"),
            fs::Permissions::from_mode(0o644),
        )
        .unwrap();
        // A copy of the binary that nobody may run, wherever the checkout is.
        let copy = dir.path().join("briefing");
        fs::copy(binary(), &copy).unwrap();
        Command::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(&copy)
            .args(["check", "--root"])
            .arg(dir.path())
            .output()
            .expect("setpriv (util-linux) runs the check as nobody")
    } else {
        briefing(&["check"], dir.path())
    };
    let text = stderr(&output);
    assert!(!output.status.success(), "{text}");
    assert!(
        text.contains("error[unreadable]: cannot read the file: permission denied")
            && text.contains("--> content/articles/a.md"),
        "{text}"
    );
}

/// Runs `script` with `sh` in a mount namespace of its own, where it may
/// mount a small tmpfs: its standard output and error, or `None` where the
/// system allows no such namespace.
fn in_mount_namespace(script: &str) -> Option<(String, String)> {
    let probe = Command::new("unshare").args(["-rm", "true"]).output();
    if !probe.is_ok_and(|o| o.status.success()) {
        eprintln!("skipped: no mount namespace here (unshare -rm)");
        return None;
    }
    let output = Command::new("unshare")
        .args(["-rm", "sh", "-c", script])
        .output()
        .unwrap();
    Some((
        String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr(&output),
    ))
}

#[test]
fn a_full_disk_fails_the_build_and_leaves_the_previous_site() {
    let dir = tempfile::tempdir().unwrap();
    let (small, large) = (dir.path().join("small"), dir.path().join("large"));
    tiny(&small);
    copy_default_briefing(&large);
    let disk = dir.path().join("disk");
    fs::create_dir(&disk).unwrap();
    let bin = binary();
    let (small, large, disk) = (small.display(), large.display(), disk.display());
    // 400 kB holds the small site, not the default briefing's.
    let script = format!(
        "set -u
mount -t tmpfs -o size=400k tmpfs {disk} || exit 90
{bin} build --quiet --root {small} --output {disk}/public || exit 91
find {disk}/public -type f | sort | xargs cat | cksum > {disk}/../before
{bin} build --quiet --root {large} --output {disk}/public
echo \"exit=$?\"
find {disk}/public -type f | sort | xargs cat | cksum > {disk}/../after
cmp -s {disk}/../before {disk}/../after && echo same-site
ls -A {disk}"
    );
    let Some((out, err)) = in_mount_namespace(&script) else {
        return;
    };
    assert!(err.contains("No space left on device"), "{err}");
    assert!(err.contains("help: the disk is full: free some space, then build again; the previous site is left as it was"), "{err}");
    // The previous site is whole, and nothing is left beside it but its record.
    assert_eq!(
        out, "exit=2\nsame-site\n.public.build.json\npublic\n",
        "{err}"
    );
}

#[test]
fn a_read_only_output_folder_fails_the_build_and_leaves_the_previous_site() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("b");
    tiny(&root);
    let disk = dir.path().join("disk");
    fs::create_dir(&disk).unwrap();
    let bin = binary();
    let (root, disk) = (root.display(), disk.display());
    let script = format!(
        "set -u
mount -t tmpfs -o size=4m tmpfs {disk} || exit 90
{bin} build --quiet --root {root} --output {disk}/public || exit 91
mount -o remount,ro {disk} || exit 92
echo changed >> {root}/content/articles/a.md
{bin} build --quiet --root {root} --output {disk}/public
echo \"exit=$?\"
grep -c 'changed' {disk}/public/articles/a.html || true"
    );
    let Some((out, err)) = in_mount_namespace(&script) else {
        return;
    };
    assert!(err.contains("Read-only file system"), "{err}");
    assert!(
        err.contains("help: the output folder is on a read-only disk"),
        "{err}"
    );
    // The previous site, without the change.
    assert_eq!(out, "exit=2\n0\n", "{err}");
}
