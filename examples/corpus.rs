//! Writes a large, valid briefing for benchmarks: N articles of about 700
//! words with quotations and punctuation, claims quoting passages of their
//! articles, actors whose names and aliases occur in the texts, and events.
//! The same seed gives the same briefing, byte for byte.
//!
//! ```sh
//! cargo run --release --example corpus -- --articles 10000 --out target/corpus-10k
//! cargo run --release --example corpus -- --articles 10000 --out DIR --hugo DIR-hugo
//! ```
//!
//! `--hugo DIR` also writes the same articles as a bare Hugo site (one page
//! per article, a minimal template), for a side-by-side benchmark.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};

/// What to generate.
struct Options {
    articles: usize,
    claims_per_article: usize,
    actors: usize,
    seed: u64,
    out: PathBuf,
    hugo: Option<PathBuf>,
}

fn parse_args() -> Result<Options> {
    let mut options = Options {
        articles: 10_000,
        claims_per_article: 2,
        actors: 2_000,
        seed: 1,
        out: PathBuf::from("target/corpus"),
        hugo: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().with_context(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--articles" => options.articles = value()?.parse()?,
            "--claims-per-article" => options.claims_per_article = value()?.parse()?,
            "--actors" => options.actors = value()?.parse()?,
            "--seed" => options.seed = value()?.parse()?,
            "--out" => options.out = value()?.into(),
            "--hugo" => options.hugo = Some(value()?.into()),
            "-h" | "--help" => {
                println!(
                    "corpus [--articles 10000] [--claims-per-article 2] [--actors 2000] [--seed 1] [--out DIR] [--hugo DIR]"
                );
                std::process::exit(0);
            }
            other => bail!("unknown argument {other}; see --help"),
        }
    }
    if options.articles == 0 || options.actors < 2 {
        bail!("--articles must be at least 1 and --actors at least 2");
    }
    Ok(options)
}

const WORDS: &[&str] = &[
    "the",
    "of",
    "and",
    "a",
    "to",
    "in",
    "that",
    "for",
    "on",
    "with",
    "as",
    "by",
    "at",
    "from",
    "government",
    "officials",
    "minister",
    "council",
    "budget",
    "report",
    "agreement",
    "talks",
    "policy",
    "security",
    "border",
    "trade",
    "tariffs",
    "water",
    "energy",
    "grid",
    "harbour",
    "election",
    "campaign",
    "voters",
    "court",
    "ruling",
    "appeal",
    "inquiry",
    "committee",
    "members",
    "proposal",
    "plan",
    "funding",
    "schools",
    "hospital",
    "roads",
    "bridge",
    "rail",
    "workers",
    "union",
    "strike",
    "wages",
    "prices",
    "inflation",
    "market",
    "exports",
    "farmers",
    "harvest",
    "drought",
    "floods",
    "storm",
    "coast",
    "river",
    "province",
    "capital",
    "region",
    "district",
    "village",
    "residents",
    "families",
    "children",
    "teachers",
    "doctors",
    "nurses",
    "police",
    "army",
    "navy",
    "ceasefire",
    "troops",
    "aid",
    "convoy",
    "refugees",
    "camp",
    "statement",
    "interview",
    "briefing",
    "press",
    "reporters",
    "sources",
    "documents",
    "data",
    "figures",
    "survey",
    "analysts",
    "experts",
    "critics",
    "supporters",
    "opposition",
    "party",
    "coalition",
    "vote",
    "bill",
    "law",
    "reform",
    "tax",
    "debt",
    "loan",
    "bank",
    "investors",
    "company",
    "contract",
    "licence",
    "mine",
    "oil",
    "gas",
    "pipeline",
    "port",
    "airport",
    "flights",
    "tourism",
    "season",
    "week",
    "month",
    "year",
    "morning",
    "evening",
    "earlier",
    "later",
    "again",
    "already",
    "still",
    "only",
    "nearly",
    "about",
    "more",
    "less",
    "new",
    "old",
    "first",
    "last",
    "next",
    "major",
    "minor",
    "public",
    "private",
    "local",
    "national",
    "regional",
    "foreign",
    "domestic",
    "official",
    "informal",
    "formal",
    "early",
    "late",
    "said",
    "says",
    "told",
    "added",
    "warned",
    "argued",
    "claimed",
    "denied",
    "confirmed",
    "announced",
    "promised",
    "rejected",
    "approved",
    "delayed",
    "cancelled",
    "signed",
    "agreed",
    "met",
    "visited",
    "left",
    "returned",
    "opened",
    "closed",
    "raised",
    "cut",
    "expanded",
    "reviewed",
    "questioned",
    "praised",
    "criticised",
    "welcomed",
    "described",
    "expected",
    "hoped",
    "feared",
    "planned",
    "considered",
    "discussed",
    "began",
    "ended",
    "would",
    "could",
    "should",
    "might",
    "will",
    "has",
    "had",
    "was",
    "were",
    "is",
    "are",
    "been",
    "not",
    "no",
    "but",
    "while",
    "after",
    "before",
    "since",
    "because",
    "although",
    "if",
    "when",
    "where",
    "which",
    "who",
    "whose",
    "its",
    "their",
    "his",
    "her",
    "this",
    "those",
    "these",
    "some",
    "many",
    "several",
    "two",
    "three",
    "four",
    "dozen",
    "hundred",
    "thousand",
    "million",
];

const FIRST_NAMES: &[&str] = &[
    "Ana", "Bruno", "Carla", "Dmitri", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jonas", "Kemal",
    "Lucia", "Marek", "Nadia", "Omar", "Paula", "Quentin", "Rosa", "Samir", "Tara", "Ulrich",
    "Vera", "Wen", "Ximena", "Yusuf", "Zofia",
];

const SYLLABLES: &[&str] = &[
    "ba", "ce", "di", "fo", "gu", "ha", "ke", "li", "mo", "nu", "pa", "re", "si", "to", "va", "za",
    "bri", "dra", "kel", "lor", "mar", "nev", "ost", "qui", "rav", "sel", "tam", "ven", "wal",
    "yor",
];

const KINDS: &[&str] = &[
    "person",
    "person",
    "person",
    "organization",
    "government",
    "group",
    "media",
    "place",
];

const ORGANISATION_WORDS: &[&str] = &[
    "Institute",
    "Council",
    "Ministry",
    "Alliance",
    "Foundation",
    "Agency",
    "Authority",
    "Union",
];

const OUTLETS: &[&str] = &[
    "Daily Ledger",
    "Morning Wire",
    "Coastal Post",
    "Northern Herald",
    "Capital Times",
];

const STATUSES: &[&str] = &["reported", "confirmed", "disputed", "unverified", "false"];

const VERBS: &[&str] = &["said", "told reporters", "added", "warned", "argued"];

struct Actor {
    id: String,
    name: String,
    kind: &'static str,
    /// What the texts call the actor, besides the name.
    alias: Option<String>,
}

impl Actor {
    /// How an article refers to the actor: its name, or its alias.
    fn mention(&self, rng: &mut StdRng) -> &str {
        match &self.alias {
            Some(alias) if rng.random_bool(0.5) => alias,
            _ => &self.name,
        }
    }
}

/// A capitalised made-up word of two or three syllables, unique in `taken`.
fn made_up_name(rng: &mut StdRng, taken: &mut HashSet<String>) -> String {
    loop {
        let n = rng.random_range(2..=4);
        let mut word = String::new();
        for _ in 0..n {
            word.push_str(SYLLABLES.choose(rng).unwrap_or(&"ka"));
        }
        let mut chars = word.chars();
        let name = match chars.next() {
            Some(first) => first.to_uppercase().chain(chars).collect::<String>(),
            None => continue,
        };
        if taken.insert(name.clone()) {
            return name;
        }
    }
}

fn actors(rng: &mut StdRng, count: usize) -> Vec<Actor> {
    let mut taken = HashSet::new();
    (0..count)
        .map(|i| {
            let kind = KINDS[i % KINDS.len()];
            let word = made_up_name(rng, &mut taken);
            let (name, alias) = match kind {
                "person" => {
                    let first = FIRST_NAMES.choose(rng).unwrap_or(&"Ana");
                    (format!("{first} {word}"), Some(word))
                }
                "organization" | "government" | "group" => {
                    let what = ORGANISATION_WORDS.choose(rng).unwrap_or(&"Council");
                    (format!("{word} {what}"), None)
                }
                "media" => (format!("{word} Radio"), None),
                _ => (word, None),
            };
            Actor {
                id: format!("actor-{i:05}"),
                name,
                kind,
                alias,
            }
        })
        .collect()
}

/// One sentence of the article: its text, and whether a claim may quote it
/// (it holds no Markdown and no other quotation marks).
struct Sentence {
    text: String,
    quotable: bool,
}

fn words(rng: &mut StdRng, n: usize) -> String {
    let mut out = String::new();
    for i in 0..n {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(WORDS.choose(rng).unwrap_or(&"the"));
    }
    out
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn sentence(rng: &mut StdRng, cast: &[&Actor]) -> Sentence {
    let who = cast.choose(rng).map(|a| a.mention(rng).to_string());
    let who = who.unwrap_or_else(|| "The minister".into());
    let n = rng.random_range(10..22);
    match rng.random_range(0..10) {
        // A quotation, attributed.
        0..=2 => {
            let verb = VERBS.choose(rng).unwrap_or(&"said");
            let spoken = capitalised(&words(rng, n));
            Sentence {
                text: format!("“{spoken},” {who} {verb}."),
                quotable: true,
            }
        }
        // Reported speech with a comma and a name inside.
        3..=4 => {
            let (a, b) = (words(rng, n / 2), words(rng, n / 2));
            Sentence {
                text: format!("{}, {who} {b}.", capitalised(&a)),
                quotable: true,
            }
        }
        // A sentence with emphasis or a dash: not quoted by claims.
        5 => {
            let (a, b) = (words(rng, n / 2), words(rng, n / 2));
            Sentence {
                text: format!("{} — *{b}* — {who} said.", capitalised(&a)),
                quotable: false,
            }
        }
        _ => {
            let text = words(rng, n);
            Sentence {
                text: format!("{} {who} {}.", capitalised(&text), words(rng, 4)),
                quotable: true,
            }
        }
    }
}

struct Article {
    id: String,
    title: String,
    outlet: &'static str,
    published: String,
    paragraphs: Vec<Vec<Sentence>>,
    /// The actors it mentions, the one it is mainly about first.
    cast: Vec<usize>,
}

impl Article {
    fn body(&self) -> String {
        self.paragraphs
            .iter()
            .map(|p| {
                p.iter()
                    .map(|s| s.text.as_str())
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect::<Vec<_>>()
            .join("\n\n")
    }
}

/// About 700 words in paragraphs of two to five sentences, mentioning up to
/// ten actors. Article `i` is mainly about actor `i % actors`, which its
/// claims are about, so every actor is referred to once there are as many
/// articles as actors.
fn article(rng: &mut StdRng, i: usize, actors: &[Actor]) -> Article {
    let main = i % actors.len();
    let mut cast = vec![main];
    for _ in 0..rng.random_range(5..10) {
        let other = rng.random_range(0..actors.len());
        if !cast.contains(&other) {
            cast.push(other);
        }
    }
    let people: Vec<&Actor> = cast.iter().map(|&a| &actors[a]).collect();
    let mut paragraphs = Vec::new();
    let mut count = 0;
    while count < 700 {
        let mut paragraph = Vec::new();
        for _ in 0..rng.random_range(2..6) {
            let s = sentence(rng, &people);
            count += s.text.split_whitespace().count();
            paragraph.push(s);
        }
        paragraphs.push(paragraph);
    }
    let day = i % 28 + 1;
    let month = (i / 28) % 12 + 1;
    let year = 2020 + i / (28 * 12);
    Article {
        id: format!("article-{i:05}"),
        title: capitalised(&format!(
            "{} {} {}",
            words(rng, 3),
            people[0].name,
            words(rng, 4)
        )),
        outlet: OUTLETS[i % OUTLETS.len()],
        published: format!(
            "{year:04}-{month:02}-{day:02}T{:02}:{:02}",
            rng.random_range(6..22),
            rng.random_range(0..60)
        ),
        paragraphs,
        cast,
    }
}

/// A passage of `article` that occurs exactly once in its body: a quotable
/// sentence, or its second half. `None` when no sentence qualifies.
fn quote(
    rng: &mut StdRng,
    article: &Article,
    body: &str,
    used: &mut HashSet<String>,
) -> Option<String> {
    let quotable: Vec<&Sentence> = article
        .paragraphs
        .iter()
        .flatten()
        .filter(|s| s.quotable)
        .collect();
    for _ in 0..50 {
        let s = quotable.choose(rng)?;
        let words: Vec<&str> = s.text.split(' ').collect();
        let start = if rng.random_bool(0.5) {
            0
        } else {
            words.len() / 2
        };
        let passage = words[start..].join(" ");
        if body.matches(&passage).count() == 1 && used.insert(passage.clone()) {
            return Some(passage);
        }
    }
    None
}

/// A YAML double-quoted scalar: JSON's string syntax is valid YAML.
fn yaml(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| "\"\"".into())
}

fn write(path: &Path, text: &str) -> Result<()> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    fs::write(path, text).with_context(|| format!("writing {}", path.display()))
}

const TOPICS: usize = 12;

/// Articles per annotation file of claims.
const CLAIM_FILE_ARTICLES: usize = 500;

fn main() -> Result<()> {
    let options = parse_args()?;
    let mut rng = StdRng::seed_from_u64(options.seed);
    let out = &options.out;
    if out.join("content").exists() {
        fs::remove_dir_all(out.join("content"))
            .with_context(|| format!("removing the old {}/content", out.display()))?;
    }
    let actors = actors(&mut rng, options.actors);

    let mut briefing = String::from(
        "# yaml-language-server: $schema=../schemas/briefing.schema.json\n\
         title: A generated briefing\n\
         summary: Made-up articles and annotations, generated for benchmarks.\n\
         base_url: https://example.org/generated/\n\
         date: 2026-11-01\n\
         topics:\n",
    );
    for t in 0..TOPICS {
        let _ = writeln!(briefing, "  - id: topic-{t:02}\n    title: Topic {t}");
    }
    write(&out.join("content/briefing.yaml"), &briefing)?;

    let mut glossary = String::from(
        "# yaml-language-server: $schema=../../schemas/annotations.schema.json\nactors:\n",
    );
    for a in &actors {
        let _ = writeln!(
            glossary,
            "  - id: {}\n    name: {}\n    kind: {}",
            a.id,
            yaml(&a.name),
            a.kind
        );
        if let Some(alias) = &a.alias {
            let _ = writeln!(glossary, "    aliases: [{}]", yaml(alias));
        }
    }
    write(&out.join("content/annotations/actors.yaml"), &glossary)?;

    let mut claims = String::new();
    let mut events = String::from(
        "# yaml-language-server: $schema=../../schemas/annotations.schema.json\nevents:\n",
    );
    let mut previous: Option<(Article, String)> = None;
    let mut claim_count = 0;
    for i in 0..options.articles {
        let article = article(&mut rng, i, &actors);
        let body = article.body();
        let mut file = format!(
            "---\ntitle: {}\noutlet: {}\npublished: {}\n---\n\n",
            yaml(&article.title),
            article.outlet,
            article.published
        );
        file.push_str(&body);
        file.push('\n');
        write(
            &out.join(format!("content/articles/{}.md", article.id)),
            &file,
        )?;
        if let Some(hugo) = &options.hugo {
            let page = format!(
                "---\ntitle: {}\ndate: {}:00\n---\n\n{body}\n",
                yaml(&article.title),
                article.published
            );
            write(
                &hugo.join(format!("content/articles/{}.md", article.id)),
                &page,
            )?;
        }

        let mut used = HashSet::new();
        let mut ids = Vec::new();
        for c in 0..options.claims_per_article {
            let Some(passage) = quote(&mut rng, &article, &body, &mut used) else {
                continue;
            };
            let id = format!("claim-{i:05}-{c}");
            let by = &actors[*article.cast.choose(&mut rng).unwrap_or(&0)];
            let about = &actors[article.cast[0]];
            let _ = write!(
                claims,
                "  - id: {id}\n    text: {}\n    by: {}\n    about: [{}]\n    topic: topic-{:02}\n    status: {}\n    sources:\n      - article: {}\n        quote: {}\n",
                yaml(&format!("{} {}.", by.name, words(&mut rng, 8))),
                by.id,
                about.id,
                rng.random_range(0..TOPICS),
                STATUSES[(i + c) % STATUSES.len()],
                article.id,
                yaml(&passage),
            );
            // Every fourth claim is also reported by the previous article.
            if c == 0
                && i % 4 == 1
                && let Some((prev, prev_body)) = &previous
                && let Some(other) = quote(&mut rng, prev, prev_body, &mut HashSet::new())
            {
                let _ = write!(
                    claims,
                    "      - article: {}\n        quote: {}\n",
                    prev.id,
                    yaml(&other)
                );
            }
            ids.push(id);
            claim_count += 1;
        }
        if i % 10 == 0 {
            let _ = writeln!(
                events,
                "  - id: event-{i:05}\n    date: {}\n    title: {}\n    actors: [{}]\n    claims: [{}]",
                &article.published[..10],
                yaml(&capitalised(&words(&mut rng, 6))),
                actors[article.cast[0]].id,
                ids.join(", ")
            );
        }
        if (i + 1) % CLAIM_FILE_ARTICLES == 0 || i + 1 == options.articles {
            let n = i / CLAIM_FILE_ARTICLES;
            let text = format!(
                "# yaml-language-server: $schema=../../schemas/annotations.schema.json\nclaims:\n{claims}"
            );
            write(
                &out.join(format!("content/annotations/claims-{n:03}.yaml")),
                &text,
            )?;
            claims.clear();
        }
        previous = Some((article, body));
    }
    write(&out.join("content/annotations/events.yaml"), &events)?;
    for (file, text) in briefing::schema::files() {
        write(&out.join(file), &text)?;
    }

    if let Some(hugo) = &options.hugo {
        write(
            &hugo.join("hugo.toml"),
            "baseURL = \"https://example.org/\"\ntitle = \"A generated briefing\"\nbuildFuture = true\ndisableKinds = [\"taxonomy\", \"term\", \"RSS\", \"sitemap\", \"robotsTXT\", \"404\"]\n",
        )?;
        write(
            &hugo.join("layouts/_default/single.html"),
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{{ .Title }}</title></head><body><h1>{{ .Title }}</h1>{{ .Content }}</body></html>\n",
        )?;
        write(
            &hugo.join("layouts/_default/list.html"),
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{{ .Title }}</title></head><body><h1>{{ .Title }}</h1></body></html>\n",
        )?;
    }
    eprintln!(
        "wrote {} articles, {claim_count} claims, {} actors and {} events into {}",
        options.articles,
        actors.len(),
        options.articles.div_ceil(10),
        out.display()
    );
    Ok(())
}
