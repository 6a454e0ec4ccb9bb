//! Render: turn a [`Report`] into text. Renderers only read the report; they never align
//! or diff again, so every format shows the same result.

mod annotations;
pub use annotations::render_all as annotations_events;
mod checklist;
mod escape;
mod group;
mod html;
mod json;
mod matrix;
mod rows;
mod stat;
mod terminal;
mod views;
mod wrap;

pub use escape::{html_visible, terminal as sanitize_for_terminal};
pub use group::group_text;
pub use html::render_events;
pub use json::{events as events_json, group as group_json, EventBase};
pub(crate) use views::{copy_summary, counts, Claims, Folding};

use std::io::{self, Write};

use storydiff::model::Report;

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
    /// A W3C Web Annotation collection (JSON-LD) of the findings and one-outlet claims.
    Annotations,
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
    /// Terminal only: show only the comparisons and findings this outlet (a label) takes
    /// part in; `None` shows every outlet's.
    pub outlet: Option<String>,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            color: false,
            width: 80,
            timestamp: None,
            layout: Layout::Inline,
            only: None,
            outlet: None,
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

/// The narrowest width the terminal views lay out (the CLI refuses a narrower `--width`).
pub const MIN_WIDTH: usize = 20;

/// How many pieces of a finding's evidence the terminal and HTML views quote (the JSON and
/// the checklist have them all).
pub const EVIDENCE_SHOWN: usize = 6;

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
        Format::Annotations => annotations::render(report, out),
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

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use storydiff::model::{
        Article, ArticleId, Claim, ClaimGraph, ClaimMember, Comparison, DiffChunk, DiffOp,
        Evidence, Finding, FindingKind, Link, LinkKind, SentenceRef, Severity, Summary,
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
= identical \u{b7} ~ reworded \u{b7} * partial \u{b7} + in site, not wire \u{b7} - in wire,
not site
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
