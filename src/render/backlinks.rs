//! Backlinks: who refers to whom in the model (the claims citing an article,
//! the claims relating to a claim, an entry's claims and events), computed
//! once a build for every page to read.

use crate::model::{ClaimId, EntryId, EventId, Model, Relation};

/// Who refers to whom, computed once per build so that no page scans every
/// claim: each list is in model order and names each item once. A list of
/// lists is indexed by the id of what it is for (`claims_citing[article.index()]`).
pub struct Backlinks {
    /// For each article, the claims with a source in it.
    pub claims_citing: Vec<Vec<ClaimId>>,
    /// For each claim, the claims that state a relation to it.
    pub related_from: Vec<Vec<(ClaimId, Relation)>>,
    /// For each claim, the events that name it.
    pub claim_events: Vec<Vec<EventId>>,
    /// For each topic, its claims; the last list holds the claims without one.
    pub topic_claims: Vec<Vec<ClaimId>>,
    /// For each glossary entry: the claims it makes, the claims about it,
    /// the events it takes part in, the entries it has as members.
    pub claims_by: Vec<Vec<ClaimId>>,
    pub claims_about: Vec<Vec<ClaimId>>,
    pub entry_events: Vec<Vec<EventId>>,
    pub members: Vec<Vec<EntryId>>,
}

/// Adds `item` to `list` unless it is already its last element (items
/// arrive in order, so this keeps each once).
fn push_once<T: PartialEq + Copy>(list: &mut Vec<T>, item: T) {
    if list.last() != Some(&item) {
        list.push(item);
    }
}

impl Backlinks {
    /// Walks the model once.
    pub fn new(model: &Model) -> Backlinks {
        fn per<T: Clone>(n: usize) -> Vec<Vec<T>> {
            vec![Vec::new(); n]
        }
        let mut b = Backlinks {
            claims_citing: per(model.articles.len()),
            related_from: per(model.claims.len()),
            claim_events: per(model.claims.len()),
            topic_claims: per(model.topics.len() + 1),
            claims_by: per(model.entries.len()),
            claims_about: per(model.entries.len()),
            entry_events: per(model.entries.len()),
            members: per(model.entries.len()),
        };
        for (c, claim) in ClaimId::all(&model.claims).zip(&model.claims) {
            for s in &claim.sources {
                push_once(&mut b.claims_citing[s.article.index()], c);
            }
            for &(target, rel) in &claim.related {
                b.related_from[target.index()].push((c, rel));
            }
            let topic = claim.topic.map_or(model.topics.len(), |t| t.index());
            push_once(&mut b.topic_claims[topic], c);
            if let Some(e) = claim.by {
                push_once(&mut b.claims_by[e.index()], c);
            }
            for &e in &claim.about {
                push_once(&mut b.claims_about[e.index()], c);
            }
        }
        for (i, event) in EventId::all(&model.events).zip(&model.events) {
            for &c in &event.claims {
                push_once(&mut b.claim_events[c.index()], i);
            }
            for &e in &event.actors {
                push_once(&mut b.entry_events[e.index()], i);
            }
        }
        for (j, entry) in EntryId::all(&model.entries).zip(&model.entries) {
            for &e in &entry.member_of {
                push_once(&mut b.members[e.index()], j);
            }
        }
        b
    }
}
