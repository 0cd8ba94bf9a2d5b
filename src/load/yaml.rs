//! YAML errors in the user's words: serde-saphyr's errors, parse and shape
//! alike, turned into diagnostics with the place they point at.

use std::path::Path;

use crate::diagnostic::{Code, Diagnostic, Span, did_you_mean};
use crate::format::span_at;
use crate::limits::{Limits, Size};

/// Turns a YAML or shape error of `text`, whose first line is line
/// `1 + line_offset` of `file`, into a diagnostic in the user's words. It
/// reads serde-saphyr's structured errors (the field, the keys expected,
/// the parser's kind of error), never their wording, but for the last
/// resort: a parse error of a kind not named here is shown as the parser
/// words it ([`parser_words`]).
pub(super) fn diagnostic(
    file: &Path,
    text: &str,
    err: &serde_saphyr::Error,
    line_offset: usize,
    limits: &Limits,
) -> Diagnostic {
    use serde_saphyr::Error as E;
    use serde_saphyr::granit_parser::ErrorKind as Parse;
    let err = innermost(err);
    let span = err
        .location()
        .map_or_else(Span::file, |l| span_at(l, line_offset));
    if let Some(d) = budget_diagnostic(file, err, span, limits) {
        return d;
    }
    let error = |code, message: String| Diagnostic::new(code, file, span, message);
    let wrong_type = |what: &str, help: &str| {
        error(Code::WrongType, format!("expected {what} here")).with_help(help)
    };
    match err {
        E::SerdeUnknownField {
            field, expected, ..
        } => {
            let mut help = match did_you_mean(field, expected.iter().copied()) {
                Some(close) => format!("did you mean `{close}`? "),
                None => String::new(),
            };
            help.push_str("the keys allowed here are: ");
            help.push_str(&expected.join(", "));
            error(Code::UnknownKey, format!("unknown key `{field}`")).with_help(help)
        }
        E::SerdeMissingField { field, .. } => {
            error(Code::MissingKey, format!("missing required key `{field}`"))
                .with_help(format!("add `{field}:` to this entry"))
        }
        E::DuplicateMappingKey { key, .. } => {
            let key = key.as_deref().unwrap_or("this key");
            error(
                Code::DuplicateKey,
                format!("the key `{key}` is given twice"),
            )
            .with_help("keep one of them")
        }
        E::NullIntoString { .. } => error(
            Code::WrongType,
            "expected a text value here, found nothing".into(),
        )
        .with_help("write the value after the colon, or remove the key"),
        E::Unexpected { expected, .. } => match *expected {
            "sequence start" => wrong_type(
                "a list",
                "write the items as `- item` lines under the key, or as `[a, b]`",
            ),
            "mapping start" => wrong_type(
                "a mapping",
                "write `key: value` lines, indented under the key",
            ),
            "string scalar" => wrong_type(
                "a text value",
                "write plain text; quote it if it starts with `[`, `{`, `*`, `&` or `!`",
            ),
            other => error(Code::WrongType, format!("expected {other} here")),
        },
        E::SerdeInvalidType {
            unexpected,
            expected,
            ..
        } => error(
            Code::WrongType,
            format!("invalid type: {unexpected}, expected {expected}")
                .replace("a sequence", "a list")
                .replace("a map", "a mapping"),
        ),
        E::ExternalMessage { source, .. } => {
            let serde_saphyr::ExternalMessageSource::Parser(scan) = source.as_ref() else {
                return error(
                    Code::YamlSyntax,
                    format!("the YAML does not parse: {}", parser_words(err)),
                );
            };
            match scan.kind() {
                Parse::UnclosedQuotedScalar => {
                    let end = end_of(text, line_offset);
                    error(Code::YamlSyntax, "the quoted text is never closed".into())
                        .with_label(end, "the file ends here, still inside the quotes")
                        .with_help("close the quote where the text ends; a quote inside the text is written twice in single quotes (`'it''s'`), or as `\\\"` in double quotes")
                }
                Parse::TabInIndentation
                | Parse::TabInBlockIndentation
                | Parse::TabInPlainScalar
                | Parse::TabNotAllowed
                | Parse::TabAtBlockScalarStart => {
                    // The parser names where the value it was reading
                    // began; the tab is the first one from there.
                    let from = err
                        .location()
                        .and_then(|l| l.span().byte_offset())
                        .map_or(0, |o| o as usize)
                        .min(text.len());
                    let Some(tab) = text.get(from..).and_then(|rest| rest.find('\t')) else {
                        return error(
                            Code::YamlSyntax,
                            "a tab where YAML allows only spaces".into(),
                        )
                        .with_help("indent with spaces: YAML does not allow tabs there");
                    };
                    let at = Span::from_offset(text, from + tab, 1);
                    Diagnostic::new(
                        Code::YamlSyntax,
                        file,
                        Span::new(at.line + line_offset, at.column, 1),
                        "a tab where YAML allows only spaces",
                    )
                    .with_label(span, "in the value that starts here")
                    .with_help("indent with spaces: YAML does not allow tabs there")
                }
                _ => error(
                    Code::YamlSyntax,
                    format!("the YAML does not parse: {}", scan.kind()),
                ),
            }
        }
        _ => error(
            Code::YamlSyntax,
            format!("the YAML does not parse: {}", parser_words(err)),
        ),
    }
}

/// The error itself, without what wraps it: a snippet, or the alias it
/// was reached through.
fn innermost(mut err: &serde_saphyr::Error) -> &serde_saphyr::Error {
    while let serde_saphyr::Error::AliasError { error, .. }
    | serde_saphyr::Error::WithSnippet { error, .. } = err
    {
        err = error;
    }
    err
}

/// The one place that reads an error's wording: serde-saphyr ends every
/// message with ` at line L, column C`, which the diagnostic says in its own
/// way, so it is cut off (a test pins the shape).
fn parser_words(err: &serde_saphyr::Error) -> String {
    let full = err.to_string();
    match full.rfind(" at line ") {
        Some(i) => full[..i].to_string(),
        None => full,
    }
}

/// The span of the last character of `text`, in the file whose first line
/// is line `1 + line_offset` of it.
fn end_of(text: &str, line_offset: usize) -> Span {
    let trimmed = text.trim_end();
    let last = trimmed.char_indices().next_back().map_or(0, |(i, _)| i);
    let span = Span::from_offset(trimmed, last, 1);
    Span::new(span.line + line_offset, span.column, 1)
}

/// A breached YAML budget, said as the limit it is and how to stay within
/// it; `None` for any other error.
fn budget_diagnostic(
    file: &Path,
    err: &serde_saphyr::Error,
    span: Span,
    limits: &Limits,
) -> Option<Diagnostic> {
    use serde_saphyr::budget::BudgetBreach as B;
    let err = innermost(err);
    let error = |message: String, help: &str| {
        Some(Diagnostic::new(Code::LimitYaml, file, span, message).with_help(help))
    };
    let deep_help = "nothing in a briefing nests more than five levels deep: look for an unclosed `[` or `{`, or indentation that runs away";
    let alias_help = "write the repeated values out instead of `*name` aliases";
    let size_help = "split the file into several files in the same folder (each is read on its own), or raise the limit with `--limit file-size=…`, which these grow with";
    if let serde_saphyr::Error::ExternalMessage { source, .. } = err
        && let serde_saphyr::ExternalMessageSource::Parser(scan) = source.as_ref()
        && *scan.kind() == serde_saphyr::granit_parser::ErrorKind::RecursionLimitExceeded
    {
        return error("the values are nested too deeply to read".into(), deep_help);
    }
    let serde_saphyr::Error::Budget { breach, .. } = err else {
        return None;
    };
    match breach {
        B::Depth { depth } => error(
            format!("the values are nested {depth} levels deep, too deep to read"),
            deep_help,
        ),
        B::Nodes { nodes } => error(
            format!(
                "the file holds more than {} values (keys, items and texts), the limit for one file",
                nodes - 1
            ),
            size_help,
        ),
        B::Events { events } => error(
            format!(
                "the file holds more than {} YAML elements, the limit for one file",
                events - 1
            ),
            size_help,
        ),
        B::ScalarBytes { .. } => error(
            format!(
                "the file's texts come to more than {}, the limit for one file: aliases (`*name`) repeat the text they point to",
                Size(limits.yaml_text() as u64)
            ),
            "write the repeated values out instead of `*name` aliases, or raise the limit with `--limit file-size=…`, which this grows with",
        ),
        B::Aliases { aliases } => error(
            format!(
                "the file uses more than {} aliases (`*name`), the limit for one file",
                aliases - 1
            ),
            alias_help,
        ),
        B::Anchors { anchors } => error(
            format!(
                "the file defines more than {} anchors (`&name`), the limit for one file",
                anchors - 1
            ),
            alias_help,
        ),
        B::AliasAnchorRatio { aliases, anchors } => error(
            format!(
                "the file uses {aliases} aliases (`*name`) for {anchors} anchors (`&name`): too many repeats to read safely"
            ),
            alias_help,
        ),
        B::RecordedAnchorEvents { .. } | B::RecordedAnchorBytes { .. } => error(
            "the anchors (`&name`) hold more than can be kept for their aliases".into(),
            alias_help,
        ),
        B::Documents { documents } => error(
            format!("the file holds {documents} YAML documents"),
            "a briefing's file is one document: remove the `---` lines that start others",
        ),
        B::MergeKeys { .. } => error(
            "the file uses too many merge keys (`<<`)".into(),
            alias_help,
        ),
        other => error(
            format!("the file goes beyond what can be read safely ({other:?})"),
            size_help,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diagnose(text: &str) -> Diagnostic {
        let limits = Limits::default();
        let err = serde_saphyr::from_str_with_options::<crate::format::RawAnnotations>(
            text,
            super::super::options(&limits),
        )
        .expect_err("the YAML is bad");
        diagnostic(Path::new("a.yaml"), text, &err, 0, &limits)
    }

    /// The one message whose words are read: serde-saphyr ends it with the
    /// place, which is cut off. If the crate rewords it, this fails.
    #[test]
    fn a_parse_error_of_no_named_kind_is_its_words_without_the_place() {
        let err = serde_saphyr::from_str_with_options::<crate::format::RawAnnotations>(
            "claims: 5\n",
            super::super::options(&Limits::default()),
        )
        .expect_err("a number is not a list");
        assert_eq!(
            err.to_string(),
            "expected sequence start at line 1, column 9"
        );
        assert_eq!(parser_words(&err), "expected sequence start");
    }

    #[test]
    fn an_unclosed_quote_points_where_it_opened_and_where_the_file_ends() {
        let d = diagnose("claims:\n  - id: a\n    text: \"never closed\n    by: x\n");
        assert_eq!(d.code, Code::YamlSyntax);
        assert_eq!(d.span, Span::new(3, 11, 1));
        assert_eq!(d.labels.len(), 1);
        assert_eq!(d.labels[0].span, Span::new(4, 9, 1));
    }

    #[test]
    fn an_unknown_key_suggests_from_the_keys_the_parser_expected() {
        let d = diagnose("claims:\n  - id: a\n    txet: b\n");
        assert_eq!(d.code, Code::UnknownKey);
        assert_eq!(d.message, "unknown key `txet`");
        let help = d.help.unwrap_or_default();
        assert!(help.starts_with("did you mean `text`?"), "{help}");
        assert!(help.contains("sources"), "{help}");
    }
}
