//! The `briefing` command: parse the command line, run the build, print the
//! diagnostics, choose the exit code.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use briefing::limits::{Limit, Limits};
use briefing::progress::Progress;
use briefing::{BuildOptions, Failure, build};
use clap::{Parser, Subcommand};

/// Builds annotated briefings — articles, claims pinned to quotes, a glossary
/// and a timeline — into a static website.
#[derive(Parser)]
#[command(name = "briefing", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder.
    Build {
        /// The briefing's folder (holding content/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site [default: ROOT/public].
        #[arg(long)]
        output: Option<PathBuf>,
        /// Fail on warnings too.
        #[arg(long)]
        deny_warnings: bool,
        /// Print only diagnostics, no summary.
        #[arg(long)]
        quiet: bool,
        /// Also print how long each stage took.
        #[arg(long)]
        timings: bool,
        /// Where the site will live, e.g. https://example.org/briefing/
        /// (overrides `base_url` in briefing.yaml).
        #[arg(long)]
        base_url: Option<String>,
        #[command(flatten)]
        limits: LimitArgs,
    },
    /// Start a new briefing in DIR: one sample article, its annotations, and a
    /// README on what to edit.
    Init {
        /// The folder to create (or an empty one).
        dir: PathBuf,
    },
    /// Serve the site on loopback, rebuilding and reloading open pages when
    /// content/ or templates/ change.
    Serve {
        /// The briefing's folder (holding content/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The port; 0 picks a free one.
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// The address to listen on.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        #[command(flatten)]
        limits: LimitArgs,
    },
    /// Print the JSON Schema of a kind of file, or keep the briefing's copies
    /// in ROOT/schemas/ current (editors use them through the
    /// `# yaml-language-server: $schema=…` comment).
    Schema {
        /// The kind of file to print the schema of.
        #[arg(value_enum, required_unless_present_any = ["write", "check"])]
        kind: Option<SchemaKind>,
        /// Write all schemas into ROOT/schemas/, rewriting only those that changed.
        #[arg(long, conflicts_with_all = ["kind", "check"])]
        write: bool,
        /// Fail when ROOT/schemas/ is missing a schema or holds an outdated one.
        #[arg(long, conflicts_with = "kind")]
        check: bool,
        /// The briefing's folder (for --write and --check).
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Export the checked briefing as data: JSON (one document, on standard
    /// output or into --output FILE) or CSV (claims, articles, actors, terms
    /// and events tables, into --output DIR).
    Export {
        /// The briefing's folder (holding content/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// json or csv.
        #[arg(long, value_enum)]
        format: ExportFormat,
        /// The file (json) or folder (csv) to write.
        #[arg(long)]
        output: Option<PathBuf>,
        /// Where the site will live (overrides `base_url` in briefing.yaml).
        #[arg(long)]
        base_url: Option<String>,
        #[command(flatten)]
        limits: LimitArgs,
    },
    /// Check the content as a build does, writing nothing.
    Check {
        /// The briefing's folder (holding content/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Fail on warnings too.
        #[arg(long)]
        deny_warnings: bool,
        /// How to print diagnostics: for people, or one JSON object a line
        /// on standard output (for editors and CI).
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        #[command(flatten)]
        limits: LimitArgs,
    },
}

/// `--limit NAME=VALUE`, repeated.
#[derive(clap::Args)]
struct LimitArgs {
    /// Raise (or lower) a limit of the build: file-size=16MB (the largest
    /// file in content/) or claims=100000 (the most claims). Repeatable.
    #[arg(long = "limit", value_name = "NAME=VALUE")]
    limit: Vec<Limit>,
}

impl LimitArgs {
    fn limits(&self) -> Limits {
        let mut limits = Limits::default();
        for &limit in &self.limit {
            limits.set(limit);
        }
        limits
    }
}

/// The formats of `export`.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum ExportFormat {
    Json,
    Csv,
}

/// The files a schema describes.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum SchemaKind {
    /// content/briefing.yaml
    Briefing,
    /// The front matter of content/articles/*.md
    FrontMatter,
    /// content/annotations/*.yaml
    Annotations,
}

/// How diagnostics are printed.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Human,
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let (options, quiet, timings) = match cli.command {
        Command::Init { dir } => {
            return match briefing::init::init(&dir) {
                Ok(files) => {
                    for f in &files {
                        eprintln!("wrote {}", f.display());
                    }
                    eprintln!(
                        "a new briefing is in {}: see its README.md, then run `briefing serve --root {}`",
                        dir.display(),
                        dir.display()
                    );
                    ExitCode::SUCCESS
                }
                Err(err) => {
                    eprintln!("error: {err:#}");
                    ExitCode::from(2)
                }
            };
        }
        Command::Export {
            root,
            format,
            output,
            base_url,
            limits,
        } => return export(root, format, output, base_url, limits.limits()),
        Command::Schema {
            kind,
            write,
            check,
            root,
        } => return schema(kind, write, check, &root),
        Command::Serve {
            root,
            port,
            bind,
            limits,
        } => {
            let options = briefing::serve::ServeOptions {
                root,
                limits: limits.limits(),
                addr: std::net::SocketAddr::new(bind, port),
            };
            let served = briefing::serve::serve(&options, |addr| {
                eprintln!("serving on http://{addr}/ (Ctrl-C stops)");
            });
            return match served {
                Ok(()) => ExitCode::SUCCESS,
                Err(err) => {
                    eprintln!("error: {err:#}");
                    ExitCode::from(2)
                }
            };
        }
        Command::Build {
            root,
            output,
            deny_warnings,
            quiet,
            timings,
            base_url,
            limits,
        } => (
            BuildOptions {
                root,
                output,
                deny_warnings,
                write: true,
                progress: if quiet { None } else { Progress::on_terminal() },
                base_url,
                limits: limits.limits(),
            },
            quiet,
            timings,
        ),
        Command::Check {
            root,
            deny_warnings,
            format: Format::Json,
            limits,
        } => {
            let options = BuildOptions {
                root,
                output: None,
                deny_warnings,
                write: false,
                progress: None,
                base_url: None,
                limits: limits.limits(),
            };
            return check_json(&options);
        }
        Command::Check {
            root,
            deny_warnings,
            format: Format::Human,
            limits,
        } => (
            BuildOptions {
                root,
                output: None,
                deny_warnings,
                write: false,
                progress: Progress::on_terminal(),
                base_url: None,
                limits: limits.limits(),
            },
            false,
            false,
        ),
    };
    let result = build(&options);
    if let Some(progress) = &options.progress {
        progress.finish();
    }
    let colour = briefing::progress::colour();
    match result {
        Ok(outcome) => {
            if !outcome.diagnostics.is_empty() {
                eprintln!(
                    "{}",
                    outcome
                        .sources
                        .render_all_styled(&outcome.diagnostics, colour)
                );
            }
            if timings {
                let mut cpu_before = Duration::ZERO;
                for lap in outcome.timings.laps() {
                    let peak = lap
                        .peak
                        .map(|b| format!("{:>7} MB peak", b / (1024 * 1024)))
                        .unwrap_or_default();
                    // What the stage used of the processors: more than its
                    // time where it ran on several.
                    let cpu = lap
                        .cpu
                        .map(|total| {
                            let stage = total.saturating_sub(cpu_before);
                            cpu_before = total;
                            format!("{:>9.0} ms cpu", stage.as_secs_f64() * 1000.0)
                        })
                        .unwrap_or_default();
                    eprintln!(
                        "{:>9.1} ms  {cpu}  {peak}  {}",
                        lap.took.as_secs_f64() * 1000.0,
                        lap.stage
                    );
                }
            }
            if !quiet {
                let [articles, claims, entries, events] = outcome.counts;
                let warnings = outcome.diagnostics.len();
                let what = format!(
                    "{articles} articles, {claims} claims, {entries} glossary entries, {events} events"
                );
                let secs = outcome.elapsed.as_secs_f64();
                let warned = if warnings > 0 {
                    format!(
                        ", {warnings} warning{}",
                        if warnings == 1 { "" } else { "s" }
                    )
                } else {
                    String::new()
                };
                match &outcome.output {
                    Some(out) => {
                        let written = match (outcome.written, outcome.files) {
                            (w, f) if w == f => format!("{f} files written"),
                            (0, _) => "no file changed".to_string(),
                            (w, f) => format!("{w} of {f} files written, the others unchanged"),
                        };
                        eprintln!(
                            "built {} pages ({what}) into {} in {secs:.2}s, {written}{warned}",
                            outcome.pages,
                            out.display(),
                        )
                    }
                    None => eprintln!(
                        "checked {what}: {} pages would be built, in {secs:.2}s{warned}",
                        outcome.pages
                    ),
                }
            }
            ExitCode::SUCCESS
        }
        Err(Failure::Content {
            diagnostics,
            sources,
        }) => {
            eprintln!("{}", sources.render_all_styled(&diagnostics, colour));
            let errors = diagnostics.iter().filter(|d| d.is_error()).count();
            let warnings = diagnostics.len() - errors;
            eprintln!(
                "build failed: {errors} error{}, {warnings} warning{}{}",
                if errors == 1 { "" } else { "s" },
                if warnings == 1 { "" } else { "s" },
                if errors == 0 {
                    " (warnings are errors with --deny-warnings)"
                } else {
                    ""
                }
            );
            ExitCode::from(1)
        }
        Err(Failure::Io(err) | Failure::Usage(err)) => {
            print_io_error(&err);
            ExitCode::from(2)
        }
    }
}

/// A failure outside the content, with what to do about it when that is known.
fn print_io_error(err: &anyhow::Error) {
    eprintln!("error: {err:#}");
    if let Some(help) = briefing::write::help(err) {
        eprintln!("  = help: {help}");
    }
}

/// `check --format json`: every diagnostic as a line of JSON on standard
/// output, nothing else; the exit code as for `check`.
fn check_json(options: &BuildOptions) -> ExitCode {
    let (diagnostics, code) = match build(options) {
        Ok(outcome) => (outcome.diagnostics, ExitCode::SUCCESS),
        Err(Failure::Content { diagnostics, .. }) => (diagnostics, ExitCode::from(1)),
        Err(Failure::Io(err) | Failure::Usage(err)) => {
            print_io_error(&err);
            return ExitCode::from(2);
        }
    };
    for d in &diagnostics {
        println!("{}", d.to_json());
    }
    code
}

/// `schema`: print one schema, or write or check the briefing's copies.
fn schema(kind: Option<SchemaKind>, write: bool, check: bool, root: &std::path::Path) -> ExitCode {
    use briefing::schema::{self, Kind};
    if let Some(kind) = kind {
        let kind = match kind {
            SchemaKind::Briefing => Kind::Briefing,
            SchemaKind::FrontMatter => Kind::FrontMatter,
            SchemaKind::Annotations => Kind::Annotations,
        };
        print!("{}", kind.json());
        return ExitCode::SUCCESS;
    }
    if check {
        return match schema::stale(root) {
            Ok(stale) if stale.is_empty() => ExitCode::SUCCESS,
            Ok(stale) => {
                for file in stale {
                    eprintln!("{}: missing or outdated", file.display());
                }
                eprintln!("run `briefing schema --write` to bring the schemas up to date");
                ExitCode::from(1)
            }
            Err(err) => {
                eprintln!("error: {err:#}");
                ExitCode::from(2)
            }
        };
    }
    debug_assert!(write);
    match schema::write(root) {
        Ok(written) => {
            for file in &written {
                eprintln!("wrote {}", file.display());
            }
            if written.is_empty() {
                eprintln!(
                    "the schemas in {} are current",
                    root.join(schema::DIR).display()
                );
            }
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(2)
        }
    }
}

/// mimalloc instead of the system allocator: a build allocates many short-lived
/// strings and JSON values from several threads, where it is markedly faster.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `export`: the model as JSON or CSV, once the content checks clean of errors.
fn export(
    root: PathBuf,
    format: ExportFormat,
    output: Option<PathBuf>,
    base_url: Option<String>,
    limits: Limits,
) -> ExitCode {
    let options = BuildOptions {
        root,
        output: None,
        deny_warnings: false,
        write: false,
        progress: Progress::on_terminal(),
        base_url,
        limits,
    };
    let analysis = briefing::analyse(&options, &mut briefing::progress::Timings::default());
    if let Some(progress) = &options.progress {
        progress.finish();
    }
    let colour = briefing::progress::colour();
    let analysis = match analysis {
        Ok(a) if !a.diagnostics.iter().any(|d| d.is_error()) => a,
        Ok(briefing::Analysis {
            diagnostics,
            sources,
            ..
        })
        | Err(Failure::Content {
            diagnostics,
            sources,
        }) => {
            let errors: Vec<_> = diagnostics.into_iter().filter(|d| d.is_error()).collect();
            eprintln!("{}", sources.render_all_styled(&errors, colour));
            eprintln!("export stopped: the content has errors");
            return ExitCode::from(1);
        }
        Err(Failure::Io(err) | Failure::Usage(err)) => {
            print_io_error(&err);
            return ExitCode::from(2);
        }
    };
    let result = match (format, output) {
        (ExportFormat::Json, output) => {
            let value = briefing::export::json(&analysis.model, &analysis.anchors);
            let text = serde_json::to_string_pretty(&value).unwrap_or_default() + "\n";
            match output {
                None => {
                    print!("{text}");
                    Ok(())
                }
                Some(path) => std::fs::write(&path, text)
                    .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display())),
            }
        }
        (ExportFormat::Csv, Some(dir)) => {
            briefing::export::csv(&analysis.model, &analysis.anchors, &dir).map(|files| {
                for f in files {
                    eprintln!("wrote {}", f.display());
                }
            })
        }
        (ExportFormat::Csv, None) => Err(anyhow::anyhow!(
            "CSV export writes one file per table: name a folder with --output DIR"
        )),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(2)
        }
    }
}
