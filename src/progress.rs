//! What a person at a terminal sees of a build while it runs: a progress bar
//! on standard error for builds that take more than a moment, and whether
//! the terminal gets colours at all.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How long a build runs before its bar appears: quicker builds show none.
const DELAY: Duration = Duration::from_millis(300);

/// Whether standard error gets colours: only on a terminal, never with
/// `NO_COLOR` set, and as `CLICOLOR`/`CLICOLOR_FORCE` ask (anstream's rules,
/// shared by the diagnostics and the bar).
pub fn colour() -> bool {
    anstream::AutoStream::choice(&std::io::stderr()) != anstream::ColorChoice::Never
}

/// The progress of one build: a stage name and, where a stage has a known
/// number of steps (pages to render, files to write), a bar. Cheap to clone
/// and safe to advance from many threads.
#[derive(Debug, Clone)]
pub struct Progress {
    bar: ProgressBar,
    colour: bool,
}

impl Progress {
    /// A progress display on standard error when it is a terminal; `None`
    /// otherwise (a pipe, a file, CI), so logs hold no bar.
    pub fn on_terminal() -> Option<Progress> {
        if !std::io::stderr().is_terminal() {
            return None;
        }
        let progress = Progress {
            bar: ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden()),
            colour: colour(),
        };
        let bar = progress.bar.clone();
        std::thread::spawn(move || {
            std::thread::sleep(DELAY);
            if !bar.is_finished() {
                bar.set_draw_target(ProgressDrawTarget::stderr());
                bar.enable_steady_tick(Duration::from_millis(100));
            }
        });
        Some(progress)
    }

    /// Starts a stage: `len` steps, or none for a stage measured only by its
    /// name.
    pub fn stage(&self, name: &'static str, len: Option<usize>) {
        let template = match (len, self.colour) {
            (Some(_), true) => "{spinner:.cyan} {msg:<10} [{bar:32.cyan/blue}] {pos}/{len}",
            (Some(_), false) => "{spinner} {msg:<10} [{bar:32}] {pos}/{len}",
            (None, true) => "{spinner:.cyan} {msg}",
            (None, false) => "{spinner} {msg}",
        };
        if let Ok(style) = ProgressStyle::with_template(template) {
            self.bar.set_style(style.progress_chars("=> "));
        }
        self.bar.set_length(len.unwrap_or(0) as u64);
        self.bar.set_position(0);
        self.bar.set_message(name);
    }

    /// One step of the current stage done.
    pub fn step(&self) {
        self.bar.inc(1);
    }

    /// Removes the bar, leaving the terminal as it was.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

/// How long each stage of a build took, in order (`build --timings`).
#[derive(Debug, Clone)]
pub struct Timings {
    laps: Vec<Lap>,
    last: std::time::Instant,
}

impl Default for Timings {
    fn default() -> Self {
        Timings {
            laps: Vec::new(),
            last: std::time::Instant::now(),
        }
    }
}

impl Timings {
    /// Records that the stage `name` ended now, having started when the
    /// previous one ended.
    pub fn lap(&mut self, name: &'static str) {
        let now = std::time::Instant::now();
        self.laps.push(Lap {
            stage: name,
            took: now - self.last,
            peak: peak_memory(),
        });
        self.last = now;
    }

    /// Every stage with its duration.
    pub fn laps(&self) -> &[Lap] {
        &self.laps
    }
}

/// One stage of a build.
#[derive(Debug, Clone)]
pub struct Lap {
    pub stage: &'static str,
    pub took: Duration,
    /// The process's peak resident memory so far, in bytes, where the
    /// system tells it (Linux).
    pub peak: Option<u64>,
}

/// The process's peak resident memory so far (`VmHWM` of
/// `/proc/self/status`), in bytes.
fn peak_memory() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}
