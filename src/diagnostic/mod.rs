//! Diagnostics: errors and warnings about a user's files, with the place they point at.

mod code;

pub use code::{ALL as CODES, Code, Entry as CodeEntry};

use std::collections::BTreeMap;

use arcstr::ArcStr;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anstyle::{AnsiColor, Style};

/// How bad a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Stops the build.
    Error,
    /// Reported; stops the build only with `--deny-warnings`.
    Warning,
}

/// A place in a user's file: 1-based line and column (in characters), and a
/// length in characters for the caret line.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Span {
    /// Line, counting from 1; 0 means "the whole file".
    pub line: usize,
    /// Column in characters, counting from 1.
    pub column: usize,
    /// How many characters the caret underlines (at least 1).
    pub len: usize,
}

impl Span {
    /// A span at `line`:`column` underlining `len` characters.
    pub fn new(line: usize, column: usize, len: usize) -> Span {
        Span { line, column, len }
    }

    /// A span for a whole file, with no line to point at.
    pub fn file() -> Span {
        Span::default()
    }

    /// The span of the text at byte `offset` in `source`, `byte_len` bytes long.
    pub fn from_offset(source: &str, offset: usize, byte_len: usize) -> Span {
        let offset = floor_char_boundary(source, offset.min(source.len()));
        let before = &source[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before[line_start..].chars().count() + 1;
        let end = floor_char_boundary(source, (offset + byte_len).min(source.len()));
        let len = source[offset..end].chars().count();
        Span { line, column, len }
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// One error or warning about a user's file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// What kind of diagnostic it is, e.g. [`Code::QuoteNotFound`].
    pub code: Code,
    /// The file, relative to the briefing's root.
    pub file: PathBuf,
    /// Where in the file.
    pub span: Span,
    /// What is wrong, in one sentence.
    pub message: String,
    /// How to fix it, where that can be said.
    pub help: Option<String>,
    /// Other places in the same file that explain it, each with what it
    /// says of its place (where an unclosed quote was given up on).
    pub labels: Box<[Label]>,
}

/// A secondary place of a diagnostic, in the same file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

impl Diagnostic {
    /// A diagnostic of kind `code` at `span` in `file`: an error or a
    /// warning, as the code is.
    pub fn new(code: Code, file: &Path, span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: code.severity(),
            code,
            file: file.to_path_buf(),
            span,
            message: message.into(),
            help: None,
            labels: Box::default(),
        }
    }

    /// The same diagnostic with a secondary place, `message` under it.
    pub fn with_label(mut self, span: Span, message: impl Into<String>) -> Self {
        let mut labels = std::mem::take(&mut self.labels).into_vec();
        labels.push(Label {
            span,
            message: message.into(),
        });
        self.labels = labels.into_boxed_slice();
        self
    }

    /// The same diagnostic with a help line.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// True for errors.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Sorts diagnostics by file, then line and column, errors first where equal.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (&a.file, a.span, a.severity, &a.message).cmp(&(&b.file, b.span, b.severity, &b.message))
    });
}

/// The texts of the files diagnostics point into, so that a report can quote them.
#[derive(Default, Debug)]
pub struct Sources {
    /// Shared with what was parsed from them: an article's body is a piece of its file's text.
    files: BTreeMap<PathBuf, ArcStr>,
}

impl Sources {
    /// Remembers the text of `file` (relative to the briefing's root).
    pub fn insert(&mut self, file: PathBuf, text: impl Into<ArcStr>) {
        self.files.insert(file, text.into());
    }

    /// Keeps only the texts of the files `keep` says yes to.
    pub fn retain(&mut self, mut keep: impl FnMut(&Path) -> bool) {
        self.files.retain(|file, _| keep(file));
    }

    /// The text of `file`, if it was read.
    pub fn get(&self, file: &Path) -> Option<&str> {
        self.files.get(file).map(ArcStr::as_str)
    }

    /// Renders one diagnostic the way rustc does: a header, the place, the line
    /// with a caret under the span, and the help.
    pub fn render(&self, d: &Diagnostic) -> String {
        self.render_styled(d, false)
    }

    /// [`Sources::render`], in colour when `colour` is set (for a terminal).
    pub fn render_styled(&self, d: &Diagnostic, colour: bool) -> String {
        let paint = |style: Style, text: &str| {
            if colour {
                format!("{style}{text}{style:#}")
            } else {
                text.to_string()
            }
        };
        let (label, accent) = match d.severity {
            Severity::Error => ("error", AnsiColor::Red),
            Severity::Warning => ("warning", AnsiColor::Yellow),
        };
        let accent = Style::new().bold().fg_color(Some(accent.into()));
        let frame = Style::new().bold().fg_color(Some(AnsiColor::Blue.into()));
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{}{}",
            paint(accent, &format!("{label}[{}]", d.code)),
            paint(Style::new().bold(), &format!(": {}", d.message))
        );
        let file = d.file.display().to_string().replace('\\', "/");
        let text = self.get(&d.file);
        let line_of = |line: usize| text.and_then(|t| t.lines().nth(line.wrapping_sub(1)));
        let widest = d
            .labels
            .iter()
            .map(|l| l.span.line)
            .chain([d.span.line])
            .filter(|&line| line_of(line).is_some())
            .max();
        let gutter = " ".repeat(widest.map_or(1, |line| line.to_string().len()));
        let arrow = paint(frame, "-->");
        match d.span.line {
            0 => {
                let _ = writeln!(out, "  {arrow} {file}");
            }
            line => {
                let _ = writeln!(out, "  {arrow} {file}:{line}:{}", d.span.column);
            }
        }
        let mut places = vec![(d.span, "^", None)];
        places.extend(
            d.labels
                .iter()
                .map(|l| (l.span, "-", Some(l.message.as_str()))),
        );
        places.sort_by_key(|(span, _, _)| *span);
        let mut shown_any = false;
        for (span, marker, label) in places {
            let Some(line_text) = line_of(span.line).filter(|_| span.line > 0) else {
                continue;
            };
            let bar = paint(frame, &format!("{gutter} |"));
            if !shown_any {
                let _ = writeln!(out, "{bar}");
                shown_any = true;
            }
            let line_text = line_text.trim_end_matches('\r');
            // A long line is shown as 200 characters around the span.
            let column = span.column.saturating_sub(1);
            let skip = column.saturating_sub(100);
            let mut shown: String = line_text.chars().skip(skip).take(200).collect();
            let mut start = column - skip;
            if skip > 0 {
                shown.insert(0, '…');
                start += 1;
            }
            let width = shown.chars().count();
            let start = start.min(width);
            let len = span.len.max(1).min(width.saturating_sub(start).max(1));
            let number = format!("{:>w$} |", span.line, w = gutter.len());
            let _ = writeln!(out, "{} {shown}", paint(frame, &number));
            let style = if marker == "^" { accent } else { frame };
            let carets = paint(style, &marker.repeat(len));
            let said = label
                .map(|l| format!(" {}", paint(style, l)))
                .unwrap_or_default();
            let _ = writeln!(out, "{bar} {}{carets}{said}", " ".repeat(start));
        }
        if let Some(help) = &d.help {
            let help_style = Style::new().bold().fg_color(Some(AnsiColor::Cyan.into()));
            for (i, help_line) in help.lines().enumerate() {
                let lead = if i == 0 {
                    let equals = paint(frame, &format!("{gutter} ="));
                    format!("{equals} {}", paint(help_style, "help:"))
                } else {
                    format!("{gutter}        ")
                };
                let _ = writeln!(out, "{lead} {help_line}");
            }
        }
        out
    }

    /// Renders every diagnostic, separated by blank lines.
    pub fn render_all(&self, diagnostics: &[Diagnostic]) -> String {
        self.render_all_styled(diagnostics, false)
    }

    /// [`Sources::render_all`], in colour when `colour` is set.
    pub fn render_all_styled(&self, diagnostics: &[Diagnostic], colour: bool) -> String {
        diagnostics
            .iter()
            .map(|d| self.render_styled(d, colour))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

impl Diagnostic {
    /// The diagnostic as one line of JSON, for editors and CI: `file`,
    /// `line`, `column`, `end_line`, `end_column` (1-based, the end exclusive;
    /// all four 0 for a whole file), `severity`, `code`, `message`, `help`.
    pub fn to_json(&self) -> String {
        let (end_line, end_column) = if self.span.line == 0 {
            (0, 0)
        } else {
            (self.span.line, self.span.column + self.span.len.max(1))
        };
        serde_json::json!({
            "file": self.file.display().to_string().replace('\\', "/"),
            "line": self.span.line,
            "column": self.span.column,
            "end_line": end_line,
            "end_column": end_column,
            "severity": match self.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            },
            "code": self.code.name(),
            "message": self.message,
            "help": self.help,
            "labels": self.labels.iter().map(|l| serde_json::json!({
                "line": l.span.line,
                "column": l.span.column,
                "end_line": l.span.line,
                "end_column": l.span.column + l.span.len.max(1),
                "message": l.message,
            })).collect::<Vec<_>>(),
        })
        .to_string()
    }
}

/// The closest of `candidates` to `word`, if any is close enough to suggest.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn span_from_offset_counts_characters() {
        let text = "a: 1\nquote: “Yeah”\n";
        let offset = text.find('“').unwrap();
        let span = Span::from_offset(text, offset, "“Yeah”".len());
        assert_eq!(span, Span::new(2, 8, 6));
    }

    #[test]
    fn render_points_at_the_span() {
        let mut sources = Sources::default();
        sources.insert(PathBuf::from("a.yaml"), "id: x\nkind: persn\n");
        let d = Diagnostic::new(
            Code::InvalidValue,
            Path::new("a.yaml"),
            Span::new(2, 7, 5),
            "unknown kind `persn`",
        )
        .with_help("did you mean `person`?");
        let shown = sources.render(&d);
        assert_eq!(
            shown,
            "error[invalid-value]: unknown kind `persn`\n  --> a.yaml:2:7\n  |\n2 | kind: persn\n  |       ^^^^^\n  = help: did you mean `person`?\n"
        );
    }

    #[test]
    fn did_you_mean_suggests_only_close_words() {
        let keys = ["sources", "status", "summary"];
        assert_eq!(did_you_mean("sourcs", keys), Some("sources"));
        assert_eq!(did_you_mean("zzz", keys), None);
    }
}
