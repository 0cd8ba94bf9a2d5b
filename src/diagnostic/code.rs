//! The list of diagnostic codes: each kind of error or warning a build can
//! report, with its severity, what it means and how to fix it. The user's
//! reference, `docs/diagnostics.md`, is generated from this list.

use super::Severity;

/// A kind of diagnostic. Its [`Code::name`] is stable: it is printed in
/// brackets (`error[quote-not-found]`), given by `check --format json`, and
/// kept in the record of a build.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Code {
    // Reading files.
    NoContent,
    MissingFile,
    Unreadable,
    OutsideBriefing,
    NotUtf8,
    LimitFileSize,
    IgnoredFile,
    // YAML and its shape.
    YamlSyntax,
    LimitYaml,
    UnknownKey,
    MissingKey,
    DuplicateKey,
    WrongType,
    NoFrontMatter,
    LimitClaims,
    // Values and references.
    InvalidId,
    DuplicateId,
    UnknownReference,
    InvalidValue,
    InvalidDate,
    InvalidUrl,
    InvalidLanguage,
    InvalidLink,
    BrokenLink,
    AliasConflict,
    SelfRelation,
    NoSources,
    // Quotes.
    EmptyQuote,
    InvalidOccurrence,
    AmbiguousSelector,
    QuoteNotFound,
    AmbiguousQuote,
    OccurrenceOutOfRange,
    QuoteContextNotFound,
    // The theme.
    Template,
    // What is left unused or unsaid.
    UncitedArticle,
    UnusedEntry,
    ClaimWithoutActor,
    EmptyTopic,
    NoBaseUrl,
}

/// What the reference says of a code.
pub struct Entry {
    pub code: Code,
    /// Its stable name, kebab-case.
    pub name: &'static str,
    pub severity: Severity,
    /// What it means, in one line.
    pub summary: &'static str,
    /// How to fix it.
    pub fix: &'static str,
}

use Code::*;
use Severity::{Error, Warning};

const fn entry(
    code: Code,
    name: &'static str,
    severity: Severity,
    summary: &'static str,
    fix: &'static str,
) -> Entry {
    Entry {
        code,
        name,
        severity,
        summary,
        fix,
    }
}

/// Every code, in the order of [`Code`]'s variants (a test checks it).
pub const ALL: [Entry; 40] = [
    entry(
        NoContent,
        "no-content",
        Error,
        "The folder has no `content/` folder, so it is not a briefing.",
        "Run the command in a briefing's folder, name one with `--root DIR`, or start one with `briefing init DIR`.",
    ),
    entry(
        MissingFile,
        "missing-file",
        Error,
        "A file the briefing needs is not there: `content/briefing.yaml`.",
        "Create `content/briefing.yaml` with at least a `title:`.",
    ),
    entry(
        Unreadable,
        "unreadable",
        Error,
        "A file or folder cannot be read: no permission, a link to nothing, or a pipe, socket or device where a file should be.",
        "Make the file readable by the user who builds, or replace the link or special file with a file.",
    ),
    entry(
        OutsideBriefing,
        "outside-briefing",
        Error,
        "A link (symbolic link) in `content/` or `templates/` leads out of the briefing's folder.",
        "Copy the file into the briefing: links are followed only while they stay inside its folder.",
    ),
    entry(
        NotUtf8,
        "not-utf8",
        Error,
        "The file is not valid UTF-8; the place is its first bad byte.",
        "Save the file as UTF-8 (a byte-order mark is accepted).",
    ),
    entry(
        LimitFileSize,
        "limit-file-size",
        Error,
        "A file is larger than the file-size limit (16 MB by default); it is not read.",
        "Split it into several files, or raise the limit with `--limit file-size=64MB`.",
    ),
    entry(
        IgnoredFile,
        "ignored-file",
        Warning,
        "A file is not read: it is not `.md` in `content/articles/`, not `.yaml` or `.yml` in `content/annotations/`, or it is a link to a folder.",
        "Rename the file, or move it out of the content folder.",
    ),
    entry(
        YamlSyntax,
        "yaml-syntax",
        Error,
        "The YAML does not parse: an unclosed quote or bracket, a tab in the indentation, a stray character.",
        "Close what was opened where the error points, and indent with spaces.",
    ),
    entry(
        LimitYaml,
        "limit-yaml",
        Error,
        "A YAML file goes beyond what is read safely: too many values, too deep, too many aliases, or aliases that expand past the text limit.",
        "Split the file, write repeated values out instead of `*name` aliases, or raise `--limit file-size=…`, which the YAML budgets grow with.",
    ),
    entry(
        UnknownKey,
        "unknown-key",
        Error,
        "A key that the format does not have; the help suggests the closest one and lists those allowed.",
        "Correct the spelling, or remove the key.",
    ),
    entry(
        MissingKey,
        "missing-key",
        Error,
        "A required key is missing, or a file (front matter, `briefing.yaml`) is empty.",
        "Add the key the message names.",
    ),
    entry(
        DuplicateKey,
        "duplicate-key",
        Error,
        "The same key is given twice in one mapping.",
        "Keep one of them.",
    ),
    entry(
        WrongType,
        "wrong-type",
        Error,
        "A value of the wrong kind: a list where a text is expected, a mapping where a list is, nothing where a text is.",
        "Write the value as the message says: a text, a list (`- item` lines, or `[a, b]`) or a mapping (`key: value` lines).",
    ),
    entry(
        NoFrontMatter,
        "no-front-matter",
        Error,
        "An article does not start with front matter between two `---` lines.",
        "Start the file with a line `---`, the article's `title:` and `outlet:`, and another line `---`.",
    ),
    entry(
        LimitClaims,
        "limit-claims",
        Error,
        "The briefing has more claims than the claims limit (100,000 by default).",
        "Raise the limit with `--limit claims=N` if the briefing is meant to be this large.",
    ),
    entry(
        InvalidId,
        "invalid-id",
        Error,
        "An id breaks the id rule: lowercase ASCII letters, digits and single hyphens, at most 64 characters (an article's id is its file name).",
        "Use the id the help suggests, and rename every reference to it.",
    ),
    entry(
        DuplicateId,
        "duplicate-id",
        Error,
        "Two things of one kind share an id (actors and terms share one glossary); the help names the other place.",
        "Rename one of them, and the references meant for it.",
    ),
    entry(
        UnknownReference,
        "unknown-reference",
        Error,
        "An id refers to nothing: an article, actor, term, topic, claim or event of that id does not exist.",
        "Correct the id (the help suggests the closest), or add what it refers to.",
    ),
    entry(
        InvalidValue,
        "invalid-value",
        Error,
        "A value outside its list: a `status`, an actor's `kind`, a `relation`.",
        "Use one of the values the help lists.",
    ),
    entry(
        InvalidDate,
        "invalid-date",
        Error,
        "A date in none of the allowed forms, or a day that does not exist.",
        "Write `YYYY`, `YYYY-MM`, `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM[:SS]` or an RFC 3339 timestamp.",
    ),
    entry(
        InvalidUrl,
        "invalid-url",
        Error,
        "An address that is not an absolute `http` or `https` URL (an article's `url`, an actor's link, `base_url`).",
        "Write the whole address, starting with `https://`.",
    ),
    entry(
        InvalidLanguage,
        "invalid-language",
        Error,
        "A `language` that is not a BCP 47 tag.",
        "Write a tag such as `en`, `es` or `pt-BR`.",
    ),
    entry(
        InvalidLink,
        "invalid-link",
        Error,
        "A Markdown link to an address that is not allowed: not `http`, `https` or `mailto`, or an `@/` link to a kind that does not exist.",
        "Link to an `https://` address, or to `@/articles/ID`, `@/claims/ID`, `@/actors/ID`, `@/terms/ID` or `@/events/ID`.",
    ),
    entry(
        BrokenLink,
        "broken-link",
        Error,
        "An internal `@/KIND/ID` link to something that does not exist.",
        "Correct the id (the help suggests the closest), or add what it links to.",
    ),
    entry(
        AliasConflict,
        "alias-conflict",
        Error,
        "Two glossary entries claim the same name or alias, so a mention could not say which one it is.",
        "Remove the alias from one of the entries.",
    ),
    entry(
        SelfRelation,
        "self-relation",
        Error,
        "A claim names itself in `related`.",
        "Relate it to another claim, or remove the entry.",
    ),
    entry(
        NoSources,
        "no-sources",
        Error,
        "A claim has an empty `sources` list: every claim is pinned to at least one quote.",
        "Add a source with an `article` and a `quote`.",
    ),
    entry(
        EmptyQuote,
        "empty-quote",
        Error,
        "A `quote` (or a `prefix` or `suffix`) is empty once white space is ignored.",
        "Copy the passage from the article.",
    ),
    entry(
        InvalidOccurrence,
        "invalid-occurrence",
        Error,
        "An `occurrence` that is not a whole number from 1.",
        "Count the occurrences from 1.",
    ),
    entry(
        AmbiguousSelector,
        "ambiguous-selector",
        Error,
        "A source gives both an `occurrence` and a `prefix` or `suffix`: one way of choosing is enough.",
        "Keep either `occurrence` or `prefix`/`suffix`.",
    ),
    entry(
        QuoteNotFound,
        "quote-not-found",
        Error,
        "The quote is not in its article as a reader sees it; the help shows the closest passage and a word diff.",
        "Copy the passage exactly as the article prints it (quotes, dashes and white space may differ; letter case may not).",
    ),
    entry(
        AmbiguousQuote,
        "ambiguous-quote",
        Error,
        "The quote occurs more than once in its article; the help lists where.",
        "Say which with `occurrence: N`, or with a `prefix` or `suffix`.",
    ),
    entry(
        OccurrenceOutOfRange,
        "occurrence-out-of-range",
        Error,
        "The `occurrence` is past the last occurrence of the quote.",
        "Use a number up to the count the message gives.",
    ),
    entry(
        QuoteContextNotFound,
        "quote-context-not-found",
        Error,
        "No occurrence of the quote has the given `prefix` or `suffix` next to it, or several have.",
        "Copy the words just before or after the quote from the article.",
    ),
    entry(
        Template,
        "template",
        Error,
        "A template of the briefing's `templates/` does not compile or does not render: an unknown filter, field or include.",
        "Correct the template where the error points, or delete it to use the built-in one.",
    ),
    entry(
        UncitedArticle,
        "uncited-article",
        Warning,
        "No claim cites the article: none of its passages is a source.",
        "Add a claim with a quote from it, or remove the article.",
    ),
    entry(
        UnusedEntry,
        "unused-entry",
        Warning,
        "A glossary entry is never mentioned in any text, nor referred to by a claim or event.",
        "Add an alias that the texts use, refer to it from a claim or event, or remove it.",
    ),
    entry(
        ClaimWithoutActor,
        "claim-without-actor",
        Warning,
        "A claim has neither `by` nor `about`.",
        "Say who makes the claim with `by:`, or whom it is about with `about:`.",
    ),
    entry(
        EmptyTopic,
        "empty-topic",
        Warning,
        "A topic of `briefing.yaml` that no claim names.",
        "Give a claim `topic: ID`, or remove the topic.",
    ),
    entry(
        NoBaseUrl,
        "no-base-url",
        Warning,
        "Without `base_url`, `feed.xml` and `sitemap.xml` are not written: they need absolute addresses.",
        "Add `base_url: https://…/` to `briefing.yaml`, or build with `--base-url URL`.",
    ),
];

impl Code {
    /// What the reference says of this code.
    pub fn entry(self) -> &'static Entry {
        &ALL[self as usize]
    }

    /// The stable name, e.g. `quote-not-found`.
    pub fn name(self) -> &'static str {
        self.entry().name
    }

    /// Whether it stops the build.
    pub fn severity(self) -> Severity {
        self.entry().severity
    }

    /// The code of a name, as [`Code::name`] gives it.
    pub fn from_name(name: &str) -> Option<Code> {
        ALL.iter().find(|e| e.name == name).map(|e| e.code)
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_is_in_the_order_of_the_codes_and_names_are_unique() {
        for (i, e) in ALL.iter().enumerate() {
            assert_eq!(e.code as usize, i, "{} is out of place", e.name);
            assert_eq!(Code::from_name(e.name), Some(e.code));
            assert!(
                e.name.split('-').all(|w| !w.is_empty()
                    && w.bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())),
                "{} is not kebab-case",
                e.name
            );
            assert!(
                e.summary.ends_with('.') && e.fix.ends_with('.'),
                "{}",
                e.name
            );
        }
    }
}
