//! Benchmark: the time from saving an edited claim to `briefing serve`
//! serving the rebuilt claim page, as a person editing annotations sees it.
//!
//! It copies a briefing to a temporary folder, starts `briefing serve` on a
//! free port, and then, `--saves` times, rewrites the text of the first claim
//! of an annotation file and polls the claim's page until the new text is
//! served. It prints each time and the median.
//!
//! ```sh
//! cargo build --release
//! cargo run --release --example save_to_served                  # the default briefing
//! cargo run --release --example save_to_served -- --root target/corpus-10k --saves 5
//! ```

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use std::{fs, thread};

use anyhow::{Context, Result, bail};

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn get(addr: SocketAddr, path: &str) -> Result<String> {
    let mut stream = TcpStream::connect(addr)?;
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )?;
    let mut response = String::new();
    stream.read_to_string(&mut response)?;
    Ok(response)
}

fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry?;
        let relative = entry.path().strip_prefix(from)?;
        if relative.starts_with("public") || relative.starts_with("target") {
            continue;
        }
        let target = to.join(relative);
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target)?;
        } else if entry.file_type().is_file() {
            fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}

/// The first annotation file with claims, the first claim's id, and the line
/// index of its `text:`.
fn first_claim(root: &Path) -> Result<(PathBuf, String, usize)> {
    let mut files: Vec<PathBuf> = fs::read_dir(root.join("content/annotations"))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    files.sort();
    for file in files {
        let text = fs::read_to_string(&file)?;
        let lines: Vec<&str> = text.lines().collect();
        let Some(start) = lines.iter().position(|l| l.trim_end() == "claims:") else {
            continue;
        };
        let Some((i, id)) = lines[start..].iter().enumerate().find_map(|(i, l)| {
            l.trim_start()
                .strip_prefix("- id: ")
                .map(|id| (start + i, id))
        }) else {
            continue;
        };
        if let Some(t) = lines[i..]
            .iter()
            .position(|l| l.trim_start().starts_with("text: "))
        {
            return Ok((file, id.trim().to_string(), i + t));
        }
    }
    bail!(
        "no claim with a `text:` line in {}",
        root.join("content/annotations").display()
    )
}

fn main() -> Result<()> {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut root = manifest.to_path_buf();
    let mut saves = 10;
    let mut binary = manifest.join("target/release/briefing");
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().with_context(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--root" => root = value()?.into(),
            "--saves" => saves = value()?.parse()?,
            "--binary" => binary = value()?.into(),
            other => bail!("unknown argument {other}: --root DIR, --saves N, --binary PATH"),
        }
    }
    if !binary.is_file() {
        bail!(
            "{} not found: run `cargo build --release` first",
            binary.display()
        );
    }
    let temp = tempfile::tempdir()?;
    let copy = temp.path().join("briefing");
    copy_dir(&root, &copy)?;
    let (file, id, line) = first_claim(&copy)?;

    let started = Instant::now();
    let mut child = Command::new(&binary)
        .args(["serve", "--port", "0", "--root"])
        .arg(&copy)
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("starting {}", binary.display()))?;
    let stderr = child.stderr.take().context("no stderr")?;
    let server = Server(child);
    let mut lines = BufReader::new(stderr).lines();
    let addr: SocketAddr = loop {
        let line = lines.next().context("the server stopped")??;
        if let Some(rest) = line.split("http://").nth(1) {
            // "serving on http://127.0.0.1:PORT/ (Ctrl-C stops)"
            break rest.split('/').next().unwrap_or_default().parse()?;
        }
    };
    // Keep reading the server's terminal so that it never blocks on a full pipe.
    thread::spawn(move || for _ in lines {});
    let page = format!("/claims/{id}.html");
    while !get(addr, &page)?.starts_with("HTTP/1.1 200") {
        thread::sleep(Duration::from_millis(20));
    }
    println!(
        "{}: first build served in {:.2} s; editing claim `{id}` in {}",
        root.display(),
        started.elapsed().as_secs_f64(),
        file.strip_prefix(&copy)?.display()
    );

    let mut times = Vec::new();
    for n in 1..=saves {
        let marker = format!("Edited claim number {n} of the benchmark");
        let text = fs::read_to_string(&file)?;
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        let indent = lines[line].len() - lines[line].trim_start().len();
        lines[line] = format!("{}text: {marker}.", " ".repeat(indent));
        let edited = lines.join("\n") + "\n";
        let saved = Instant::now();
        fs::write(&file, edited)?;
        loop {
            if get(addr, &page)?.contains(&marker) {
                break;
            }
            if saved.elapsed() > Duration::from_secs(300) {
                bail!("the edit was not served within 300 s");
            }
            thread::sleep(Duration::from_millis(2));
        }
        let took = saved.elapsed();
        println!(
            "  save {n}: served after {:.0} ms",
            took.as_secs_f64() * 1000.0
        );
        times.push(took);
        // Let the server settle, as between two saves of a person.
        thread::sleep(Duration::from_millis(300));
    }
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "save to served: median {:.0} ms, min {:.0} ms, max {:.0} ms over {} saves",
        ms(times[times.len() / 2]),
        ms(times[0]),
        ms(times[times.len() - 1]),
        times.len()
    );
    drop(server);
    Ok(())
}
