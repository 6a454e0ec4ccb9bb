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
//!            ─► claims    one claim graph across all outlets
//!            ─► diff      word diff inside each link
//!            ─► findings  per claim, across every outlet that carries it
//!            ─► Report { articles, comparisons, claims, findings } ─► wire (JSON views)
//! ```
//!
//! The renderers (terminal, JSON, checklist, HTML) are the `storydiff-render` crate, the
//! evaluation harness `storydiff-eval` and the command line `storydiff-cli`: each uses this
//! library's public API only.
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
pub mod batch;
mod claims;
mod copies;
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
mod segment;
pub mod wire;

pub use align::Alignment;
pub use engine::{
    Engine, EngineBuilder, Scoring, MAX_GRAPH_LEXICAL, MAX_GRAPH_OUTLETS, SEMANTIC_BUDGET_BYTES,
};
pub use error::{Error, Result};
pub use model::{Article, Comparison, Link, Report, Sentence, FOLD_OUTLETS};

/// Set boilerplate aside and segment a read input into an [`Article`].
///
/// An HTML page or a Markdown file ([`ingest::web::sniff`]) has its markup blanked first
/// ([`ingest::web`]): the article's text is then the file with markup replaced by spaces, so
/// every offset is still an offset of the file, and a note says what was set aside.
pub fn build_article(raw: ingest::RawArticle, keep_boilerplate: bool) -> Result<Article> {
    build_article_noted(raw, keep_boilerplate, Vec::new())
}

/// [`build_article`], with notes from reading it (e.g. the encoding it was decoded from,
/// [`ingest::read_input_decoding`]) put first among the article's notes.
pub fn build_article_noted(
    raw: ingest::RawArticle,
    keep_boilerplate: bool,
    notes: Vec<String>,
) -> Result<Article> {
    let mut raw = raw;
    let mut notes = notes;
    let blanked = match ingest::web::sniff(&raw.path, &raw.text) {
        ingest::web::InputKind::Text => None,
        ingest::web::InputKind::Html => Some((ingest::web::blank_html(&raw.text), "HTML")),
        ingest::web::InputKind::Markdown => {
            Some((ingest::web::blank_markdown(&raw.text), "Markdown"))
        }
    };
    let mut chrome = Vec::new();
    if let Some((b, format)) = blanked {
        notes.push(b.note(format));
        raw.text = b.text;
        chrome = b.chrome;
    }
    let mut boilerplate = if keep_boilerplate {
        Vec::new()
    } else {
        let mut found: Vec<model::Boilerplate> = chrome
            .iter()
            .map(|&(start, end, kind)| model::Boilerplate {
                start,
                end,
                kind,
                text: raw.text[start..end].to_string(),
            })
            .collect();
        // The line rules ("Read also:", captions, end codes) over what is left.
        found.extend(
            ingest::detect_boilerplate(&raw.text)
                .into_iter()
                .filter(|b| !chrome.iter().any(|&(s, e, _)| b.start < e && s < b.end)),
        );
        found.sort_by_key(|b| b.start);
        found
    };
    let mut sentences = segment::segment(&raw.text, &boilerplate);
    if sentences.is_empty() && !boilerplate.is_empty() {
        // Chrome in an article, but all the user gave (a lone photo caption): compare it as
        // body text rather than refuse it, and say so.
        notes.push(format!(
            "every line looked like site chrome ({} line(s)); compared as body text",
            boilerplate.len()
        ));
        boilerplate.clear();
        sentences = segment::segment(&raw.text, &boilerplate);
    }
    if sentences.is_empty() {
        return Err(Error::NoBody {
            path: raw.path,
            boilerplate: boilerplate.len(),
        });
    }
    Ok(Article {
        label: raw.label,
        path: raw.path,
        text: raw.text,
        sentences,
        boilerplate,
        notes,
    })
}
