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
//! ```
//! use storydiff::{compare_texts, CompareOptions};
//! let report = compare_texts(
//!     &[("wire", "Lavrov met Blinken in Geneva. Talks ended."),
//!       ("site", "Lavrov met Blinken in Geneva on Friday. Oil rose.")],
//!     &CompareOptions::default(),
//! ).unwrap();
//! assert_eq!(report.comparisons[0].links.len(), 1);
//! ```

pub mod align;
pub mod analyse;
pub mod batch;
mod claims;
mod copies;
pub mod diff;
pub mod encoder;
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
pub use error::{Error, Result};
pub use model::{Article, Comparison, Link, Report, Sentence, FOLD_OUTLETS};

/// How to run a comparison. Start from `CompareOptions::default()` and set fields; new
/// options may be added.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct CompareOptions {
    /// Label of the base article; the first article when `None`.
    pub base: Option<String>,
    /// Compare every pair instead of every article with the base.
    pub all_pairs: bool,
    /// Keep boilerplate in the body instead of setting it aside.
    pub keep_boilerplate: bool,
    /// The aligner's numbers.
    pub thresholds: align::Thresholds,
    /// The encoder of the semantic scorer; `None` aligns with the lexical scorer.
    pub encoder: Option<std::sync::Arc<encoder::Encoder>>,
}

impl CompareOptions {
    /// The name of the scorer these options align with, as reports state it.
    pub fn scorer_name(&self) -> String {
        scorer_name(self.encoder.as_deref())
    }
}

/// The name of the scorer that aligns with `encoder` (the lexical one without), as reports
/// state it.
pub fn scorer_name(encoder: Option<&encoder::Encoder>) -> String {
    match encoder {
        Some(_) => format!("semantic ({})", encoder::MODEL_NAME),
        None => "lexical".to_string(),
    }
}

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

/// Make labels unique by suffixing repeats with `-2`, `-3`, … in input order.
pub fn dedupe_labels(articles: &mut [Article]) {
    let mut seen = std::collections::HashSet::new();
    for a in articles.iter_mut() {
        if seen.insert(a.label.clone()) {
            continue;
        }
        let mut n = 2;
        while seen.contains(&format!("{}-{n}", a.label)) {
            n += 1;
        }
        a.label = format!("{}-{n}", a.label);
        seen.insert(a.label.clone());
    }
}

/// Align `other` against `base` and word-diff every link (the base is article 0, the other
/// article 1).
pub fn compare_pair(base: &Article, other: &Article, t: &align::Thresholds) -> Comparison {
    let (ab, ao) = (analyse::analyse(base), analyse::analyse(other));
    compare_documents(
        analyse::Document::new(base, &ab),
        analyse::Document::new(other, &ao),
        PAIR,
        t,
    )
}

/// The ids of a lone pair's articles: base 0, other 1.
const PAIR: (model::ArticleId, model::ArticleId) = (model::ArticleId(0), model::ArticleId(1));

/// [`compare_pair`] with the semantic scorer when `encoder` is given.
pub fn compare_pair_with(
    base: &Article,
    other: &Article,
    t: &align::Thresholds,
    encoder: Option<&encoder::Encoder>,
) -> std::result::Result<Comparison, String> {
    let (ab, ao) = (
        analyse::analyse_with(base, encoder)?,
        analyse::analyse_with(other, encoder)?,
    );
    Ok(compare_documents(
        analyse::Document::new(base, &ab),
        analyse::Document::new(other, &ao),
        PAIR,
        t,
    ))
}

/// [`compare_pair`] on articles analysed once ([`analyse::analyse`]), with their ids.
fn compare_documents(
    base_doc: analyse::Document,
    other_doc: analyse::Document,
    (base_id, other_id): (model::ArticleId, model::ArticleId),
    t: &align::Thresholds,
) -> Comparison {
    let (base, other) = (base_doc.article, other_doc.article);
    let al = align::align_documents(base_doc, other_doc, t);
    // Links are diffed in parallel (a long article pair has thousands); the order is kept.
    use rayon::prelude::*;
    let links: Vec<Link> = al
        .links
        .into_par_iter()
        .with_min_len(16)
        .map(|p| {
            let old = join(base, &p.base);
            let new = join(other, &p.other);
            let (diff, fallback) = diff::word_diff_with_fallback(&old, &new);
            // Identical means no visible change at all: only spacing may differ.
            let visible_change = diff
                .iter()
                .any(|c| c.op != model::DiffOp::Equal && !c.text.trim().is_empty());
            let kind = match p.kind {
                model::LinkKind::Identical if visible_change => model::LinkKind::Reworded,
                k => k,
            };
            Link {
                kind,
                diff,
                base: p.base,
                other: p.other,
                score: p.score,
                fallback,
            }
        })
        .collect();
    let mut summary = model::Summary::default();
    for l in &links {
        match l.kind {
            model::LinkKind::Identical => summary.identical += 1,
            model::LinkKind::Reworded => summary.reworded += 1,
            model::LinkKind::Partial => summary.partial += 1,
        }
    }
    let mut c = Comparison {
        base: base_id,
        other: other_id,
        links,
        related: al.related,
        possible: al.possible,
        added: al.added,
        dropped: al.dropped,
        shared_base: Vec::new(),
        shared_other: Vec::new(),
        summary,
        notes: al.notes,
    };
    count_unlinked(&mut c, base.sentences.len());
    c
}

/// Set the summary's added, dropped and coverage from the comparison's lists.
fn count_unlinked(c: &mut Comparison, base_sentences: usize) {
    c.summary.added = c.added.len();
    c.summary.dropped = c.dropped.len();
    let n = base_sentences;
    c.summary.base_coverage = if n == 0 {
        0.0
    } else {
        (((n - c.dropped.len()) as f64 / n as f64) * 10_000.0).round() / 10_000.0
    };
}

/// Make a comparison a view of the claim graph: a sentence with no link in the pair whose
/// claim the other outlet carries (joined through other pairs) is shared, not added or
/// dropped.
fn project(c: &mut Comparison, graph: &model::ClaimGraph, base_sentences: usize) {
    let (base, other) = (c.base, c.other);
    let (shared, dropped): (Vec<usize>, Vec<usize>) = c
        .dropped
        .iter()
        .partition(|&&i| graph.carries(other, base, i));
    let (shared_o, added): (Vec<usize>, Vec<usize>) = c
        .added
        .iter()
        .partition(|&&j| graph.carries(base, other, j));
    c.dropped = dropped;
    c.added = added;
    c.shared_base = shared;
    c.shared_other = shared_o;
    count_unlinked(c, base_sentences);
}

/// The links of `other` against `base` without word diffs or summary: what the claim graph
/// reads of a pair no view shows.
fn links_only(
    base_doc: analyse::Document,
    other_doc: analyse::Document,
    (base_id, other_id): (model::ArticleId, model::ArticleId),
    t: &align::Thresholds,
    lexical: bool,
) -> Comparison {
    let (base, other) = (base_doc.article, other_doc.article);
    let al = if lexical {
        align::align_with(&align::Lexical::new(t), base_doc, other_doc, t)
    } else {
        align::align_documents(base_doc, other_doc, t)
    };
    Comparison {
        base: base_id,
        other: other_id,
        links: al
            .links
            .into_iter()
            .map(|p| Link {
                // As in compare_pair: identical only when nothing but spacing differs.
                kind: match p.kind {
                    model::LinkKind::Identical
                        if !join(base, &p.base)
                            .split_whitespace()
                            .eq(join(other, &p.other).split_whitespace()) =>
                    {
                        model::LinkKind::Reworded
                    }
                    k => k,
                },
                base: p.base,
                other: p.other,
                score: p.score,
                diff: Vec::new(),
                fallback: None,
            })
            .collect(),
        related: al.related,
        possible: al.possible,
        added: al.added,
        dropped: al.dropped,
        shared_base: Vec::new(),
        shared_other: Vec::new(),
        summary: model::Summary::default(),
        notes: al.notes,
    }
}

/// The texts of sentences `idx` joined by one space: the side a link's diff is taken of.
pub fn join(a: &Article, idx: &[usize]) -> String {
    let parts: Vec<&str> = idx
        .iter()
        .filter_map(|&i| a.sentences.get(i))
        .map(|s| s.text.as_str())
        .collect();
    parts.join(" ")
}

/// Compare built articles according to `opts`.
pub fn compare(articles: Vec<Article>, opts: &CompareOptions) -> Result<Report> {
    compare_with_progress(articles, opts, &())
}

/// [`compare`], reporting its stages (analysing, copies, comparing, claim pairs, findings)
/// to `progress`.
pub fn compare_with_progress(
    mut articles: Vec<Article>,
    opts: &CompareOptions,
    progress: &dyn group::Progress,
) -> Result<Report> {
    if articles.len() < 2 {
        return Err(Error::TooFewArticles {
            given: articles.len(),
        });
    }
    dedupe_labels(&mut articles);
    let base = match &opts.base {
        None => 0,
        Some(label) => articles
            .iter()
            .position(|a| &a.label == label)
            .ok_or_else(|| {
                let labels: Vec<&str> = articles.iter().map(|a| a.label.as_str()).collect();
                Error::UnknownBase {
                    label: label.clone(),
                    labels: labels.join(", "),
                }
            })?,
    };
    // Many outlets: copies are folded into their original and compared with it alone.
    let fold = (!opts.all_pairs && articles.len() > FOLD_OUTLETS).then(|| {
        progress.stage("copies", 1);
        let f = fold::find(&articles, base);
        progress.inc(1);
        f
    });
    let mut pairs = Vec::new();
    if let Some(f) = &fold {
        pairs = f.pairs(base);
    } else if opts.all_pairs {
        for i in 0..articles.len() {
            for j in i + 1..articles.len() {
                pairs.push((i, j));
            }
        }
    } else {
        for j in 0..articles.len() {
            if j != base {
                pairs.push((base, j));
            }
        }
    }
    use rayon::prelude::*;
    // Each article is analysed once, whatever number of pairs it is in.
    // The encoder reads every sentence once: over the budget, the lexical scorer aligns
    // (and the report says so) rather than a run of many minutes.
    let text_bytes: usize = articles
        .iter()
        .flat_map(|a| &a.sentences)
        .map(|s| s.text.len())
        .sum();
    let mut notes = Vec::new();
    let mut scorer = opts.scorer_name();
    let encoder = match &opts.encoder {
        Some(_) if text_bytes > SEMANTIC_BUDGET_BYTES => {
            notes.push(format!(
                "semantic scorer: {text_bytes} bytes of sentences is over its budget of {SEMANTIC_BUDGET_BYTES}; aligned with the lexical scorer"
            ));
            scorer = "lexical (semantic over budget)".to_string();
            None
        }
        e => e.clone(),
    };
    progress.stage("analysing", articles.len() as u64);
    let analyse_one = |a: &Article| {
        let an = analyse::analyse(a);
        progress.inc(1);
        an
    };
    let analyses: Vec<analyse::Analysis> = match &encoder {
        // The encoder parallelises each forward pass itself.
        Some(enc) => {
            let mut an: Vec<analyse::Analysis> = articles.par_iter().map(analyse_one).collect();
            let docs: Vec<(&Article, &analyse::Analysis)> = articles.iter().zip(&an).collect();
            let encoded = analyse::vectors::encode_all(enc, &docs)
                .map_err(|message| Error::Model { message })?;
            for (a, e) in an.iter_mut().zip(encoded) {
                a.encoded = Some(e);
            }
            an
        }
        None => articles.par_iter().map(analyse_one).collect(),
    };
    let doc = |k: usize| analyse::Document::new(&articles[k], &analyses[k]);
    let ids = |i: usize, j: usize| (model::ArticleId(i), model::ArticleId(j));
    progress.stage("comparing", pairs.len() as u64);
    let comparisons: Vec<Comparison> = pairs
        .par_iter()
        .map(|&(i, j)| {
            let c = compare_documents(doc(i), doc(j), ids(i, j), &opts.thresholds);
            progress.inc(1);
            c
        })
        .collect();
    // The claim graph needs every pair (of originals, when copies are folded); align the
    // pairs the view did not, unless there are too many outlets (then the graph is built from
    // the view's pairs, and says so).
    let graph_outlets: Vec<usize> = match &fold {
        Some(f) => (0..articles.len()).filter(|&k| !f.is_copy(k)).collect(),
        None => (0..articles.len()).collect(),
    };
    let mut aligned: Vec<(usize, usize)> = pairs.clone();
    // Over MAX_GRAPH_OUTLETS originals, the pairs only the graph needs are aligned by the
    // lexical scorer (said when the run's scorer is another).
    let graph_lexical = graph_outlets.len() > MAX_GRAPH_OUTLETS;
    if graph_lexical
        && graph_outlets.len() <= MAX_GRAPH_LEXICAL
        && analyses.iter().any(|a| a.encoded.is_some())
    {
        notes.push(format!(
            "claim graph: {} originals is over {MAX_GRAPH_OUTLETS}; the pairs the view leaves out were aligned by the lexical scorer",
            graph_outlets.len()
        ));
    }
    let graph_partial = graph_outlets.len() > MAX_GRAPH_LEXICAL;
    let extra: Vec<Comparison> = if !graph_partial {
        let have: std::collections::HashSet<(usize, usize)> =
            pairs.iter().map(|&(i, j)| (i.min(j), i.max(j))).collect();
        let missing: Vec<(usize, usize)> = graph_outlets
            .iter()
            .enumerate()
            .flat_map(|(x, &i)| graph_outlets[x + 1..].iter().map(move |&j| (i, j)))
            .filter(|p| !have.contains(p))
            .collect();
        progress.stage("claim pairs", missing.len() as u64);
        aligned.extend(&missing);
        missing
            .par_iter()
            .map(|&(i, j)| {
                let c = links_only(doc(i), doc(j), ids(i, j), &opts.thresholds, graph_lexical);
                progress.inc(1);
                c
            })
            .collect()
    } else {
        notes.push(match &fold {
            Some(_) => format!(
                "claim graph: {} originals is over {MAX_GRAPH_LEXICAL}; claims come from the compared pairs only",
                graph_outlets.len()
            ),
            None => format!(
                "claim graph: {} outlets is over {MAX_GRAPH_LEXICAL}; claims come from the compared pairs only",
                articles.len()
            ),
        });
        Vec::new()
    };
    if let Some(f) = &fold {
        notes.extend(fold_notes(f, articles.len()));
    }
    // Budgets that applied to the pairs only the graph sees are said too.
    for c in &extra {
        for n in &c.notes {
            let (o, b) = (&articles[c.other.0].label, &articles[c.base.0].label);
            notes.push(format!("claim graph, {o} against {b}: {n}"));
        }
    }
    let base = model::ArticleId(base);
    let claims = claims::graph(&articles, &comparisons, &extra, base, !opts.all_pairs);
    // Every view is a projection of the graph.
    let mut comparisons = comparisons;
    for c in &mut comparisons {
        project(c, &claims, articles[c.base.0].sentences.len());
    }
    progress.stage("findings", 1);
    // Many outlets: quotes are paired within the aligned pairs only, not every pair, and
    // over MAX_GRAPH_OUTLETS originals within the view's pairs (pairing the quotes of
    // hundreds of originals with one another would cost, and report, their square).
    let quote_pairs = (articles.len() > FOLD_OUTLETS).then_some(if graph_lexical {
        pairs.as_slice()
    } else {
        aligned.as_slice()
    });
    let (findings, finding_notes) = findings::find_with_pairs(
        &articles,
        &analyses,
        &comparisons,
        &claims,
        quote_pairs,
        graph_partial.then_some(aligned.as_slice()),
    );
    progress.inc(1);
    notes.extend(finding_notes);
    Ok(Report {
        version: model::SCHEMA_VERSION,
        articles,
        comparisons,
        copies: fold.map(|f| f.clusters).unwrap_or_default(),
        base,
        claims,
        findings,
        dismissed: 0,
        scorer,
        notes,
    })
}

/// The semantic scorer reads at most this many bytes of sentences in one comparison (about
/// 100,000 encoder tokens, a minute of one core); above it the lexical scorer aligns, with a
/// note.
pub const SEMANTIC_BUDGET_BYTES: usize = 400_000;

/// Up to this many outlets (originals, when copies are folded) every pair the view leaves
/// out is aligned for the claim graph by the run's own scorer, and quotes are paired among
/// them all; above it, by the lexical scorer, and quotes within the view's pairs.
pub const MAX_GRAPH_OUTLETS: usize = 16;

/// Up to this many outlets (originals, when copies are folded) the claim graph still aligns
/// every pair, those over [`MAX_GRAPH_OUTLETS`] with the lexical scorer; above it, claims come
/// from the compared pairs only (said in a note).
pub const MAX_GRAPH_LEXICAL: usize = 256;

/// The notes a folded report carries: how many copies were folded, and that quotes were
/// paired within the aligned pairs only.
fn fold_notes(f: &fold::Fold, outlets: usize) -> Vec<String> {
    let copies: usize = f.clusters.iter().map(|c| c.copies.len()).sum();
    let mut out = Vec::new();
    if copies > 0 {
        out.push(format!(
            "copies: {copies} of the {outlets} outlets are near-duplicates (shingle Jaccard \
             >= {}) of {} original(s), folded into them: each copy is compared with its \
             original, not the base",
            copies::COPY_JACCARD,
            f.clusters.len()
        ));
    }
    out.push(format!(
        "quote wording: {outlets} outlets is over {FOLD_OUTLETS}; quotes are paired within the \
         aligned pairs only (each original with the base, each copy with its original{})",
        if f.originals() <= MAX_GRAPH_OUTLETS {
            ", the originals with one another"
        } else {
            ""
        }
    ));
    out
}

/// Compare in-memory texts given as `(label, text)`; the library's one-call entry point.
pub fn compare_texts(texts: &[(&str, &str)], opts: &CompareOptions) -> Result<Report> {
    let articles = texts
        .iter()
        .map(|(label, text)| {
            let raw = ingest::RawArticle {
                label: label.to_string(),
                path: label.to_string(),
                text: ingest::decode(label, text.as_bytes().to_vec())?,
            };
            build_article(raw, opts.keep_boilerplate)
        })
        .collect::<Result<Vec<_>>>()?;
    compare(articles, opts)
}
