//! briefing: builds annotated briefings — news articles, claims pinned to
//! exact quotes, a glossary and a timeline — into a static website.
//!
//! A build is a pipeline, one module a stage: [`load`] → [`resolve`] →
//! [`anchor`] → [`render`] → [`write`]. [`build`] runs them all.

pub mod anchor;
pub mod date;
pub mod diagnostic;
pub mod export;
pub mod init;
pub mod limits;
pub mod load;
pub mod manifest;
pub mod markdown;
pub mod mentions;
pub mod model;
pub mod normalize;
pub mod progress;
pub mod render;
pub mod resolve;
pub mod schema;
pub mod serve;
pub mod write;

mod pipeline;
#[cfg(test)]
mod test_support;

pub use pipeline::{Analysis, BuildOptions, Failure, Outcome, analyse, build, build_with};
