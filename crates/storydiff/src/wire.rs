//! The JSON wire format of a report (docs/json.md): view structs that borrow from a
//! [`Report`] to write it, and own their data when one is read back ([`read`]). The wire
//! format is defined here, not by the model's structs, so the model can change without
//! changing what other programs read; field names, order and the fields left out when empty
//! are this module's. The kind enums (link, diff, finding, severity and boilerplate kinds)
//! are plain vocabularies and serialise as their documented names.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::model::{
    Article, ArticleId, Boilerplate, BoilerplateKind, Claim, ClaimGraph, ClaimMember, Comparison,
    CopyCluster, DiffChunk, DiffOp, Evidence, Finding, FindingKind, Link, LinkKind, Related,
    Report, ScorerUsed, Sentence, SentenceRef, Severity, Standing, Summary,
};

/// Bidirectional marks, embeddings, overrides and isolates, and the line and paragraph
/// separators: invisible characters that reorder or break the text shown around them.
pub fn is_format_control(c: char) -> bool {
    matches!(
        c,
        '\u{202A}'..='\u{202E}'
            | '\u{2066}'..='\u{2069}'
            | '\u{200E}'
            | '\u{200F}'
            | '\u{061C}'
            | '\u{2028}'
            | '\u{2029}'
    )
}

/// Serialise `value` as JSON (pretty or compact) with every character that could act on a
/// terminal or reorder the text around it written as a `\uXXXX` escape. serde_json escapes
/// only U+0000–U+001F, so DEL, the C1 controls (U+009B alone starts an escape sequence on
/// some terminals) and bidirectional overrides from article text would reach a terminal raw.
/// Outside strings JSON is plain ASCII, so the escape lands inside a string, where it means
/// the same character.
pub fn to_safe_string<T: Serialize + ?Sized>(
    value: &T,
    pretty: bool,
) -> serde_json::Result<String> {
    let raw = if pretty {
        serde_json::to_string_pretty(value)?
    } else {
        serde_json::to_string(value)?
    };
    // U+0000–U+001F are escaped by serde_json inside strings, and the line breaks of pretty
    // output stand outside them: only DEL and the C1 block are left. Runs between escapes
    // are copied whole; with none, the text is returned as it is.
    let mut out = String::new();
    let mut copied = 0;
    for (i, c) in raw.char_indices() {
        if (c.is_ascii() && c != '\u{7f}')
            || !(('\u{7f}'..='\u{9f}').contains(&c) || is_format_control(c))
        {
            continue;
        }
        if out.is_empty() {
            out.reserve(raw.len() + 64);
        }
        out.push_str(&raw[copied..i]);
        out.push_str(&format!("\\u{:04x}", u32::from(c)));
        copied = i + c.len_utf8();
    }
    if copied == 0 {
        return Ok(raw);
    }
    out.push_str(&raw[copied..]);
    Ok(out)
}

/// A report on the wire.
#[derive(Debug, Serialize, Deserialize)]
pub struct ReportJson<'a> {
    version: u32,
    articles: Vec<ArticleJson<'a>>,
    comparisons: Vec<ComparisonJson<'a>>,
    #[serde(default, skip_serializing_if = "<[_]>::is_empty")]
    copies: Cow<'a, [CopyCluster]>,
    /// The base article's label (absent in reports written before it was named: article 0).
    #[serde(default)]
    base: Option<Cow<'a, str>>,
    claims: Vec<ClaimJson<'a>>,
    findings: Vec<FindingJson<'a>>,
    dismissed: usize,
    #[serde(default)]
    scorer: Cow<'a, str>,
    #[serde(default, skip_serializing_if = "<[_]>::is_empty")]
    notes: Cow<'a, [String]>,
}

#[derive(Debug, Serialize, Deserialize)]
struct ArticleJson<'a> {
    label: Cow<'a, str>,
    path: Cow<'a, str>,
    text: Cow<'a, str>,
    sentences: Vec<SentenceJson<'a>>,
    boilerplate: Vec<BoilerplateJson<'a>>,
    #[serde(default, skip_serializing_if = "<[_]>::is_empty")]
    notes: Cow<'a, [String]>,
}

#[derive(Debug, Serialize, Deserialize)]
struct SentenceJson<'a> {
    index: usize,
    paragraph: usize,
    start: usize,
    end: usize,
    text: Cow<'a, str>,
}

#[derive(Debug, Serialize, Deserialize)]
struct BoilerplateJson<'a> {
    start: usize,
    end: usize,
    kind: BoilerplateKind,
    text: Cow<'a, str>,
}

#[derive(Debug, Serialize, Deserialize)]
struct ComparisonJson<'a> {
    base: Cow<'a, str>,
    other: Cow<'a, str>,
    links: Vec<LinkJson<'a>>,
    related: Vec<RelatedJson>,
    #[serde(default)]
    possible: Vec<RelatedJson>,
    added: Cow<'a, [usize]>,
    dropped: Cow<'a, [usize]>,
    #[serde(default, skip_serializing_if = "<[_]>::is_empty")]
    shared_base: Cow<'a, [usize]>,
    #[serde(default, skip_serializing_if = "<[_]>::is_empty")]
    shared_other: Cow<'a, [usize]>,
    summary: SummaryJson,
    #[serde(default, skip_serializing_if = "<[_]>::is_empty")]
    notes: Cow<'a, [String]>,
}

#[derive(Debug, Serialize, Deserialize)]
struct LinkJson<'a> {
    kind: LinkKind,
    base: Cow<'a, [usize]>,
    other: Cow<'a, [usize]>,
    score: f64,
    diff: Vec<DiffChunkJson<'a>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    fallback: Option<Cow<'a, str>>,
}

#[derive(Debug, Serialize, Deserialize)]
struct DiffChunkJson<'a> {
    op: DiffOp,
    text: Cow<'a, str>,
}

#[derive(Debug, Serialize, Deserialize)]
struct SummaryJson {
    identical: usize,
    reworded: usize,
    partial: usize,
    added: usize,
    dropped: usize,
    base_coverage: f64,
}

#[derive(Debug, Serialize, Deserialize)]
struct RelatedJson {
    base: usize,
    other: usize,
    score: f64,
}

#[derive(Debug, Serialize, Deserialize)]
struct FindingJson<'a> {
    id: Cow<'a, str>,
    kind: FindingKind,
    severity: Severity,
    articles: Cow<'a, [String]>,
    sentences: Vec<SentenceRefJson<'a>>,
    evidence: Vec<EvidenceJson<'a>>,
    explanation: Cow<'a, str>,
    diff: Vec<DiffChunkJson<'a>>,
}

#[derive(Debug, Serialize, Deserialize)]
struct SentenceRefJson<'a> {
    article: Cow<'a, str>,
    index: usize,
}

#[derive(Debug, Serialize, Deserialize)]
struct EvidenceJson<'a> {
    article: Cow<'a, str>,
    sentence: usize,
    start: usize,
    end: usize,
    text: Cow<'a, str>,
}

#[derive(Debug, Serialize, Deserialize)]
struct ClaimJson<'a> {
    id: Cow<'a, str>,
    members: Vec<ClaimMemberJson<'a>>,
}

#[derive(Debug, Serialize, Deserialize)]
struct ClaimMemberJson<'a> {
    article: Cow<'a, str>,
    sentence: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    kind: Option<LinkKind>,
    /// For a sentence of a one-outlet claim: an aligned pair gives it a related or a
    /// possibly-covering sentence of another outlet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    tier: Option<TierJson>,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
enum TierJson {
    Related,
    Possible,
}

impl TierJson {
    fn standing(self) -> Standing {
        match self {
            TierJson::Related => Standing::Related,
            TierJson::Possible => Standing::Possible,
        }
    }
}

impl From<&Summary> for SummaryJson {
    fn from(s: &Summary) -> Self {
        SummaryJson {
            identical: s.identical,
            reworded: s.reworded,
            partial: s.partial,
            added: s.added,
            dropped: s.dropped,
            base_coverage: s.base_coverage,
        }
    }
}

impl From<SummaryJson> for Summary {
    fn from(s: SummaryJson) -> Self {
        Summary {
            identical: s.identical,
            reworded: s.reworded,
            partial: s.partial,
            added: s.added,
            dropped: s.dropped,
            base_coverage: s.base_coverage,
        }
    }
}

fn s(x: &str) -> Cow<'_, str> {
    Cow::Borrowed(x)
}

fn chunks(d: &[DiffChunk]) -> Vec<DiffChunkJson<'_>> {
    d.iter()
        .map(|c| DiffChunkJson {
            op: c.op,
            text: s(&c.text),
        })
        .collect()
}

fn related(r: &[Related]) -> Vec<RelatedJson> {
    r.iter()
        .map(|r| RelatedJson {
            base: r.base,
            other: r.other,
            score: r.score,
        })
        .collect()
}

impl<'a> From<&'a Report> for ReportJson<'a> {
    fn from(r: &'a Report) -> Self {
        ReportJson {
            version: r.version,
            articles: r
                .articles
                .iter()
                .map(|a| ArticleJson {
                    label: s(&a.label),
                    path: s(&a.path),
                    text: s(&a.text),
                    sentences: a
                        .sentences
                        .iter()
                        .map(|x| SentenceJson {
                            index: x.index,
                            paragraph: x.paragraph,
                            start: x.start,
                            end: x.end,
                            text: s(&x.text),
                        })
                        .collect(),
                    boilerplate: a
                        .boilerplate
                        .iter()
                        .map(|b| BoilerplateJson {
                            start: b.start,
                            end: b.end,
                            kind: b.kind,
                            text: s(&b.text),
                        })
                        .collect(),
                    notes: Cow::Borrowed(&a.notes),
                })
                .collect(),
            comparisons: r
                .comparisons
                .iter()
                .map(|c| ComparisonJson {
                    base: s(r.label(c.base)),
                    other: s(r.label(c.other)),
                    links: c
                        .links
                        .iter()
                        .map(|l| LinkJson {
                            kind: l.kind,
                            base: Cow::Borrowed(&l.base),
                            other: Cow::Borrowed(&l.other),
                            score: l.score,
                            diff: chunks(&l.diff),
                            fallback: l.fallback.as_deref().map(s),
                        })
                        .collect(),
                    related: related(&c.related),
                    possible: related(&c.possible),
                    added: Cow::Borrowed(&c.added),
                    dropped: Cow::Borrowed(&c.dropped),
                    shared_base: Cow::Borrowed(&c.shared_base),
                    shared_other: Cow::Borrowed(&c.shared_other),
                    summary: SummaryJson::from(&c.summary),
                    notes: Cow::Borrowed(&c.notes),
                })
                .collect(),
            copies: Cow::Borrowed(&r.copies),
            base: Some(s(r.label(r.base))),
            claims: r
                .claims
                .claims()
                .iter()
                .map(|c| ClaimJson {
                    id: s(&c.id),
                    members: c
                        .members
                        .iter()
                        .map(|m| ClaimMemberJson {
                            article: s(r.label(m.article)),
                            sentence: m.sentence,
                            kind: m.kind,
                            tier: match r.claims.kind_of(m.article, m.sentence) {
                                Standing::Related => Some(TierJson::Related),
                                Standing::Possible => Some(TierJson::Possible),
                                Standing::Linked(_) | Standing::Alone => None,
                            },
                        })
                        .collect(),
                })
                .collect(),
            findings: r
                .findings
                .iter()
                .map(|f| FindingJson {
                    id: s(&f.id),
                    kind: f.kind,
                    severity: f.severity,
                    articles: Cow::Owned(
                        f.articles.iter().map(|&a| r.label(a).to_string()).collect(),
                    ),
                    sentences: f
                        .sentences
                        .iter()
                        .map(|x| SentenceRefJson {
                            article: s(r.label(x.article)),
                            index: x.index,
                        })
                        .collect(),
                    evidence: f
                        .evidence
                        .iter()
                        .map(|e| EvidenceJson {
                            article: s(r.label(e.article)),
                            sentence: e.sentence,
                            start: e.start,
                            end: e.end,
                            text: s(&e.text),
                        })
                        .collect(),
                    explanation: s(&f.explanation),
                    diff: chunks(&f.diff),
                })
                .collect(),
            dismissed: r.dismissed,
            scorer: Cow::Owned(r.scorer.map(|x| x.name()).unwrap_or_default()),
            notes: Cow::Borrowed(&r.notes),
        }
    }
}

fn owned_chunks(d: Vec<DiffChunkJson>) -> Vec<DiffChunk> {
    d.into_iter()
        .map(|c| DiffChunk {
            op: c.op,
            text: c.text.into_owned(),
        })
        .collect()
}

fn owned_related(r: Vec<RelatedJson>) -> Vec<Related> {
    r.into_iter()
        .map(|r| Related {
            base: r.base,
            other: r.other,
            score: r.score,
        })
        .collect()
}

/// Resolves the labels a report read back names into article ids: labels are keys on the
/// wire only.
struct Labels<'a>(std::collections::HashMap<&'a str, usize>);

impl Labels<'_> {
    fn id(&self, label: &str, at: impl FnOnce() -> String) -> Result<ArticleId, ReadError> {
        match self.0.get(label) {
            Some(&k) => Ok(ArticleId(k)),
            None => Err(ReadError {
                path: at(),
                problem: format!("names no article: {label:?}"),
            }),
        }
    }
}

impl ReportJson<'_> {
    /// The report this wire document describes: labels resolved into article ids (an unknown
    /// or repeated label is an error at its path), the claim graph rebuilt from its claims.
    fn into_report(self) -> Result<Report, ReadError> {
        let r = self;
        let mut labels = Labels(std::collections::HashMap::new());
        for (k, a) in r.articles.iter().enumerate() {
            if labels.0.insert(&a.label, k).is_some() {
                return Err(ReadError {
                    path: format!("articles[{k}].label"),
                    problem: format!("label {:?} is used by an earlier article", a.label),
                });
            }
        }
        let base = match &r.base {
            Some(label) => labels.id(label, || "base".into())?,
            None => ArticleId(0),
        };
        let mut comparisons = Vec::with_capacity(r.comparisons.len());
        for (k, c) in r.comparisons.into_iter().enumerate() {
            comparisons.push(Comparison {
                base: labels.id(&c.base, || format!("comparisons[{k}].base"))?,
                other: labels.id(&c.other, || format!("comparisons[{k}].other"))?,
                links: c
                    .links
                    .into_iter()
                    .map(|l| Link {
                        kind: l.kind,
                        base: l.base.into_owned(),
                        other: l.other.into_owned(),
                        score: l.score,
                        diff: owned_chunks(l.diff),
                        fallback: l.fallback.map(Cow::into_owned),
                    })
                    .collect(),
                related: owned_related(c.related),
                possible: owned_related(c.possible),
                added: c.added.into_owned(),
                dropped: c.dropped.into_owned(),
                shared_base: c.shared_base.into_owned(),
                shared_other: c.shared_other.into_owned(),
                summary: Summary::from(c.summary),
                notes: c.notes.into_owned(),
            });
        }
        let mut claims = Vec::with_capacity(r.claims.len());
        let mut tiers = Vec::new();
        for (k, c) in r.claims.into_iter().enumerate() {
            let mut members = Vec::with_capacity(c.members.len());
            for (x, m) in c.members.into_iter().enumerate() {
                let at = format!("claims[{k}].members[{x}]");
                let article = labels.id(&m.article, || format!("{at}.article"))?;
                let sentences = r.articles[article.0].sentences.len();
                if m.sentence >= sentences {
                    return Err(ReadError {
                        path: format!("{at}.sentence"),
                        problem: format!(
                            "sentence {} of {:?} does not exist (it has {sentences})",
                            m.sentence, m.article
                        ),
                    });
                }
                if let Some(t) = m.tier {
                    tiers.push((article, m.sentence, t.standing()));
                }
                members.push(ClaimMember {
                    article,
                    sentence: m.sentence,
                    kind: m.kind,
                });
            }
            claims.push(Claim {
                id: c.id.into_owned(),
                members,
            });
        }
        let scorer = match r.scorer.as_ref() {
            "" => None,
            name => Some(ScorerUsed::from_name(name).ok_or_else(|| ReadError {
                path: "scorer".into(),
                problem: format!("{name:?} is not a scorer this build knows"),
            })?),
        };
        let counts: Vec<usize> = r.articles.iter().map(|a| a.sentences.len()).collect();
        let claims = ClaimGraph::new(claims, &counts, &tiers).ok_or_else(|| ReadError {
            path: "claims".into(),
            problem: "every sentence must be in exactly one claim".into(),
        })?;
        let mut findings = Vec::with_capacity(r.findings.len());
        for (k, f) in r.findings.into_iter().enumerate() {
            let at = format!("findings[{k}]");
            let articles = f
                .articles
                .iter()
                .enumerate()
                .map(|(x, l)| labels.id(l, || format!("{at}.articles[{x}]")))
                .collect::<Result<Vec<_>, _>>()?;
            let mut sentences = Vec::with_capacity(f.sentences.len());
            for (x, s) in f.sentences.into_iter().enumerate() {
                sentences.push(SentenceRef {
                    article: labels.id(&s.article, || format!("{at}.sentences[{x}].article"))?,
                    index: s.index,
                });
            }
            let mut evidence = Vec::with_capacity(f.evidence.len());
            for (x, e) in f.evidence.into_iter().enumerate() {
                evidence.push(Evidence {
                    article: labels.id(&e.article, || format!("{at}.evidence[{x}].article"))?,
                    sentence: e.sentence,
                    start: e.start,
                    end: e.end,
                    text: e.text.into_owned(),
                });
            }
            findings.push(Finding {
                id: f.id.into_owned(),
                kind: f.kind,
                severity: f.severity,
                articles,
                sentences,
                evidence,
                explanation: f.explanation.into_owned(),
                diff: owned_chunks(f.diff),
            });
        }
        let articles = r
            .articles
            .into_iter()
            .map(|a| Article {
                label: a.label.into_owned(),
                date: None,
                url: None,
                path: a.path.into_owned(),
                text: a.text.into_owned(),
                sentences: a
                    .sentences
                    .into_iter()
                    .map(|x| Sentence {
                        index: x.index,
                        paragraph: x.paragraph,
                        start: x.start,
                        end: x.end,
                        text: x.text.into_owned(),
                    })
                    .collect(),
                boilerplate: a
                    .boilerplate
                    .into_iter()
                    .map(|b| Boilerplate {
                        start: b.start,
                        end: b.end,
                        kind: b.kind,
                        text: b.text.into_owned(),
                    })
                    .collect(),
                notes: a.notes.into_owned(),
            })
            .collect();
        Ok(Report {
            version: r.version,
            articles,
            comparisons,
            copies: r.copies.into_owned(),
            base,
            claims,
            findings,
            dismissed: r.dismissed,
            scorer,
            notes: r.notes.into_owned(),
        })
    }
}

/// Why a report could not be read back: where in the JSON (a path such as
/// `comparisons[0].links[3].base[0]`, or `.` for the whole document) and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadError {
    /// The JSON path of the value at fault.
    pub path: String,
    /// What is wrong with it.
    pub problem: String,
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "at {}: {}", self.path, self.problem)
    }
}

impl std::error::Error for ReadError {}

/// Read a report written by `--format json` (or the `report` of a batch line) back: every
/// renderer can render it again. A report read back is untrusted: beyond its JSON shape, its
/// schema version must be [`crate::model::SCHEMA_VERSION`] and every index and span in it must
/// name a sentence or bytes that exist ([`check`]), so a hand-edited or truncated report is
/// an error, never a panic in a renderer.
pub fn read(json: &str) -> Result<Report, ReadError> {
    finish(&mut serde_json::Deserializer::from_str(json))
}

/// [`read`] from bytes.
pub fn read_slice(json: &[u8]) -> Result<Report, ReadError> {
    finish(&mut serde_json::Deserializer::from_slice(json))
}

fn finish<'de, R: serde_json::de::Read<'de>>(
    de: &mut serde_json::Deserializer<R>,
) -> Result<Report, ReadError> {
    let wire: ReportJson<'static> = serde_path_to_error::deserialize(&mut *de).map_err(|e| {
        let path = e.path().to_string();
        ReadError {
            path: if path.is_empty() { ".".into() } else { path },
            problem: e.into_inner().to_string(),
        }
    })?;
    de.end().map_err(|e| ReadError {
        path: ".".into(),
        problem: e.to_string(),
    })?;
    if wire.version != crate::model::SCHEMA_VERSION {
        return Err(ReadError {
            path: "version".into(),
            problem: format!(
                "schema version {} is not the version this build reads ({})",
                wire.version,
                crate::model::SCHEMA_VERSION
            ),
        });
    }
    let report = wire.into_report()?;
    check(&report)?;
    Ok(report)
}

/// Check that every index and span of `r` names something that exists: comparisons and
/// claims name articles by label, links, related pairs, added and dropped sentences name
/// sentences, sentence and boilerplate spans lie in their article's text (on character
/// boundaries, with the text they carry), evidence lies inside its sentence, copies name
/// articles. The first fault is returned with its JSON path.
pub fn check(r: &Report) -> Result<(), ReadError> {
    let fail = |path: String, problem: String| Err(ReadError { path, problem });
    let mut labels = std::collections::HashSet::new();
    for (k, a) in r.articles.iter().enumerate() {
        if !labels.insert(a.label.as_str()) {
            return fail(
                format!("articles[{k}].label"),
                format!("label {:?} is used by an earlier article", a.label),
            );
        }
        let span = |start: usize, end: usize| {
            start <= end
                && end <= a.text.len()
                && a.text.is_char_boundary(start)
                && a.text.is_char_boundary(end)
        };
        for (i, s) in a.sentences.iter().enumerate() {
            let at = format!("articles[{k}].sentences[{i}]");
            if s.index != i {
                return fail(
                    format!("{at}.index"),
                    format!("is {}, expected {i}", s.index),
                );
            }
            if !span(s.start, s.end) || a.text[s.start..s.end] != s.text {
                return fail(
                    at,
                    format!(
                        "span {}..{} is not the sentence's text in the article ({} bytes)",
                        s.start,
                        s.end,
                        a.text.len()
                    ),
                );
            }
        }
        for (i, b) in a.boilerplate.iter().enumerate() {
            if !span(b.start, b.end) {
                return fail(
                    format!("articles[{k}].boilerplate[{i}]"),
                    format!(
                        "span {}..{} is not in the article's text ({} bytes)",
                        b.start,
                        b.end,
                        a.text.len()
                    ),
                );
            }
        }
    }
    let article = |id: ArticleId, at: &str| -> Result<&Article, ReadError> {
        match r.articles.get(id.0) {
            Some(a) => Ok(a),
            None => Err(ReadError {
                path: at.to_string(),
                problem: format!("names no article: {}", id.0),
            }),
        }
    };
    let sentence = |a: &Article, i: usize, at: String| -> Result<(), ReadError> {
        if i < a.sentences.len() {
            Ok(())
        } else {
            Err(ReadError {
                path: at,
                problem: format!(
                    "sentence {i} of {:?} does not exist (it has {})",
                    a.label,
                    a.sentences.len()
                ),
            })
        }
    };
    for (k, c) in r.comparisons.iter().enumerate() {
        let at = format!("comparisons[{k}]");
        let base = article(c.base, &format!("{at}.base"))?;
        let other = article(c.other, &format!("{at}.other"))?;
        for (l, link) in c.links.iter().enumerate() {
            if link.base.is_empty() || link.other.is_empty() {
                return fail(
                    format!("{at}.links[{l}]"),
                    "a link needs a sentence on each side".into(),
                );
            }
            for (x, &i) in link.base.iter().enumerate() {
                sentence(base, i, format!("{at}.links[{l}].base[{x}]"))?;
            }
            for (x, &j) in link.other.iter().enumerate() {
                sentence(other, j, format!("{at}.links[{l}].other[{x}]"))?;
            }
        }
        for (field, pairs) in [("related", &c.related), ("possible", &c.possible)] {
            for (x, p) in pairs.iter().enumerate() {
                sentence(base, p.base, format!("{at}.{field}[{x}].base"))?;
                sentence(other, p.other, format!("{at}.{field}[{x}].other"))?;
            }
        }
        for (x, &j) in c.added.iter().enumerate() {
            sentence(other, j, format!("{at}.added[{x}]"))?;
        }
        for (x, &i) in c.dropped.iter().enumerate() {
            sentence(base, i, format!("{at}.dropped[{x}]"))?;
        }
        for (x, &i) in c.shared_base.iter().enumerate() {
            sentence(base, i, format!("{at}.shared_base[{x}]"))?;
        }
        for (x, &j) in c.shared_other.iter().enumerate() {
            sentence(other, j, format!("{at}.shared_other[{x}]"))?;
        }
    }
    for (k, c) in r.claims.claims().iter().enumerate() {
        for (m, member) in c.members.iter().enumerate() {
            let at = format!("claims[{k}].members[{m}]");
            let a = article(member.article, &format!("{at}.article"))?;
            sentence(a, member.sentence, format!("{at}.sentence"))?;
        }
    }
    for (k, f) in r.findings.iter().enumerate() {
        let at = format!("findings[{k}]");
        for (x, &id) in f.articles.iter().enumerate() {
            article(id, &format!("{at}.articles[{x}]"))?;
        }
        for (x, s) in f.sentences.iter().enumerate() {
            let a = article(s.article, &format!("{at}.sentences[{x}].article"))?;
            sentence(a, s.index, format!("{at}.sentences[{x}].index"))?;
        }
        for (x, e) in f.evidence.iter().enumerate() {
            let here = format!("{at}.evidence[{x}]");
            let a = article(e.article, &format!("{here}.article"))?;
            sentence(a, e.sentence, format!("{here}.sentence"))?;
            let s = &a.sentences[e.sentence];
            let inside = s.start <= e.start
                && e.start <= e.end
                && e.end <= s.end
                && a.text.is_char_boundary(e.start)
                && a.text.is_char_boundary(e.end);
            if !inside || a.text[e.start..e.end] != e.text {
                return fail(
                    here,
                    format!(
                        "span {}..{} is not its text inside sentence {} ({}..{})",
                        e.start, e.end, e.sentence, s.start, s.end
                    ),
                );
            }
        }
    }
    let n = r.articles.len();
    if r.base.0 >= n {
        return fail(
            "base".into(),
            format!("article {} does not exist (there are {n})", r.base.0),
        );
    }
    for (k, c) in r.copies.iter().enumerate() {
        let at = format!("copies[{k}]");
        if c.original >= n {
            return fail(
                format!("{at}.original"),
                format!("article {} does not exist (there are {n})", c.original),
            );
        }
        for (x, copy) in c.copies.iter().enumerate() {
            if copy.member >= n {
                return fail(
                    format!("{at}.copies[{x}].member"),
                    format!("article {} does not exist (there are {n})", copy.member),
                );
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_bidi_overrides_are_escaped_and_the_value_survives() {
        let text = "a\u{1b}[2J b\u{9b}31m c\u{7f} d\u{202e}e\u{2066} f\u{2028}g \"q\"";
        let out = to_safe_string(&serde_json::json!({ "t": text }), false).unwrap_or_default();
        assert!(out.is_ascii(), "{out}");
        assert!(out.contains("\\u009b") && out.contains("\\u202e") && out.contains("\\u2028"));
        let back: serde_json::Value = serde_json::from_str(&out).unwrap_or_default();
        assert_eq!(back["t"], text);
    }
}
