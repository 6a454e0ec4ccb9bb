//! Findings: the differences an editor should check, read off the alignment and the claim
//! graph (never another alignment pass).
//!
//! - The outlets that carry a claim are compared for quantities
//!   ([`Number`](FindingKind::Number)) and days and dates, all of them in one finding (a
//!   time stamp, "Published: July 29, 2004", dates the writing, not the claim, and is left
//!   out); linked
//!   sentences of the compared pairs for hedges and loaded reporting verbs, and sources
//!   (attribution).
//! - Quotes are found in every article and matched across outlets by content words: the same
//!   remark in other words is `quote-wording`; a quote no other outlet has is
//!   `quote-only-in`, or `quote-to-paraphrase` when outlets sharing its claim report it
//!   without the quote.
//! - Names spelled two ways, across outlets or inside one article, are `name-spelling`.
//! - A sentence with a number or a date whose claim no other outlet carries is `only-in`, high
//!   when nobody is credited with it.
//!
//! Each finding's id hashes its kind and normalised evidence, so it survives reruns and edits
//! elsewhere in the articles.

pub mod names;

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::ops::Deref;

use rustc_hash::FxHashMap;

use crate::analyse::{facts, quotes, Analysis};
use crate::diff;
use crate::model::{
    Article, ArticleId, Claim, ClaimGraph, Comparison, Evidence, Finding, FindingKind, LinkKind,
    SentenceRef, SentenceSpan, Severity, Standing,
};

/// An article with its id: what evidence names.
#[derive(Clone, Copy)]
struct Art<'a> {
    id: ArticleId,
    article: &'a Article,
}

impl Deref for Art<'_> {
    type Target = Article;
    fn deref(&self) -> &Article {
        self.article
    }
}

/// Article `k` of `articles` with its id.
fn art(articles: &[Article], k: usize) -> Art<'_> {
    Art {
        id: ArticleId(k),
        article: &articles[k],
    }
}

/// Whether sentence `s` of `a` shares its claim with another outlet, or some aligned pair
/// gives it a related or possibly-covering sentence of another outlet: then it is not "only"
/// in its outlet.
fn partnered(graph: &ClaimGraph, a: ArticleId, s: usize) -> bool {
    !graph.carriers(a, s).is_empty() || graph.kind_of(a, s) != Standing::Alone
}

use crate::normalize::{self, fnv1a};
use facts::{DateKind, Facts};

/// A content stem found in more quotes (or pieces of one quote) than this is not used to
/// find quote pairs: it is too common to tell remarks apart, and two long lists would cost
/// their product. When it applies, the report says so.
pub const QUOTE_STEM_BUDGET: usize = 64;

/// Quotes match when this share of the smaller quote's content words is in the other.
pub const QUOTE_MATCH: f64 = 0.5;

/// Hedges that mark a claim as unconfirmed (others are modal verbs: lower severity).
const STRONG_HEDGES: &[&str] = &[
    "reportedly",
    "allegedly",
    "apparently",
    "purportedly",
    "supposedly",
    "unconfirmed",
    "alleged",
    "is said to",
    "are said to",
    "is believed to",
    "are believed to",
    "sources say",
];

/// The short prefix of a kind in finding ids.
fn id_prefix(kind: FindingKind) -> &'static str {
    match kind {
        FindingKind::QuoteWording => "qw",
        FindingKind::QuoteOnlyIn => "qo",
        FindingKind::QuoteToParaphrase => "qp",
        FindingKind::Number => "nu",
        FindingKind::DateTime => "dt",
        FindingKind::NameSpelling => "ns",
        FindingKind::Attribution => "at",
        FindingKind::Hedge => "he",
        FindingKind::OnlyIn => "oi",
    }
}

/// A finding's id: kind and the sorted, normalised (label, text) evidence.
fn finding_id(kind: FindingKind, evidence: &[Evidence], articles: &[Article]) -> String {
    let mut parts: Vec<String> = evidence
        .iter()
        .map(|e| {
            let label = articles.get(e.article.0).map_or("", |a| a.label.as_str());
            format!("{label}\u{1f}{}", normalize::fold(&e.text))
        })
        .collect();
    parts.sort();
    parts.dedup();
    let key = format!("{kind:?}\u{1e}{}", parts.join("\u{1e}"));
    format!(
        "{}-{:010x}",
        id_prefix(kind),
        fnv1a(key.as_bytes()) & 0xff_ffff_ffff
    )
}

struct Builder<'a> {
    /// The articles (labels for finding ids).
    articles: &'a [Article],
    out: Vec<Finding>,
    seen: HashSet<String>,
    /// Budgets that applied, for the report's notes.
    notes: Vec<String>,
}

impl Builder<'_> {
    /// Take `other`'s findings (those whose id is new here) and notes after this one's.
    fn absorb(&mut self, other: Builder) {
        for f in other.out {
            if self.seen.insert(f.id.clone()) {
                self.out.push(f);
            }
        }
        self.notes.extend(other.notes);
    }

    fn push(
        &mut self,
        kind: FindingKind,
        severity: Severity,
        evidence: Vec<Evidence>,
        explanation: String,
        diff: Vec<crate::model::DiffChunk>,
    ) {
        if evidence.is_empty() {
            return;
        }
        let id = finding_id(kind, &evidence, self.articles);
        if !self.seen.insert(id.clone()) {
            return;
        }
        let mut articles: Vec<ArticleId> = evidence.iter().map(|e| e.article).collect();
        articles.sort_unstable();
        articles.dedup();
        let mut sentences: Vec<SentenceRef> = evidence
            .iter()
            .map(|e| SentenceRef {
                article: e.article,
                index: e.sentence,
            })
            .collect();
        sentences.sort_unstable();
        sentences.dedup();
        self.out.push(Finding {
            id,
            kind,
            severity,
            articles,
            sentences,
            evidence,
            explanation,
            diff,
        });
    }
}

/// The evidence `span` names in sentence `sentence` of `a`: exactly those bytes of that
/// sentence, or `None` when the span does not lie inside it (never another sentence's words).
fn evidence(a: Art, sentence: usize, span: SentenceSpan) -> Option<Evidence> {
    let s = a.sentences.get(sentence)?;
    let (text, start, end) = span.in_sentence(s)?;
    Some(Evidence {
        article: a.id,
        sentence,
        start,
        end,
        text: text.to_string(),
    })
}

fn whole_sentence(a: Art, sentence: usize) -> Option<Evidence> {
    let s = a.sentences.get(sentence)?;
    evidence(a, sentence, SentenceSpan::new(0, s.text.len()))
}

/// Compute the findings of a report's articles, comparisons and claim graph (e.g. of a report
/// read back from JSON), analysing each article first.
pub fn find(articles: &[Article], comparisons: &[Comparison], claims: &ClaimGraph) -> Vec<Finding> {
    let analyses: Vec<Analysis> = articles.iter().map(crate::analyse::analyse).collect();
    find_with_notes(articles, &analyses, comparisons, claims).0
}

/// [`find`] on articles already analysed (`analyses[k]` is of `articles[k]`), with a note
/// for each budget that applied (so none is silent).
pub(crate) fn find_with_notes(
    articles: &[Article],
    analyses: &[Analysis],
    comparisons: &[Comparison],
    claims: &ClaimGraph,
) -> (Vec<Finding>, Vec<String>) {
    find_with_pairs(articles, analyses, comparisons, claims, None, None)
}

/// [`find_with_notes`], pairing quotes only within `quote_pairs` (article indices, either
/// order) when given, instead of within every pair of articles: with many outlets every pair
/// would cost the square of their number. `graph_pairs`, when given, are the only pairs the
/// claim graph was built from: "only X has this" then names only the outlets aligned with X.
pub(crate) fn find_with_pairs(
    articles: &[Article],
    analyses: &[Analysis],
    comparisons: &[Comparison],
    claims: &ClaimGraph,
    quote_pairs: Option<&[(usize, usize)]>,
    graph_pairs: Option<&[(usize, usize)]>,
) -> (Vec<Finding>, Vec<String>) {
    // Analyses that are not of these articles (one per article, one entry per sentence)
    // are not trusted: the articles are analysed again.
    let fits = analyses.len() == articles.len()
        && articles.iter().zip(analyses).all(|(a, an)| {
            an.tokens.len() == a.sentences.len() && an.facts.len() == a.sentences.len()
        });
    let fresh: Vec<Analysis>;
    let analyses = if fits {
        analyses
    } else {
        fresh = articles.iter().map(crate::analyse::analyse).collect();
        &fresh
    };

    let facts: Vec<&[Facts]> = analyses.iter().map(|an| an.facts.as_slice()).collect();
    let builder = || Builder {
        articles,
        out: Vec::new(),
        seen: HashSet::new(),
        notes: Vec::new(),
    };
    // Links and claims, quotes, and names are looked at in parallel, each into its own
    // builder; they are put together in that order, so the first of two findings with one
    // id is the one kept, as if they had run one after another.
    let per_link_and_claim = || {
        let mut b = builder();
        for c in comparisons {
            let (ib, io) = (c.base.0, c.other.0);
            if ib >= articles.len() || io >= articles.len() {
                continue;
            }
            let (base, other) = (art(articles, ib), art(articles, io));
            let (fa, fo) = (&analyses[ib].facts, &analyses[io].facts);
            for link in &c.links {
                if link.kind == LinkKind::Identical {
                    continue;
                }
                let side_a: Vec<(usize, &Facts)> = link.base.iter().map(|&i| (i, &fa[i])).collect();
                let side_b: Vec<(usize, &Facts)> =
                    link.other.iter().map(|&j| (j, &fo[j])).collect();
                compare_hedges(&mut b, base, other, &side_a, &side_b);
                compare_sources(
                    &mut b,
                    [(base, &analyses[ib].tokens), (other, &analyses[io].tokens)],
                    &side_a,
                    &side_b,
                    link.kind,
                );
            }
        }
        for claim in claims.claims() {
            let sides = claim_sides(articles, claim, &facts);
            if sides.len() >= 2 {
                claim_numbers(&mut b, &sides);
                claim_dates(&mut b, &sides);
            }
        }
        b
    };
    let quote_pairs: Vec<(usize, usize)> = match quote_pairs {
        Some(p) => {
            let mut p: Vec<(usize, usize)> = p
                .iter()
                .filter(|&&(x, y)| x != y && x.max(y) < articles.len())
                .map(|&(x, y)| (x.min(y), x.max(y)))
                .collect();
            p.sort_unstable();
            p.dedup();
            p
        }
        None => (0..articles.len())
            .flat_map(|x| (x + 1..articles.len()).map(move |y| (x, y)))
            .collect(),
    };
    let ((mut b, by_quotes), by_names) = rayon::join(
        || {
            rayon::join(per_link_and_claim, || {
                let mut q = builder();
                quote_findings(
                    &mut q,
                    articles,
                    analyses,
                    claims,
                    &quote_pairs,
                    graph_pairs.is_some(),
                );
                q
            })
        },
        || {
            let mut n = builder();
            name_findings(&mut n, articles, analyses);
            n
        },
    );
    b.absorb(by_quotes);
    b.absorb(by_names);
    only_in_findings(&mut b, articles, claims, &facts, graph_pairs);
    let mut out = std::mem::take(&mut b.out);
    out.sort_by(|x, y| {
        let key = |f: &Finding| {
            let first = f.sentences.first();
            (
                f.severity,
                f.kind,
                first.map_or(usize::MAX, |s| s.article.0),
                first.map_or(0, |s| s.index),
            )
        };
        key(x).cmp(&key(y)).then_with(|| x.id.cmp(&y.id))
    });
    (out, b.notes)
}

/// One outlet's part in a claim: its article and its sentences' facts.
struct Side<'a> {
    article: Art<'a>,
    sentences: Vec<(usize, &'a Facts)>,
}

/// The outlets carrying `claim`, in input order, each with its sentences' facts.
fn claim_sides<'a>(articles: &'a [Article], claim: &Claim, facts: &[&'a [Facts]]) -> Vec<Side<'a>> {
    // The members by article, in input order (a claim's members are few next to the
    // articles of a big comparison: look them up, do not scan every article per claim).
    let mut by_article: BTreeMap<usize, Vec<(usize, &'a Facts)>> = BTreeMap::new();
    for m in &claim.members {
        let a = m.article.0;
        let Some(f) = facts.get(a).and_then(|fa| fa.get(m.sentence)) else {
            continue;
        };
        by_article.entry(a).or_default().push((m.sentence, f));
    }
    by_article
        .into_iter()
        .map(|(a, sentences)| Side {
            article: art(articles, a),
            sentences,
        })
        .collect()
}

/// "kuna says "two rounds", epa says "two rounds", brasov says "three rounds"": each outlet's
/// evidence texts, quoted.
fn says(sides: &[&Side], ev: &[Evidence]) -> String {
    sides
        .iter()
        .map(|s| {
            let texts: Vec<String> = ev
                .iter()
                .filter(|e| e.article == s.article.id)
                .map(|e| format!("\"{}\"", e.text))
                .collect();
            format!("{} says {}", s.article.label, texts.join(", "))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// A quantity of one thing (same unit) that differs between the outlets carrying a claim:
/// high when the values differ, medium when only the modifier does ("more than 100,000").
fn claim_numbers(b: &mut Builder, sides: &[Side]) {
    type ByUnit = BTreeMap<String, Vec<(usize, facts::Quantity)>>;
    let per_side: Vec<ByUnit> = sides
        .iter()
        .map(|side| {
            let mut m: ByUnit = BTreeMap::new();
            for (i, f) in &side.sentences {
                for q in &f.quantities {
                    if !q.unit.is_empty() {
                        m.entry(q.unit.clone()).or_default().push((*i, q.clone()));
                    }
                }
            }
            m
        })
        .collect();
    let units: BTreeSet<&String> = per_side.iter().flat_map(|m| m.keys()).collect();
    for unit in units {
        let having: Vec<(usize, &Vec<(usize, facts::Quantity)>)> = per_side
            .iter()
            .enumerate()
            .filter_map(|(k, m)| m.get(unit).map(|v| (k, v)))
            .collect();
        if having.len() < 2 {
            continue;
        }
        let full = |v: &Vec<(usize, facts::Quantity)>| -> BTreeSet<(&'static str, String)> {
            v.iter()
                .map(|(_, q)| (q.modifier, q.value.clone()))
                .collect()
        };
        let bare = |v: &Vec<(usize, facts::Quantity)>| -> BTreeSet<String> {
            v.iter().map(|(_, q)| q.value.clone()).collect()
        };
        let first = full(having[0].1);
        if having.iter().all(|(_, v)| full(v) == first) {
            continue;
        }
        let first_bare = bare(having[0].1);
        let severity = if having.iter().all(|(_, v)| bare(v) == first_bare) {
            Severity::Medium
        } else {
            Severity::High
        };
        let ev: Vec<Evidence> = having
            .iter()
            .flat_map(|(k, v)| {
                let a = sides[*k].article;
                v.iter().filter_map(move |(i, q)| evidence(a, *i, q.span))
            })
            .collect();
        let who: Vec<&Side> = having.iter().map(|(k, _)| &sides[*k]).collect();
        let explanation = format!("number differs: {}", says(&who, &ev));
        b.push(FindingKind::Number, severity, ev, explanation, Vec::new());
    }
}

/// A weekday, date or year of the same kind that two outlets carrying a claim give with no
/// value in common.
fn claim_dates(b: &mut Builder, sides: &[Side]) {
    for kind in [DateKind::Weekday, DateKind::MonthDay, DateKind::Year] {
        let having: Vec<(&Side, Vec<(usize, facts::DateRef)>)> = sides
            .iter()
            .map(|side| {
                let ds: Vec<(usize, facts::DateRef)> = side
                    .sentences
                    .iter()
                    .flat_map(|(i, f)| {
                        f.dates
                            .iter()
                            .filter(|d| d.kind == kind && !d.stamped)
                            .map(move |d| (*i, d.clone()))
                    })
                    .collect();
                (side, ds)
            })
            .filter(|(_, ds)| !ds.is_empty())
            .collect();
        if having.len() < 2 {
            continue;
        }
        let values: Vec<BTreeSet<&str>> = having
            .iter()
            .map(|(_, ds)| ds.iter().map(|(_, d)| d.value.as_str()).collect())
            .collect();
        let clash = values
            .iter()
            .enumerate()
            .any(|(x, vx)| values[x + 1..].iter().any(|vy| vx.is_disjoint(vy)));
        if !clash {
            continue;
        }
        let ev: Vec<Evidence> = having
            .iter()
            .flat_map(|(side, ds)| {
                ds.iter()
                    .filter_map(|(i, d)| evidence(side.article, *i, d.span))
            })
            .collect();
        let explanation = format!(
            "date or day differs for the same claim: {}",
            having
                .iter()
                .zip(&values)
                .map(|((side, _), v)| format!(
                    "{} says {}",
                    side.article.label,
                    v.iter().copied().collect::<Vec<_>>().join(", ")
                ))
                .collect::<Vec<_>>()
                .join(", ")
        );
        b.push(
            FindingKind::DateTime,
            Severity::Medium,
            ev,
            explanation,
            Vec::new(),
        );
    }
}

fn compare_hedges(
    b: &mut Builder,
    base: Art,
    other: Art,
    side_a: &[(usize, &Facts)],
    side_b: &[(usize, &Facts)],
) {
    let words = |side: &[(usize, &Facts)], pick: fn(&Facts) -> &Vec<facts::Marker>| {
        side.iter()
            .flat_map(|(i, f)| pick(f).iter().map(move |m| (*i, m.clone())))
            .collect::<Vec<_>>()
    };
    let (ha, hb) = (words(side_a, |f| &f.hedges), words(side_b, |f| &f.hedges));
    let set = |v: &[(usize, facts::Marker)]| -> BTreeSet<String> {
        v.iter().map(|(_, m)| m.word.clone()).collect()
    };
    let (sa, sb) = (set(&ha), set(&hb));
    let only_a: Vec<&String> = sa.difference(&sb).collect();
    let only_b: Vec<&String> = sb.difference(&sa).collect();
    if !only_a.is_empty() || !only_b.is_empty() {
        let strong = only_a
            .iter()
            .chain(&only_b)
            .any(|w| STRONG_HEDGES.contains(&w.as_str()));
        let ev: Vec<Evidence> = ha
            .iter()
            .filter(|(_, m)| only_a.contains(&&m.word))
            .filter_map(|(i, m)| evidence(base, *i, m.span))
            .chain(
                hb.iter()
                    .filter(|(_, m)| only_b.contains(&&m.word))
                    .filter_map(|(j, m)| evidence(other, *j, m.span)),
            )
            .collect();
        let mut parts = Vec::new();
        if !only_a.is_empty() {
            parts.push(format!(
                "only {} hedges with {}",
                base.label,
                quoted(&only_a)
            ));
        }
        if !only_b.is_empty() {
            parts.push(format!(
                "only {} hedges with {}",
                other.label,
                quoted(&only_b)
            ));
        }
        let severity = if strong {
            Severity::Medium
        } else {
            Severity::Low
        };
        b.push(
            FindingKind::Hedge,
            severity,
            ev,
            format!("certainty differs: {}", parts.join("; ")),
            Vec::new(),
        );
    }
    // Loaded reporting verbs on one side where the other only reports.
    let (va, vb) = (words(side_a, |f| &f.verbs), words(side_b, |f| &f.verbs));
    let loaded = |v: &[(usize, facts::Marker)]| -> Vec<(usize, facts::Marker)> {
        v.iter()
            .filter(|(_, m)| facts::LOADED_VERBS.contains(&m.word.as_str()))
            .cloned()
            .collect()
    };
    let neutral_only = |v: &[(usize, facts::Marker)]| {
        !v.is_empty()
            && v.iter()
                .all(|(_, m)| facts::NEUTRAL_VERBS.contains(&m.word.as_str()))
    };
    for (la, lab, lother, art, oart) in [
        (loaded(&va), &base.label, neutral_only(&vb), base, other),
        (loaded(&vb), &other.label, neutral_only(&va), other, base),
    ] {
        if la.is_empty() || !lother {
            continue;
        }
        let words: Vec<&String> = la.iter().map(|(_, m)| &m.word).collect();
        let ev: Vec<Evidence> = la
            .iter()
            .filter_map(|(i, m)| evidence(art, *i, m.span))
            .collect();
        b.push(
            FindingKind::Hedge,
            Severity::Low,
            ev,
            format!(
                "{lab} reports with {} where {} only says it was said",
                quoted(&words),
                oart.label
            ),
            Vec::new(),
        );
    }
}

fn quoted(words: &[&String]) -> String {
    words
        .iter()
        .map(|w| format!("\"{w}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `articles` are the base and the other article of the link, each with its sentences'
/// tokens.
fn compare_sources(
    b: &mut Builder,
    articles: [(Art, &[Vec<normalize::Token>]); 2],
    side_a: &[(usize, &Facts)],
    side_b: &[(usize, &Facts)],
    kind: LinkKind,
) {
    let [(base, base_tokens), (other, other_tokens)] = articles;
    let sources = |side: &[(usize, &Facts)]| -> Vec<(usize, facts::Source)> {
        side.iter()
            .flat_map(|(i, f)| {
                f.sources
                    .iter()
                    .filter(|s| !s.keys.is_empty())
                    .map(move |s| (*i, s.clone()))
            })
            .collect()
    };
    let has_verbs = |side: &[(usize, &Facts)]| side.iter().any(|(_, f)| !f.verbs.is_empty());
    let (sa, sb) = (sources(side_a), sources(side_b));
    let keys = |v: &[(usize, facts::Source)]| -> BTreeSet<String> {
        v.iter().flat_map(|(_, s)| s.keys.iter().cloned()).collect()
    };
    let (ka, kb) = (keys(&sa), keys(&sb));
    let names = |v: &[(usize, facts::Source)]| {
        let mut n: Vec<String> = v.iter().map(|(_, s)| s.display()).collect();
        n.dedup();
        n.join(", ")
    };
    if !sa.is_empty() && !sb.is_empty() {
        let matched = ka
            .iter()
            .any(|x| kb.iter().any(|y| normalize::names_match(x, y)));
        if !matched {
            let ev: Vec<Evidence> = sa
                .iter()
                .filter_map(|(i, s)| evidence(base, *i, s.span))
                .chain(sb.iter().filter_map(|(j, s)| evidence(other, *j, s.span)))
                .collect();
            let severity = if kind == LinkKind::Partial {
                Severity::Medium
            } else {
                Severity::High
            };
            b.push(
                FindingKind::Attribution,
                severity,
                ev,
                format!(
                    "credited to different sources: {} cites {}, {} cites {}",
                    base.label,
                    names(&sa),
                    other.label,
                    names(&sb)
                ),
                Vec::new(),
            );
        }
        return;
    }
    for (src, art, bare_side, bare_art, bare_tokens) in [
        (&sa, base, side_b, other, other_tokens),
        (&sb, other, side_a, base, base_tokens),
    ] {
        if src.is_empty() || has_verbs(bare_side) || bare_side.is_empty() {
            continue;
        }
        // Headlines never carry attribution; a side that names the source is attributed.
        let src_keys = keys(src);
        let bare_is_claim = bare_side.iter().all(|(j, _)| {
            let text = &bare_art.sentences[*j].text;
            let headline = !text.trim_end().ends_with(['.', '!', '?', '"', '\u{201d}']);
            let names_source = bare_tokens[*j]
                .iter()
                .any(|t| src_keys.contains(&normalize::name_key(&t.norm)));
            !headline && !names_source
        });
        if !bare_is_claim {
            continue;
        }
        let ev: Vec<Evidence> = src
            .iter()
            .filter_map(|(i, s)| evidence(art, *i, s.span))
            .chain(
                bare_side
                    .iter()
                    .filter_map(|(j, _)| whole_sentence(bare_art, *j)),
            )
            .collect();
        b.push(
            FindingKind::Attribution,
            Severity::Medium,
            ev,
            format!(
                "{} credits this to {}; {} states it as fact",
                art.label,
                names(src),
                bare_art.label
            ),
            Vec::new(),
        );
    }
}

/// A quote's sentence pieces, each with its content stems.
type QuotePieces = Vec<(quotes::Quote, BTreeSet<String>)>;

/// For each content stem, the items (ascending) whose stems hold it. Stems in more than 64
/// items are left out: too common to find a match by, and they would make two long lists
/// cost their product.
fn stem_index<'a, I, S>(items: I, dropped: &mut usize) -> FxHashMap<&'a str, Vec<usize>>
where
    I: IntoIterator<Item = S>,
    S: IntoIterator<Item = &'a str>,
{
    let mut index: FxHashMap<&str, Vec<usize>> = FxHashMap::default();
    for (k, stems) in items.into_iter().enumerate() {
        for st in stems.into_iter().collect::<BTreeSet<_>>() {
            index.entry(st).or_default().push(k);
        }
    }
    let before = index.len();
    index.retain(|_, v| v.len() <= QUOTE_STEM_BUDGET);
    *dropped += before - index.len();
    index
}

/// The best-matching pair of pieces of two quotes, (score, piece of `pi`, piece of `pj`), when
/// it reaches [`QUOTE_MATCH`]; of equal scores the first pair in (piece of `pi`, piece of `pj`)
/// order wins. `ii` and `ij` are the quotes' piece indexes ([`stem_index`]): only pieces
/// sharing an indexed stem are scored, walking the quote with fewer pieces, so a long quote
/// costs about the length of the shorter one each time it is met.
fn best_piece_pair(
    pi: &QuotePieces,
    ii: &FxHashMap<&str, Vec<usize>>,
    pj: &QuotePieces,
    ij: &FxHashMap<&str, Vec<usize>>,
) -> Option<(f64, usize, usize)> {
    let swap = pj.len() < pi.len();
    let (small, large_index) = if swap { (pj, ii) } else { (pi, ij) };
    let mut best: Option<(f64, usize, usize)> = None;
    for (k, (_, stems)) in small.iter().enumerate() {
        let near: BTreeSet<usize> = stems
            .iter()
            .filter_map(|st| large_index.get(st.as_str()))
            .flatten()
            .copied()
            .collect();
        for l in near {
            let (a, b) = if swap { (l, k) } else { (k, l) };
            let s = quotes::match_score(&pi[a].1, &pj[b].1);
            let better = best.is_none_or(|(bs, ba, bb)| s > bs || (s == bs && (a, b) < (ba, bb)));
            if s >= QUOTE_MATCH && better {
                best = Some((s, a, b));
            }
        }
    }
    best
}

fn quote_findings(
    b: &mut Builder,
    articles: &[Article],
    analyses: &[Analysis],
    graph: &ClaimGraph,
    pairs: &[(usize, usize)],
    graph_partial: bool,
) {
    let quotes: Vec<&[quotes::Quote]> = analyses.iter().map(|an| an.quotes.as_slice()).collect();
    // Each quote's sentence pieces with their content stems: remarks are matched piece by
    // piece, so a long quote matches the one remark another outlet carries.
    let pieces: Vec<Vec<QuotePieces>> = quotes
        .iter()
        .zip(articles)
        .map(|(qs, a)| {
            qs.iter()
                .map(|q| {
                    q.pieces(a)
                        .into_iter()
                        .map(|p| {
                            let st = p.stems();
                            (p, st)
                        })
                        .collect()
                })
                .collect()
        })
        .collect();
    // Each quote's pieces indexed by stem, once.
    let mut dropped = 0;
    let piece_index: Vec<Vec<FxHashMap<&str, Vec<usize>>>> = pieces
        .iter()
        .map(|qs| {
            qs.iter()
                .map(|q| {
                    stem_index(
                        q.iter().map(|(_, st)| st.iter().map(String::as_str)),
                        &mut dropped,
                    )
                })
                .collect()
        })
        .collect();
    // Each article's quotes indexed by stem, once (not once per pair of articles).
    let quote_index: Vec<FxHashMap<&str, Vec<usize>>> = pieces
        .iter()
        .map(|qs| {
            stem_index(
                qs.iter()
                    .map(|q| q.iter().flat_map(|(_, st)| st.iter().map(String::as_str))),
                &mut dropped,
            )
        })
        .collect();
    let mut matched: Vec<Vec<bool>> = quotes.iter().map(|q| vec![false; q.len()]).collect();
    for &(x, y) in pairs {
        {
            // Best pairs first, each quote used once per article pair. Only quotes sharing a
            // content stem are compared (stems in very many quotes are not used as keys).
            let index = &quote_index[y];
            let mut cands = Vec::new();
            for (i, pi) in pieces[x].iter().enumerate() {
                let near: BTreeSet<usize> = pi
                    .iter()
                    .flat_map(|(_, st)| st.iter())
                    .filter_map(|st| index.get(st.as_str()))
                    .flatten()
                    .copied()
                    .collect();
                for j in near {
                    let (ii, ij) = (&piece_index[x][i], &piece_index[y][j]);
                    if let Some((s, a, b)) = best_piece_pair(pi, ii, &pieces[y][j], ij) {
                        cands.push((s, i, j, a, b));
                    }
                }
            }
            cands.sort_by(|p, q| q.0.total_cmp(&p.0).then((p.1, p.2).cmp(&(q.1, q.2))));
            let (mut used_x, mut used_y) = (HashSet::new(), HashSet::new());
            for (_, i, j, pa, pb) in cands {
                if !used_x.insert(i) || !used_y.insert(j) {
                    continue;
                }
                matched[x][i] = true;
                matched[y][j] = true;
                let (qa, qb) = (&pieces[x][i][pa].0, &pieces[y][j][pb].0);
                let words = |q: &quotes::Quote| -> Vec<String> {
                    normalize::tokens(&q.text)
                        .into_iter()
                        .map(|t| t.norm)
                        .collect()
                };
                let (wa, wb) = (words(qa), words(qb));
                if wa == wb {
                    continue;
                }
                // One outlet quoting a run of the other's quote word for word cut the quote;
                // it did not reword it.
                let cut = if contains_run(&wa, &wb) {
                    Some((y, x))
                } else if contains_run(&wb, &wa) {
                    Some((x, y))
                } else {
                    None
                };
                let d = diff::word_diff(&qa.text, &qb.text);
                let mut ev = quote_evidence(art(articles, x), qa);
                ev.extend(quote_evidence(art(articles, y), qb));
                let changed_numbers = {
                    let nums = |q: &quotes::Quote| -> BTreeSet<String> {
                        normalize::tokens(&q.text)
                            .into_iter()
                            .filter(|t| {
                                t.class == normalize::TokenClass::Number
                                    || matches!(t.norm.as_str(), "not" | "no" | "never")
                            })
                            .map(|t| t.stem)
                            .collect()
                    };
                    nums(qa) != nums(qb)
                };
                let severity = if changed_numbers && cut.is_none() {
                    Severity::High
                } else {
                    Severity::Medium
                };
                let explanation = match cut {
                    Some((short, long)) => format!(
                        "{} quotes only part of the remark {} quotes",
                        articles[short].label, articles[long].label
                    ),
                    None => format!(
                        "{} and {} quote the same remark in different words",
                        articles[x].label, articles[y].label
                    ),
                };
                b.push(FindingKind::QuoteWording, severity, ev, explanation, d);
            }
        }
    }
    if dropped > 0 {
        b.notes.push(format!(
            "quote matching: {dropped} word(s) found in over {QUOTE_STEM_BUDGET} quotes were not used to pair quotes (too common); a match resting only on them is not reported"
        ));
    }
    // Quotes no other outlet has: quoted here, and reported without the quote by the outlets
    // whose sentences share its claim, or by none. When quotes were paired within some pairs
    // of articles only, an outlet not paired with this one is not said to lack the quote.
    let n = articles.len();
    let every_pair = pairs.len() >= n * n.saturating_sub(1) / 2;
    let mut partners: Vec<HashSet<ArticleId>> = vec![HashSet::new(); n];
    if !every_pair {
        for &(x, y) in pairs {
            partners[x].insert(ArticleId(y));
            partners[y].insert(ArticleId(x));
        }
    }
    let mut unchecked = 0usize;
    for (x, qs) in quotes.iter().enumerate() {
        if articles.len() < 2 {
            break;
        }
        for (i, q) in qs.iter().enumerate() {
            if matched[x][i] {
                continue;
            }
            let label = &articles[x].label;
            let mut linked_to: Vec<ArticleId> = Vec::new();
            let mut elsewhere = false;
            for &s in &q.sentences {
                for &o in graph.carriers(ArticleId(x), s) {
                    if o.0 == x {
                        continue;
                    }
                    elsewhere = true;
                    if (every_pair || partners[x].contains(&o)) && !linked_to.contains(&o) {
                        linked_to.push(o);
                    }
                }
            }
            if linked_to.is_empty() && elsewhere {
                // Carried by outlets whose quotes were not paired with this one's.
                unchecked += 1;
                continue;
            }
            linked_to.sort_unstable();
            let linked_to: Vec<&str> = linked_to
                .iter()
                .map(|o| articles[o.0].label.as_str())
                .collect();
            let ev = quote_evidence(art(articles, x), q);
            if linked_to.is_empty() {
                b.push(
                    FindingKind::QuoteOnlyIn,
                    Severity::Medium,
                    ev,
                    if graph_partial {
                        format!("only {label} has this quote among the outlets aligned with it")
                    } else {
                        format!("only {label} has this quote")
                    },
                    Vec::new(),
                );
            } else {
                b.push(
                    FindingKind::QuoteToParaphrase,
                    Severity::Low,
                    ev,
                    format!(
                        "{label} quotes this directly; {} reports it without this quote",
                        linked_to.join(", ")
                    ),
                    Vec::new(),
                );
            }
        }
    }
    if unchecked > 0 {
        b.notes.push(format!(
            "quote wording: {unchecked} quote(s) whose claim only outlets not paired with theirs carry were not checked (no finding)"
        ));
    }
}

/// A quote's evidence: its words in each sentence it touches, cut at the sentence edges, so
/// every piece lies inside the sentence it names and none runs through boilerplate set aside
/// between two sentences.
fn quote_evidence(a: Art, q: &quotes::Quote) -> Vec<Evidence> {
    q.sentences
        .iter()
        .filter_map(|&i| {
            let s = a.sentences.get(i)?;
            let (lo, hi) = (q.start.max(s.start), q.end.min(s.end));
            let raw = s
                .text
                .get(lo.checked_sub(s.start)?..hi.checked_sub(s.start)?)?;
            let body = raw.trim();
            if body.is_empty() {
                return None;
            }
            let off = lo - s.start + (raw.len() - raw.trim_start().len());
            evidence(a, i, SentenceSpan::new(off, off + body.len()))
        })
        .collect()
}

fn name_findings(b: &mut Builder, articles: &[Article], analyses: &[Analysis]) {
    for group in names::variants(analyses.iter().map(|an| an.names.as_slice())) {
        let mut ev = Vec::new();
        let mut parts = Vec::new();
        let mut inside_one = false;
        for occs in group.spellings.values() {
            let mut per_article: BTreeMap<usize, usize> = BTreeMap::new();
            for (a, _) in occs {
                *per_article.entry(a.0).or_default() += 1;
            }
            let (first_article, first) = &occs[0];
            ev.push(Evidence {
                article: *first_article,
                sentence: first.sentence,
                start: first.start,
                end: first.end,
                text: first.text.clone(),
            });
            let wheres: Vec<String> = per_article
                .iter()
                .filter_map(|(k, n)| articles.get(*k).map(|a| format!("{} ×{n}", a.label)))
                .collect();
            parts.push(format!("{} ({})", first.text, wheres.join(", ")));
        }
        // The same article using two spellings is an inconsistency, not house style.
        for k in 0..articles.len() {
            let spellings = group
                .spellings
                .values()
                .filter(|o| o.iter().any(|(a, _)| a.0 == k))
                .count();
            inside_one |= spellings > 1;
        }
        let severity = if inside_one {
            Severity::Medium
        } else {
            Severity::Low
        };
        b.push(
            FindingKind::NameSpelling,
            severity,
            ev,
            format!(
                "one name, {} spellings: {}",
                group.spellings.len(),
                parts.join("; ")
            ),
            Vec::new(),
        );
    }
}

fn only_in_findings(
    b: &mut Builder,
    articles: &[Article],
    graph: &ClaimGraph,
    facts: &[&[Facts]],
    graph_pairs: Option<&[(usize, usize)]>,
) {
    // With a claim graph of some pairs only, "not in" names the outlets aligned with each.
    let aligned_with: Option<Vec<Vec<usize>>> = graph_pairs.map(|pairs| {
        let mut w = vec![Vec::new(); articles.len()];
        for &(x, y) in pairs {
            if x != y && x.max(y) < articles.len() {
                w[x].push(y);
                w[y].push(x);
            }
        }
        for v in &mut w {
            v.sort_unstable();
            v.dedup();
        }
        w
    });
    // A sentence is only in its outlet when its claim has no other outlet's sentence.
    for ai in 0..articles.len() {
        if articles.len() < 2 {
            break;
        }
        let a = art(articles, ai);
        let mut others: Vec<&str> = match &aligned_with {
            Some(w) => w[ai].iter().map(|&k| articles[k].label.as_str()).collect(),
            None => articles
                .iter()
                .enumerate()
                .filter(|&(k, _)| k != ai)
                .map(|(_, x)| x.label.as_str())
                .collect(),
        };
        if others.is_empty() {
            continue;
        }
        // Many outlets: name a few, count the rest (every finding naming every outlet would
        // cost the square of their number).
        let rest;
        if others.len() > ONLY_IN_NAMED && articles.len() > crate::model::FOLD_OUTLETS {
            rest = format!("or {} other outlets", others.len() - ONLY_IN_NAMED);
            others.truncate(ONLY_IN_NAMED);
            others.push(&rest);
        }
        let scope = if aligned_with.is_some() {
            " among the outlets aligned with it"
        } else {
            ""
        };
        for si in 0..a.sentences.len() {
            // No partner in any tier: no link, no shared claim, not possibly covered.
            if partnered(graph, a.id, si) {
                continue;
            }
            only_in_sentence(b, a, si, &others, scope, facts);
        }
    }
}

/// Above [`crate::model::FOLD_OUTLETS`] outlets, how many an "only X has this" finding names among
/// those that lack the claim (the others are counted).
const ONLY_IN_NAMED: usize = 5;

fn only_in_sentence(
    b: &mut Builder,
    a: Art,
    si: usize,
    others: &[&str],
    scope: &str,
    facts: &[&[Facts]],
) {
    let Some(f) = facts.get(a.id.0).and_then(|v| v.get(si)) else {
        return;
    };
    let specific = f.quantities.iter().any(|q| !q.unit.is_empty())
        || f.dates.iter().any(|d| d.kind != DateKind::Relative);
    if !specific {
        return;
    }
    let attributed = !f.verbs.is_empty() || !f.sources.is_empty();
    let (severity, how) = if attributed {
        (Severity::Low, "attributed")
    } else {
        (Severity::High, "unattributed")
    };
    b.push(
        FindingKind::OnlyIn,
        severity,
        whole_sentence(a, si).into_iter().collect(),
        format!(
            "only {} has this {how} claim{scope} (not in {})",
            a.label,
            others.join(", ")
        ),
        Vec::new(),
    );
}

/// Whether `run` occurs in `words` as consecutive words (and is shorter).
fn contains_run(words: &[String], run: &[String]) -> bool {
    !run.is_empty() && run.len() < words.len() && words.windows(run.len()).any(|w| w == run)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Engine;

    fn findings(a: &str, b: &str) -> Vec<Finding> {
        Engine::default()
            .compare_texts(&[("a", a), ("b", b)])
            .unwrap_or_else(|e| panic!("{e}"))
            .findings
    }

    fn kinds(f: &[Finding]) -> Vec<FindingKind> {
        f.iter().map(|x| x.kind).collect()
    }

    #[test]
    fn analyses_of_other_articles_are_not_trusted() {
        let r = Engine::default()
            .compare_texts(&[
                ("a", "Two people were killed in Kharkiv on Monday."),
                ("b", "Three people were killed in Kharkiv on Monday."),
            ])
            .unwrap_or_else(|e| panic!("{e}"));
        let right: Vec<Analysis> = r.articles.iter().map(crate::analyse::analyse).collect();
        let (want, _) = find_with_notes(&r.articles, &right, &r.comparisons, &r.claims);
        assert!(!want.is_empty());
        // Too few analyses, and an analysis of a different article: both give the findings
        // of the articles themselves, never a panic.
        let (short, _) = find_with_notes(&r.articles, &right[..1], &r.comparisons, &r.claims);
        assert_eq!(short, want);
        let other = crate::analyse::analyse(&r.articles[0]);
        let mut wrong = right.clone();
        wrong[1].tokens.push(Vec::new());
        wrong[1].facts = other.facts.clone();
        wrong[1].facts.push(Default::default());
        let (mismatched, _) = find_with_notes(&r.articles, &wrong, &r.comparisons, &r.claims);
        assert_eq!(mismatched, want);
    }

    #[test]
    fn number_change_is_found_and_spelling_of_a_number_is_not() {
        // KUNA: "The two rounds of negotiations"; Brasov: "all three rounds of talks".
        let f = findings(
            "The two rounds of negotiations between Russia and the US revealed differences.",
            "The three rounds of negotiations between Russia and the US revealed differences.",
        );
        assert_eq!(kinds(&f), vec![FindingKind::Number]);
        assert_eq!(f[0].severity, Severity::High);
        assert!(
            f[0].explanation.contains("\"two rounds\"")
                && f[0].explanation.contains("\"three rounds\"")
        );
        let f = findings(
            "Russia has amassed 100,000 troops near Ukraine's borders, officials counted.",
            "Russia has amassed 100000 troops near Ukraine's borders, officials counted.",
        );
        assert!(!kinds(&f).contains(&FindingKind::Number), "{f:?}");
        let f = findings(
            "Russia has amassed 100,000 troops near Ukraine's borders, officials counted.",
            "Russia has amassed more than 100,000 troops near Ukraine's borders, officials counted.",
        );
        assert_eq!(f[0].kind, FindingKind::Number);
        assert_eq!(f[0].severity, Severity::Medium);
    }

    #[test]
    fn a_number_is_compared_across_every_outlet_that_carries_the_claim() {
        let r = Engine::default().compare_texts(&[
                ("kuna", "The two rounds of negotiations between Russia and the US revealed differences."),
                ("epa", "The two rounds of negotiations between Russia and the US revealed deep differences."),
                ("brasov", "The three rounds of negotiations between Russia and the US revealed differences."),
            ])
        .unwrap_or_else(|e| panic!("{e}"));
        let f: Vec<&Finding> = r
            .findings
            .iter()
            .filter(|f| f.kind == FindingKind::Number)
            .collect();
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(
            f[0].explanation,
            "number differs: kuna says \"two rounds\", epa says \"two rounds\", brasov says \"three rounds\""
        );
        assert_eq!(r.labels(&f[0].articles), vec!["kuna", "epa", "brasov"]);
    }

    #[test]
    fn weekday_change_is_a_date_finding() {
        let f = findings(
            "Lavrov said on Thursday that Moscow would not withdraw its troops to the barracks.",
            "Lavrov said on Friday that Moscow would not withdraw its troops to the barracks.",
        );
        assert_eq!(kinds(&f), vec![FindingKind::DateTime]);
    }

    #[test]
    fn said_versus_says_is_no_hedge_but_claimed_and_reportedly_are() {
        let f = findings(
            "Lavrov said the talks on security guarantees in Geneva had failed completely.",
            "Lavrov says the talks on security guarantees in Geneva had failed completely.",
        );
        assert!(f.is_empty(), "{f:?}");
        let f = findings(
            "Lavrov said the talks on security guarantees in Geneva had failed completely.",
            "Lavrov claimed the talks on security guarantees in Geneva had reportedly failed.",
        );
        let k = kinds(&f);
        assert!(k.contains(&FindingKind::Hedge), "{f:?}");
        assert!(f.iter().any(|x| x.explanation.contains("reportedly")));
        assert!(f.iter().any(|x| x.explanation.contains("claimed")));
    }

    #[test]
    fn attribution_to_a_different_speaker_or_to_nobody() {
        let f = findings(
            "Lavrov said Russia was waiting for written answers on the security guarantees.",
            "Peskov said Russia was waiting for written answers on the security guarantees.",
        );
        assert_eq!(kinds(&f), vec![FindingKind::Attribution]);
        assert_eq!(f[0].severity, Severity::High);
        let f = findings(
            "Russia is waiting for written answers on the security guarantees from Washington.",
            "Russia is waiting for written answers on the security guarantees from Washington, according to TASS.",
        );
        assert_eq!(kinds(&f), vec![FindingKind::Attribution]);
        assert!(f[0].explanation.contains("states it as fact"));
    }

    #[test]
    fn names_and_possessives() {
        let f = findings(
            "Russia's Foreign Minister Sergey Lavrov spoke in Moscow on security guarantees.",
            "Russian Foreign Minister Sergei Lavrov's remarks in Moscow on security guarantees.",
        );
        let names: Vec<&Finding> = f
            .iter()
            .filter(|x| x.kind == FindingKind::NameSpelling)
            .collect();
        assert_eq!(names.len(), 1, "{f:?}");
        assert!(names[0].explanation.contains("Sergey") && names[0].explanation.contains("Sergei"));
        assert_eq!(names[0].severity, Severity::Low);
    }

    #[test]
    fn same_remark_in_other_words_is_quote_wording() {
        // EPA and Brasov translating the same Lavrov remark.
        let f = findings(
            "\"Everybody understands that the prospects for achieving accord depend on the United States,\" Lavrov said.",
            "\u{201c}We are aware that the prospects for reaching a consensus depend on the United States,\u{201d} the Russian official said.",
        );
        let q: Vec<&Finding> = f
            .iter()
            .filter(|x| x.kind == FindingKind::QuoteWording)
            .collect();
        assert_eq!(q.len(), 1, "{f:?}");
        assert!(q[0]
            .diff
            .iter()
            .any(|c| c.op == crate::model::DiffOp::Delete && c.text.contains("achieving accord")));
        assert!(q[0].diff.iter().any(|c| c.op == crate::model::DiffOp::Equal
            && c.text.contains("depend on the United States")));
    }

    #[test]
    fn a_quote_cut_short_is_said_to_be_cut_not_reworded() {
        let f = findings(
            "\"The fire is contained but not extinguished, and no ship may dock until the silo is checked,\" Marin said.",
            "\"The fire is contained but not extinguished,\" said Marin, who added that ships must wait.",
        );
        let q: Vec<&Finding> = f
            .iter()
            .filter(|x| x.kind == FindingKind::QuoteWording)
            .collect();
        assert_eq!(q.len(), 1, "{f:?}");
        assert_eq!(
            q[0].explanation,
            "b quotes only part of the remark a quotes"
        );
        assert_eq!(q[0].severity, Severity::Medium);
        assert!(contains_run(
            &["a".into(), "b".into(), "c".into()],
            &["b".into(), "c".into()]
        ));
        assert!(!contains_run(
            &["a".into(), "b".into(), "c".into()],
            &["a".into(), "c".into()]
        ));
    }

    #[test]
    fn a_quote_one_outlet_alone_has() {
        let f = findings(
            "\"Russia has no veto when it comes to alliance issues and cannot blackmail us,\" she said in parliament in Berlin.",
            "Oil prices rose in Asian trading on strong demand.",
        );
        assert!(
            f.iter()
                .any(|x| x.kind == FindingKind::QuoteOnlyIn && x.articles == [ArticleId(0)]),
            "{f:?}"
        );
        // A scare quote of one word is not a quote finding.
        let f = findings(
            "Russia described the talks with the US and NATO as \"unsuccessful.\"",
            "Oil prices rose in Asian trading on strong demand.",
        );
        assert!(!f.iter().any(|x| x.kind == FindingKind::QuoteOnlyIn));
    }

    #[test]
    fn an_unattributed_claim_only_one_outlet_has_is_high() {
        let f = findings(
            "At a meeting in Brest, the foreign ministers of the European Union agreed on a 10-point plan for Russia.",
            "Oil prices rose in Asian trading on strong demand.",
        );
        let o: Vec<&Finding> = f.iter().filter(|x| x.kind == FindingKind::OnlyIn).collect();
        assert_eq!(o.len(), 1, "{f:?}");
        assert_eq!(o[0].severity, Severity::High);
        assert!(o[0]
            .explanation
            .contains("only a has this unattributed claim"));
    }

    #[test]
    fn ids_are_stable_under_unrelated_edits() {
        let a =
            "Lavrov said on Thursday that Moscow would not withdraw its troops to the barracks.";
        let b = "Lavrov said on Friday that Moscow would not withdraw its troops to the barracks.";
        let f1 = findings(a, b);
        let f2 = findings(
            &format!("Oil prices fell sharply in Asia.\n\n{a}"),
            &format!("{b}\n\nThe weather was mild."),
        );
        let id = |f: &[Finding]| {
            f.iter()
                .find(|x| x.kind == FindingKind::DateTime)
                .map(|x| x.id.clone())
        };
        assert!(id(&f1).is_some());
        assert_eq!(id(&f1), id(&f2));
    }
}
