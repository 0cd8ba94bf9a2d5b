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
            cpu: cpu_time(),
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
    /// The processor time the process has used so far, all threads, user
    /// and system, where the system tells it (Linux).
    pub cpu: Option<Duration>,
}

/// The processor time the process has used so far: `utime` and `stime` of
/// `/proc/self/stat`, in the clock ticks of Linux's user interface, which are
/// a hundredth of a second.
fn cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The program's name comes in parentheses and may hold spaces: the
    // fields are counted after it, from the state (field 3).
    let (_, fields) = stat.rsplit_once(')')?;
    let mut fields = fields.split_whitespace().skip(11);
    let user: u64 = fields.next()?.parse().ok()?;
    let system: u64 = fields.next()?.parse().ok()?;
    Some(Duration::from_millis((user + system) * 10))
}

/// The process's peak resident memory so far (`VmHWM` of
/// `/proc/self/status`), in bytes.
fn peak_memory() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_os = "linux")]
    #[test]
    fn a_stage_is_timed_with_the_processor_time_it_used() {
        let mut timings = Timings::default();
        timings.lap("idle");
        // Busy until the system counts 50 ms of processor time (other
        // tests may share the processors), or gives up after 10 s.
        let before = cpu_time().unwrap_or_default();
        let started = std::time::Instant::now();
        let mut x = 0u64;
        while cpu_time().unwrap_or_default() < before + Duration::from_millis(50)
            && started.elapsed() < Duration::from_secs(10)
        {
            for _ in 0..100_000 {
                x = std::hint::black_box(x.wrapping_mul(31).wrapping_add(1));
            }
        }
        timings.lap("busy");
        let [idle, busy] = timings.laps() else {
            panic!("two laps were recorded");
        };
        let (Some(before), Some(after)) = (idle.cpu, busy.cpu) else {
            panic!("Linux tells a process its processor time");
        };
        assert!(
            after - before >= Duration::from_millis(50),
            "{before:?} then {after:?}"
        );
        assert!(busy.peak.is_some_and(|p| p > 0));
    }
}
