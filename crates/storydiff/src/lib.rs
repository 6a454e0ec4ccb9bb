//! storydiff lines up several outlets' articles on the same event, sentence by sentence, and
//! shows what each outlet added, dropped or reworded.
//!
//! The pipeline, one module per stage, data flowing one way:
//!
//! ```text
//!  file/stdin ─► ingest ──────────► segment ─────────► Article (one per outlet)
//!                (decode; chrome     (sentences with
//!                 set aside)          byte spans)
//!            ─► analyse   once per article: terms, facts, quotes, names, encoder vectors
//!            ─► align     every pair of outlets, behind the `Scorer` seam
//!            ─► claims    one claim graph across all outlets; every view a projection of it
//!            ─► diff      word diff inside each link
//!            ─► findings  per claim, across every outlet that carries it
//!            ─► Report { articles, base, comparisons, claims, findings } ─► wire (JSON views)
//! ```
//!
//! [`Engine`] (the `engine` module) runs the stages; [`base`] chooses an event's base.
//! The renderers (terminal, JSON, checklist, HTML) are the `storydiff-render` crate, JSON
//! Lines in bounded memory `storydiff-batch`, the evaluation harness `storydiff-eval` and the
//! command line `storydiff-cli`: each uses this library's public API only.
//!
//! Glossary:
//! - **base**: the article others are compared with (the first input unless `--base`).
//! - **link**: base sentences and other sentences that report the same thing; `identical`,
//!   `reworded` or `partial`.
//! - **added**: a sentence only the other article has; **dropped**: only the base has it.
//! - **boilerplate**: site chrome set aside by ingest and reported, never lost.
//!
//! One entry point, [`Engine`], built once with how to score and compare:
//!
//! ```
//! use storydiff::Engine;
//! let engine = Engine::builder().base(Some("site".into())).build();
//! let report = engine.compare_texts(
//!     &[("wire", "Lavrov met Blinken in Geneva. Talks ended."),
//!       ("site", "Lavrov met Blinken in Geneva on Friday. Oil rose.")],
//! ).unwrap();
//! assert_eq!(report.comparisons[0].links.len(), 1);
//! assert_eq!(report.label(report.base), "site");
//! ```
//!
//! The semantic scorer (the `encoder` module, candle) is behind the `semantic` cargo feature,
//! on by default; `default-features = false` builds the engine without it.

pub mod align;
pub mod analyse;
pub mod base;
mod claims;
pub mod copies;
pub mod diff;
#[cfg(feature = "semantic")]
pub mod encoder;
mod engine;
pub mod error;
pub mod findings;
mod fold;
pub mod group;
pub mod ingest;
pub mod model;
pub mod normalize;
pub mod progress;
mod segment;
pub mod vector;
pub mod wire;

pub use align::Alignment;
pub use engine::{
    Engine, EngineBuilder, Scoring, MAX_GRAPH_LEXICAL, MAX_GRAPH_OUTLETS, SEMANTIC_BUDGET_TOKENS,
};
pub use error::{Error, Result};
pub use model::{Article, Comparison, Link, Report, Sentence, FOLD_OUTLETS};
pub use segment::{build_article, build_article_noted};
