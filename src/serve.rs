//! `briefing serve`: builds the site into memory, serves it over HTTP, and
//! rebuilds when `content/` or `templates/` change.
//!
//! Pages are served with a small script (`/__briefing/live.js`) that listens
//! to `/__briefing/events` (server-sent events) and reloads the page after
//! every rebuild. A rebuild that fails keeps the last good site: its pages are
//! still served, with the diagnostics shown over them, until a build succeeds
//! again. Rebuilds reuse the pages whose inputs did not change
//! ([`render::Cache`]).

use std::collections::HashMap;
use std::io::{self, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher};
use tiny_http::{Header, Request, Response, Server};

use crate::limits::Limits;
use crate::markdown::escape;
use crate::options::BuildOptions;
use crate::pipeline::{Failure, build_with};
use crate::render;

/// Where to serve.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The briefing's folder.
    pub root: PathBuf,
    /// The address to listen on; port 0 picks a free port.
    pub addr: SocketAddr,
    /// The bounds of each build.
    pub limits: Limits,
}

/// The served site and who listens for its rebuilds.
struct State {
    site: RwLock<Site>,
    listeners: Mutex<Vec<Sender<String>>>,
    cache: render::Cache,
    root: PathBuf,
    limits: Limits,
}

/// The last good build, and the diagnostics of the last build if it failed.
#[derive(Default)]
struct Site {
    files: HashMap<String, Vec<u8>>,
    /// The rendered diagnostics of the last build, if it failed.
    errors: Option<String>,
    /// Counts builds, so that a page can tell a reload is due.
    generation: u64,
}

const PREFIX: &str = "/__briefing/";
const LIVE_JS: &str = include_str!("serve/live.js");
/// What every served page gets in its head: the overlay's style and the
/// live-reload script.
const LIVE_HEAD: &str = "<link rel=\"stylesheet\" href=\"/__briefing/live.css\"><script src=\"/__briefing/live.js\" defer></script>";
const LIVE_CSS: &str = include_str!("serve/live.css");

/// Serves the briefing at `options.root` until the process is stopped.
/// `ready` is called once with the address the server listens on.
pub fn serve(options: &ServeOptions, ready: impl FnOnce(SocketAddr)) -> Result<()> {
    // The watcher reports absolute paths.
    let root = options.root.canonicalize().with_context(|| {
        format!(
            "cannot open the briefing's folder {}",
            options.root.display()
        )
    })?;
    let state = Arc::new(State {
        site: RwLock::new(Site::default()),
        listeners: Mutex::new(Vec::new()),
        cache: render::Cache::default(),
        root,
        limits: options.limits,
    });
    rebuild(&state, "first build");
    let server = Server::http(options.addr)
        .map_err(|e| anyhow::anyhow!("{e}"))
        .with_context(|| format!("cannot listen on {}", options.addr))?;
    let addr = server
        .server_addr()
        .to_ip()
        .context("the server has no IP address")?;
    let _watcher = watch(&state)?;
    ready(addr);
    for request in server.incoming_requests() {
        let state = Arc::clone(&state);
        std::thread::spawn(move || {
            if let Err(err) = respond(&state, request) {
                // A reader that went away mid-response is not the server's problem.
                if err.kind() != io::ErrorKind::BrokenPipe {
                    eprintln!("serve: {err}");
                }
            }
        });
    }
    Ok(())
}

/// Watches `content/` and `templates/` (through the briefing's folder, so
/// that a `templates/` folder created later is seen), rebuilding once the
/// changes have settled for [`SETTLE`]: an editor that saves in two steps
/// causes one rebuild, not a build of the half-written file and another.
fn watch(state: &Arc<State>) -> Result<RecommendedWatcher> {
    let (tx, rx) = mpsc::channel::<PathBuf>();
    let root = state.root.clone();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        let Ok(event) = event else { return };
        // Reading files (the build itself does) changes nothing.
        if matches!(event.kind, EventKind::Access(_)) {
            return;
        }
        for path in event.paths {
            if affects_site(&root, &path) {
                let _ = tx.send(path);
            }
        }
    })
    .context("cannot watch the briefing's files")?;
    watcher
        .watch(&state.root, RecursiveMode::Recursive)
        .with_context(|| format!("cannot watch {}", state.root.display()))?;
    let state = Arc::clone(state);
    std::thread::spawn(move || {
        while let Ok(first) = rx.recv() {
            let mut changed = vec![first];
            while let Ok(path) = rx.recv_timeout(SETTLE) {
                if !changed.contains(&path) {
                    changed.push(path);
                }
            }
            let what = changed[0].strip_prefix(&state.root).unwrap_or(&changed[0]);
            let more = match changed.len() {
                1 => String::new(),
                n => format!(" and {} more", n - 1),
            };
            rebuild(&state, &format!("{} changed{more}", what.display()));
        }
    });
    Ok(watcher)
}

/// How long the files must be quiet before a rebuild.
const SETTLE: Duration = Duration::from_millis(80);

/// Whether a change to `path` can change the site: files under `content/`
/// or `templates/`, but not editors' swap and backup files.
fn affects_site(root: &Path, path: &Path) -> bool {
    let Ok(relative) = path.strip_prefix(root) else {
        return false;
    };
    let top = relative.components().next().map(|c| c.as_os_str());
    let in_site = top.is_some_and(|t| t == "content" || t == "templates");
    let name = relative
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    let scratch = name.starts_with(".#")
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name == "4913";
    in_site && !scratch
}

/// Builds the site; on success replaces the served one, on failure keeps it
/// and records the diagnostics. Either way, tells every open page to reload.
fn rebuild(state: &State, why: &str) {
    let started = Instant::now();
    let options = BuildOptions {
        root: state.root.clone(),
        output: None,
        deny_warnings: false,
        write: false,
        progress: None,
        base_url: None,
        limits: state.limits,
    };
    // A build never panics on content; if it does anyway, the server goes on
    // with the last good site.
    let result = std::panic::catch_unwind(|| build_with(&options, Some(&state.cache)));
    let mut site = state.site.write().unwrap_or_else(|e| e.into_inner());
    site.generation += 1;
    match result {
        Ok(Ok((outcome, files))) => {
            let changed = files
                .iter()
                .filter(|f| site.files.get(&f.path) != Some(&f.bytes))
                .count();
            site.files = files.into_iter().map(|f| (f.path, f.bytes)).collect();
            site.errors = None;
            if !outcome.diagnostics.is_empty() {
                let colour = crate::progress::colour();
                let text = outcome
                    .sources
                    .render_all_styled(&outcome.diagnostics, colour);
                eprintln!("{text}");
            }
            eprintln!(
                "{why}: rebuilt in {} ms, {changed} of {} files changed ({} pages reused)",
                started.elapsed().as_millis(),
                site.files.len(),
                state.cache.hits()
            );
        }
        Ok(Err(Failure::Content {
            diagnostics,
            sources,
        })) => {
            let colour = crate::progress::colour();
            eprintln!("{}", sources.render_all_styled(&diagnostics, colour));
            let text = sources.render_all(&diagnostics);
            eprintln!("{why}: the build failed; still serving the last good site");
            site.errors = Some(text);
        }
        Ok(Err(Failure::Io(err) | Failure::Usage(err))) => {
            let text = format!("error: {err:#}");
            eprintln!("{text}");
            site.errors = Some(text);
        }
        Err(_) => {
            let text = "error: the build stopped unexpectedly; still serving the last good site"
                .to_string();
            eprintln!("{text}");
            site.errors = Some(text);
        }
    }
    let generation = site.generation;
    drop(site);
    let mut listeners = state.listeners.lock().unwrap_or_else(|e| e.into_inner());
    listeners.retain(|l| {
        l.send(format!("event: reload\ndata: {generation}\n\n"))
            .is_ok()
    });
}

fn respond(state: &State, request: Request) -> io::Result<()> {
    let url = request.url().to_string();
    let path = url.split(['?', '#']).next().unwrap_or("/");
    let path = percent_decode(path);
    if let Some(tool) = path.strip_prefix(PREFIX) {
        return match tool {
            "live.js" => request.respond(text(200, LIVE_JS, "text/javascript; charset=utf-8")),
            "live.css" => request.respond(text(200, LIVE_CSS, "text/css; charset=utf-8")),
            "events" => {
                let (tx, rx) = mpsc::channel();
                state
                    .listeners
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push(tx);
                stream_events(request, &rx)
            }
            "errors" => {
                let site = state.site.read().unwrap_or_else(|e| e.into_inner());
                let page = errors_page(site.errors.as_deref());
                request.respond(text(200, &page, "text/html; charset=utf-8"))
            }
            _ => request.respond(text(404, "not found", "text/plain; charset=utf-8")),
        };
    }
    let mut file = path.trim_start_matches('/').to_string();
    if file.is_empty() || file.ends_with('/') {
        file.push_str("index.html");
    }
    let site = state.site.read().unwrap_or_else(|e| e.into_inner());
    let (status, file, bytes) = match site.files.get(&file) {
        Some(bytes) => (200, file, bytes),
        None => match site.files.get("404.html") {
            Some(bytes) => (404, "404.html".to_string(), bytes),
            None => {
                let errors = site.errors.clone();
                drop(site);
                let page = errors_page(errors.as_deref());
                return request.respond(text(404, &page, "text/html; charset=utf-8"));
            }
        },
    };
    let kind = content_type(&file);
    let body = if kind.starts_with("text/html") {
        live_page(bytes, site.errors.as_deref()).into_bytes()
    } else {
        bytes.clone()
    };
    drop(site);
    request.respond(
        Response::from_data(body)
            .with_status_code(status)
            .with_header(header("Content-Type", kind))
            .with_header(header("Cache-Control", "no-store")),
    )
}

/// A served page: the built page with the live-reload script, and the
/// diagnostics over it when the last build failed.
fn live_page(bytes: &[u8], errors: Option<&str>) -> String {
    let html = String::from_utf8_lossy(bytes);
    let mut page = html.replacen("</head>", &format!("{LIVE_HEAD}</head>"), 1);
    if let Some(errors) = errors
        && let Some(body) = page.find("<body")
        && let Some(end) = page[body..].find('>')
    {
        page.insert_str(body + end + 1, &overlay(errors));
    }
    page
}

/// The diagnostics of a failed build, shown over the page.
fn overlay(errors: &str) -> String {
    format!(
        "<div class=\"briefing-overlay\" id=\"briefing-errors\" role=\"alertdialog\" aria-labelledby=\"briefing-errors-title\"><div class=\"briefing-overlay-box\"><h2 id=\"briefing-errors-title\">The briefing does not build</h2><p>The page below is from the last good build. Fix these and save: the page reloads by itself.</p><pre>{}</pre></div></div>",
        escape(errors)
    )
}

/// `/__briefing/errors`: the diagnostics of the last build, or that it built.
fn errors_page(errors: Option<&str>) -> String {
    let body = match errors {
        Some(errors) => overlay(errors),
        None => "<p>The last build succeeded.</p>".to_string(),
    };
    format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Build status</title>{LIVE_HEAD}</head><body>{body}</body></html>"
    )
}

/// Answers `request` with an event stream: each event sent to `rx` is
/// written and flushed at once, until the reader goes away. The response has
/// no length: it ends when the connection does.
fn stream_events(request: Request, rx: &Receiver<String>) -> io::Result<()> {
    let mut writer = request.into_writer();
    writer.write_all(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\nConnection: close\r\n\r\n: connected\n\n",
    )?;
    writer.flush()?;
    while let Ok(event) = rx.recv() {
        writer.write_all(event.as_bytes())?;
        writer.flush()?;
    }
    Ok(())
}

fn text(status: u16, body: &str, kind: &str) -> Response<io::Cursor<Vec<u8>>> {
    Response::from_string(body)
        .with_status_code(status)
        .with_header(header("Content-Type", kind))
        .with_header(header("Cache-Control", "no-store"))
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).unwrap_or_else(|_| {
        Header::from_bytes(&b"X-Invalid"[..], &b"1"[..]).expect("a valid header")
    })
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit_once('.').map(|(_, ext)| ext) {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("json" | "jsonld") => "application/json",
        Some("xml") => "application/xml",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        _ => "application/octet-stream",
    }
}

/// Decodes `%XX` escapes in a URL path; invalid escapes are kept as written.
fn percent_decode(path: &str) -> String {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(hex) = path.get(i + 1..i + 3)
            && let Ok(b) = u8::from_str_radix(hex, 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_content_and_templates_affect_the_site() {
        let root = Path::new("/b");
        assert!(affects_site(
            root,
            Path::new("/b/content/annotations/claims.yaml")
        ));
        assert!(affects_site(root, Path::new("/b/templates/style.css")));
        assert!(!affects_site(root, Path::new("/b/public/index.html")));
        assert!(!affects_site(root, Path::new("/b/content/.#claims.yaml")));
        assert!(!affects_site(root, Path::new("/b/content/claims.yaml~")));
        assert!(!affects_site(
            root,
            Path::new("/b/content/.claims.yaml.swp")
        ));
    }

    #[test]
    fn a_served_page_gets_the_live_script_and_the_errors_over_it() {
        let page = live_page(
            b"<html><head><title>t</title></head><body class=x><p>old</p></body></html>",
            Some("error[x]: <bad>"),
        );
        assert!(page.contains("/__briefing/live.js"));
        assert!(page.contains("<body class=x><div class=\"briefing-overlay\""));
        assert!(page.contains("error[x]: &lt;bad&gt;"));
        assert!(
            page.contains("<p>old</p>"),
            "the last good page is still shown"
        );
    }

    #[test]
    fn paths_are_percent_decoded() {
        assert_eq!(percent_decode("/a%20b/%C3%A9.html"), "/a b/é.html");
        assert_eq!(percent_decode("/100%"), "/100%");
    }
}
