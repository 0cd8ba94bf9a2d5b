//! End to end: `briefing serve` on a free loopback port, edited on disk
//! while it runs.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// The server, stopped when dropped.
struct Served {
    child: Child,
    addr: SocketAddr,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(root: &Path) -> Served {
    let mut child = Command::new(env!("CARGO_BIN_EXE_briefing"))
        .args(["serve", "--port", "0", "--root"])
        .arg(root)
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("briefing serve starts");
    let Some(stderr) = child.stderr.take() else {
        let _ = child.kill();
        let _ = child.wait();
        panic!("stderr is not piped");
    };
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    // From here the guard stops the server, whatever happens.
    let mut served = Served {
        child,
        addr: SocketAddr::from(([127, 0, 0, 1], 0)),
    };
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let line = rx
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            .expect("the server says where it listens");
        if let Some(rest) = line.strip_prefix("serving on http://") {
            served.addr = rest.split('/').next().unwrap().parse().unwrap();
            // Keep draining the log so that the server never blocks on it.
            std::thread::spawn(move || while rx.recv().is_ok() {});
            return served;
        }
    }
}

/// GETs `path`: the status code and the body.
fn get(addr: SocketAddr, path: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let status = response[9..12].parse().unwrap();
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

/// GETs `path` until `ok` holds of its body, for up to ten seconds.
fn wait_for(addr: SocketAddr, path: &str, what: &str, ok: impl Fn(&str) -> bool) -> String {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let (_, body) = get(addr, path);
        if ok(&body) {
            return body;
        }
        assert!(Instant::now() < deadline, "{path}: {what}, never seen");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Reads the event stream until it has sent `needle` `times` times.
fn read_until(stream: &mut TcpStream, seen: &mut String, needle: &str, times: usize) {
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut buf = [0u8; 1024];
    while seen.matches(needle).count() < times {
        assert!(Instant::now() < deadline, "no {needle:?} in {seen:?}");
        match stream.read(&mut buf) {
            Ok(0) => panic!("the event stream closed: {seen:?}"),
            Ok(n) => seen.push_str(&String::from_utf8_lossy(&buf[..n])),
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
            Err(e) if e.kind() == std::io::ErrorKind::TimedOut => {}
            Err(e) => panic!("{e}"),
        }
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

#[test]
fn serve_rebuilds_on_save_reloads_pages_and_keeps_the_last_good_site_through_errors() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("content"),
        &root.join("content"),
    );
    let server = start(root);
    let addr = server.addr;

    let (status, page) = get(addr, "/claims/thaw.html");
    assert_eq!(status, 200);
    assert!(page.contains("The meeting signalled a thaw after months of public feuding."));
    assert!(
        page.contains("/__briefing/live.js"),
        "pages get the live-reload script"
    );
    let (status, script) = get(addr, "/__briefing/live.js");
    assert_eq!(status, 200);
    assert!(script.contains("EventSource"));
    assert_eq!(get(addr, "/no/such/page.html").0, 404);

    let mut events = TcpStream::connect(addr).unwrap();
    events
        .set_read_timeout(Some(Duration::from_millis(200)))
        .unwrap();
    write!(
        events,
        "GET /__briefing/events HTTP/1.1\r\nHost: {addr}\r\n\r\n"
    )
    .unwrap();
    let mut seen = String::new();
    read_until(&mut events, &mut seen, ": connected", 1);

    // Edit a claim's text: the served page changes and open pages are told to reload.
    let claims = root.join("content/annotations/claims.yaml");
    let text = std::fs::read_to_string(&claims).unwrap();
    let edited = text.replace(
        "The meeting signalled a thaw after months of public feuding.",
        "The meeting signalled a thaw after a year of public feuding.",
    );
    assert_ne!(text, edited);
    std::fs::write(&claims, &edited).unwrap();
    wait_for(addr, "/claims/thaw.html", "the edited claim", |b| {
        b.contains("a thaw after a year of public feuding.")
    });
    read_until(&mut events, &mut seen, "event: reload", 1);

    // Break the YAML: the last good page is still served, under the errors.
    std::fs::write(&claims, format!("{edited}\nclaims: [\n")).unwrap();
    let status_page = wait_for(addr, "/__briefing/errors", "the diagnostics", |b| {
        b.contains("does not build")
    });
    assert!(status_page.contains("claims.yaml"), "{status_page}");
    let (status, page) = get(addr, "/claims/thaw.html");
    assert_eq!(status, 200);
    assert!(
        page.contains("briefing-overlay"),
        "the errors are shown over the page"
    );
    assert!(
        page.contains("a thaw after a year of public feuding."),
        "the last good page is still served"
    );
    let reloads = seen.matches("event: reload").count();
    // The failed build also tells open pages to reload, to show the errors.
    read_until(&mut events, &mut seen, "event: reload", reloads + 1);

    // Fix it: the site is back, without the errors.
    std::fs::write(&claims, &edited).unwrap();
    wait_for(addr, "/claims/thaw.html", "the page without errors", |b| {
        !b.contains("briefing-overlay") && b.contains("a thaw after a year of public feuding.")
    });
    assert!(get(addr, "/__briefing/errors").1.contains("succeeded"));
}
