//! What a page tells machines about itself: schema.org JSON-LD (`NewsArticle`
//! for an article, `Claim` for a claim, and a `ClaimReview` where the claim
//! has a verdict), and the data of the canonical link and the Open Graph and
//! Twitter card tags that `base.html` writes.
//!
//! JSON-LD goes into `<script type="application/ld+json">`, which browsers
//! never run: the Content-Security-Policy still forbids inline script.

use serde::Serialize;
use serde_json::{Value, json};

use crate::model::{ActorKind, ArticleId, ClaimId, EntryId, EntryKind, Model, Status};

/// The head of a page: what the canonical link, Open Graph and Twitter card
/// tags and JSON-LD need.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Head {
    /// The page's title, for `og:title`.
    pub title: String,
    /// One line on what the page shows, for `description` and `og:description`.
    pub description: Option<String>,
    /// `article` for an article, else `website`.
    pub kind: &'static str,
    /// The JSON-LD, serialised and safe inside a `<script>` element.
    pub jsonld: Option<String>,
}

/// The ClaimReview rating of a verdict: 1 (false) to 5 (confirmed). The
/// README documents the scale. Claims that are only reported or unverified
/// have no verdict, so no review.
pub fn rating(status: Status) -> Option<(u8, &'static str)> {
    match status {
        Status::Confirmed => Some((5, "Confirmed")),
        Status::Disputed => Some((3, "Disputed")),
        Status::False => Some((1, "False")),
        Status::Reported | Status::Unverified => None,
    }
}

/// Serialises JSON-LD so that it cannot end its `<script>` element early:
/// `<`, `>` and `&` are written as JSON escapes.
pub fn script_json(value: &Value) -> String {
    // Serialising a `serde_json::Value` cannot fail.
    let json = serde_json::to_string(value).unwrap_or_default();
    // Most have none of the three: they are kept as they are.
    if memchr::memchr3(b'<', b'>', b'&', json.as_bytes()).is_none() {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 32);
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            c => out.push(c),
        }
    }
    out
}

/// The absolute address of a page of the site, when the briefing has a
/// `base_url`.
fn page_url(model: &Model, path: &str) -> Option<String> {
    model
        .meta
        .base_url
        .as_ref()
        .map(|base| [base, path].concat())
}

/// The schema.org type of a glossary entry that makes or reports claims.
fn agent(model: &Model, entry: EntryId) -> Value {
    let e = &model.entries[entry];
    let kind = match e.kind {
        EntryKind::Actor(ActorKind::Person) => "Person",
        EntryKind::Actor(ActorKind::Country) => "Country",
        EntryKind::Actor(ActorKind::Place) => "Place",
        _ => "Organization",
    };
    json!({"@type": kind, "name": e.name})
}

/// `NewsArticle` of article `a`, for its page.
pub fn news_article(model: &Model, a: ArticleId) -> Value {
    let mut ld = json!({"@context": "https://schema.org"});
    if let (Some(map), Value::Object(article)) = (ld.as_object_mut(), article_ld(model, a)) {
        map.extend(article);
    }
    ld
}

/// `NewsArticle` of article `a`, without `@context`.
fn article_ld(model: &Model, a: ArticleId) -> Value {
    let article = &model.articles[a];
    let mut ld = json!({
        "@type": "NewsArticle",
        "headline": article.title,
        "publisher": {"@type": "Organization", "name": article.outlet},
    });
    if let Some(author) = &article.author {
        ld["author"] = json!({"@type": "Person", "name": author});
    }
    if let Some(date) = &article.published {
        ld["datePublished"] = date.machine().into();
    }
    let url = article
        .url
        .clone()
        .or_else(|| page_url(model, &["articles/", &article.id, ".html"].concat()));
    if let Some(url) = url {
        ld["url"] = url.into();
    }
    if let Some(language) = &article.language {
        ld["inLanguage"] = language.clone().into();
    }
    ld
}

/// `Claim` of claim `c`, with its `ClaimReview` where it has a verdict.
pub fn claim(model: &Model, c: ClaimId, text: &str) -> Value {
    let claim = &model.claims[c];
    let appearance: Vec<Value> = claim
        .cited_articles()
        .into_iter()
        .map(|a| article_ld(model, a))
        .collect();
    // A reviewed claim is the review's `itemReviewed`; a claim without a
    // verdict is the page's item, with the context.
    let reviewed = rating(claim.status);
    let mut ld = match reviewed {
        Some(_) => json!({"@type": "Claim"}),
        None => json!({"@context": "https://schema.org", "@type": "Claim"}),
    };
    ld["text"] = text.into();
    ld["appearance"] = appearance.into();
    if let Some(by) = claim.by {
        ld["author"] = agent(model, by);
    }
    if let Some(date) = &claim.date {
        ld["dateCreated"] = date.machine().into();
    }
    if let Some(url) = page_url(model, &["claims/", &claim.id, ".html"].concat()) {
        ld["url"] = url.into();
    }
    let Some((value, label)) = reviewed else {
        return ld;
    };
    let mut review = json!({
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "claimReviewed": text,
        // Moved in below, in this place: `json!` would copy it whole.
        "itemReviewed": null,
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": value,
            "bestRating": 5,
            "worstRating": 1,
            "alternateName": label,
        },
    });
    review["itemReviewed"] = ld;
    if !model.meta.authors.is_empty() {
        let authors: Vec<Value> = model
            .meta
            .authors
            .iter()
            .map(|a| json!({"@type": "Organization", "name": a}))
            .collect();
        review["author"] = authors.into();
    }
    if let Some(date) = &model.meta.date {
        review["datePublished"] = date.machine().into();
    }
    if let Some(url) = page_url(model, &["claims/", &claim.id, ".html"].concat()) {
        review["url"] = url.into();
    }
    review
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_ld_cannot_close_its_script_element() {
        let text = script_json(&json!({"text": "</script><script>alert(1)</script> & more"}));
        assert!(!text.contains('<') && !text.contains('>') && !text.contains('&'));
        let back: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back["text"], "</script><script>alert(1)</script> & more");
    }
}
