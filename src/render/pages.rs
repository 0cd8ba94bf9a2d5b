//! The pages of docs/site.md: for each, the data its template shows, all computed
//! here (counts, backlinks, groupings, sort orders).

use std::borrow::Cow;
use std::collections::HashMap;

use serde::Serialize;
use serde_json::Value;

use super::backlinks::Backlinks;
use super::meta::{self, Head};
use super::text::{
    MentionRecord, PageText, Preview, Shared, context, push_mention_id, sentence, words,
};
use crate::anchor::{claim_anchor, event_anchor};
use crate::date::Date;
use crate::markdown::plain;
use crate::model::{
    Article, ArticleId, Claim, ClaimId, EntryId, EntryKind, EventId, Model, Relation, Source,
};

/// A page before its template runs.
pub struct PageData<'m> {
    /// Its path from the site's root, e.g. `claims/x.html`.
    pub path: String,
    /// The template that renders it.
    pub template: &'static str,
    /// What the template shows.
    pub data: tera::Value,
    /// A hash of `data`, when the build keeps a cache of pages (`serve`).
    pub fingerprint: Option<blake3::Hash>,
    /// The mentions in the texts at home on this page.
    pub records: Vec<MentionRecord<'m>>,
    /// The previews of what the page highlights or mentions, by key.
    pub previews: Vec<Preview>,
    /// What the page tells machines about itself.
    pub head: Head,
}

impl PageData<'_> {
    fn described(mut self, description: &str) -> Self {
        self.head.description = Some(words(description, 40));
        self
    }

    fn with_jsonld(mut self, jsonld: &Value) -> Self {
        self.head.jsonld = Some(meta::script_json(jsonld));
        self
    }
}

/// Where a page of many rows (the claims page's cards, the coverage
/// page's rows) puts each row as it is made, group by group: kept as data
/// for the page's template to loop over ([`Collect`]), or rendered at once
/// and dropped (see `render::Stream`).
pub trait Rows {
    /// Takes the page's data but its groups (what a row's template sees as
    /// `page`), and how many rows the page has. Called once, before the
    /// first row.
    fn page(&mut self, page: &tera::Value, rows: usize);
    /// Takes the next row of the current group.
    fn row(&mut self, row: tera::Value);
    /// Ends the current group, and returns what the page's data holds in
    /// place of its rows.
    fn end_group(&mut self) -> tera::Value;
}

/// Rows kept as data: each group's rows become a list.
#[derive(Default)]
pub struct Collect(Vec<tera::Value>);

impl Rows for Collect {
    fn page(&mut self, _: &tera::Value, _: usize) {}

    fn row(&mut self, row: tera::Value) {
        self.0.push(row);
    }

    fn end_group(&mut self) -> tera::Value {
        tera::Value::from(std::mem::take(&mut self.0))
    }
}

#[derive(Serialize, Clone)]
struct Link {
    href: String,
    label: String,
}

#[derive(Serialize)]
struct DateView {
    text: String,
    machine: String,
}

fn date_view(d: &Option<Date>) -> Option<DateView> {
    d.as_ref().map(date_of)
}

fn date_of(d: &Date) -> DateView {
    DateView {
        text: d.display(),
        machine: d.machine(),
    }
}

/// An event as a line that links to it in the timeline.
#[derive(Serialize)]
struct EventLink {
    href: String,
    label: String,
    date: DateView,
}

fn event_link(model: &Model, e: EventId) -> EventLink {
    let event = &model.events[e];
    EventLink {
        href: format!("../timeline/index.html#event-{}", event.id),
        label: plain(&event.title.doc.text),
        date: date_of(&event.date),
    }
}

#[derive(Serialize)]
struct ClaimCard {
    id: String,
    href: String,
    text: String,
    /// The text on one line, without markup.
    label: String,
    status: &'static str,
    by: Option<tera::Value>,
    about: Vec<tera::Value>,
    topic: Option<tera::Value>,
    sources: usize,
    outlets: Vec<tera::Value>,
    /// What the claims filter matches, space-separated: the glossary
    /// entries that make the claim or that it is about (`actors/ID`), and
    /// the articles that report it.
    entries: String,
    articles: String,
}

fn entry_link(model: &Model, i: EntryId, root: &str) -> Link {
    let e = &model.entries[i];
    Link {
        href: [root, e.section(), "/", &e.id, ".html"].concat(),
        label: e.name.clone(),
    }
}

fn claim_link(model: &Model, i: ClaimId, root: &str) -> Link {
    let c = &model.claims[i];
    Link {
        href: claim_href(c, root),
        label: c.label.clone(),
    }
}

/// Where the page of claim `c` is, relative to a page at `root`.
fn claim_href(c: &Claim, root: &str) -> String {
    [root, "claims/", &c.id, ".html"].concat()
}

fn article_link(a: &Article, root: &str) -> Link {
    Link {
        href: article_href(a, root),
        label: a.display_title(),
    }
}

/// Where the page of article `a` is, relative to a page at `root`.
fn article_href(a: &Article, root: &str) -> String {
    [root, "articles/", &a.id, ".html"].concat()
}

/// A claim's card, as Tera's value: the card is made and converted at
/// once, and what many cards show (glossary entries, topics, sources) is
/// shared within the page.
fn claim_card<'m>(pt: &mut PageText<'_, 'm>, model: &'m Model, i: ClaimId) -> tera::Value {
    let c = &model.claims[i];
    let root = pt.root;
    let articles = c.cited_articles();
    let entry = |pt: &mut PageText<'_, 'm>, e: EntryId| {
        pt.repeated("entry", e.index(), || {
            tera::Value::from_serializable(&entry_link(model, e, root))
        })
    };
    let card = ClaimCard {
        id: c.id.clone(),
        href: claim_href(c, root),
        text: pt.text(&c.text),
        label: c.label.clone(),
        status: c.status.name(),
        by: c.by.map(|b| entry(pt, b)),
        about: c.about.iter().map(|&a| entry(pt, a)).collect(),
        topic: c.topic.map(|t| {
            pt.repeated("topic", t.index(), || {
                tera::Value::from(model.topics[t].id.as_str())
            })
        }),
        sources: articles.len(),
        outlets: articles
            .iter()
            .map(|&a| {
                pt.repeated("outlet", a.index(), || {
                    let article = &model.articles[a];
                    tera::Value::from_serializable(&Link {
                        href: article_href(article, root),
                        label: article.outlet.clone(),
                    })
                })
            })
            .collect(),
        entries: claim_entries(c)
            .map(|e| pt.shared.entry_keys[e.index()].as_str())
            .collect::<Vec<_>>()
            .join(" "),
        articles: articles
            .iter()
            .map(|&a| model.articles[a].id.as_str())
            .collect::<Vec<_>>()
            .join(" "),
    };
    tera::Value::from_serializable(&card)
}

/// The glossary entries a claim names: who makes it, then what it is about.
fn claim_entries(c: &Claim) -> impl Iterator<Item = EntryId> + '_ {
    c.by.iter().chain(&c.about).copied()
}

/// Claims grouped by topic, in the topics' order; claims without a topic
/// last. With `home`, the topics' summaries are at home on this page.
/// The front page shows at most this many claims of a topic, with a link to
/// the rest on the claims page.
pub const HOME_CLAIMS_PER_TOPIC: usize = 20;

/// The claims a topic group shows: all of them, or on the front page the
/// [`HOME_CLAIMS_PER_TOPIC`] reported by the most sources, in their order.
fn shown_claims(model: &Model, claims: &[ClaimId], home: bool) -> Vec<ClaimId> {
    if !home || claims.len() <= HOME_CLAIMS_PER_TOPIC {
        return claims.to_vec();
    }
    let mut key: Vec<ClaimId> = claims.to_vec();
    key.sort_by_key(|&c| std::cmp::Reverse(model.claims[c].cited_articles().len()));
    key.truncate(HOME_CLAIMS_PER_TOPIC);
    key.sort_unstable();
    key
}

/// A topic with the claims it shows.
#[derive(Serialize)]
struct TopicGroup<'m> {
    id: &'m str,
    title: &'m str,
    summary: Option<String>,
    /// Its cards, as [`Rows`] holds them.
    claims: tera::Value,
    /// How many of its claims are not shown.
    more: usize,
}

fn claim_groups<'m>(
    pt: &mut PageText<'_, 'm>,
    model: &'m Model,
    home: bool,
    rows: &mut dyn Rows,
) -> Vec<TopicGroup<'m>> {
    let backlinks = &pt.shared.backlinks;
    let mut groups = Vec::new();
    let topics = model.topics.iter().map(Some).chain([None]);
    for (t, topic) in topics.enumerate() {
        let all = &backlinks.topic_claims[t];
        let shown = shown_claims(model, all, home);
        if shown.is_empty() {
            continue;
        }
        for &c in &shown {
            rows.row(claim_card(pt, model, c));
        }
        let claims = rows.end_group();
        let more = all.len() - shown.len();
        let Some(topic) = topic else {
            groups.push(TopicGroup {
                id: "other",
                title: "Other claims",
                summary: None,
                claims,
                more,
            });
            continue;
        };
        let summary = match &topic.summary {
            Some(s) if home => Some(pt.home(s)),
            Some(s) => Some(pt.text(s)),
            None => None,
        };
        groups.push(TopicGroup {
            id: &topic.id,
            title: &topic.title,
            summary,
            claims,
            more,
        });
    }
    groups
}

#[derive(Serialize)]
struct ArticleCard {
    href: String,
    title: String,
    outlet: String,
    author: Option<String>,
    date: Option<DateView>,
    url: Option<String>,
    claims: usize,
    only_here: Vec<Link>,
}

fn article_cards_of(
    shared: &Shared,
    root: &str,
    articles: impl IntoIterator<Item = ArticleId>,
) -> Vec<ArticleCard> {
    articles
        .into_iter()
        .map(|a| article_card(shared, root, a))
        .collect()
}

fn article_card(shared: &Shared, root: &str, a: ArticleId) -> ArticleCard {
    let model = shared.model;
    let article = &model.articles[a];
    let citing = &shared.backlinks.claims_citing[a.index()];
    let only_here = citing
        .iter()
        .filter(|&&c| model.claims[c].cited_articles().len() == 1)
        .map(|&c| claim_link(model, c, root))
        .collect();
    ArticleCard {
        href: article_href(article, root),
        title: article.display_title(),
        outlet: article.outlet.clone(),
        author: article.author.clone(),
        date: date_view(&article.published),
        url: article.url.clone(),
        claims: citing.len(),
        only_here,
    }
}

/// The page at `path`, its `data` handed to the template as Tera's values.
fn finish<'m>(
    path: &str,
    template: &'static str,
    pt: PageText<'_, 'm>,
    data: &impl Serialize,
) -> PageData<'m> {
    let data = tera::Value::from_serializable(data);
    let fingerprint = pt.shared.fingerprints.then(|| {
        let mut hasher = blake3::Hasher::new();
        hash_value(&data, &mut hasher);
        hasher.finalize()
    });
    PageData {
        path: path.to_string(),
        template,
        data,
        fingerprint,
        head: Head {
            title: pt.label.clone(),
            kind: "website",
            ..Head::default()
        },
        // Kept until the glossary pages are made.
        records: crate::to_length(pt.records),
        previews: pt.previews.into_values().collect(),
    }
}

/// Hashes what a template sees of `value`, the same from build to build:
/// Tera's maps have no fixed order, so a map's entries are taken in the
/// order of their keys.
fn hash_value(value: &tera::Value, hasher: &mut blake3::Hasher) {
    if let Some(map) = value.as_map() {
        let mut entries: Vec<_> = map.iter().collect();
        entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
        hasher.update(b"{");
        hasher.update(&entries.len().to_le_bytes());
        for (key, value) in entries {
            let key = key.to_string();
            hasher.update(&key.len().to_le_bytes());
            hasher.update(key.as_bytes());
            hash_value(value, hasher);
        }
    } else if let Some(items) = value.as_array() {
        hasher.update(b"[");
        hasher.update(&items.len().to_le_bytes());
        for item in items {
            hash_value(item, hasher);
        }
    } else {
        // A scalar: its kind, whether it is marked safe (shown unescaped),
        // and its JSON, which quotes strings.
        hasher.update(format!("{:?}{}", value.kind(), value.is_safe()).as_bytes());
        // Writing into a hasher cannot fail.
        let _ = serde_json::to_writer(&mut *hasher, value);
    }
}

#[derive(Serialize)]
struct IndexPage<'m> {
    title: &'m str,
    summary: String,
    date: Option<DateView>,
    authors: &'m [String],
    groups: Vec<TopicGroup<'m>>,
    claim_count: usize,
    shared_count: usize,
    entry_count: usize,
    event_count: usize,
    articles: Vec<ArticleCard>,
    article_count: usize,
    actors: Vec<ActorItem<'m>>,
    actor_count: usize,
    latest_events: Vec<LatestEvent>,
}

#[derive(Serialize)]
struct ActorItem<'m> {
    link: Link,
    role: Option<&'m str>,
}

#[derive(Serialize)]
struct LatestEvent {
    href: String,
    date: DateView,
    title: String,
}

/// `index.html`.
pub fn index<'m>(shared: &Shared<'m>) -> PageData<'m> {
    let model = shared.model;
    let mut pt = PageText::new(shared, "index.html", "Briefing");
    let summary = pt.home_opt(&model.meta.summary);
    let groups = claim_groups(&mut pt, model, true, &mut Collect::default());
    // The side column lists the latest sources and the actors most claims
    // are by or about, up to a screenful each; the full lists are a link away.
    let mut actor_ids: Vec<EntryId> = EntryId::all(&model.entries)
        .filter(|&i| matches!(model.entries[i].kind, EntryKind::Actor(_)))
        .collect();
    let actor_count = actor_ids.len();
    if actor_ids.len() > HOME_LIST {
        let weight = |i: EntryId| {
            shared.backlinks.claims_by[i.index()].len()
                + shared.backlinks.claims_about[i.index()].len()
        };
        actor_ids.sort_by_key(|&i| std::cmp::Reverse(weight(i)));
        actor_ids.truncate(HOME_LIST);
        actor_ids.sort_unstable();
    }
    let actors: Vec<ActorItem> = actor_ids
        .into_iter()
        .map(|i| ActorItem {
            link: entry_link(model, i, ""),
            role: model.entries[i].role.as_deref(),
        })
        .collect();
    let mut sources: Vec<ArticleId> = ArticleId::all(&model.articles).collect();
    if sources.len() > HOME_LIST {
        // The latest first; undated ones last.
        sources.sort_by(|&a, &b| {
            let date = |i: ArticleId| model.articles[i].published.as_ref();
            date(b)
                .is_some()
                .cmp(&date(a).is_some())
                .then_with(|| match (date(a), date(b)) {
                    (Some(x), Some(y)) => y.cmp(x),
                    _ => std::cmp::Ordering::Equal,
                })
        });
        sources.truncate(HOME_LIST);
    }
    let latest_events: Vec<LatestEvent> = model
        .events
        .iter()
        .rev()
        .take(5)
        .map(|e| LatestEvent {
            href: format!("timeline/index.html#event-{}", e.id),
            date: date_of(&e.date),
            title: pt.text(&e.title),
        })
        .collect();
    let data = IndexPage {
        title: &model.meta.title,
        summary,
        date: date_view(&model.meta.date),
        authors: &model.meta.authors,
        groups,
        claim_count: model.claims.len(),
        shared_count: model
            .claims
            .iter()
            .filter(|c| c.cited_articles().len() > 1)
            .count(),
        entry_count: model.entries.len(),
        event_count: model.events.len(),
        articles: article_cards_of(shared, "", sources),
        article_count: model.articles.len(),
        actors,
        actor_count,
        latest_events,
    };
    let page = finish("index.html", "index.html", pt, &data);
    match &model.meta.summary {
        Some(summary) => page.described(&summary.doc.text),
        None => page,
    }
}

/// How many sources and actors the front page lists at most.
pub const HOME_LIST: usize = 30;

#[derive(Serialize)]
struct ArticlePage<'m> {
    id: &'m str,
    title: String,
    title_supplied: bool,
    outlet: &'m str,
    author: Option<&'m str>,
    date: Option<DateView>,
    url: Option<&'m str>,
    section: Option<&'m str>,
    language: Option<&'m str>,
    note: String,
    body: String,
    claims: Vec<Link>,
}

/// `articles/ID.html`.
pub fn article<'m>(shared: &Shared<'m>, a: ArticleId) -> PageData<'m> {
    let model = shared.model;
    let article = &model.articles[a];
    let path = ["articles/", &article.id, ".html"].concat();
    let mut pt = PageText::new(
        shared,
        &path,
        &["Article: ", &article.display_title()].concat(),
    );
    let note = pt.home_opt(&article.note);
    let body = pt.article(a);
    let claims: Vec<Link> = shared.backlinks.claims_citing[a.index()]
        .iter()
        .map(|&c| claim_link(model, c, "../"))
        .collect();
    let data = ArticlePage {
        id: &article.id,
        title: article.display_title(),
        title_supplied: article.title_supplied,
        outlet: &article.outlet,
        author: article.author.as_deref(),
        date: date_view(&article.published),
        url: article.url.as_deref(),
        section: article.section.as_deref(),
        language: article.language.as_deref(),
        note,
        body,
        claims,
    };
    let mut page = finish(&path, "article.html", pt, &data)
        .described(&article.doc.text)
        .with_jsonld(&meta::news_article(model, a));
    page.head.kind = "article";
    page
}

/// `articles/index.html`.
pub fn articles_index<'m>(shared: &Shared<'m>, rows: &mut dyn Rows) -> PageData<'m> {
    let pt = PageText::new(shared, "articles/index.html", "Sources");
    #[derive(Serialize)]
    struct ArticlesPage {
        #[serde(skip_serializing_if = "Option::is_none")]
        articles: Option<tera::Value>,
    }
    let mut data = ArticlesPage { articles: None };
    let count = shared.model.articles.len();
    rows.page(&tera::Value::from_serializable(&data), count);
    for a in ArticleId::all(&shared.model.articles) {
        rows.row(tera::Value::from_serializable(&article_card(
            shared, "../", a,
        )));
    }
    data.articles = Some(rows.end_group());
    finish("articles/index.html", "articles.html", pt, &data)
}

/// `claims/index.html`.
pub fn claims_index<'m>(shared: &Shared<'m>, rows: &mut dyn Rows) -> PageData<'m> {
    let model = shared.model;
    let mut pt = PageText::new(shared, "claims/index.html", "Claims");
    #[derive(Serialize)]
    struct ClaimsPage<'m, 'p> {
        #[serde(skip_serializing_if = "Option::is_none")]
        groups: Option<Vec<TopicGroup<'m>>>,
        claim_count: usize,
        filters: &'p Filters<'m>,
    }
    let mut data = ClaimsPage {
        groups: None,
        claim_count: model.claims.len(),
        filters: &claim_filters(model, &shared.backlinks),
    };
    rows.page(&tera::Value::from_serializable(&data), model.claims.len());
    data.groups = Some(claim_groups(&mut pt, model, false, rows));
    finish("claims/index.html", "claims.html", pt, &data)
}

/// The choices of the claims filter, each with how many claims it keeps:
/// topics in their order, statuses in theirs, entries A–Z, articles in
/// model order. Only choices that keep at least one claim are offered.
fn claim_filters<'m>(model: &'m Model, backlinks: &Backlinks) -> Filters<'m> {
    fn choice<'m>(value: impl Into<Cow<'m, str>>, label: &'m str, n: usize) -> Option<Choice<'m>> {
        (n > 0).then(|| Choice {
            value: value.into(),
            label,
            count: n,
        })
    }
    let topics: Vec<Choice> = model
        .topics
        .iter()
        .enumerate()
        .filter_map(|(t, topic)| {
            choice(
                topic.id.as_str(),
                &topic.title,
                backlinks.topic_claims[t].len(),
            )
        })
        .collect();
    let mut by_status = [0usize; crate::model::Status::ALL.len()];
    for c in &model.claims {
        by_status[c.status as usize] += 1;
    }
    let statuses: Vec<Choice> = crate::model::Status::ALL
        .iter()
        .filter_map(|&(name, status)| choice(name, name, by_status[status as usize]))
        .collect();
    let entries: Vec<Choice> = model
        .entries
        .iter()
        .enumerate()
        .filter_map(|(i, e)| {
            let about_only = backlinks.claims_about[i]
                .iter()
                .filter(|c| backlinks.claims_by[i].binary_search(c).is_err())
                .count();
            choice(e.key(), &e.name, backlinks.claims_by[i].len() + about_only)
        })
        .collect();
    let articles: Vec<Choice> = model
        .articles
        .iter()
        .enumerate()
        .filter_map(|(a, article)| {
            choice(
                article.id.as_str(),
                &article.outlet,
                backlinks.claims_citing[a].len(),
            )
        })
        .collect();
    Filters {
        topics,
        statuses,
        entries,
        articles,
    }
}

/// The choices of the claims filter, by what they filter on.
#[derive(Serialize)]
struct Filters<'m> {
    topics: Vec<Choice<'m>>,
    statuses: Vec<Choice<'m>>,
    entries: Vec<Choice<'m>>,
    articles: Vec<Choice<'m>>,
}

/// One choice of the claims filter, with how many claims it keeps.
#[derive(Serialize)]
struct Choice<'m> {
    value: Cow<'m, str>,
    label: &'m str,
    count: usize,
}

#[derive(Serialize)]
struct SourceView {
    href: String,
    outlet: String,
    article: Link,
    date: Option<DateView>,
    before: String,
    quote: String,
    after: String,
    note: String,
    url: Option<String>,
}

fn source_views<'m>(
    pt: &mut PageText<'_, 'm>,
    model: &'m Model,
    sources: &'m [Source],
    found: &[Option<std::ops::Range<usize>>],
    anchor: impl Fn(usize) -> String,
) -> Vec<SourceView> {
    let root = pt.root;
    sources
        .iter()
        .zip(found)
        .enumerate()
        .map(|(i, (s, range))| {
            let article = &model.articles[s.article];
            let text = &article.doc.text;
            let (before, quote, after) = match range {
                Some(r) => {
                    let (b, a) = sentence(text, r.start, r.end);
                    (b, plain(&text[r.clone()]), a)
                }
                None => (String::new(), s.quote.clone(), String::new()),
            };
            SourceView {
                href: [root, "articles/", &article.id, ".html#", &anchor(i + 1)].concat(),
                outlet: article.outlet.clone(),
                article: article_link(article, root),
                date: date_view(&article.published),
                before,
                quote,
                after,
                note: pt.home_opt(&s.note),
                url: article.url.clone(),
            }
        })
        .collect()
}

#[derive(Serialize)]
struct ClaimPage<'m, 'p> {
    id: &'m str,
    text: String,
    plain_text: &'p str,
    status: &'static str,
    by: Option<Link>,
    about: Vec<Link>,
    topic: Option<TopicLink<'m>>,
    date: Option<DateView>,
    note: String,
    sources: Vec<SourceView>,
    related: Vec<RelatedClaim>,
    events: Vec<EventLink>,
}

#[derive(Serialize)]
struct TopicLink<'m> {
    title: &'m str,
    href: String,
}

/// A claim related to this one, in either direction.
#[derive(Serialize)]
struct RelatedClaim {
    /// The relation as read from this claim: "supports", "is supported by", …
    relation: &'static str,
    /// The relation's name in YAML, also a class name.
    kind: &'static str,
    claim: Link,
    status: &'static str,
}

/// `claims/ID.html`.
pub fn claim<'m>(shared: &Shared<'m>, c: ClaimId) -> PageData<'m> {
    let model = shared.model;
    let claim = &model.claims[c];
    let path = ["claims/", &claim.id, ".html"].concat();
    let mut pt = PageText::new(shared, &path, &["Claim: ", &claim.label].concat());
    let text = pt.home(&claim.text);
    let note = pt.home_opt(&claim.note);
    let sources = source_views(
        &mut pt,
        model,
        &claim.sources,
        &shared.anchors.claim_quotes[c.index()],
        |n| claim_anchor(&claim.id, n),
    );
    let related_claim = |j: ClaimId, relation: &'static str, rel: Relation| RelatedClaim {
        relation,
        kind: rel.name(),
        claim: claim_link(model, j, "../"),
        status: model.claims[j].status.name(),
    };
    let mut related: Vec<RelatedClaim> = claim
        .related
        .iter()
        .map(|&(j, rel)| related_claim(j, rel.forward(), rel))
        .collect();
    for &(j, rel) in &shared.backlinks.related_from[c.index()] {
        related.push(related_claim(j, rel.backward(), rel));
    }
    let events: Vec<EventLink> = shared.backlinks.claim_events[c.index()]
        .iter()
        .map(|&e| event_link(model, e))
        .collect();
    let plain_text = &claim.label;
    let data = ClaimPage {
        id: &claim.id,
        text,
        plain_text,
        status: claim.status.name(),
        by: claim.by.map(|b| entry_link(model, b, "../")),
        about: claim
            .about
            .iter()
            .map(|&a| entry_link(model, a, "../"))
            .collect(),
        topic: claim.topic.map(|t| TopicLink {
            title: &model.topics[t].title,
            href: format!("index.html#topic-{}", model.topics[t].id),
        }),
        date: date_view(&claim.date),
        note,
        sources,
        related,
        events,
    };
    finish(&path, "claim.html", pt, &data)
        .described(plain_text)
        .with_jsonld(&meta::claim(model, c, plain_text))
}

/// How many words of each entry's summary the glossary index shows.
const GLOSSARY_WORDS: usize = 24;

/// `actors/index.html`: actors and terms A–Z.
pub fn glossary_index<'m>(shared: &Shared<'m>) -> PageData<'m> {
    let model = shared.model;
    let pt = PageText::new(shared, "actors/index.html", "Glossary");
    let mut letters: Vec<Letter> = Vec::new();
    let mut current: Option<String> = None;
    let mut entries: Vec<GlossaryItem> = Vec::new();
    for (i, e) in EntryId::all(&model.entries).zip(&model.entries) {
        let letter = e
            .name
            .chars()
            .next()
            .map(|c| c.to_uppercase().collect::<String>())
            .unwrap_or_default();
        if current.as_ref().is_some_and(|l| *l != letter) {
            letters.push(Letter {
                letter: current.take(),
                entries: std::mem::take(&mut entries),
            });
        }
        current = Some(letter);
        let summary = e
            .summary
            .as_ref()
            .map(|s| words(&s.doc.text, GLOSSARY_WORDS));
        entries.push(GlossaryItem {
            link: entry_link(model, i, "../"),
            kind: e.kind_name(),
            role: e.role.as_deref(),
            summary,
        });
    }
    if current.is_some() {
        letters.push(Letter {
            letter: current,
            entries,
        });
    }
    #[derive(Serialize)]
    struct GlossaryPage<'m> {
        letters: Vec<Letter<'m>>,
    }
    finish(
        "actors/index.html",
        "glossary.html",
        pt,
        &GlossaryPage { letters },
    )
}

/// The glossary entries under one initial.
#[derive(Serialize)]
struct Letter<'m> {
    letter: Option<String>,
    entries: Vec<GlossaryItem<'m>>,
}

#[derive(Serialize)]
struct GlossaryItem<'m> {
    link: Link,
    kind: &'static str,
    role: Option<&'m str>,
    summary: Option<String>,
}

/// `actors/ID.html` or `terms/ID.html`; `mentions` are the entry's mentions
/// across the site.
pub fn entry<'m>(
    shared: &Shared<'m>,
    i: EntryId,
    mentions: Vec<MentionRecord<'m>>,
) -> PageData<'m> {
    let model = shared.model;
    let e = &model.entries[i];
    let path = format!("{}.html", e.key());
    let mut pt = PageText::new(shared, &path, &e.name).of_entry(i);
    let summary = pt.home_opt(&e.summary);
    let links = &shared.backlinks;
    let cards = |pt: &mut PageText<'_, 'm>, claims: &[ClaimId]| -> Vec<tera::Value> {
        claims.iter().map(|&c| claim_card(pt, model, c)).collect()
    };
    let by = cards(&mut pt, &links.claims_by[i.index()]);
    let about = cards(&mut pt, &links.claims_about[i.index()]);
    let events: Vec<EventLink> = links.entry_events[i.index()]
        .iter()
        .map(|&ev| event_link(model, ev))
        .collect();
    let members: Vec<Link> = links.members[i.index()]
        .iter()
        .map(|&j| entry_link(model, j, "../"))
        .collect();
    let mentions: Vec<MentionItem> = mentions
        .iter()
        .map(|m| {
            let (before, after) = context(m.text, m.range.start, m.range.end);
            let mut href = String::with_capacity(m.page.path.len() + e.id.len() + 16);
            href.push_str("../");
            href.push_str(&m.page.path);
            href.push('#');
            push_mention_id(&mut href, &e.id, m.n as usize);
            MentionItem {
                href,
                page: &m.page.label,
                before,
                text: &m.text[m.range.clone()],
                after,
            }
        })
        .collect();
    let data = EntryPage {
        id: &e.id,
        name: &e.name,
        kind: e.kind_name(),
        is_term: e.kind == EntryKind::Term,
        role: e.role.as_deref(),
        aliases: e.aliases.get(1..).unwrap_or_default(),
        summary,
        member_of: e
            .member_of
            .iter()
            .map(|&m| entry_link(model, m, "../"))
            .collect(),
        members,
        links: e
            .links
            .iter()
            .map(|(title, url)| EntryUrl { title, url })
            .collect(),
        claims_by: by,
        claims_about: about,
        events,
        mentions,
    };
    finish(&path, "entry.html", pt, &data)
}

#[derive(Serialize)]
struct EntryPage<'m, 'p> {
    id: &'m str,
    name: &'m str,
    kind: &'static str,
    is_term: bool,
    role: Option<&'m str>,
    aliases: &'m [String],
    summary: String,
    member_of: Vec<Link>,
    members: Vec<Link>,
    links: Vec<EntryUrl<'m>>,
    claims_by: Vec<tera::Value>,
    claims_about: Vec<tera::Value>,
    events: Vec<EventLink>,
    mentions: Vec<MentionItem<'p>>,
}

/// One of an entry's links elsewhere.
#[derive(Serialize)]
struct EntryUrl<'m> {
    title: &'m str,
    url: &'m str,
}

/// One mention of an entry, in the words around it, linking to its place.
#[derive(Serialize)]
struct MentionItem<'p> {
    href: String,
    page: &'p str,
    before: String,
    text: &'p str,
    after: String,
}

/// `timeline/index.html`.
pub fn timeline<'m>(shared: &Shared<'m>) -> PageData<'m> {
    let model = shared.model;
    let mut pt = PageText::new(shared, "timeline/index.html", "Timeline");
    let mut events = Vec::new();
    for (i, e) in model.events.iter().enumerate() {
        let title = pt.home(&e.title);
        let description = pt.home_opt(&e.description);
        let sources = source_views(
            &mut pt,
            model,
            &e.sources,
            &shared.anchors.event_quotes[i],
            |n| event_anchor(&e.id, n),
        );
        events.push(TimelineEvent {
            id: &e.id,
            date: date_of(&e.date),
            title,
            description,
            actors: e
                .actors
                .iter()
                .map(|&a| entry_link(model, a, "../"))
                .collect(),
            claims: e
                .claims
                .iter()
                .map(|&c| claim_link(model, c, "../"))
                .collect(),
            sources,
        });
    }
    #[derive(Serialize)]
    struct TimelinePage<'m> {
        events: Vec<TimelineEvent<'m>>,
    }
    finish(
        "timeline/index.html",
        "timeline.html",
        pt,
        &TimelinePage { events },
    )
}

#[derive(Serialize)]
struct TimelineEvent<'m> {
    id: &'m str,
    date: DateView,
    title: String,
    description: String,
    actors: Vec<Link>,
    claims: Vec<Link>,
    sources: Vec<SourceView>,
}

/// `coverage/index.html`: which source reports which claim.
pub fn coverage<'m>(shared: &Shared<'m>, rows: &mut dyn Rows) -> PageData<'m> {
    let model = shared.model;
    let pt = PageText::new(shared, "coverage/index.html", "Coverage");
    // One column per outlet, in the order of their first article.
    let mut outlets: Vec<&str> = Vec::new();
    let mut outlet_of = Vec::with_capacity(model.articles.len());
    let mut outlet_articles: Vec<Vec<usize>> = Vec::new();
    {
        let mut index: HashMap<&str, usize> = HashMap::new();
        for (a, article) in model.articles.iter().enumerate() {
            let o = *index.entry(article.outlet.as_str()).or_insert_with(|| {
                outlets.push(article.outlet.as_str());
                outlet_articles.push(Vec::new());
                outlets.len() - 1
            });
            outlet_articles[o].push(a);
            outlet_of.push(o);
        }
    }
    let matrix = outlets.len() <= COVERAGE_MAX_COLUMNS;
    // The page repeats much: each claim's link (in its row and in its
    // outlet's list), each article's date, each outlet's empty cell (in
    // the matrix, most of every row). Each is made into Tera's value once
    // and shared, which keeps the page's data a fraction of its size.
    let link_values: Vec<tera::Value> = ClaimId::all(&model.claims)
        .map(|c| tera::Value::from_serializable(&claim_link(model, c, "../")))
        .collect();
    let date_values: Vec<tera::Value> = model
        .articles
        .iter()
        .map(|a| tera::Value::from_serializable(&date_view(&a.published)))
        .collect();
    let empty_cells: Vec<tera::Value> = outlets
        .iter()
        .map(|&outlet| {
            tera::Value::from_serializable(&Cell {
                outlet,
                passages: Vec::new(),
            })
        })
        .collect();
    // What the page says besides its rows comes first: the claims only one
    // outlet reports, and how many more than one does.
    let mut only: Vec<Vec<tera::Value>> = vec![Vec::new(); outlets.len()];
    let mut shared_count = 0;
    for (c, claim) in model.claims.iter().enumerate() {
        if let [a] = claim.cited_articles()[..] {
            only[outlet_of[a.index()]].push(link_values[c].clone());
        } else {
            shared_count += 1;
        }
    }
    let columns: Vec<Column> = outlets
        .iter()
        .zip(&outlet_articles)
        .zip(&only)
        .map(|((outlet, articles), only)| {
            // An outlet with one article links to it.
            let link = match articles[..] {
                [a] => Some(article_link(&model.articles[a], "../")),
                _ => None,
            };
            Column {
                outlet,
                link,
                articles: articles.len(),
                only,
            }
        })
        .collect();
    let mut data = CoveragePage {
        matrix,
        columns,
        groups: None,
        shared_count,
        claim_count: model.claims.len(),
    };
    rows.page(&tera::Value::from_serializable(&data), model.claims.len());
    let row = |c: ClaimId| {
        let claim = &model.claims[c];
        let articles = claim.cited_articles();
        // Each outlet that reports the claim, with a link to each passage:
        // the work is in the claim's sources, not in every article.
        let mut reports: Vec<(usize, Vec<Passage>)> = Vec::new();
        for &a in &articles {
            // The first source from the article is the one its dot links to.
            let Some(n) = claim.sources.iter().position(|s| s.article == a) else {
                continue;
            };
            let article = &model.articles[a];
            let passage = Passage {
                href: [
                    "../articles/",
                    &article.id,
                    ".html#",
                    &claim_anchor(&claim.id, n + 1),
                ]
                .concat(),
                date: date_values[a.index()].clone(),
            };
            match reports.iter_mut().find(|(o, _)| *o == outlet_of[a.index()]) {
                Some((_, passages)) => passages.push(passage),
                None => reports.push((outlet_of[a.index()], vec![passage])),
            }
        }
        let cell = |o: usize, passages: Vec<Passage>| {
            tera::Value::from_serializable(&Cell {
                outlet: outlets[o],
                passages,
            })
        };
        let cells: Vec<tera::Value> = if matrix {
            let mut cells = empty_cells.clone();
            for (o, passages) in reports {
                cells[o] = cell(o, passages);
            }
            cells
        } else {
            reports
                .into_iter()
                .map(|(o, passages)| cell(o, passages))
                .collect()
        };
        tera::Value::from_serializable(&Row {
            claim: link_values[c.index()].clone(),
            status: claim.status.name(),
            cells,
            count: articles.len(),
        })
    };
    // Rows grouped by topic, in the topics' order, as on the claims page.
    let mut groups = Vec::new();
    for (t, claims) in shared.backlinks.topic_claims.iter().enumerate() {
        if claims.is_empty() {
            continue;
        }
        for &c in claims {
            rows.row(row(c));
        }
        let title = model
            .topics
            .get(t)
            .map_or("Other claims", |topic| topic.title.as_str());
        groups.push(RowGroup {
            title,
            rows: rows.end_group(),
        });
    }
    data.groups = Some(groups);
    finish("coverage/index.html", "coverage.html", pt, &data)
}

#[derive(Serialize)]
struct CoveragePage<'p> {
    matrix: bool,
    columns: Vec<Column<'p>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    groups: Option<Vec<RowGroup<'p>>>,
    shared_count: usize,
    claim_count: usize,
}

/// An outlet's column: its articles, and the claims only it reports.
#[derive(Serialize)]
struct Column<'p> {
    outlet: &'p str,
    /// Its article, when it has one.
    link: Option<Link>,
    articles: usize,
    only: &'p [tera::Value],
}

/// A claim's row: in the matrix a cell per outlet, else one per outlet
/// that reports it.
#[derive(Serialize)]
struct Row {
    claim: tera::Value,
    status: &'static str,
    cells: Vec<tera::Value>,
    count: usize,
}

#[derive(Serialize)]
struct Cell<'m> {
    outlet: &'m str,
    passages: Vec<Passage>,
}

/// A link to where an article reports a claim.
#[derive(Serialize)]
struct Passage {
    href: String,
    date: tera::Value,
}

#[derive(Serialize)]
struct RowGroup<'p> {
    title: &'p str,
    /// Its rows, as [`Rows`] holds them.
    rows: tera::Value,
}

/// Up to this many outlets, the coverage page is a claims × outlets matrix;
/// with more, each claim's row lists the outlets that report it, so that the
/// page grows with the claims' sources and not with claims × outlets.
pub const COVERAGE_MAX_COLUMNS: usize = 12;

/// `404.html`.
pub fn not_found<'m>(shared: &Shared<'m>) -> PageData<'m> {
    let pt = PageText::new(shared, "404.html", "Not found");
    #[derive(Serialize)]
    struct NotFound {}
    finish("404.html", "404.html", pt, &NotFound {})
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{BTreeMap, HashSet};

    fn hash(value: &tera::Value) -> blake3::Hash {
        let mut hasher = blake3::Hasher::new();
        hash_value(value, &mut hasher);
        hasher.finalize()
    }

    #[test]
    fn a_value_hashes_the_same_whatever_order_its_maps_were_filled_in() {
        let keys: Vec<String> = (0..20).map(|i| format!("k{i}")).collect();
        let one: BTreeMap<&str, usize> = keys.iter().map(|k| (k.as_str(), k.len())).collect();
        let other: HashMap<&str, usize> =
            keys.iter().rev().map(|k| (k.as_str(), k.len())).collect();
        let one = tera::Value::from_serializable(&vec![one]);
        let other = tera::Value::from_serializable(&vec![other]);
        assert_eq!(hash(&one), hash(&other));
    }

    #[test]
    fn a_value_hashes_apart_from_one_that_shows_otherwise() {
        let values = [
            tera::Value::from_serializable(&serde_json::json!({"a": "x"})),
            tera::Value::from_serializable(&serde_json::json!({"a": "y"})),
            tera::Value::from_serializable(&serde_json::json!({"b": "x"})),
            tera::Value::from_serializable(&serde_json::json!({"a": ["x"]})),
            tera::Value::from_serializable(&serde_json::json!({"a": 1})),
            tera::Value::from_serializable(&serde_json::json!({"a": "1"})),
            tera::Value::from_serializable(&serde_json::json!(["a", "x"])),
            tera::Value::from_serializable(&serde_json::json!({"a": null})),
            tera::Value::safe_string("<b>x</b>"),
            tera::Value::normal_string("<b>x</b>"),
        ];
        let hashes: HashSet<blake3::Hash> = values.iter().map(hash).collect();
        assert_eq!(hashes.len(), values.len());
    }
}
