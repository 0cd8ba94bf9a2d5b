//! Resolve: check every id, date, link and reference of the loaded files, merge
//! the annotation files, and build the model.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use crate::date::Date;
use crate::diagnostic::{Code, Diagnostic, Span, did_you_mean};
use crate::format::{RawArticle, RawClaim, RawEvent, RawSource, S, span_of};
use crate::load::{Loaded, briefing_file};
use crate::markdown::{self, Doc};
use crate::model::*;

use rayon::prelude::*;

/// The id rule of docs/format.md, "Identifiers".
pub fn check_id(id: &str) -> Result<(), String> {
    if id.is_empty() {
        return Err("an id cannot be empty".into());
    }
    if id.len() > 64 {
        return Err(format!(
            "the id is {} characters long; ids are at most 64",
            id.chars().count()
        ));
    }
    let ok_chars = id
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !ok_chars || id.starts_with('-') || id.ends_with('-') || id.contains("--") {
        return Err(format!(
            "`{}` is not a valid id: use lowercase letters a-z, digits and single hyphens, e.g. `{}`",
            id,
            suggest_id(id)
        ));
    }
    Ok(())
}

fn suggest_id(id: &str) -> String {
    let mut out = String::new();
    for c in id.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out
        .trim_end_matches('-')
        .chars()
        .take(64)
        .collect::<String>();
    if out.is_empty() { "my-id".into() } else { out }
}

/// The place of a spanned value in `file`.
fn loc_of<T>(file: &Path, value: &S<T>, line_offset: usize) -> Loc {
    Loc {
        file: file.to_path_buf(),
        span: span_of(value, line_offset),
    }
}

/// A parsed Markdown text with its place.
pub fn text(value: &S<String>, file: &Path, line_offset: usize, inline: bool) -> Text {
    Text {
        id: TextId::default(),
        loc: loc_of(file, value, line_offset),
        doc: Doc::parse(value.value.clone(), inline),
    }
}

struct Resolver {
    diags: Vec<Diagnostic>,
}

/// Where each id of one kind was first defined.
#[derive(Default)]
struct Ids {
    index: HashMap<String, usize>,
    places: Vec<Loc>,
}

impl Resolver {
    fn report(&mut self, diagnostic: Diagnostic) -> &mut Diagnostic {
        self.diags.push(diagnostic);
        self.diags.last_mut().expect("just pushed")
    }

    /// Reports a diagnostic of `code` at `loc`: an error or a warning, as
    /// the code is.
    fn say(&mut self, code: Code, loc: &Loc, message: impl Into<String>) -> &mut Diagnostic {
        self.report(Diagnostic::new(code, &loc.file, loc.span, message))
    }

    /// Checks an id's form and uniqueness and registers it; false if it is unusable.
    fn define(&mut self, ids: &mut Ids, kind: &str, id: &str, loc: Loc) -> bool {
        if let Err(message) = check_id(id) {
            self.say(Code::InvalidId, &loc, message);
            return false;
        }
        if let Some(&first) = ids.index.get(id) {
            let first = &ids.places[first];
            let help = format!(
                "it is first defined at {}:{}:{}; give one of them another id",
                first.file.display(),
                first.span.line,
                first.span.column
            );
            self.say(
                Code::DuplicateId,
                &loc,
                format!("the {kind} id `{id}` is defined twice"),
            )
            .help = Some(help);
            return false;
        }
        ids.index.insert(id.to_string(), ids.places.len());
        ids.places.push(loc);
        true
    }

    /// Looks up a reference to an id of `kind`, reporting it when unknown.
    /// The id that `value` names among `ids` (each at its index in the
    /// model's list), or `None` with an error that suggests the closest.
    fn refer<T>(
        &mut self,
        ids: &HashMap<String, usize>,
        kind: &str,
        value: &S<String>,
        file: &Path,
        line_offset: usize,
    ) -> Option<Id<T>> {
        if let Some(&i) = ids.get(&value.value) {
            return Some(Id::new(i));
        }
        let loc = loc_of(file, value, line_offset);
        let mut names: Vec<&str> = ids.keys().map(String::as_str).collect();
        names.sort_unstable();
        let help = match did_you_mean(&value.value, names.iter().copied()) {
            Some(close) => format!("did you mean `{close}`?"),
            None if names.is_empty() => format!("no {kind} is defined yet"),
            None => format!("the {kind} ids are: {}", shorten(&names)),
        };
        self.say(
            Code::UnknownReference,
            &loc,
            format!("there is no {kind} `{}`", value.value),
        )
        .help = Some(help);
        None
    }

    fn date(&mut self, value: &S<String>, file: &Path, line_offset: usize) -> Option<Date> {
        match Date::parse(value.value.trim()) {
            Ok(date) => Some(date),
            Err(message) => {
                let loc = loc_of(file, value, line_offset);
                self.say(Code::InvalidDate, &loc, message);
                None
            }
        }
    }

    fn url(&mut self, value: &S<String>, file: &Path, line_offset: usize) -> Option<String> {
        let url = value.value.trim();
        if is_allowed_url(url) {
            return Some(url.to_string());
        }
        let loc = loc_of(file, value, line_offset);
        self.say(
            Code::InvalidUrl,
            &loc,
            format!("`{url}` is not an http, https or mailto address"),
        )
        .help = Some("write the full address, e.g. `https://example.org/page`".into());
        None
    }

    fn one_of<T: Copy>(
        &mut self,
        value: &S<String>,
        file: &Path,
        what: &str,
        all: &[(&'static str, T)],
    ) -> Option<T> {
        if let Some((_, v)) = all.iter().find(|(name, _)| *name == value.value) {
            return Some(*v);
        }
        let loc = loc_of(file, value, 0);
        let names: Vec<&str> = all.iter().map(|(n, _)| *n).collect();
        let help = match did_you_mean(&value.value, names.iter().copied()) {
            Some(close) => format!(
                "did you mean `{close}`? {what} is one of: {}",
                names.join(", ")
            ),
            None => format!("{what} is one of: {}", names.join(", ")),
        };
        self.say(
            Code::InvalidValue,
            &loc,
            format!("`{}` is not a valid {what}", value.value),
        )
        .help = Some(help);
        None
    }
}

fn shorten(names: &[&str]) -> String {
    let shown: Vec<String> = names.iter().take(12).map(|n| format!("`{n}`")).collect();
    let more = names.len().saturating_sub(12);
    if more > 0 {
        format!("{} and {more} more", shown.join(", "))
    } else {
        shown.join(", ")
    }
}

/// A site's address as a folder, ending in `/`, so that page paths can be
/// appended to it.
pub fn folder_url(url: String) -> String {
    if url.ends_with('/') { url } else { url + "/" }
}

/// True for the external link schemes docs/format.md allows.
pub fn is_allowed_url(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    let rest = ["http://", "https://"]
        .iter()
        .find_map(|p| lower.strip_prefix(p));
    match rest {
        Some(host) => {
            !host.is_empty() && !host.starts_with('/') && !url.chars().any(char::is_whitespace)
        }
        None => lower
            .strip_prefix("mailto:")
            .is_some_and(|a| a.contains('@')),
    }
}

/// Builds the model from the loaded files; `None` when an error stops it.
pub fn resolve(loaded: &Loaded) -> (Option<Model>, Vec<Diagnostic>) {
    let mut r = Resolver { diags: Vec::new() };
    let Some(raw) = &loaded.briefing else {
        return (None, r.diags);
    };
    let bfile = briefing_file();
    let mut model = Model {
        meta: Meta {
            title: raw.title.value.clone(),
            summary: raw.summary.as_ref().map(|s| text(s, &bfile, 0, false)),
            date: raw.date.as_ref().and_then(|d| r.date(d, &bfile, 0)),
            language: raw
                .language
                .as_ref()
                .map_or("en".into(), |l| l.value.clone()),
            base_url: raw
                .base_url
                .as_ref()
                .and_then(|u| r.url(u, &bfile, 0))
                .map(folder_url),
            authors: raw.authors.iter().map(|a| a.value.clone()).collect(),
        },
        ..Model::default()
    };
    if let Some(lang) = &raw.language {
        check_language(&mut r, lang, &bfile);
    }
    let mut topic_ids = Ids::default();
    for t in &raw.topics {
        let loc = loc_of(&bfile, &t.id, 0);
        if r.define(&mut topic_ids, "topic", &t.id.value, loc.clone()) {
            model.topics.push(Topic {
                id: t.id.value.clone(),
                title: t.title.value.clone(),
                summary: t.summary.as_ref().map(|s| text(s, &bfile, 0, false)),
                loc,
            });
        }
    }
    let mut article_ids = Ids::default();
    // Parsing the bodies is most of the work, and each is on its own.
    let mut docs: Vec<Option<Doc>> = loaded
        .articles
        .par_iter()
        .map(|a| Some(Doc::parse(a.body.clone(), false)))
        .collect();
    model.articles.reserve_exact(docs.len());
    for (a, doc) in loaded.articles.iter().zip(&mut docs) {
        let loc = Loc {
            file: a.file.clone(),
            span: Span::file(),
        };
        if r.define(&mut article_ids, "article", &a.id, loc) {
            let doc = doc.take().unwrap_or_default();
            model.articles.push(article(&mut r, a, doc));
        }
    }
    entries(&mut r, loaded, &mut model);
    let actors = actor_ids(&model.entries);
    let claim_ids = claims(
        &mut r,
        loaded,
        &mut model,
        &article_ids.index,
        &actors,
        &topic_ids.index,
    );
    events(
        &mut r,
        loaded,
        &mut model,
        &article_ids.index,
        &actors,
        &claim_ids,
    );
    check_links(&mut r, &model);
    warn_unused(&mut r, &model);
    model.number_texts();
    (Some(model), r.diags)
}

fn check_language(r: &mut Resolver, lang: &S<String>, file: &Path) {
    let ok = lang.value.split('-').enumerate().all(|(i, part)| {
        let len_ok = if i == 0 {
            (2..=3).contains(&part.len())
        } else {
            (1..=8).contains(&part.len())
        };
        len_ok
            && part.bytes().all(|b| b.is_ascii_alphanumeric())
            && (i > 0 || part.bytes().all(|b| b.is_ascii_alphabetic()))
    });
    if !ok {
        let loc = loc_of(file, lang, 0);
        r.say(
            Code::InvalidLanguage,
            &loc,
            format!("`{}` is not a BCP 47 language tag", lang.value),
        )
        .help = Some("write a tag such as `en`, `es` or `pt-BR`".into());
    }
}

fn article(r: &mut Resolver, a: &RawArticle, doc: Doc) -> Article {
    let f = &a.front;
    let file = &a.file;
    Article {
        id: a.id.clone(),
        file: file.clone(),
        title: f.title.value.clone(),
        title_supplied: f.title_supplied,
        outlet: f.outlet.value.clone(),
        author: f.author.as_ref().map(|v| v.value.clone()),
        published: f.published.as_ref().and_then(|d| r.date(d, file, 1)),
        url: f.url.as_ref().and_then(|u| r.url(u, file, 1)),
        section: f.section.as_ref().map(|v| v.value.clone()),
        language: f.language.as_ref().map(|v| v.value.clone()),
        note: f.note.as_ref().map(|n| text(n, file, 1, false)),
        doc,
        body_line: a.body_line,
    }
}

/// Collects actors and terms into one glossary, sorted by name.
/// The index of every actor (not term) by id: what `by`, `about`,
/// `member_of` and an event's `actors` may name.
fn actor_ids(entries: &[Entry]) -> HashMap<String, usize> {
    entries
        .iter()
        .enumerate()
        .filter(|(_, e)| matches!(e.kind, EntryKind::Actor(_)))
        .map(|(i, e)| (e.id.clone(), i))
        .collect()
}

fn entries(r: &mut Resolver, loaded: &Loaded, model: &mut Model) {
    let mut ids = Ids::default();
    let mut raw_members: Vec<(Vec<S<String>>, PathBuf)> = Vec::new();
    for (file, ann) in &loaded.annotations {
        for a in &ann.actors {
            let loc = loc_of(file, &a.id, 0);
            let kind = r.one_of(&a.kind, file, "actor kind", &ActorKind::ALL);
            if !r.define(&mut ids, "glossary", &a.id.value, loc.clone()) {
                continue;
            }
            let (aliases, alias_spans) = aliases(&a.name, &a.aliases);
            model.entries.push(Entry {
                id: a.id.value.clone(),
                name: a.name.value.clone(),
                kind: EntryKind::Actor(kind.unwrap_or(ActorKind::Person)),
                role: a.role.as_ref().map(|v| v.value.clone()),
                aliases,
                alias_spans,
                member_of: Vec::new(),
                summary: a.summary.as_ref().map(|s| text(s, file, 0, false)),
                links: a
                    .links
                    .iter()
                    .filter_map(|l| Some((l.title.value.clone(), r.url(&l.url, file, 0)?)))
                    .collect(),
                link_mentions: a.link_mentions.unwrap_or(true),
                loc,
            });
            raw_members.push((a.member_of.clone(), file.clone()));
        }
        for t in &ann.terms {
            let loc = loc_of(file, &t.id, 0);
            if !r.define(&mut ids, "glossary", &t.id.value, loc.clone()) {
                continue;
            }
            let (aliases, alias_spans) = aliases(&t.term, &t.aliases);
            model.entries.push(Entry {
                id: t.id.value.clone(),
                name: t.term.value.clone(),
                kind: EntryKind::Term,
                role: None,
                aliases,
                alias_spans,
                member_of: Vec::new(),
                summary: Some(text(&t.definition, file, 0, false)),
                links: Vec::new(),
                link_mentions: true,
                loc,
            });
            raw_members.push((Vec::new(), file.clone()));
        }
    }
    // Member-of may only name actors.
    let actor_ids = actor_ids(&model.entries);
    for (i, (members, file)) in raw_members.iter().enumerate() {
        let resolved: Vec<EntryId> = members
            .iter()
            .filter_map(|m| r.refer(&actor_ids, "actor", m, file, 0))
            .collect();
        model.entries[i].member_of = resolved;
    }
    check_alias_conflicts(r, &model.entries);
    // Sort by name, remapping member_of.
    let mut order: Vec<usize> = (0..model.entries.len()).collect();
    order.sort_by_cached_key(|&i| {
        (
            model.entries[i].name.to_lowercase(),
            model.entries[i].id.clone(),
        )
    });
    let mut new_index = vec![0; order.len()];
    for (new, &old) in order.iter().enumerate() {
        new_index[old] = new;
    }
    let mut old: Vec<Option<Entry>> = std::mem::take(&mut model.entries)
        .into_iter()
        .map(Some)
        .collect();
    model.entries = order
        .iter()
        .map(|&i| old[i].take().expect("each entry is taken once"))
        .collect();
    for e in &mut model.entries {
        for m in &mut e.member_of {
            *m = EntryId::new(new_index[m.index()]);
        }
    }
}

/// The name and the aliases, trimmed and each once, with where each was
/// written.
fn aliases(name: &S<String>, aliases: &[S<String>]) -> (Vec<String>, Vec<Span>) {
    let mut all = vec![name.value.trim().to_string()];
    let mut spans = vec![span_of(name, 0)];
    for a in aliases {
        let alias = a.value.trim().to_string();
        if !alias.is_empty() && !all.contains(&alias) {
            all.push(alias);
            spans.push(span_of(a, 0));
        }
    }
    (all, spans)
}

fn check_alias_conflicts(r: &mut Resolver, entries: &[Entry]) {
    let mut owner: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, e) in entries.iter().enumerate() {
        if !e.link_mentions {
            continue;
        }
        for (alias, span) in e.aliases.iter().zip(&e.alias_spans) {
            match owner.get(alias.as_str()) {
                Some(&j) if j != i => {
                    let other = &entries[j];
                    let line = other
                        .aliases
                        .iter()
                        .position(|a| a == alias)
                        .and_then(|k| other.alias_spans.get(k))
                        .map_or(other.loc.span.line, |s| s.line);
                    let help = format!(
                        "`{}` ({}:{line}) also has it; an alias must name one entry, so remove it from one of them",
                        other.id,
                        other.loc.file.display(),
                    );
                    let at = Loc {
                        file: e.loc.file.clone(),
                        span: *span,
                    };
                    r.say(
                        Code::AliasConflict,
                        &at,
                        format!(
                            "the alias `{alias}` of `{}` is claimed by `{}` too",
                            e.id, other.id
                        ),
                    )
                    .help = Some(help);
                }
                _ => {
                    owner.insert(alias, i);
                }
            }
        }
    }
}

fn claims(
    r: &mut Resolver,
    loaded: &Loaded,
    model: &mut Model,
    articles: &HashMap<String, usize>,
    actors: &HashMap<String, usize>,
    topics: &HashMap<String, usize>,
) -> HashMap<String, usize> {
    let mut ids = Ids::default();
    let mut pending_related: Vec<(ClaimId, &RawClaim, &PathBuf)> = Vec::new();
    let raw: Vec<(&PathBuf, &RawClaim)> = loaded
        .annotations
        .iter()
        .flat_map(|(file, ann)| ann.claims.iter().map(move |c| (file, c)))
        .collect();
    // Parsing the texts is most of the work, and each is on its own.
    let parsed: Vec<(Text, Option<Text>)> = raw
        .par_iter()
        .map(|&(file, c)| {
            let note = c.note.as_ref().map(|n| text(n, file, 0, false));
            (text(&c.text, file, 0, true), note)
        })
        .collect();
    model.claims.reserve_exact(raw.len());
    for (&(file, c), (claim_text, note)) in raw.iter().zip(parsed) {
        let loc = loc_of(file, &c.id, 0);
        if !r.define(&mut ids, "claim", &c.id.value, loc.clone()) {
            continue;
        }
        let sources = sources(r, &c.sources.value, file, articles);
        if c.sources.value.is_empty() {
            let sloc = loc_of(file, &c.sources, 0);
            r.say(
                Code::NoSources,
                &sloc,
                format!("the claim `{}` has no sources", c.id.value),
            )
            .help = Some(
                "add at least one `- article: ID` with the `quote:` that supports the claim".into(),
            );
        }
        let claim = Claim {
            id: c.id.value.clone(),
            label: markdown::plain(&claim_text.doc.text),
            text: claim_text,
            by: c
                .by
                .as_ref()
                .and_then(|b| r.refer(actors, "actor", b, file, 0)),
            about: c
                .about
                .iter()
                .filter_map(|a| r.refer(actors, "actor", a, file, 0))
                .collect(),
            topic: c
                .topic
                .as_ref()
                .and_then(|t| r.refer(topics, "topic", t, file, 0)),
            date: c.date.as_ref().and_then(|d| r.date(d, file, 0)),
            status: c
                .status
                .as_ref()
                .and_then(|s| r.one_of(s, file, "status", &Status::ALL))
                .unwrap_or(Status::Reported),
            note,
            sources,
            related: Vec::new(),
            loc,
        };
        if claim.by.is_none() && c.by.is_none() && c.about.is_empty() {
            r.say(
                Code::ClaimWithoutActor,
                &claim.loc,
                format!("the claim `{}` has neither `by` nor `about`", claim.id),
            )
            .help = Some(
                "say who makes the claim with `by:`, or whom it is about with `about:`".into(),
            );
        }
        pending_related.push((ClaimId::new(model.claims.len()), c, file));
        model.claims.push(claim);
    }
    for (i, c, file) in pending_related {
        for rel in &c.related {
            let Some(j) = r.refer::<Claim>(&ids.index, "claim", &rel.claim, file, 0) else {
                continue;
            };
            let relation = r.one_of(&rel.relation, file, "relation", &Relation::ALL);
            if i == j {
                let loc = loc_of(file, &rel.claim, 0);
                r.say(
                    Code::SelfRelation,
                    &loc,
                    format!("the claim `{}` relates to itself", c.id.value),
                )
                .help = Some("a related claim must be another claim".into());
                continue;
            }
            if let Some(relation) = relation {
                model.claims[i].related.push((j, relation));
            }
        }
    }
    ids.index
}

fn sources(
    r: &mut Resolver,
    raw: &[RawSource],
    file: &Path,
    articles: &HashMap<String, usize>,
) -> Vec<Source> {
    let mut out = Vec::with_capacity(raw.len());
    for s in raw {
        let article = r.refer(articles, "article", &s.article, file, 0);
        let loc = loc_of(file, &s.quote, 0);
        if crate::normalize::normalize(&s.quote.value).is_empty() {
            r.say(Code::EmptyQuote, &loc, "the quote is empty").help =
                Some("copy the passage of the article that supports this".into());
            continue;
        }
        let occurrence = match &s.occurrence {
            Some(o) if o.value < 1 => {
                let oloc = loc_of(file, o, 0);
                r.say(
                    Code::InvalidOccurrence,
                    &oloc,
                    format!("`occurrence: {}` must be 1 or more", o.value),
                )
                .help = Some("occurrences count from 1: `occurrence: 1` is the first".into());
                continue;
            }
            Some(o) => Some(o.value as usize),
            None => None,
        };
        if let (Some(o), true) = (&s.occurrence, s.prefix.is_some() || s.suffix.is_some()) {
            let oloc = loc_of(file, o, 0);
            r.say(
                Code::AmbiguousSelector,
                &oloc,
                "`occurrence` and `prefix`/`suffix` are given together",
            )
            .help = Some("choose the passage by one of them only".into());
            continue;
        }
        let Some(article) = article else { continue };
        out.push(Source {
            article,
            quote: s.quote.value.clone(),
            occurrence,
            prefix: s.prefix.as_ref().map(|p| p.value.clone()),
            suffix: s.suffix.as_ref().map(|p| p.value.clone()),
            note: s.note.as_ref().map(|n| text(n, file, 0, false)),
            loc,
        });
    }
    out
}

fn events(
    r: &mut Resolver,
    loaded: &Loaded,
    model: &mut Model,
    articles: &HashMap<String, usize>,
    actors: &HashMap<String, usize>,
    claims: &HashMap<String, usize>,
) {
    let mut ids = Ids::default();
    for (file, ann) in &loaded.annotations {
        for e in &ann.events {
            event(r, &mut ids, model, e, file, articles, actors, claims);
        }
    }
    model
        .events
        .sort_by(|a, b| a.date.cmp(&b.date).then_with(|| a.id.cmp(&b.id)));
}

#[allow(clippy::too_many_arguments)]
fn event(
    r: &mut Resolver,
    ids: &mut Ids,
    model: &mut Model,
    e: &RawEvent,
    file: &Path,
    articles: &HashMap<String, usize>,
    actors: &HashMap<String, usize>,
    claims: &HashMap<String, usize>,
) {
    let loc = loc_of(file, &e.id, 0);
    if !r.define(ids, "event", &e.id.value, loc.clone()) {
        return;
    }
    let Some(date) = r.date(&e.date, file, 0) else {
        return;
    };
    model.events.push(Event {
        id: e.id.value.clone(),
        date,
        title: text(&e.title, file, 0, true),
        description: e.description.as_ref().map(|d| text(d, file, 0, false)),
        actors: e
            .actors
            .iter()
            .filter_map(|a| r.refer(actors, "actor", a, file, 0))
            .collect(),
        claims: e
            .claims
            .iter()
            .filter_map(|c| r.refer(claims, "claim", c, file, 0))
            .collect(),
        sources: sources(r, &e.sources, file, articles),
        loc,
    });
}

/// Checks every link of every Markdown text and article body.
fn check_links(r: &mut Resolver, model: &Model) {
    let mut known: HashMap<&str, Vec<&str>> = HashMap::new();
    known.insert(
        "articles",
        model.articles.iter().map(|a| a.id.as_str()).collect(),
    );
    known.insert(
        "claims",
        model.claims.iter().map(|c| c.id.as_str()).collect(),
    );
    known.insert(
        "events",
        model.events.iter().map(|e| e.id.as_str()).collect(),
    );
    known.insert(
        "actors",
        model
            .entries
            .iter()
            .filter(|e| e.section() == "actors")
            .map(|e| e.id.as_str())
            .collect(),
    );
    known.insert(
        "terms",
        model
            .entries
            .iter()
            .filter(|e| e.section() == "terms")
            .map(|e| e.id.as_str())
            .collect(),
    );
    for t in model.texts() {
        for (dest, _) in &t.doc.links {
            check_link(r, &known, dest, &t.loc);
        }
    }
    for a in &model.articles {
        for (dest, range) in &a.doc.links {
            let mut span = Span::from_offset(a.doc.source(), range.start, range.len());
            span.line += a.body_line - 1;
            check_link(
                r,
                &known,
                dest,
                &Loc {
                    file: a.file.clone(),
                    span,
                },
            );
        }
    }
}

fn check_link(r: &mut Resolver, known: &HashMap<&str, Vec<&str>>, dest: &str, loc: &Loc) {
    let Some(path) = dest.strip_prefix("@/") else {
        if !is_allowed_url(dest) {
            r.say(Code::InvalidLink, loc, format!("the link `{dest}` is not allowed"))
                .help = Some("links are http, https or mailto addresses, or @/articles/ID, @/claims/ID, @/actors/ID, @/terms/ID, @/events/ID".into());
        }
        return;
    };
    let (kind, id) = path.split_once('/').unwrap_or((path, ""));
    let Some(ids) = known.get(kind) else {
        let help = match did_you_mean(kind, ["articles", "claims", "actors", "terms", "events"]) {
            Some(k) => format!("did you mean `@/{k}/{id}`?"),
            None => "internal links are @/articles/ID, @/claims/ID, @/actors/ID, @/terms/ID or @/events/ID".into(),
        };
        r.say(
            Code::InvalidLink,
            loc,
            format!("`{dest}` is not an internal link"),
        )
        .help = Some(help);
        return;
    };
    if !ids.contains(&id) {
        let help = match did_you_mean(id, ids.iter().copied()) {
            Some(close) => format!("did you mean `@/{kind}/{close}`?"),
            None => format!("no page `{kind}/{id}` exists"),
        };
        r.say(
            Code::BrokenLink,
            loc,
            format!("the link `{dest}` points to nothing"),
        )
        .help = Some(help);
    }
}

/// The warnings docs/format.md lists that the model alone can tell.
fn warn_unused(r: &mut Resolver, model: &Model) {
    let mut cited = vec![false; model.articles.len()];
    let mut topic_used = vec![false; model.topics.len()];
    for c in &model.claims {
        c.sources
            .iter()
            .for_each(|s| cited[s.article.index()] = true);
        if let Some(t) = c.topic {
            topic_used[t.index()] = true;
        }
    }
    for (a, cited) in model.articles.iter().zip(cited) {
        if !cited {
            let loc = Loc {
                file: a.file.clone(),
                span: Span::new(1, 1, 3),
            };
            r.say(
                Code::UncitedArticle,
                &loc,
                format!("no claim cites the article `{}`", a.id),
            )
            .help = Some("add a claim with a quote from it, or remove the article".into());
        }
    }
    for (t, used) in model.topics.iter().zip(topic_used) {
        if !used {
            r.say(
                Code::EmptyTopic,
                &t.loc,
                format!("the topic `{}` has no claims", t.id),
            )
            .help = Some(format!(
                "give a claim `topic: {}`, or remove the topic",
                t.id
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_follow_the_rule() {
        for good in ["a", "petro", "wire-2026-02-03", "1st"] {
            assert!(check_id(good).is_ok(), "{good}");
        }
        for bad in ["", "Petro", "a--b", "-a", "a-", "a_b", "é", &"a".repeat(65)] {
            assert!(check_id(bad).is_err(), "{bad}");
        }
        assert!(
            check_id("Gustavo Petro")
                .unwrap_err()
                .contains("`gustavo-petro`")
        );
    }

    #[test]
    fn only_web_and_mail_urls_are_allowed() {
        assert!(is_allowed_url("https://example.org/x"));
        assert!(is_allowed_url("mailto:desk@example.org"));
        for bad in [
            "javascript:alert(1)",
            "ftp://x",
            "/relative",
            "https://",
            "data:text/html,x",
            "page.html",
        ] {
            assert!(!is_allowed_url(bad), "{bad}");
        }
    }
}
