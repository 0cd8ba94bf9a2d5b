//! Backlinks: who refers to whom in the model (the claims citing an article,
//! the claims relating to a claim, an entry's claims and events), computed
//! once a build for every page to read.

use crate::model::{Model, Relation};

/// Who refers to whom, computed once per build so that no page scans every
/// claim: each list is in model order and names each item once.
pub struct Backlinks {
    /// For each article, the claims with a source in it.
    pub claims_citing: Vec<Vec<usize>>,
    /// For each claim, the claims that state a relation to it.
    pub related_from: Vec<Vec<(usize, Relation)>>,
    /// For each claim, the events that name it.
    pub claim_events: Vec<Vec<usize>>,
    /// For each topic, its claims; the last list holds the claims without one.
    pub topic_claims: Vec<Vec<usize>>,
    /// For each glossary entry: the claims it makes, the claims about it,
    /// the events it takes part in, the entries it has as members.
    pub claims_by: Vec<Vec<usize>>,
    pub claims_about: Vec<Vec<usize>>,
    pub entry_events: Vec<Vec<usize>>,
    pub members: Vec<Vec<usize>>,
}

/// Adds `item` to `list` unless it is already its last element (items
/// arrive in order, so this keeps each once).
fn push_once(list: &mut Vec<usize>, item: usize) {
    if list.last() != Some(&item) {
        list.push(item);
    }
}

impl Backlinks {
    /// Walks the model once.
    pub fn new(model: &Model) -> Backlinks {
        let per = |n: usize| vec![Vec::new(); n];
        let mut b = Backlinks {
            claims_citing: per(model.articles.len()),
            related_from: vec![Vec::new(); model.claims.len()],
            claim_events: per(model.claims.len()),
            topic_claims: per(model.topics.len() + 1),
            claims_by: per(model.entries.len()),
            claims_about: per(model.entries.len()),
            entry_events: per(model.entries.len()),
            members: per(model.entries.len()),
        };
        for (c, claim) in model.claims.iter().enumerate() {
            claim
                .sources
                .iter()
                .for_each(|s| push_once(&mut b.claims_citing[s.article], c));
            claim
                .related
                .iter()
                .for_each(|&(target, rel)| b.related_from[target].push((c, rel)));
            push_once(
                &mut b.topic_claims[claim.topic.unwrap_or(model.topics.len())],
                c,
            );
            claim
                .by
                .iter()
                .for_each(|&e| push_once(&mut b.claims_by[e], c));
            claim
                .about
                .iter()
                .for_each(|&e| push_once(&mut b.claims_about[e], c));
        }
        for (i, event) in model.events.iter().enumerate() {
            event
                .claims
                .iter()
                .for_each(|&c| push_once(&mut b.claim_events[c], i));
            event
                .actors
                .iter()
                .for_each(|&e| push_once(&mut b.entry_events[e], i));
        }
        for (j, entry) in model.entries.iter().enumerate() {
            entry
                .member_of
                .iter()
                .for_each(|&e| push_once(&mut b.members[e], j));
        }
        b
    }
}
