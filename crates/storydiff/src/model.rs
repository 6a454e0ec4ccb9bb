//! The plain data every stage produces and every renderer reads. The JSON wire format is
//! not these structs: it is written and read through the views of [`crate::wire`].
//!
//! Data flows one way: [`Article`]s (ingest + segment) → [`Comparison`]s (align + diff) →
//! one [`Report`]. Renderers only read a `Report`; nothing here is computed twice.
//! All offsets are byte offsets into the article text as read (after BOM removal).

use serde::{Deserialize, Serialize};

/// The semantic scorer's model: the name reports give it, and its directory under the data
/// directory.
pub const MODEL_NAME: &str = "all-MiniLM-L6-v2";

/// The scorer that aligned a report's sentences.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ScorerUsed {
    /// Shared terms, IDF-weighted.
    Lexical,
    /// The semantic scorer ([`MODEL_NAME`]).
    Semantic,
    /// The semantic scorer was asked for, but the sentences were over its budget: the lexical
    /// scorer aligned them (a note says so).
    LexicalOverBudget,
}

impl ScorerUsed {
    /// Every scorer, in the order of [`ScorerUsed::name`]'s table.
    pub const ALL: [ScorerUsed; 3] = [
        ScorerUsed::Lexical,
        ScorerUsed::Semantic,
        ScorerUsed::LexicalOverBudget,
    ];

    /// The name reports give it: `lexical`, `semantic (all-MiniLM-L6-v2)` or
    /// `lexical (semantic over budget)`.
    pub fn name(self) -> String {
        match self {
            ScorerUsed::Lexical => "lexical".into(),
            ScorerUsed::Semantic => format!("semantic ({MODEL_NAME})"),
            ScorerUsed::LexicalOverBudget => "lexical (semantic over budget)".into(),
        }
    }

    /// The scorer a report names, if it is one of [`ScorerUsed::ALL`].
    pub fn from_name(name: &str) -> Option<ScorerUsed> {
        ScorerUsed::ALL.into_iter().find(|s| s.name() == name)
    }
}

impl std::fmt::Display for ScorerUsed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.name())
    }
}

/// Version of the JSON document produced by `--format json`; bumped on any breaking change.
pub const SCHEMA_VERSION: u32 = 5;

/// Above this many outlets (base included) a comparison of each article with the base folds
/// copies into their original (`crate::fold`): a copy is compared with its original, not the
/// base, and the views list it under its original instead of repeating a full comparison;
/// quote wording is compared within the aligned pairs only (with a note), and the views name a
/// few outlets per claim and count the rest.
pub const FOLD_OUTLETS: usize = 16;

/// An article's place in [`Report::articles`] (input order): how every part of a report names
/// an article. Labels are display strings (and keys on the JSON wire only).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ArticleId(pub usize);

impl ArticleId {
    /// The index into [`Report::articles`].
    pub fn index(self) -> usize {
        self.0
    }
}

/// A claim's place in [`ClaimGraph::claims`]; its display id is [`Claim::id`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ClaimId(pub usize);

/// A half-open byte range `[start, end)` into one sentence's text (not the article's).
///
/// Spans found while analysing a sentence are of this type, so they cannot be confused with
/// article offsets; [`SentenceSpan::in_sentence`] is the one way to turn one into article
/// bytes, and it checks that the span lies inside the sentence it is applied to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SentenceSpan {
    /// First byte, relative to the sentence's first byte.
    pub start: usize,
    /// One past the last byte, relative to the sentence's first byte.
    pub end: usize,
}

impl SentenceSpan {
    /// A span `[start, end)` of a sentence's text.
    pub fn new(start: usize, end: usize) -> Self {
        SentenceSpan { start, end }
    }

    /// The text this span names in `sentence`, with its article offsets `(start, end)`; `None`
    /// when the span does not lie inside the sentence or cuts a character.
    pub fn in_sentence<'s>(&self, sentence: &'s Sentence) -> Option<(&'s str, usize, usize)> {
        let text = sentence.text.get(self.start..self.end)?;
        Some((text, sentence.start + self.start, sentence.start + self.end))
    }
}

/// One sentence of an article: where it is and what it says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    /// Position of the sentence in its article, from 0.
    pub index: usize,
    /// Paragraph (block of lines between blank lines) the sentence belongs to, from 0.
    pub paragraph: usize,
    /// First byte of the sentence in the article text.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// The original text, exactly `article.text[start..end]`.
    pub text: String,
}

/// Why a piece of text was set aside as site chrome rather than body text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BoilerplateKind {
    /// Page controls, share widgets and rules ("A+ A-", "Share", "Print", "-----").
    Control,
    /// Links to other stories ("Read also: …", "Related: …").
    RelatedLink,
    /// Newsletter and subscription prompts.
    Newsletter,
    /// Photo captions and credits ("Photo: …", "Credit | AA", "… -EPA").
    Caption,
    /// Agency end codes ("(end) as.hm", "(ends)").
    EndCode,
    /// Bylines ("By Elena Teslova"): metadata, kept aside.
    Byline,
    /// Editor and source lines ("Editor: …", "Source Link").
    Credit,
    /// Wire-service slug or header lines ("15:51 01/03/00: Page 1 (HHH) COURTS Diver").
    Slug,
    /// Web pages: site navigation, menus, breadcrumbs, the site's header.
    Navigation,
    /// Web pages: a cookie or consent banner.
    Cookie,
    /// Web pages: an advertisement or sponsored box.
    Advert,
    /// Web pages: a box beside the article (sidebar, widget, `<aside>`).
    Aside,
    /// Web pages: other text outside the article's main content (site footer, comments,
    /// tags, `<noscript>`).
    Page,
    /// Web pages: metadata shown with the article (the `<title>`, a publication time).
    Metadata,
}

/// A piece of text that ingest recognised as site chrome: reported, never silently lost.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Boilerplate {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// What kind of chrome it is.
    pub kind: BoilerplateKind,
    /// The original text.
    pub text: String,
}

/// One outlet's article after ingest and segmentation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Article {
    /// Short name of the outlet (file stem or `--label`).
    pub label: String,
    /// Where it was read from (`-` for standard input).
    pub path: String,
    /// The whole text as read, after BOM removal (in JSON too, so a report read back is
    /// complete: every offset can be checked against it).
    pub text: String,
    /// Body sentences in reading order.
    pub sentences: Vec<Sentence>,
    /// Chrome set aside, in reading order.
    pub boilerplate: Vec<Boilerplate>,
    /// What ingest did that a reader should know (e.g. chrome compared as body text because
    /// nothing else was left); empty for most articles.
    pub notes: Vec<String>,
    /// The day it was published (ISO 8601, `2022-01-14`), where known: the page's stated
    /// publication date, else a date its path names ([`crate::ingest::path_date`]). Grouping
    /// and the base rule read it; it is not part of the JSON report.
    pub date: Option<String>,
    /// The page's canonical address, where a web page states one (annotations target it).
    pub url: Option<String>,
}

impl Article {
    /// The texts of sentences `idx` joined by one space: the side a link's diff is taken of.
    pub fn join(&self, idx: &[usize]) -> String {
        let parts: Vec<&str> = idx
            .iter()
            .filter_map(|&i| self.sentences.get(i))
            .map(|s| s.text.as_str())
            .collect();
        parts.join(" ")
    }

    /// Number of words in the body (for summaries).
    pub fn word_count(&self) -> usize {
        self.sentences
            .iter()
            .map(|s| s.text.split_whitespace().count())
            .sum()
    }
}

/// How two linked groups of sentences relate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LinkKind {
    /// Equal after normalisation.
    Identical,
    /// The same sentence edited or paraphrased.
    Reworded,
    /// They share a claim, but one side carries substantially more.
    Partial,
}

/// One step of a word diff; concatenating `equal`+`delete` texts gives the base side,
/// `equal`+`insert` texts the other side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DiffOp {
    /// Text on both sides.
    Equal,
    /// Text only on the base side.
    Delete,
    /// Text only on the other side.
    Insert,
}

/// A run of original text with its diff operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffChunk {
    /// What happened to this text.
    pub op: DiffOp,
    /// The original text of the run.
    pub text: String,
}

/// Sentences of the base linked to sentences of the other article.
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    /// Identical, reworded or partial.
    pub kind: LinkKind,
    /// Base sentence indices, ascending.
    pub base: Vec<usize>,
    /// Other-article sentence indices, ascending.
    pub other: Vec<usize>,
    /// Similarity in `[0, 1]` that justified the link (rounded to 4 decimals).
    pub score: f64,
    /// Word diff of the base sentences (joined by one space) against the other's.
    pub diff: Vec<DiffChunk>,
    /// Why the diff is not word by word, when a budget applied (it is then one deletion and
    /// one insertion); absent otherwise.
    pub fallback: Option<String>,
}

/// Counts shown in a comparison's one-line summary.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Summary {
    /// Links of kind identical.
    pub identical: usize,
    /// Links of kind reworded.
    pub reworded: usize,
    /// Links of kind partial.
    pub partial: usize,
    /// Sentences only in the other article.
    pub added: usize,
    /// Base sentences the other article lacks.
    pub dropped: usize,
    /// Share of base sentences the other article carries (linked, or in a claim it carries),
    /// in `[0, 1]`.
    pub base_coverage: f64,
}

/// The alignment of one article (other) against another (base): a view of the claim graph.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    /// The base article.
    pub base: ArticleId,
    /// The other article.
    pub other: ArticleId,
    /// Links in base order.
    pub links: Vec<Link>,
    /// Sentence pairs that share a claim without being one link (many-to-many).
    pub related: Vec<Related>,
    /// Possibly covered: for a sentence with no link and no related pair, its best close
    /// pair, for the editor to decide (semantic scorer only).
    pub possible: Vec<Related>,
    /// Other-article sentences with no link whose claim the base does not carry.
    pub added: Vec<usize>,
    /// Base sentences with no link whose claim the other article does not carry.
    pub dropped: Vec<usize>,
    /// Base sentences with no link in this pair whose claim the other article carries all the
    /// same (the claim graph joined them through other pairs): shared, never "only in" the base.
    pub shared_base: Vec<usize>,
    /// Other-article sentences with no link in this pair whose claim the base carries.
    pub shared_other: Vec<usize>,
    /// Counts for the summary line.
    pub summary: Summary,
    /// Budgets that applied while aligning, one line each; absent when none did.
    pub notes: Vec<String>,
}

/// Two sentences that share a claim without being one link: e.g. one outlet's lead and a
/// later sentence of the other that restates part of it. Many-to-many.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Related {
    /// Base sentence index.
    pub base: usize,
    /// Other sentence index.
    pub other: usize,
    /// Cosine similarity of the two sentences' weighted terms, in `[0, 1]`. The pair was
    /// kept because this times both sentences' lead factors reached the `related`
    /// threshold (see `align::Thresholds`).
    pub score: f64,
}

/// What an editorial finding is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FindingKind {
    /// The same remark quoted in different words.
    QuoteWording,
    /// A direct quote only one outlet has.
    QuoteOnlyIn,
    /// One outlet quotes directly what the other paraphrases.
    QuoteToParaphrase,
    /// A quantity differs between linked sentences.
    Number,
    /// A day, date or time differs for the same claim.
    DateTime,
    /// One name spelled more than one way.
    NameSpelling,
    /// The claim is credited to a different source, or credited in one outlet only.
    Attribution,
    /// Certainty changed: a hedge or a loaded reporting verb added or removed.
    Hedge,
    /// A specific claim (with a number or date) carried by one outlet only.
    OnlyIn,
}

/// How urgently an editor should look at a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Could be an error of fact or a misquote.
    High,
    /// Worth checking.
    Medium,
    /// Style or minor.
    Low,
}

/// A sentence of an article.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SentenceRef {
    /// The article.
    pub article: ArticleId,
    /// Sentence index in that article.
    pub index: usize,
}

/// The exact text a finding rests on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evidence {
    /// The article.
    pub article: ArticleId,
    /// Sentence index the text is in: the evidence always lies inside this one sentence.
    pub sentence: usize,
    /// First byte in the article text.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// The text.
    pub text: String,
}

/// A difference an editor should check: the output of the findings stage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Stable id: the same finding gets the same id on every run and when unrelated text
    /// changes (a hash of the kind and the normalised evidence).
    pub id: String,
    /// What it is about.
    pub kind: FindingKind,
    /// How urgent.
    pub severity: Severity,
    /// Outlets involved, in input order.
    pub articles: Vec<ArticleId>,
    /// Sentences involved.
    pub sentences: Vec<SentenceRef>,
    /// The exact evidence, one or more spans per outlet.
    pub evidence: Vec<Evidence>,
    /// One line for a person.
    pub explanation: String,
    /// Word diff between the first two pieces of evidence (quote wording); empty otherwise.
    pub diff: Vec<DiffChunk>,
}

/// One sentence's place in a claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClaimMember {
    /// The article.
    pub article: ArticleId,
    /// Sentence index in that article.
    pub sentence: usize,
    /// The closest link that put this sentence in the claim (identical, reworded, partial);
    /// absent when the claim is one outlet's alone.
    pub kind: Option<LinkKind>,
}

/// A claim of the claim graph: sentences of one or more outlets that report the same thing,
/// found over every pair of articles. Every sentence is in exactly one claim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    /// `c1`, `c2`, … in the order of the base article's sentences, then first appearance.
    pub id: String,
    /// The sentences that carry it, in article order then sentence order.
    pub members: Vec<ClaimMember>,
}

/// How a sentence stands in the claim graph, from every aligned pair of outlets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Standing {
    /// Linked to another outlet's sentence (the closest link kind that put it in its claim).
    Linked(LinkKind),
    /// In a claim of its outlet alone, but some aligned pair gives it a sentence of another
    /// outlet that shares a claim with it (a related pair).
    Related,
    /// In a claim of its outlet alone, but some aligned pair gives it a sentence of another
    /// outlet that possibly covers it (semantic scorer), for the editor to decide.
    Possible,
    /// Nothing in any other outlet.
    Alone,
}

/// The claim graph: every sentence of every outlet in exactly one claim, with the questions
/// every reader asks (findings, the views, the matrix, the JSON). Built once by the engine
/// (or from a report read back); read-only after.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ClaimGraph {
    claims: Vec<Claim>,
    /// Per article, per sentence: its claim.
    claim_of: Vec<Vec<ClaimId>>,
    /// Per claim: the outlets that carry it, in input order, each once.
    outlets: Vec<Vec<ArticleId>>,
    /// Per article, per sentence: how it stands ([`ClaimGraph::kind_of`]), worked out once.
    standing: Vec<Vec<Standing>>,
}

impl ClaimGraph {
    /// The graph of `claims` over articles of `sentences[k]` sentences each, with the
    /// related/possible `tiers` of (article, sentence); `None` when a member names an article or
    /// sentence that does not exist, or a sentence is in no claim or in two.
    pub fn new(
        claims: Vec<Claim>,
        sentences: &[usize],
        tiers: &[(ArticleId, usize, Standing)],
    ) -> Option<ClaimGraph> {
        const NONE: ClaimId = ClaimId(usize::MAX);
        let mut claim_of: Vec<Vec<ClaimId>> = sentences.iter().map(|&n| vec![NONE; n]).collect();
        let mut outlets = Vec::with_capacity(claims.len());
        for (k, c) in claims.iter().enumerate() {
            let mut o: Vec<ArticleId> = Vec::new();
            for m in &c.members {
                let slot = claim_of.get_mut(m.article.0)?.get_mut(m.sentence)?;
                if *slot != NONE {
                    return None;
                }
                *slot = ClaimId(k);
                o.push(m.article);
            }
            o.sort_unstable();
            o.dedup();
            outlets.push(o);
        }
        if claim_of.iter().flatten().any(|&c| c == NONE) {
            return None;
        }
        // A linked sentence stands by its link; any other by its best tier (related over
        // possibly covered), else alone.
        let mut standing: Vec<Vec<Standing>> = sentences
            .iter()
            .map(|&n| vec![Standing::Alone; n])
            .collect();
        for &(a, s, t) in tiers {
            let slot = standing.get_mut(a.0)?.get_mut(s)?;
            *slot = (*slot).min(t);
        }
        for m in claims.iter().flat_map(|c| &c.members) {
            if let Some(k) = m.kind {
                standing[m.article.0][m.sentence] = Standing::Linked(k);
            }
        }
        Some(ClaimGraph {
            claims,
            claim_of,
            outlets,
            standing,
        })
    }

    /// The claims, in id order (`c1`, `c2`, …).
    pub fn claims(&self) -> &[Claim] {
        &self.claims
    }

    /// One claim.
    pub fn claim(&self, c: ClaimId) -> &Claim {
        &self.claims[c.0]
    }

    /// Number of claims.
    pub fn len(&self) -> usize {
        self.claims.len()
    }

    /// Whether there is no claim (a report with no article).
    pub fn is_empty(&self) -> bool {
        self.claims.is_empty()
    }

    /// The claim of sentence `sentence` of `article`; `None` for a sentence that does not
    /// exist.
    pub fn claim_of(&self, article: ArticleId, sentence: usize) -> Option<ClaimId> {
        self.claim_of.get(article.0)?.get(sentence).copied()
    }

    /// The outlets that carry claim `c`, in input order.
    pub fn outlets(&self, c: ClaimId) -> &[ArticleId] {
        &self.outlets[c.0]
    }

    /// Whether `other` carries the claim of sentence `sentence` of `article`.
    pub fn carries(&self, other: ArticleId, article: ArticleId, sentence: usize) -> bool {
        self.claim_of(article, sentence)
            .is_some_and(|c| self.outlets(c).binary_search(&other).is_ok())
    }

    /// The outlets other than `article` that carry the claim of its sentence `sentence`.
    pub fn carriers(&self, article: ArticleId, sentence: usize) -> &[ArticleId] {
        match self.claim_of(article, sentence) {
            Some(c) if self.outlets(c).len() > 1 => self.outlets(c),
            _ => &[],
        }
    }

    /// How sentence `sentence` of `article` stands: linked (how), related or possibly
    /// covered in some aligned pair, or alone.
    pub fn kind_of(&self, article: ArticleId, sentence: usize) -> Standing {
        self.standing
            .get(article.0)
            .and_then(|v| v.get(sentence))
            .copied()
            .unwrap_or(Standing::Alone)
    }

    /// The sentences of `article` in claim `c`, ascending.
    pub fn sentences_in(&self, c: ClaimId, article: ArticleId) -> Vec<usize> {
        self.claims[c.0]
            .members
            .iter()
            .filter(|m| m.article == article)
            .map(|m| m.sentence)
            .collect()
    }
}

/// Everything one `compare` run found; the single input of every renderer.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// [`SCHEMA_VERSION`].
    pub version: u32,
    /// The articles, in input order.
    pub articles: Vec<Article>,
    /// One entry per compared pair: the view asked for (each article against the base, or
    /// every pair).
    pub comparisons: Vec<Comparison>,
    /// Above [`crate::FOLD_OUTLETS`] outlets, the copy clusters folded into their originals
    /// (the fold stage): each copy is then compared with its original instead of the base
    /// (its comparison is in `comparisons`, with the original as its base). Empty otherwise.
    pub copies: Vec<CopyCluster>,
    /// The base article: the one each other article is compared with (with `--all-pairs`,
    /// the one claims are ordered by).
    pub base: ArticleId,
    /// The claim graph over all outlets (every pair aligned, whatever the view): the one
    /// read model every view, finding and renderer reads.
    pub claims: ClaimGraph,
    /// Editorial findings, most severe first, without those dismissed with `--accept`.
    pub findings: Vec<Finding>,
    /// How many findings `--accept` dismissed.
    pub dismissed: usize,
    /// Which scorer aligned the sentences; `None` for a report read back that does not say.
    pub scorer: Option<ScorerUsed>,
    /// Budgets that applied to the claim graph and the findings, said rather than silent; empty
    /// for most reports.
    pub notes: Vec<String>,
}

impl Report {
    /// The article `id` names.
    pub fn article(&self, id: ArticleId) -> &Article {
        &self.articles[id.0]
    }

    /// The display label of article `id`.
    pub fn label(&self, id: ArticleId) -> &str {
        &self.articles[id.0].label
    }

    /// The display labels of `ids`, in order.
    pub fn labels(&self, ids: &[ArticleId]) -> Vec<&str> {
        ids.iter().map(|&id| self.label(id)).collect()
    }

    /// The id of the article labelled `label` (labels are unique in a report), if any: for a
    /// caller holding a label a person typed, never for report data.
    pub fn find(&self, label: &str) -> Option<ArticleId> {
        self.articles
            .iter()
            .position(|a| a.label == label)
            .map(ArticleId)
    }

    /// Every note a reader should see, one line each, in a fixed order: the articles' (ingest),
    /// each comparison's (aligner budgets) and its links' diff fallbacks, then the report's own
    /// (claim graph and findings budgets).
    pub fn all_notes(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .articles
            .iter()
            .flat_map(|a| a.notes.iter().map(move |n| format!("{}: {n}", a.label)))
            .collect();
        for c in &self.comparisons {
            for n in &c.notes {
                out.push(format!(
                    "{} against {}: {n}",
                    self.label(c.other),
                    self.label(c.base)
                ));
            }
            for l in &c.links {
                if let Some(why) = &l.fallback {
                    // Sentences are numbered from 1 for a reader, as in the checklist.
                    let first = l.base.first().map_or(1, |i| i + 1);
                    let (o, b) = (self.label(c.other), self.label(c.base));
                    out.push(format!("{o} against {b}, {b} sentence {first}: {why}"));
                }
            }
        }
        out.extend(self.notes.iter().cloned());
        out
    }
}

/// One copy of an original, and how much it changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Copy {
    /// Index of the copy (input order).
    pub member: usize,
    /// Its label.
    pub label: String,
    /// Jaccard similarity of its shingles with the original's (1 = the same words).
    pub similarity: f64,
    /// Share of the original's shingles the copy does not have (text dropped or rewritten).
    pub dropped: f64,
    /// Share of the copy's shingles the original does not have (text added or rewritten).
    pub added: f64,
}

/// A cluster of articles that are copies of one another.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CopyCluster {
    /// Index of the original: the earliest member by stated date, else by input order.
    pub original: usize,
    /// Its label.
    pub label: String,
    /// Its stated date, when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// The other members, in input order.
    pub copies: Vec<Copy>,
}
