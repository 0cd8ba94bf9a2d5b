//! briefing: builds annotated briefings — news articles, claims pinned to
//! exact quotes, a glossary and a timeline — into a static website.
//!
//! A build is a pipeline, one module a stage: [`load`] → [`resolve`] →
//! [`anchor`] → [`render`] → [`write`]. [`build`] runs them all.

pub mod anchor;
pub mod date;
pub mod diagnostic;
pub mod export;
pub mod format;
pub mod init;
pub mod limits;
pub mod load;
pub mod manifest;
pub mod markdown;
pub mod mentions;
pub mod model;
pub mod normalize;
pub mod options;
pub mod progress;
pub mod render;
pub mod resolve;
pub mod schema;
pub mod serve;
pub mod write;

mod pipeline;
#[cfg(test)]
mod test_support;

pub use options::BuildOptions;
pub use pipeline::{Analysis, Failure, Outcome, analyse, build, build_with, check_usage};

/// `list` in a block of its own length, for a list kept long after it was
/// made. `shrink_to_fit` is not enough: mimalloc shrinks a block in place
/// down to half its size, so a list grown by doubling would keep the room
/// it grew into.
pub(crate) fn to_length<T>(list: Vec<T>) -> Vec<T> {
    if list.capacity() == list.len() {
        return list;
    }
    let mut exact = Vec::with_capacity(list.len());
    exact.extend(list);
    exact
}
