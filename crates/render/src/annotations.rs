//! `--format annotations`: the findings and the claims only one outlet carries, as a W3C Web
//! Annotation collection (JSON-LD, <http://www.w3.org/ns/anno.jsonld>), for annotation tools
//! a fact-checker already uses (Hypothesis and the like).
//!
//! Each annotation targets one article by its source (a web page's canonical URL, else the
//! path it was read from) with a
//! `TextQuoteSelector` (the exact text, 32 characters of context either side) and a
//! `TextPositionSelector` (character offsets, in Unicode scalar values, of the article text).
//! Its bodies are the explanation (`commenting`) and tags (`tagging`): the finding's kind and
//! severity, or `only-in` (worded as what the aligner matched: a paraphrase it missed would
//! read the same). A finding with evidence in several articles is one annotation per
//! piece of evidence, each naming the finding.

use std::io::{self, Write};

use serde::Serialize;
use storydiff::model::{ArticleId, Report, Standing};
use storydiff::wire::to_safe_string;

use crate::kind_name;

/// Characters of context a quote selector carries either side of its text.
const CONTEXT: usize = 32;

/// The JSON-LD context of the Web Annotation data model.
pub const CONTEXT_URL: &str = "http://www.w3.org/ns/anno.jsonld";

#[derive(Serialize)]
struct Collection<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    id: String,
    #[serde(rename = "type")]
    kind: &'static str,
    label: String,
    generator: Generator,
    total: usize,
    first: Page<'a>,
}

#[derive(Serialize)]
struct Generator {
    #[serde(rename = "type")]
    kind: &'static str,
    name: String,
}

#[derive(Serialize)]
struct Page<'a> {
    id: String,
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(rename = "startIndex")]
    start_index: usize,
    items: Vec<Annotation<'a>>,
}

#[derive(Serialize)]
struct Annotation<'a> {
    id: String,
    #[serde(rename = "type")]
    kind: &'static str,
    motivation: &'static str,
    body: Vec<Body>,
    target: Target<'a>,
}

#[derive(Serialize)]
struct Body {
    #[serde(rename = "type")]
    kind: &'static str,
    value: String,
    format: &'static str,
    purpose: &'static str,
}

#[derive(Serialize)]
struct Target<'a> {
    source: &'a str,
    selector: Vec<Selector<'a>>,
}

#[derive(Serialize)]
#[serde(tag = "type")]
enum Selector<'a> {
    TextQuoteSelector {
        exact: &'a str,
        prefix: &'a str,
        suffix: &'a str,
    },
    TextPositionSelector {
        start: usize,
        end: usize,
    },
}

fn text(value: String, purpose: &'static str) -> Body {
    Body {
        kind: "TextualBody",
        value,
        format: "text/plain",
        purpose,
    }
}

/// Characters before each sentence of each article, counted once per report, so that a
/// position selector costs the length of its own sentence, not of the text before it.
struct Positions(Vec<Vec<usize>>);

impl Positions {
    fn of(report: &Report) -> Positions {
        Positions(
            report
                .articles
                .iter()
                .map(|a| {
                    let (mut at, mut chars) = (0, 0);
                    a.sentences
                        .iter()
                        .map(|s| {
                            chars += a.text.get(at..s.start).map_or(0, |t| t.chars().count());
                            at = s.start;
                            chars
                        })
                        .collect()
                })
                .collect(),
        )
    }
}

/// The target of bytes `start..end` of `article`'s text, which lie in sentence `sentence`.
fn target<'r>(
    report: &'r Report,
    positions: &Positions,
    article: ArticleId,
    sentence: usize,
    (start, end): (usize, usize),
) -> Option<Target<'r>> {
    let a = report.article(article);
    let t = a.text.as_str();
    let exact = t.get(start..end)?;
    let from = a.sentences.get(sentence)?.start;
    let before = &t[..start];
    let after = &t[end..];
    let p = before
        .char_indices()
        .rev()
        .nth(CONTEXT - 1)
        .map_or(0, |(i, _)| i);
    let s = after
        .char_indices()
        .nth(CONTEXT)
        .map_or(after.len(), |(i, _)| i);
    let chars_before =
        positions.0.get(article.index())?.get(sentence)? + t.get(from..start)?.chars().count();
    Some(Target {
        source: a.url.as_deref().unwrap_or(&a.path),
        selector: vec![
            Selector::TextQuoteSelector {
                exact,
                prefix: &before[p..],
                suffix: &after[..s],
            },
            Selector::TextPositionSelector {
                start: chars_before,
                end: chars_before + exact.chars().count(),
            },
        ],
    })
}

/// The annotations of one report, their ids under `run`.
fn annotate<'a>(report: &'a Report, run: &str, items: &mut Vec<Annotation<'a>>) {
    let labels: Vec<&str> = report.articles.iter().map(|a| a.label.as_str()).collect();
    let positions = Positions::of(report);
    for f in &report.findings {
        for (k, e) in f.evidence.iter().enumerate() {
            let Some(target) = target(report, &positions, e.article, e.sentence, (e.start, e.end))
            else {
                continue;
            };
            items.push(Annotation {
                id: format!("{run}:finding:{}:{k}", f.id),
                kind: "Annotation",
                motivation: "commenting",
                body: vec![
                    text(f.explanation.clone(), "commenting"),
                    text(kind_name(f.kind), "tagging"),
                    text(kind_name(f.severity), "tagging"),
                ],
                target,
            });
        }
    }
    let graph = &report.claims;
    for claim in graph.claims() {
        for m in &claim.members {
            if graph.kind_of(m.article, m.sentence) != Standing::Alone {
                continue;
            }
            let Some(s) = report.article(m.article).sentences.get(m.sentence) else {
                continue;
            };
            let span = (s.start, s.end);
            let Some(target) = target(report, &positions, m.article, m.sentence, span) else {
                continue;
            };
            let others: Vec<&str> = labels
                .iter()
                .enumerate()
                .filter(|(k, _)| *k != m.article.index())
                .map(|(_, l)| *l)
                .collect();
            items.push(Annotation {
                id: format!("{run}:only-in:{}:{}", claim.id, m.article.index()),
                kind: "Annotation",
                motivation: "highlighting",
                body: vec![
                    text(
                        // What the aligner knows, not more: it matched no sentence of the
                        // others to this one (a paraphrase it missed reads the same).
                        format!(
                            "In {} only, as far as storydiff matched: no sentence of {} was matched to this (claim {}).",
                            report.label(m.article),
                            others.join(", "),
                            claim.id
                        ),
                        "commenting",
                    ),
                    text("only-in".to_string(), "tagging"),
                ],
                target,
            });
        }
    }
}

/// Write `report`'s findings and one-outlet claims as a Web Annotation collection.
pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    render_all(&[report], out)
}

/// One collection of the annotations of every report in `reports` (`compare --by-event`).
pub fn render_all(reports: &[&Report], out: &mut dyn Write) -> io::Result<()> {
    let labels: Vec<&str> = reports
        .iter()
        .flat_map(|r| r.articles.iter().map(|a| a.label.as_str()))
        .collect();
    // The collection's id: FNV-1a of the labels, so that the ids of one comparison's
    // annotations stay the same from run to run.
    let hash = labels
        .join("\u{0}")
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        });
    let run = format!("urn:storydiff:{hash:016x}");
    let mut items = Vec::new();
    for (n, report) in reports.iter().enumerate() {
        let run = if reports.len() > 1 {
            format!("{run}:event:{}", n + 1)
        } else {
            run.clone()
        };
        annotate(report, &run, &mut items);
    }
    let doc = Collection {
        context: CONTEXT_URL,
        id: run.clone(),
        kind: "AnnotationCollection",
        label: format!("storydiff: {}", labels.join(", ")),
        generator: Generator {
            kind: "Software",
            name: format!("storydiff {}", env!("CARGO_PKG_VERSION")),
        },
        total: items.len(),
        first: Page {
            id: format!("{run}:page:1"),
            kind: "AnnotationPage",
            start_index: 0,
            items,
        },
    };
    let text = to_safe_string(&doc, true).map_err(io::Error::other)?;
    out.write_all(text.as_bytes())?;
    out.write_all(b"\n")
}
