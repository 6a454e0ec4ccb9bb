//! Render: turn a [`Report`] into text. Renderers only read the report; they never align
//! or diff again, so every format shows the same result.

mod checklist;
mod escape;
mod html;
mod json;
mod matrix;
mod rows;
mod stat;
mod terminal;

pub use html::render_events;

use std::io::{self, Write};

use storydiff::model::{ArticleId, Report};

/// Output formats of `compare`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Coloured, wrapped sentence diff for a person at a terminal.
    Terminal,
    /// Only the summary the terminal view leads with (`--stat`): a line per compared pair,
    /// then the findings counts.
    Stat,
    /// The versioned JSON document described in docs/json.md.
    Json,
    /// A Markdown review checklist of the findings.
    Checklist,
    /// One self-contained HTML page.
    Html,
}

/// Settings every renderer may use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderOptions {
    /// Emit ANSI colour (terminal and stat only).
    pub color: bool,
    /// Wrap prose to this many columns (terminal and stat only).
    pub width: usize,
    /// Generation time to print (HTML only); none keeps output byte-identical across runs.
    pub timestamp: Option<String>,
    /// How the terminal view lays out a comparison (terminal only).
    pub layout: Layout,
    /// Which part of the terminal view to show (terminal only); `None` shows all of it.
    pub only: Option<Only>,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            color: false,
            width: 80,
            timestamp: None,
            layout: Layout::Inline,
            only: None,
        }
    }
}

/// How the terminal view shows a linked pair of sentences.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Layout {
    /// One column: an inline word diff (`~`), or both sentences one under the other (`*`).
    #[default]
    Inline,
    /// Two columns, base on the left and the other outlet on the right, each wrapped to half
    /// the width; linked sentences share a row, an added or dropped one leaves the other
    /// column blank.
    SideBySide,
}

/// A part of the terminal view (`--only`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Only {
    /// Every row but identical sentences: reworded, partial, added and dropped.
    Changes,
    /// Only sentences the other outlet added.
    Added,
    /// Only base sentences the other outlet dropped.
    Dropped,
    /// Only the findings (after the summary).
    Findings,
}

/// Write `report` in `format` to `out`.
pub fn render(
    report: &Report,
    format: Format,
    opts: &RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Terminal => terminal::render(report, opts, out),
        Format::Stat => stat::render(report, opts, out),
        Format::Json => json::render(report, out),
        Format::Checklist => checklist::render(report, out),
        Format::Html => html::render(report, opts, out),
    }
}

/// The serialised (kebab-case) name of an enum value such as a finding or boilerplate kind,
/// so every format names kinds as the JSON does.
pub fn kind_name<T: serde::Serialize>(kind: T) -> String {
    serde_json::to_value(kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// Write the events found by `storydiff group` as readable text.
pub fn group_text(
    grouping: &storydiff::group::Grouping,
    articles: usize,
    min_similarity: f64,
    out: &mut dyn Write,
) -> io::Result<()> {
    let events = &grouping.events;
    let multi = events.iter().filter(|e| e.members.len() > 1).count();
    writeln!(
        out,
        "{articles} articles, {} events ({multi} with two or more articles; min similarity {min_similarity})",
        events.len()
    )?;
    if grouping.copies > 0 {
        writeln!(
            out,
            "{} articles are copies, folded into their original; events were grouped over {} articles",
            grouping.copies, grouping.grouped
        )?;
    }
    for b in &grouping.budgets {
        writeln!(out, "budget: {}", sanitize_for_terminal(b))?;
    }
    for (k, e) in events.iter().enumerate() {
        writeln!(out)?;
        if e.members.len() == 1 {
            writeln!(out, "event {} · single article", k + 1)?;
        } else {
            writeln!(
                out,
                "event {} · {} articles · cohesion {:.2}",
                k + 1,
                e.members.len(),
                e.cohesion
            )?;
        }
        writeln!(out, "  title: {}", sanitize_for_terminal(&e.title))?;
        if !e.dates.is_empty() {
            writeln!(
                out,
                "  dates: {}",
                sanitize_for_terminal(&e.dates.join(", "))
            )?;
        }
        if !e.names.is_empty() {
            writeln!(
                out,
                "  names: {}",
                sanitize_for_terminal(&e.names.join(", "))
            )?;
        }
        if !e.key_terms.is_empty() {
            writeln!(
                out,
                "  key terms: {}",
                sanitize_for_terminal(&e.key_terms.join(", "))
            )?;
        }
        // Which member is a copy of which original.
        let mut copy_of: std::collections::HashMap<usize, (&str, &storydiff::model::Copy)> =
            Default::default();
        for c in &e.copies {
            let sims: Vec<f64> = c.copies.iter().map(|x| x.similarity).collect();
            let lo = sims.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = sims.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            writeln!(
                out,
                "  copies: {} of {} (the earliest{}), similarity {lo:.2} to {hi:.2}",
                c.copies.len(),
                sanitize_for_terminal(&c.label),
                c.date
                    .as_deref()
                    .map(|d| format!(", {}", sanitize_for_terminal(d)))
                    .unwrap_or_default()
            )?;
            for x in &c.copies {
                copy_of.insert(x.member, (c.label.as_str(), x));
            }
        }
        for ((label, path), m) in e.labels.iter().zip(&e.paths).zip(&e.members) {
            write!(
                out,
                "  - {}  {}",
                sanitize_for_terminal(label),
                sanitize_for_terminal(path)
            )?;
            if let Some((orig, x)) = copy_of.get(m) {
                write!(
                    out,
                    "  (copy of {}: similarity {:.2}, {:.0}% dropped, {:.0}% added)",
                    sanitize_for_terminal(orig),
                    x.similarity,
                    x.dropped * 100.0,
                    x.added * 100.0
                )?;
            }
            writeln!(out)?;
        }
    }
    Ok(())
}

pub use rows::{gist, GIST_WORDS, MAX_RELATED};

pub use escape::{html_visible, terminal as sanitize_for_terminal};

/// What the views ask of the claim graph about one row: which other outlets carry a
/// sentence's claim, named as the view names outlets (copies grouped above
/// [`storydiff::model::FOLD_OUTLETS`] outlets).
pub(crate) struct Claims<'r> {
    report: &'r Report,
    /// Above [`storydiff::model::FOLD_OUTLETS`] outlets: the fold, so that a claim's outlets are named
    /// by original, a few at most.
    fold: Option<Folding>,
}

impl<'r> Claims<'r> {
    /// The claim graph of `report`, as the views name it.
    pub(crate) fn new(report: &'r Report) -> Self {
        let fold = Folding::new(report);
        Claims {
            report,
            fold: fold.large.then_some(fold),
        }
    }

    /// The claim id of a sentence, and the outlets other than `skip` that carry it. Above
    /// [`storydiff::model::FOLD_OUTLETS`] outlets, copies are counted with the first outlet of their
    /// copy cluster that carries the claim ("epa (+12 copies)"), and after [`MAX_NAMED`]
    /// names the rest are counted ("and 40 more outlets").
    pub(crate) fn elsewhere(
        &self,
        article: ArticleId,
        sentence: usize,
        skip: &[ArticleId],
    ) -> Option<(&'r str, Vec<String>)> {
        let graph = &self.report.claims;
        let k = graph.claim_of(article, sentence)?;
        let id = graph.claim(k).id.as_str();
        let others: Vec<ArticleId> = graph
            .outlets(k)
            .iter()
            .copied()
            .filter(|o| !skip.contains(o))
            .collect();
        if others.is_empty() {
            return None;
        }
        let label = |o: ArticleId| self.report.label(o);
        let Some(fold) = &self.fold else {
            return Some((
                id,
                others.into_iter().map(|o| label(o).to_string()).collect(),
            ));
        };
        // Group by original, in order of first appearance (a map to each group's place, so
        // a claim of many outlets costs linear time, not the outlets squared).
        let mut groups: Vec<(usize, &str, usize)> = Vec::new();
        let mut place: std::collections::HashMap<usize, usize> = std::collections::HashMap::new();
        for &o in &others {
            let g = fold.original_of[o.0];
            match place.get(&g) {
                Some(&k) => groups[k].2 += 1,
                None => {
                    place.insert(g, groups.len());
                    groups.push((g, label(o), 0));
                }
            }
        }
        let mut names: Vec<String> = groups
            .iter()
            .take(MAX_NAMED)
            .map(|&(_, name, more)| match more {
                0 => name.to_string(),
                1 => format!("{name} (+1 copy)"),
                n => format!("{name} (+{n} copies)"),
            })
            .collect();
        let rest: usize = groups.iter().skip(MAX_NAMED).map(|g| g.2 + 1).sum();
        if rest > 0 {
            names.push(format!(
                "and {rest} more outlet{}",
                if rest == 1 { "" } else { "s" }
            ));
        }
        Some((id, names))
    }
}

/// Above [`storydiff::model::FOLD_OUTLETS`] outlets, how many outlets a view names for one claim.
pub const MAX_NAMED: usize = 5;

/// How a report of many outlets is shown: which articles are copies folded into which
/// original ([`Report::copies`]), and whether the views bound their size (above
/// [`storydiff::model::FOLD_OUTLETS`] outlets).
pub(crate) struct Folding {
    /// More outlets than [`storydiff::model::FOLD_OUTLETS`]: the views fold copies, name few outlets per
    /// claim and put per-outlet details out of the way.
    pub(crate) large: bool,
    /// Per article (report order): the original it is folded into (itself if none).
    pub(crate) original_of: Vec<usize>,
    /// Per article: the copies folded into it, in report order.
    pub(crate) copies_of: Vec<Vec<usize>>,
}

impl Folding {
    /// Read the fold of `report` ([`Report::copies`]).
    pub(crate) fn new(report: &Report) -> Folding {
        let n = report.articles.len();
        let mut original_of: Vec<usize> = (0..n).collect();
        let mut copies_of: Vec<Vec<usize>> = vec![Vec::new(); n];
        for c in &report.copies {
            let o = c.original;
            for x in &c.copies {
                let m = x.member;
                if m != o && m < n && o < n {
                    original_of[m] = o;
                    copies_of[o].push(m);
                }
            }
        }
        for v in &mut copies_of {
            v.sort_unstable();
        }
        Folding {
            large: n > storydiff::model::FOLD_OUTLETS,
            original_of,
            copies_of,
        }
    }

    /// Whether article `k` is a copy folded into another.
    pub(crate) fn is_copy(&self, k: usize) -> bool {
        self.original_of.get(k).is_some_and(|&o| o != k)
    }

    /// Whether the comparison `c` is a copy against its original (listed under the
    /// original, not shown as a full comparison).
    pub(crate) fn is_copy_comparison(&self, c: &storydiff::model::Comparison) -> bool {
        let (b, o) = (c.base.0, c.other.0);
        self.is_copy(o) && self.original_of[o] == b
    }
}

/// A comparison's link and sentence counts, as its summary line writes them: "identical 0 ·
/// reworded 1 · partial 0 · added 1 · dropped 1".
pub(crate) fn counts(s: &storydiff::model::Summary) -> String {
    format!(
        "identical {} \u{b7} reworded {} \u{b7} partial {} \u{b7} added {} \u{b7} dropped {}",
        s.identical, s.reworded, s.partial, s.added, s.dropped
    )
}

/// A copy's changes against its original in a few words: "similarity 0.93 · 2 added ·
/// 1 dropped · 0 reworded".
pub(crate) fn copy_summary(
    copy: Option<&storydiff::model::Copy>,
    c: &storydiff::model::Comparison,
) -> String {
    let s = &c.summary;
    let sim = copy.map_or(String::new(), |x| {
        format!("similarity {:.2} \u{b7} ", x.similarity)
    });
    format!(
        "{sim}{} added \u{b7} {} dropped \u{b7} {} reworded \u{b7} {} partial \u{b7} {} identical",
        s.added, s.dropped, s.reworded, s.partial, s.identical
    )
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use storydiff::model::{
        Article, Claim, ClaimGraph, ClaimMember, Comparison, DiffChunk, DiffOp, Evidence, Finding,
        FindingKind, Link, LinkKind, SentenceRef, Severity, Summary,
    };

    /// An article of `text`, segmented as ingest would, chrome kept as body text.
    pub(crate) fn article(label: &str, text: &str) -> Article {
        let raw = storydiff::ingest::RawArticle {
            label: label.into(),
            path: format!("{label}.txt"),
            text: text.into(),
        };
        storydiff::build_article(raw, true).unwrap_or_else(|e| panic!("{e}"))
    }

    fn member(article: &str, sentence: usize, kind: Option<LinkKind>) -> ClaimMember {
        ClaimMember {
            article: ArticleId(usize::from(article == "site")),
            sentence,
            kind,
        }
    }

    /// A report built by hand: the wire and a site share one reworded claim; each has one
    /// sentence of its own, and the site's carries a number no one else has.
    fn tiny() -> Report {
        let wire = article(
            "wire",
            "Lavrov met Blinken in Geneva. Talks ended without a deal.",
        );
        let site = article(
            "site",
            "Lavrov met Blinken in Geneva on Friday. Oil rose 3%.",
        );
        let chunk = |op, text: &str| DiffChunk {
            op,
            text: text.into(),
        };
        let link = Link {
            kind: LinkKind::Reworded,
            base: vec![0],
            other: vec![0],
            score: 0.8,
            diff: vec![
                chunk(DiffOp::Equal, "Lavrov met Blinken in Geneva"),
                chunk(DiffOp::Insert, " on Friday"),
                chunk(DiffOp::Equal, "."),
            ],
            fallback: None,
        };
        let evidence = Evidence {
            article: ArticleId(1),
            sentence: 1,
            start: site.sentences[1].start,
            end: site.sentences[1].end,
            text: site.sentences[1].text.clone(),
        };
        Report {
            version: storydiff::model::SCHEMA_VERSION,
            comparisons: vec![Comparison {
                base: ArticleId(0),
                other: ArticleId(1),
                links: vec![link],
                related: Vec::new(),
                possible: Vec::new(),
                added: vec![1],
                dropped: vec![1],
                shared_base: Vec::new(),
                shared_other: Vec::new(),
                summary: Summary {
                    reworded: 1,
                    added: 1,
                    dropped: 1,
                    base_coverage: 0.5,
                    ..Summary::default()
                },
                notes: Vec::new(),
            }],
            copies: Vec::new(),
            base: ArticleId(0),
            claims: ClaimGraph::new(
                vec![
                    Claim {
                        id: "c1".into(),
                        members: vec![
                            member("wire", 0, Some(LinkKind::Reworded)),
                            member("site", 0, Some(LinkKind::Reworded)),
                        ],
                    },
                    Claim {
                        id: "c2".into(),
                        members: vec![member("wire", 1, None)],
                    },
                    Claim {
                        id: "c3".into(),
                        members: vec![member("site", 1, None)],
                    },
                ],
                &[2, 2],
                &[],
            )
            .unwrap_or_else(|| panic!("claims")),
            findings: vec![Finding {
                id: "oi-0123456789".into(),
                kind: FindingKind::OnlyIn,
                severity: Severity::High,
                articles: vec![ArticleId(1)],
                sentences: vec![SentenceRef {
                    article: ArticleId(1),
                    index: 1,
                }],
                evidence: vec![evidence],
                explanation: "only site has this unattributed claim (not in wire)".into(),
                diff: Vec::new(),
            }],
            dismissed: 0,
            scorer: Some(storydiff::model::ScorerUsed::Lexical),
            notes: Vec::new(),
            articles: vec![wire, site],
        }
    }

    fn rendered(format: Format) -> String {
        let opts = RenderOptions {
            color: false,
            width: 72,
            ..RenderOptions::default()
        };
        let mut out = Vec::new();
        render(&tiny(), format, &opts, &mut out).unwrap_or(());
        String::from_utf8(out).unwrap_or_default()
    }

    #[test]
    fn terminal_view_of_a_hand_built_report() {
        let expected = "\
scorer: lexical
                   identical  reworded  partial  added  dropped  covered
site against wire          0         1        0      1        1      50%
findings: 1 high \u{b7} 0 medium \u{b7} 0 low

wire (wire.txt): 2 sentences, 10 words
site (site.txt): 2 sentences, 10 words

== site against wire (base) ============================================
identical 0 \u{b7} reworded 1 \u{b7} partial 0 \u{b7} added 1 \u{b7} dropped 1 \u{b7} 50% of wire
covered
= identical \u{b7} ~ reworded \u{b7} * partial \u{b7} + only in site \u{b7} - only in wire
~ Lavrov met Blinken in Geneva{+ on Friday+}.
+ Oil rose 3%.
- Talks ended without a deal.

== findings: 1 high \u{b7} 0 medium \u{b7} 0 low =================================
! oi-0123456789 high only-in: only site has this unattributed claim (not
  in wire)
    site: \u{201c}Oil rose 3%.\u{201d}
";
        assert_eq!(rendered(Format::Terminal), expected);
    }

    #[test]
    fn checklist_of_a_hand_built_report() {
        let expected = "\
# storydiff review checklist

Outlets: wire, site.
Scorer: lexical.
Compared with the base: wire.
1 findings: 1 high, 0 medium, 0 low.

## High

- [ ] oi-0123456789 only-in: only site has this unattributed claim (not in wire)
  - site (sentence 2): Oil rose 3%.
";
        assert_eq!(rendered(Format::Checklist), expected);
    }

    #[test]
    fn html_pair_views_link_only_the_findings_of_their_two_outlets() {
        // The base's first sentence is in both pairs' views; its number differs only in "b".
        let report = storydiff::Engine::default().compare_texts(&[
                ("base", "Officials said 12 people died in the fire on Monday. The mayor visited the site."),
                ("b", "Officials said 15 people died in the fire on Monday. The mayor visited the site."),
                ("c", "The mayor visited the site. Schools stayed closed."),
            ])
        .unwrap_or_else(|e| panic!("{e}"));
        let number = report
            .findings
            .iter()
            .find(|f| report.labels(&f.articles) == ["base", "b"] && f.explanation.contains("15"))
            .unwrap_or_else(|| panic!("no number finding: {:#?}", report.findings));
        let mut out = Vec::new();
        html::render(&report, &RenderOptions::default(), &mut out)
            .unwrap_or_else(|e| panic!("{e}"));
        let html = String::from_utf8(out).unwrap_or_else(|e| panic!("{e}"));
        let section = |other: &str| -> &str {
            let open = format!("data-base=\"base\" data-other=\"{other}\"");
            let at = html
                .find(&open)
                .unwrap_or_else(|| panic!("no {other} pair"));
            let end = html[at..].find("</section>").map_or(html.len(), |e| at + e);
            &html[at..end]
        };
        let href = format!("href=\"#f-{}\"", number.id);
        assert!(section("b").contains(&href), "{}", section("b"));
        assert!(!section("c").contains(&href), "{}", section("c"));
    }

    #[test]
    fn html_matrix_of_a_hand_built_report_has_one_row_per_claim() {
        let html = rendered(Format::Html);
        let rows: Vec<&str> = html
            .lines()
            .filter(|l| l.starts_with("<tr class=\"claim\""))
            .collect();
        assert_eq!(rows.len(), 3, "{rows:#?}");
        assert!(rows[0].contains("data-only=\"[]\""), "{}", rows[0]);
        assert!(rows[0].contains("<td class=\"cell reworded\" data-outlet=\"site\""));
        assert!(
            rows[1].contains("data-only=\"[&quot;wire&quot;]\""),
            "{}",
            rows[1]
        );
        assert!(
            rows[2].contains("data-only=\"[&quot;site&quot;]\""),
            "{}",
            rows[2]
        );
        assert!(
            rows[2].contains("<th scope=\"row\">Oil rose 3%.</th>"),
            "{}",
            rows[2]
        );
    }

    #[test]
    fn json_of_a_hand_built_report_reads_back_the_same() {
        let json = rendered(Format::Json);
        let back = storydiff::wire::read(&json).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(back, tiny());
        let v: serde_json::Value = serde_json::from_str(&json).unwrap_or_default();
        assert_eq!(v["version"], storydiff::model::SCHEMA_VERSION);
        assert_eq!(v["claims"][0]["members"][1]["article"], "site");
        assert_eq!(v["claims"][0]["members"][1]["sentence"], 0);
    }
}
