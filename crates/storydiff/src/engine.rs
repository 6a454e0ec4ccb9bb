//! The engine: how to compare, decided once ([`EngineBuilder`]: the scoring, the options,
//! progress), and the compare pipeline as a chain of stages, each a function with a typed
//! input and output:
//!
//! ```text
//!  Vec<Article> ─► plan ─► Plan { base, fold, view pairs, graph pairs, notes }
//!               ─► scoring_for ─► the scorer this run aligns with (budget said in a note)
//!               ─► analyse ─► Vec<Analysis>
//!               ─► align (view pairs with word diffs, graph pairs links only) ─► Comparisons
//!               ─► claims::graph + project ─► ClaimGraph, views as its projections
//!               ─► findings ─► Report
//! ```

use std::sync::Arc;

use rayon::prelude::*;

use crate::align::ScorerKind;
use crate::error::{Error, Result};
use crate::model::{self, Article, ArticleId, Comparison, Link, Report, ScorerUsed};
use crate::progress::Progress;
use crate::{align, analyse, claims, copies, diff, findings, fold, ingest};

/// How sentences are scored, decided once before anything is analysed: the CLI resolves
/// `--scorer` and the model directory into one of these.
#[derive(Clone, Default)]
pub enum Scoring {
    /// Shared terms, IDF-weighted.
    #[default]
    Lexical,
    /// Soft matching of the loaded encoder's contextual word vectors.
    #[cfg(feature = "semantic")]
    Semantic(Arc<crate::encoder::Encoder>),
}

impl std::fmt::Debug for Scoring {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Scoring::Lexical => "Lexical",
            #[cfg(feature = "semantic")]
            Scoring::Semantic(_) => "Semantic",
        })
    }
}

impl Scoring {
    /// The scorer a report says it aligned with when this scoring runs within budget.
    pub fn used(&self) -> ScorerUsed {
        match self {
            Scoring::Lexical => ScorerUsed::Lexical,
            #[cfg(feature = "semantic")]
            Scoring::Semantic(_) => ScorerUsed::Semantic,
        }
    }

    /// The loaded encoder of the semantic scorer, if this is it.
    #[cfg(feature = "semantic")]
    pub fn encoder(&self) -> Option<&crate::encoder::Encoder> {
        match self {
            Scoring::Lexical => None,
            Scoring::Semantic(enc) => Some(enc),
        }
    }

    /// The kind of pair scorer the aligner runs.
    pub fn kind(&self) -> ScorerKind {
        match self {
            Scoring::Lexical => ScorerKind::Lexical,
            #[cfg(feature = "semantic")]
            Scoring::Semantic(_) => ScorerKind::Semantic,
        }
    }

    /// Analyse `article` as this scoring needs it: with the encoder's vectors for the
    /// semantic scorer.
    pub fn analyse(&self, article: &Article) -> Result<analyse::Analysis> {
        match self {
            Scoring::Lexical => Ok(analyse::analyse(article)),
            #[cfg(feature = "semantic")]
            Scoring::Semantic(enc) => analyse::analyse_with(article, Some(enc)),
        }
    }
}

/// The options of a comparison, frozen in an [`Engine`].
#[derive(Debug, Clone, Default)]
struct Config {
    base: Option<String>,
    all_pairs: bool,
    keep_boilerplate: bool,
    thresholds: align::Thresholds,
}

/// Builds an [`Engine`]: start from [`Engine::builder`], set what differs from the defaults
/// (lexical scoring, the first article as base, each article against the base, boilerplate
/// set aside, the default thresholds, no progress), then [`EngineBuilder::build`].
#[derive(Clone, Default)]
pub struct EngineBuilder {
    config: Config,
    scoring: Scoring,
    progress: Option<Arc<dyn Progress + Send>>,
}

impl EngineBuilder {
    /// How sentences are scored.
    pub fn scoring(mut self, scoring: Scoring) -> Self {
        self.scoring = scoring;
        self
    }

    /// The label of the base article; the first article when `None`.
    pub fn base(mut self, label: Option<String>) -> Self {
        self.config.base = label;
        self
    }

    /// Compare every pair instead of every article with the base.
    pub fn all_pairs(mut self, yes: bool) -> Self {
        self.config.all_pairs = yes;
        self
    }

    /// Keep boilerplate in the body instead of setting it aside ([`Engine::compare_texts`]).
    pub fn keep_boilerplate(mut self, yes: bool) -> Self {
        self.config.keep_boilerplate = yes;
        self
    }

    /// The aligner's numbers.
    pub fn thresholds(mut self, t: align::Thresholds) -> Self {
        self.config.thresholds = t;
        self
    }

    /// Report the stages (analysing, copies, comparing, claim pairs, findings) to `progress`.
    pub fn progress(mut self, progress: Arc<dyn Progress + Send>) -> Self {
        self.progress = Some(progress);
        self
    }

    /// The engine.
    pub fn build(self) -> Engine {
        Engine {
            config: self.config,
            scoring: self.scoring,
            progress: self.progress,
        }
    }
}

/// Compares articles: the library's one entry point. `Engine::default()` compares with the
/// lexical scorer and the default options.
#[derive(Clone, Default)]
pub struct Engine {
    config: Config,
    scoring: Scoring,
    progress: Option<Arc<dyn Progress + Send>>,
}

/// Which pairs a comparison aligns, worked out before anything is analysed.
struct Plan {
    base: usize,
    fold: Option<fold::Fold>,
    /// The pairs the view shows, with word diffs.
    view: Vec<(usize, usize)>,
    /// The pairs only the claim graph needs (links only).
    extra: Vec<(usize, usize)>,
    /// The graph's extra pairs are aligned by the lexical scorer (too many originals).
    extra_lexical: bool,
    /// The graph is built from the view's pairs only (far too many originals).
    graph_partial: bool,
    /// Budgets that applied, in the order the report lists them.
    notes: Vec<String>,
}

impl Engine {
    /// A builder, with every option at its default.
    pub fn builder() -> EngineBuilder {
        EngineBuilder::default()
    }

    fn progress(&self) -> &dyn Progress {
        match &self.progress {
            Some(p) => p.as_ref(),
            None => &(),
        }
    }

    /// Compare in-memory texts given as `(label, text)`.
    pub fn compare_texts(&self, texts: &[(&str, &str)]) -> Result<Report> {
        let articles = texts
            .iter()
            .map(|(label, text)| {
                let raw = ingest::RawArticle {
                    label: label.to_string(),
                    path: label.to_string(),
                    text: ingest::decode(label, text.as_bytes().to_vec())?,
                };
                crate::segment::build_article(raw, self.config.keep_boilerplate)
            })
            .collect::<Result<Vec<_>>>()?;
        self.compare(articles)
    }

    /// Align `other` against `base` and word-diff every link (the base is article 0, the
    /// other article 1).
    pub fn pair(&self, base: &Article, other: &Article) -> Result<Comparison> {
        let (ab, ao) = (self.scoring.analyse(base)?, self.scoring.analyse(other)?);
        Ok(align_pair(
            self.scoring.kind(),
            analyse::Document::new(base, &ab),
            analyse::Document::new(other, &ao),
            (ArticleId(0), ArticleId(1)),
            &self.config.thresholds,
            true,
        ))
    }

    /// Compare built articles: each with the base (or every pair), one claim graph over all of
    /// them, the views as its projections, and the findings.
    pub fn compare(&self, mut articles: Vec<Article>) -> Result<Report> {
        if articles.len() < 2 {
            return Err(Error::TooFewArticles {
                given: articles.len(),
            });
        }
        ingest::dedupe_labels(&mut articles);
        let progress = self.progress();
        let plan = self.plan(&articles)?;
        let (scoring, scorer, budget) = self.scoring_for(&articles);
        let mut notes: Vec<String> = budget.into_iter().collect();
        let analyses = analyse_all(&articles, &scoring, progress)?;
        let doc = |k: usize| analyse::Document::new(&articles[k], &analyses[k]);
        let ids = |i: usize, j: usize| (ArticleId(i), ArticleId(j));
        let t = &self.config.thresholds;
        progress.stage("comparing", plan.view.len() as u64);
        let comparisons: Vec<Comparison> = plan
            .view
            .par_iter()
            .map(|&(i, j)| {
                let c = align_pair(scoring.kind(), doc(i), doc(j), ids(i, j), t, true);
                progress.inc(1);
                c
            })
            .collect();
        if !plan.graph_partial {
            progress.stage("claim pairs", plan.extra.len() as u64);
        }
        let extra_kind = if plan.extra_lexical {
            ScorerKind::Lexical
        } else {
            scoring.kind()
        };
        let extra: Vec<Comparison> = plan
            .extra
            .par_iter()
            .map(|&(i, j)| {
                let c = align_pair(extra_kind, doc(i), doc(j), ids(i, j), t, false);
                progress.inc(1);
                c
            })
            .collect();
        if plan.extra_lexical && scoring.kind() != ScorerKind::Lexical && !plan.graph_partial {
            notes.push(format!(
                "claim graph: {} originals is over {MAX_GRAPH_OUTLETS}; the pairs the view leaves out were aligned by the lexical scorer",
                graph_outlets(&plan, articles.len()).len()
            ));
        }
        notes.extend(plan.notes.iter().cloned());
        // Budgets that applied to the pairs only the graph sees are said too.
        for c in &extra {
            for n in &c.notes {
                let (o, b) = (&articles[c.other.0].label, &articles[c.base.0].label);
                notes.push(format!("claim graph, {o} against {b}: {n}"));
            }
        }
        let base = ArticleId(plan.base);
        let claims = claims::graph(
            &articles,
            &comparisons,
            &extra,
            base,
            !self.config.all_pairs,
        );
        // Every view is a projection of the graph.
        let mut comparisons = comparisons;
        for c in &mut comparisons {
            project(c, &claims, articles[c.base.0].sentences.len());
        }
        progress.stage("findings", 1);
        let aligned: Vec<(usize, usize)> = plan.view.iter().chain(&plan.extra).copied().collect();
        // Many outlets: quotes are paired within the aligned pairs only, not every pair, and
        // over MAX_GRAPH_OUTLETS originals within the view's pairs (pairing the quotes of
        // hundreds of originals with one another would cost, and report, their square).
        let quote_pairs = (articles.len() > model::FOLD_OUTLETS).then_some(if plan.extra_lexical {
            plan.view.as_slice()
        } else {
            aligned.as_slice()
        });
        let (findings, finding_notes) = findings::find_with_pairs(
            &articles,
            &analyses,
            &comparisons,
            &claims,
            quote_pairs,
            plan.graph_partial.then_some(aligned.as_slice()),
        );
        progress.inc(1);
        notes.extend(finding_notes);
        Ok(Report {
            version: model::SCHEMA_VERSION,
            articles,
            comparisons,
            copies: plan.fold.map(|f| f.clusters).unwrap_or_default(),
            base,
            claims,
            findings,
            dismissed: 0,
            scorer: Some(scorer),
            notes,
        })
    }

    /// The base, the copies folded (many outlets), the pairs the view compares and those only
    /// the claim graph needs.
    fn plan(&self, articles: &[Article]) -> Result<Plan> {
        let base = match &self.config.base {
            None => 0,
            Some(label) => articles
                .iter()
                .position(|a| &a.label == label)
                .ok_or_else(|| Error::UnknownBase {
                    label: label.clone(),
                    labels: articles
                        .iter()
                        .map(|a| a.label.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                })?,
        };
        let n = articles.len();
        let progress = self.progress();
        // Many outlets: copies are folded into their original and compared with it alone.
        let fold = (!self.config.all_pairs && n > model::FOLD_OUTLETS).then(|| {
            progress.stage("copies", 1);
            let f = fold::find(articles, base);
            progress.inc(1);
            f
        });
        let view: Vec<(usize, usize)> = match &fold {
            Some(f) => f.pairs(base),
            None if self.config.all_pairs => (0..n)
                .flat_map(|i| (i + 1..n).map(move |j| (i, j)))
                .collect(),
            None => (0..n).filter(|&j| j != base).map(|j| (base, j)).collect(),
        };
        let mut plan = Plan {
            base,
            fold,
            view,
            extra: Vec::new(),
            extra_lexical: false,
            graph_partial: false,
            notes: Vec::new(),
        };
        // The claim graph needs every pair (of originals, when copies are folded); align the
        // pairs the view did not, unless there are too many outlets (then the graph is built
        // from the view's pairs, and says so). Over MAX_GRAPH_OUTLETS originals, the pairs
        // only the graph needs are aligned by the lexical scorer.
        let outlets = graph_outlets(&plan, n);
        plan.extra_lexical = outlets.len() > MAX_GRAPH_OUTLETS;
        plan.graph_partial = outlets.len() > MAX_GRAPH_LEXICAL;
        if plan.graph_partial {
            plan.notes.push(match &plan.fold {
                Some(_) => format!(
                    "claim graph: {} originals is over {MAX_GRAPH_LEXICAL}; claims come from the compared pairs only",
                    outlets.len()
                ),
                None => format!(
                    "claim graph: {n} outlets is over {MAX_GRAPH_LEXICAL}; claims come from the compared pairs only"
                ),
            });
        } else {
            let have: std::collections::HashSet<(usize, usize)> = plan
                .view
                .iter()
                .map(|&(i, j)| (i.min(j), i.max(j)))
                .collect();
            plan.extra = outlets
                .iter()
                .enumerate()
                .flat_map(|(x, &i)| outlets[x + 1..].iter().map(move |&j| (i, j)))
                .filter(|p| !have.contains(p))
                .collect();
        }
        if let Some(f) = &plan.fold {
            plan.notes.extend(fold_notes(f, n));
        }
        Ok(plan)
    }

    /// The scoring this run aligns with and the scorer the report names: the encoder's cost
    /// is its tokens (one forward pass per sentence), so over [`SEMANTIC_BUDGET_TOKENS`] the
    /// lexical scorer aligns rather than a run of many minutes, and a note says so.
    fn scoring_for(&self, articles: &[Article]) -> (Scoring, ScorerUsed, Option<String>) {
        #[cfg(feature = "semantic")]
        if let Some(enc) = self.scoring.encoder() {
            return self.within_budget(enc, articles);
        }
        let _ = articles;
        (Scoring::Lexical, ScorerUsed::Lexical, None)
    }

    #[cfg(feature = "semantic")]
    fn within_budget(
        &self,
        enc: &crate::encoder::Encoder,
        articles: &[Article],
    ) -> (Scoring, ScorerUsed, Option<String>) {
        let sentences: Vec<&str> = articles
            .iter()
            .flat_map(|a| &a.sentences)
            .map(|s| s.text.as_str())
            .collect();
        // Each sentence is one window with its [CLS] and [SEP].
        let tokens: usize = sentences
            .iter()
            .map(|t| enc.tokenizer().tokenize(t).len() + 2)
            .sum();
        if tokens > SEMANTIC_BUDGET_TOKENS {
            let note = format!(
                "semantic scorer: {tokens} encoder tokens in {} sentences is over its budget of {SEMANTIC_BUDGET_TOKENS}; aligned with the lexical scorer",
                sentences.len()
            );
            return (Scoring::Lexical, ScorerUsed::LexicalOverBudget, Some(note));
        }
        (self.scoring.clone(), self.scoring.used(), None)
    }
}

/// The outlets the claim graph aligns every pair of: the originals when copies are folded.
fn graph_outlets(plan: &Plan, n: usize) -> Vec<usize> {
    match &plan.fold {
        Some(f) => (0..n).filter(|&k| !f.is_copy(k)).collect(),
        None => (0..n).collect(),
    }
}

/// Each article analysed once, whatever number of pairs it is in (the encoder, for the
/// semantic scorer, reads all of them in one run and parallelises each pass itself).
fn analyse_all(
    articles: &[Article],
    scoring: &Scoring,
    progress: &dyn Progress,
) -> Result<Vec<analyse::Analysis>> {
    progress.stage("analysing", articles.len() as u64);
    let analyse_one = |a: &Article| {
        let an = analyse::analyse(a);
        progress.inc(1);
        an
    };
    #[cfg_attr(not(feature = "semantic"), allow(unused_mut))]
    let mut analyses: Vec<analyse::Analysis> = articles.par_iter().map(analyse_one).collect();
    #[cfg(feature = "semantic")]
    if let Scoring::Semantic(enc) = scoring {
        let docs: Vec<(&Article, &analyse::Analysis)> = articles.iter().zip(&analyses).collect();
        let encoded = analyse::vectors::encode_all(enc, &docs)?;
        for (a, e) in analyses.iter_mut().zip(encoded) {
            a.encoded = Some(e);
        }
    }
    #[cfg(not(feature = "semantic"))]
    let _ = scoring;
    Ok(analyses)
}

/// Whether a link's two sides say the same words: only spacing may differ. The one rule for
/// [`model::LinkKind::Identical`]; the aligner's "identical" (equal after normalisation) that
/// fails it is reworded.
fn same_words(base: &str, other: &str) -> bool {
    base.split_whitespace().eq(other.split_whitespace())
}

/// A link of the aligner's pair as the report keeps it, with its word diff when `diff`.
fn link(base: &Article, other: &Article, p: align::AlignedPair, with_diff: bool) -> Link {
    let (old, new) = (base.join(&p.base), other.join(&p.other));
    let kind = match p.kind {
        model::LinkKind::Identical if !same_words(&old, &new) => model::LinkKind::Reworded,
        k => k,
    };
    let (diff, fallback) = if with_diff {
        diff::word_diff_with_fallback(&old, &new)
    } else {
        (Vec::new(), None)
    };
    Link {
        kind,
        diff,
        base: p.base,
        other: p.other,
        score: p.score,
        fallback,
    }
}

/// Align `other` against `base` with the `kind` of scorer; with `diffs`, word-diff every
/// link (a view's pair), without (a pair only the claim graph reads) the links carry none.
fn align_pair(
    kind: ScorerKind,
    base_doc: analyse::Document,
    other_doc: analyse::Document,
    (base_id, other_id): (ArticleId, ArticleId),
    t: &align::Thresholds,
    diffs: bool,
) -> Comparison {
    let (base, other) = (base_doc.article, other_doc.article);
    let al = align::align_documents(kind, base_doc, other_doc, t);
    // Links are diffed in parallel (a long article pair has thousands); the order is kept.
    let links: Vec<Link> = al
        .links
        .into_par_iter()
        .with_min_len(16)
        .map(|p| link(base, other, p, diffs))
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

/// The semantic scorer encodes at most this many WordPiece tokens in one comparison (about
/// 6,000 sentences of news, a minute on 2 cores: the 502 news_ecb documents are 248,258
/// tokens and took 187 s of CPU); above it the lexical scorer aligns, with a note. Tokens,
/// not bytes, are what the encoder's time grows with.
pub const SEMANTIC_BUDGET_TOKENS: usize = 150_000;

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
        "quote wording: {outlets} outlets is over {}; quotes are paired within the \
         aligned pairs only (each original with the base, each copy with its original{})",
        model::FOLD_OUTLETS,
        if f.originals() <= MAX_GRAPH_OUTLETS {
            ", the originals with one another"
        } else {
            ""
        }
    ));
    out
}
