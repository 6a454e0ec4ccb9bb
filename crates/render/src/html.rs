//! HTML renderer: one self-contained page (inline CSS and JS, no fonts, no network) with a
//! header, a coverage matrix of claims by outlet, a side-by-side view per comparison, the
//! findings and the boilerplate set aside.
//!
//! All article text goes through [`text`] or [`attr`]: control characters become visible
//! ([`html_visible`]), then `html-escape` encodes the markup characters. The page's
//! Content-Security-Policy allows only its own script, by hash, and no network access at all:
//! even text that slipped past escaping could neither run a script nor fetch anything.

use std::fmt::Write as _;
use std::io::{self, Write};

use super::html_visible;
use base64::Engine as _;
use sha2::{Digest, Sha256};

use super::rows::{self, NoteKind, RelatedPartners, Row};
use super::RenderOptions;
use crate::matrix::{self as claims, Carry};
use storydiff::model::{Article, Comparison, DiffOp, LinkKind, Report, Severity};

const CSS: &str = include_str!("report.css");
const JS: &str = include_str!("report.js");

/// Untrusted text as HTML element content: controls made visible, then `<`, `>` and `&`
/// encoded. Every piece of text the page shows goes through here or [`attr`].
fn text(s: &str) -> String {
    html_escape::encode_text(&html_visible(s)).into_owned()
}

/// Untrusted text as a double-quoted attribute value: controls made visible, then quotes and
/// markup characters encoded.
fn attr(s: &str) -> String {
    html_escape::encode_double_quoted_attribute(&html_visible(s)).into_owned()
}

/// Write the HTML report of `report`.
pub fn render(report: &Report, opts: &RenderOptions, out: &mut dyn Write) -> io::Result<()> {
    let labels: Vec<String> = report.articles.iter().map(|a| a.label.clone()).collect();
    let mut h = page_start(&labels.join(" \u{b7} "));
    header(&mut h, report, opts);
    controls(&mut h, &[report]);
    body(&mut h, report, "");
    page_end(&mut h);
    out.write_all(h.as_bytes())
}

/// Write one page for several events, each with its own title and report (`--by-event`).
pub fn render_events(
    events: &[(String, &Report)],
    opts: &RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut h = page_start(&format!("{} events", events.len()));
    let _ = write!(
        h,
        "<header>\n<h1>storydiff report: {} events</h1>\n<p class=\"meta\">storydiff {}",
        events.len(),
        env!("CARGO_PKG_VERSION")
    );
    if let Some(ts) = &opts.timestamp {
        let _ = write!(h, " \u{b7} generated {}", text(ts));
    }
    h.push_str("</p>\n<ol class=\"events\">");
    for (e, (title, r)) in events.iter().enumerate() {
        let _ = write!(
            h,
            "<li><a href=\"#e{e}\">{}</a> ({} articles)</li>",
            text(title),
            r.articles.len()
        );
    }
    h.push_str("</ol>\n</header>\n");
    let reports: Vec<&Report> = events.iter().map(|x| x.1).collect();
    controls(&mut h, &reports);
    for (e, (title, r)) in events.iter().enumerate() {
        let _ = write!(
            h,
            "<section class=\"event\" id=\"e{e}\">\n<h2 class=\"event-title\">Event {}: {}</h2>\n",
            e + 1,
            text(title)
        );
        inputs(&mut h, r);
        body(&mut h, r, &format!("e{e}-"));
        h.push_str("</section>\n");
    }
    page_end(&mut h);
    out.write_all(h.as_bytes())
}

fn page_start(title: &str) -> String {
    let mut h = String::with_capacity(64 * 1024);
    let script_hash =
        base64::engine::general_purpose::STANDARD.encode(Sha256::digest(JS.as_bytes()));
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; \
         style-src 'unsafe-inline'; script-src 'sha256-{script_hash}'; img-src data:; \
         form-action 'none'; base-uri 'none'\">\n\
         <meta name=\"referrer\" content=\"no-referrer\">\n\
         <title>storydiff: {}</title>\n<style>{CSS}</style>\n</head>\n<body>\n",
        text(title)
    );
    h
}

fn page_end(h: &mut String) {
    let _ = write!(h, "<script>{JS}</script>\n</body>\n</html>\n");
}

/// Matrix, side-by-side views, findings and boilerplate of one report; `prefix` keeps ids
/// unique when several reports share a page.
fn body(h: &mut String, report: &Report, prefix: &str) {
    let fold = super::Folding::new(report);
    let carriers = super::Claims::new(report);
    let notes = report.all_notes();
    if !notes.is_empty() {
        let _ = write!(
            h,
            "<section id=\"{prefix}notes\" class=\"notes\">\n<h2>Notes</h2>\n<ul>"
        );
        for n in notes {
            let _ = write!(h, "<li>{}</li>", text(&n));
        }
        h.push_str("</ul>\n</section>\n");
    }
    // The graph read once for the matrix, dense only when the outlets are few.
    let sparse = claims::sparse(report);
    if fold.large {
        matrix_folded(h, report, &sparse, &fold, prefix);
    } else {
        matrix(
            h,
            report,
            &claims::dense(sparse, report.articles.len()),
            prefix,
        );
    }
    // Where each finding's evidence lies: (article, sentence) → findings, and each finding's
    // articles, so that a pair's view links only the findings of its two outlets.
    let mut findings_of: std::collections::HashMap<(usize, usize), Vec<usize>> = Default::default();
    let mut finding_articles: Vec<Vec<usize>> = Vec::with_capacity(report.findings.len());
    for (k, f) in report.findings.iter().enumerate() {
        let mut arts: Vec<usize> = Vec::new();
        for e in &f.evidence {
            let a = e.article.index();
            arts.push(a);
            let ids = findings_of.entry((a, e.sentence)).or_default();
            if ids.last() != Some(&k) {
                ids.push(k);
            }
        }
        arts.sort_unstable();
        arts.dedup();
        finding_articles.push(arts);
    }
    let ctx = Ctx {
        report,
        carriers: &carriers,
        prefix,
        seen: Default::default(),
        findings: &report.findings,
        findings_of,
        finding_articles,
        pair: Default::default(),
        by_reference: fold.large,
    };
    for (k, c) in report.comparisons.iter().enumerate() {
        if fold.large && fold.is_copy_comparison(c) {
            continue;
        }
        {
            let (ba, oa) = (c.base.index(), c.other.index());
            let pair = Pair {
                base: &report.articles[ba],
                other: &report.articles[oa],
                ba,
                oa,
            };
            if fold.large {
                // Many outlets: each comparison folded away until asked for.
                let s = &c.summary;
                let _ = writeln!(
                    h,
                    "<details class=\"pair-fold\"><summary>{} against {} (base): {} \u{b7} {:.0}% covered</summary>",
                    text(report.label(c.other)),
                    text(report.label(c.base)),
                    super::counts(s),
                    s.base_coverage * 100.0
                );
                side_by_side(h, k, c, &pair, &ctx);
                h.push_str("</details>\n");
            } else {
                side_by_side(h, k, c, &pair, &ctx);
            }
        }
    }
    if fold.large {
        copies(h, report, &fold, prefix);
    }
    findings(h, report, &ctx);
    boilerplate(h, report, prefix);
}

fn header(h: &mut String, report: &Report, opts: &RenderOptions) {
    let _ = write!(
        h,
        "<header>\n<h1>storydiff report</h1>\n<p class=\"meta\">storydiff {}",
        env!("CARGO_PKG_VERSION")
    );
    if let Some(scorer) = report.scorer {
        let _ = write!(h, " · {} scorer", text(&scorer.name()));
    }
    if let Some(ts) = &opts.timestamp {
        let _ = write!(h, " · generated {}", text(ts));
    }
    h.push_str("</p>\n");
    inputs(h, report);
    h.push_str("</header>\n");
}

/// The table of compared articles.
fn inputs(h: &mut String, report: &Report) {
    let base = report.base.index();
    let fold = super::Folding::new(report);
    if fold.large {
        let copies = (0..report.articles.len())
            .filter(|&k| fold.is_copy(k))
            .count();
        let _ = writeln!(
            h,
            "<details class=\"inputs-fold\"><summary>Articles compared: {} ({} original(s), {copies} cop{})</summary>",
            report.articles.len(),
            report.articles.len() - copies,
            if copies == 1 { "y" } else { "ies" }
        );
    }
    let _ = write!(
        h,
        "<div class=\"scroll\"><table class=\"inputs\">\n<caption>Articles compared</caption>\n<thead><tr><th scope=\"col\">outlet</th><th scope=\"col\">file</th><th scope=\"col\">sentences</th><th scope=\"col\">words</th><th scope=\"col\">boilerplate</th></tr></thead>\n<tbody>\n"
    );
    for (k, a) in report.articles.iter().enumerate() {
        let role = if k == base {
            " <span class=\"badge\">base</span>".to_string()
        } else if fold.is_copy(k) {
            format!(
                " <span class=\"badge\">copy of {}</span>",
                text(&report.articles[fold.original_of[k]].label)
            )
        } else {
            String::new()
        };
        let _ = writeln!(
            h,
            "<tr><th scope=\"row\">{}{role}</th><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td></tr>",
            text(&a.label),
            text(&a.path),
            a.sentences.len(),
            a.word_count(),
            a.boilerplate.len()
        );
    }
    h.push_str("</tbody>\n</table></div>\n");
    if fold.large {
        h.push_str("</details>\n");
    }
}

fn controls(h: &mut String, reports: &[&Report]) {
    // Outlets in order of first appearance.
    let mut labels: Vec<&str> = Vec::new();
    for l in reports
        .iter()
        .flat_map(|r| r.articles.iter().map(|a| a.label.as_str()))
    {
        if !labels.contains(&l) {
            labels.push(l);
        }
    }
    h.push_str(
        "<nav class=\"controls\" aria-label=\"Filters\">\n\
         <label><input type=\"checkbox\" id=\"only-diff\"> show only differences</label>\n\
         <label>additions of <select id=\"only-outlet\"><option value=\"\">every outlet</option>",
    );
    for l in labels {
        let _ = write!(h, "<option value=\"{}\">{}</option>", attr(l), text(l));
    }
    h.push_str(
        "</select></label>\n</nav>\n\
         <p class=\"legend\" id=\"legend\"><b>Legend:</b> \
         <span class=\"cell base\">B</span> base carries it · \
         <span class=\"cell identical\">=</span> identical · \
         <span class=\"cell reworded\">~</span> reworded · \
         <span class=\"cell partial\">P</span> partly · \
         <span class=\"cell only\">+</span> only this outlet · \
         <span class=\"cell related\">\u{2248}</span> only this outlet; another outlet's sentence is related · \
         <span class=\"cell possible\">?</span> only this outlet; another outlet's sentence may cover it · \
         <span class=\"cell absent\">\u{2013}</span> not carried. \
         In the side-by-side view, <del>struck</del> words are only in the base and \
         <ins>underlined</ins> words only in the other outlet. Hover, focus or click a sentence \
         to light up its partners.</p>\n",
    );
}

/// The opening of claim `k`'s matrix row: its ids, whether every carrying outlet has it
/// unchanged (`data-diff`), the outlets that alone carry it (`data-only`), and its text, the
/// first of `sample`'s sentences (article index, sentence indices). `carries` is each
/// carrying outlet's (article index, carry).
fn row_head(
    h: &mut String,
    report: &Report,
    prefix: &str,
    k: usize,
    sample: (usize, &[usize]),
    carries: &[(usize, Carry)],
) {
    let (a, sents) = sample;
    let sample = sents
        .first()
        .and_then(|&i| report.articles.get(a).and_then(|x| x.sentences.get(i)))
        .map(|s| short(&s.text, 110))
        .unwrap_or_default();
    let diff = if carries
        .iter()
        .all(|x| matches!(x.1, Carry::Base | Carry::Identical))
    {
        "same"
    } else {
        "diff"
    };
    let owners: Vec<&str> = carries
        .iter()
        .filter(|x| x.1 == Carry::Only)
        .filter_map(|x| report.articles.get(x.0).map(|a| a.label.as_str()))
        .collect();
    let _ = write!(
        h,
        "<tr class=\"claim\" data-claim=\"{prefix}c{k}\" data-diff=\"{diff}\" data-only=\"{}\" tabindex=\"0\"><th scope=\"row\">{}</th>",
        // A JSON list: a label may contain spaces ("Le Monde").
        attr(&serde_json::Value::from(owners).to_string()),
        text(&sample)
    );
}

fn matrix(h: &mut String, report: &Report, claims: &[claims::Claim], prefix: &str) {
    let base = report.base.index();
    let _ = write!(h, "<section id=\"{prefix}matrix\">\n<h2>Coverage matrix</h2>\n<div class=\"scroll matrix-scroll\"><table class=\"matrix\">\n<thead><tr><th scope=\"col\">claim</th>");
    for a in &report.articles {
        let _ = write!(
            h,
            "<th scope=\"col\" data-outlet=\"{}\">{}</th>",
            attr(&a.label),
            text(&a.label)
        );
    }
    h.push_str("</tr></thead>\n<tbody>\n");
    for (k, c) in claims.iter().enumerate() {
        // The claim's text: the base's sentence, else the first outlet's.
        let (a, sents) = c
            .cells
            .get(base)
            .filter(|x| !x.0.is_empty())
            .map(|x| (base, &x.0))
            .or_else(|| {
                c.cells
                    .iter()
                    .enumerate()
                    .find(|x| !x.1 .0.is_empty())
                    .map(|(a, x)| (a, &x.0))
            })
            .unwrap_or((0, &c.cells[0].0));
        let carries: Vec<(usize, Carry)> =
            c.cells.iter().enumerate().map(|(o, x)| (o, x.1)).collect();
        row_head(h, report, prefix, k, (a, sents), &carries);
        for (cell, a) in c.cells.iter().zip(&report.articles) {
            let _ = write!(
                h,
                "<td class=\"cell {}\" data-outlet=\"{}\" title=\"{}: {}\">{}</td>",
                cell.1.name(),
                attr(&a.label),
                attr(&a.label),
                cell.1.name(),
                cell.1.letter()
            );
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody>\n<tfoot><tr><th scope=\"row\">claims carried</th>");
    for (a, _) in report.articles.iter().enumerate() {
        let carried = claims
            .iter()
            .filter(|c| c.cells[a].1 != Carry::Absent)
            .count();
        let pct = if claims.is_empty() {
            0.0
        } else {
            carried as f64 * 100.0 / claims.len() as f64
        };
        let _ = write!(h, "<td>{carried}/{} ({pct:.0}%)</td>", claims.len());
    }
    h.push_str("</tr></tfoot>\n</table></div>\n</section>\n");
}

/// Above this many cells (claims times columns) the folded matrix leaves out claims of one
/// outlet, and says how many.
pub const MATRIX_CELLS: usize = 100_000;

/// Write a run of `run` absent cells as one cell spanning their columns, and end the run.
fn absent_cells(h: &mut String, run: &mut usize) {
    match *run {
        0 => {}
        1 => h.push_str("<td class=\"cell absent\">\u{2013}</td>"),
        n => {
            let _ = write!(h, "<td class=\"cell absent\" colspan=\"{n}\">\u{2013}</td>");
        }
    }
    *run = 0;
}

/// The coverage matrix of a report of many outlets: one column per original, its copies
/// counted in it ("+k copies" in the heading; "n/k" in a cell when only n of its k copies
/// carry the claim as the original does). Claims only copies carry are not rows (each is in
/// its copy's changes); past [`MATRIX_CELLS`], claims of one outlet are left out, first those
/// not carried by the base; the page says what was left out.
fn matrix_folded(
    h: &mut String,
    report: &Report,
    claims: &[claims::SparseClaim],
    fold: &super::Folding,
    prefix: &str,
) {
    let columns: Vec<usize> = (0..report.articles.len())
        .filter(|&a| !fold.is_copy(a))
        .collect();
    let base = report.base.index();
    // Which claims are rows: shared ones (the base's or two columns') first, then those of one
    // original, within the budget.
    let groups_of = |c: &claims::SparseClaim| -> Vec<usize> {
        let mut g: Vec<usize> = c.cells.iter().map(|x| fold.original_of[x.0]).collect();
        g.sort_unstable();
        g.dedup();
        g
    };
    let mut copy_only = 0usize;
    let mut shared = Vec::new();
    let mut own = Vec::new();
    for (k, c) in claims.iter().enumerate() {
        if c.cells.iter().all(|x| fold.is_copy(x.0)) {
            copy_only += 1;
        } else if c.carry(base) != Carry::Absent || groups_of(c).len() >= 2 {
            shared.push(k);
        } else {
            own.push(k);
        }
    }
    let max_rows = (MATRIX_CELLS / columns.len().max(1)).max(1);
    let mut rows: Vec<usize> = shared.iter().copied().take(max_rows).collect();
    let left_shared = shared.len() - rows.len();
    let room = max_rows - rows.len();
    rows.extend(own.iter().copied().take(room));
    let left_own = own.len() - own.len().min(room);
    rows.sort_unstable();
    let _ = write!(h, "<section id=\"{prefix}matrix\">\n<h2>Coverage matrix</h2>\n<p class=\"meta\">One column per original ({} of {} outlets); its copies are counted in its column: <b>n/k</b> in a cell means n of its k copies carry the claim.", columns.len(), report.articles.len());
    if copy_only > 0 {
        let _ = write!(
            h,
            " {copy_only} claim(s) only copies carry are not rows: each is among its copy's changes below."
        );
    }
    if left_shared + left_own > 0 {
        let _ = write!(
            h,
            " Budget: {} claim(s) are not rows ({left_shared} shared, {left_own} of one outlet), to keep the matrix within {MATRIX_CELLS} cells; each is in its outlet's comparison below.",
            left_shared + left_own
        );
    }
    let _ = write!(h, "</p>\n<div class=\"scroll matrix-scroll\"><table class=\"matrix\">\n<thead><tr><th scope=\"col\">claim</th>");
    for &a in &columns {
        let label = &report.articles[a].label;
        let k = fold.copies_of[a].len();
        let more = match k {
            0 => String::new(),
            1 => " <small>+1 copy</small>".to_string(),
            k => format!(" <small>+{k} copies</small>"),
        };
        let _ = write!(
            h,
            "<th scope=\"col\" data-outlet=\"{}\">{}{more}</th>",
            attr(label),
            text(label)
        );
    }
    h.push_str("</tr></thead>\n<tbody>\n");
    let mut carried = vec![0usize; columns.len()];
    for &k in &rows {
        let c = &claims[k];
        let (a, sents) = c
            .cells
            .iter()
            .find(|x| x.0 == base)
            .or_else(|| c.cells.first())
            .map(|x| (x.0, x.1.as_slice()))
            .unwrap_or((0, &[]));
        let carries: Vec<(usize, Carry)> = c.cells.iter().map(|x| (x.0, x.2)).collect();
        row_head(h, report, prefix, k, (a, sents), &carries);
        // Copies carrying the claim, per original.
        let mut copies_in: std::collections::HashMap<usize, usize> = Default::default();
        for x in &c.cells {
            if fold.is_copy(x.0) {
                *copies_in.entry(fold.original_of[x.0]).or_default() += 1;
            }
        }
        let mut absent_run = 0usize;
        for (col, &o) in columns.iter().enumerate() {
            let carry = c.carry(o);
            let label = &report.articles[o].label;
            let k = fold.copies_of[o].len();
            let n = copies_in.get(&o).copied().unwrap_or(0);
            if carry != Carry::Absent || n > 0 {
                carried[col] += 1;
            }
            let expected = if carry == Carry::Absent { 0 } else { k };
            let (count, of) = if k > 0 && n != expected {
                (
                    format!(" <small>{n}/{k}</small>"),
                    format!("; {n} of {k} copies carry it"),
                )
            } else {
                (String::new(), String::new())
            };
            if carry == Carry::Absent && count.is_empty() {
                // Most cells of a wide matrix are absent: a run of them is one bare cell
                // spanning their columns (the sticky headings name the outlets), so the page
                // grows with the claims carried, not with claims × outlets.
                absent_run += 1;
                continue;
            }
            absent_cells(h, &mut absent_run);
            let _ = write!(
                h,
                "<td class=\"cell {}\" data-outlet=\"{}\" title=\"{}: {}{of}\">{}{count}</td>",
                carry.name(),
                attr(label),
                attr(label),
                carry.name(),
                carry.letter()
            );
        }
        absent_cells(h, &mut absent_run);
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody>\n<tfoot><tr><th scope=\"row\">claims carried</th>");
    for n in carried {
        let pct = if rows.is_empty() {
            0.0
        } else {
            n as f64 * 100.0 / rows.len() as f64
        };
        let _ = write!(h, "<td>{n}/{} ({pct:.0}%)</td>", rows.len());
    }
    h.push_str("</tr></tfoot>\n</table></div>\n</section>\n");
}

/// Above [`storydiff::model::FOLD_OUTLETS`] outlets: every copy cluster under its original, each copy in
/// a `<details>` element with its counts and the sentences it changed against its original
/// (added, dropped, reworded), not a full side-by-side view with the base per copy.
fn copies(h: &mut String, report: &Report, fold: &super::Folding, prefix: &str) {
    if report.copies.is_empty() {
        return;
    }
    // The comparison of each copy with its original, by copy.
    let mut comparison_of: Vec<Option<&Comparison>> = vec![None; report.articles.len()];
    for c in report
        .comparisons
        .iter()
        .filter(|c| fold.is_copy_comparison(c))
    {
        comparison_of[c.other.index()] = Some(c);
    }
    for (k, cluster) in report.copies.iter().enumerate() {
        let Some(orig) = report.articles.get(cluster.original) else {
            continue;
        };
        let _ = write!(
            h,
            "<section class=\"copies\" id=\"{prefix}copies-{k}\">\n<h2>Copies of {} ({})</h2>\n<p class=\"meta\">Near-duplicates of {0}, folded into it: each is compared with {0}, and shows what it changed.</p>\n",
            text(&orig.label),
            cluster.copies.len()
        );
        for x in &cluster.copies {
            let Some(copy) = report.articles.get(x.member) else {
                continue;
            };
            let Some(c) = comparison_of[x.member] else {
                let _ = writeln!(
                    h,
                    "<p><b>{}</b> <code>{}</code></p>",
                    text(&copy.label),
                    text(&copy.path)
                );
                continue;
            };
            let _ = write!(
                h,
                "<details class=\"copy\" data-outlet=\"{}\"><summary><b>{}</b> <code>{}</code>: {}</summary><ul>",
                attr(&copy.label),
                text(&copy.label),
                text(&copy.path),
                text(&super::copy_summary(Some(x), c))
            );
            for row in rows::rows(c, copy) {
                match row {
                    Row::Link(li) => {
                        let l = &c.links[li];
                        if l.kind == LinkKind::Identical {
                            continue;
                        }
                        h.push_str("<li>~ ");
                        for ch in &l.diff {
                            match ch.op {
                                DiffOp::Equal => h.push_str(&text(&ch.text)),
                                DiffOp::Delete => {
                                    let _ = write!(h, "<del>{}</del>", text(&ch.text));
                                }
                                DiffOp::Insert => {
                                    let _ = write!(h, "<ins>{}</ins>", text(&ch.text));
                                }
                            }
                        }
                        h.push_str("</li>");
                    }
                    Row::Dropped(i) => {
                        let _ = write!(
                            h,
                            "<li class=\"dropped\">\u{2212} <del>{}</del></li>",
                            text(&orig.sentences[i].text)
                        );
                    }
                    Row::Added(j) => {
                        let _ = write!(
                            h,
                            "<li class=\"added\">+ <ins>{}</ins></li>",
                            text(&copy.sentences[j].text)
                        );
                    }
                    Row::SharedBase(_) | Row::SharedOther(_) => {
                        let Some((base_side, i)) = row.sentence() else {
                            continue;
                        };
                        let a = if base_side { orig } else { copy };
                        let _ = write!(
                            h,
                            "<li class=\"shared\">^ {}</li>",
                            text(&a.sentences[i].text)
                        );
                    }
                }
            }
            h.push_str("</ul></details>\n");
        }
        h.push_str("</section>\n");
    }
}

fn short(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let cut: String = s.chars().take(max).collect();
    format!("{}\u{2026}", cut.trim_end())
}

/// What every sentence of one report's side-by-side views needs.
struct Ctx<'a> {
    /// The report: its claim graph gives every sentence's claim.
    report: &'a Report,
    /// The claim graph as the views name outlets, for the notes under a row.
    carriers: &'a super::Claims<'a>,
    /// Keeps ids unique when several reports share a page.
    prefix: &'a str,
    /// Sentences already written: the first occurrence carries the id findings link to.
    seen: std::cell::RefCell<std::collections::HashSet<(usize, usize)>>,
    /// The report's findings.
    findings: &'a [storydiff::model::Finding],
    /// The findings (indices) whose evidence lies in each (article, sentence).
    findings_of: std::collections::HashMap<(usize, usize), Vec<usize>>,
    /// The articles (positions, ascending) each finding's evidence lies in.
    finding_articles: Vec<Vec<usize>>,
    /// The two articles (positions) of the comparison being written.
    pair: std::cell::Cell<(usize, usize)>,
    /// Many outlets: a dropped base sentence already written in full is named in later pair
    /// views by its first words, linked to where it is written (the base's text would
    /// otherwise be repeated in every outlet's view).
    by_reference: bool,
}

impl Ctx<'_> {
    /// The id of sentence `i` of article `art`, where findings link to.
    fn sentence_id(&self, art: usize, i: usize) -> String {
        format!("{}s{art}-{i}", self.prefix)
    }

    /// The id of a finding.
    fn finding_id(&self, id: &str) -> String {
        format!("{}f-{id}", self.prefix)
    }
}

fn sentence_span(h: &mut String, a: &Article, i: usize, art: usize, ctx: &Ctx, body: &str) {
    let claim = ctx
        .report
        .claims
        .claim_of(storydiff::model::ArticleId(art), i)
        .map_or(usize::MAX, |c| c.0);
    let first = ctx.seen.borrow_mut().insert((art, i));
    let id = if first {
        format!(" id=\"{}\"", ctx.sentence_id(art, i))
    } else {
        String::new()
    };
    let _ = write!(
        h,
        "<span class=\"s\"{id} tabindex=\"0\" data-claim=\"{}c{claim}\" data-s=\"{}:{i}\">{body}</span> ",
        ctx.prefix,
        attr(&a.label)
    );
    finding_refs(h, art, i, first, ctx);
}

/// A dropped base sentence already written in full, named by its first words and linked to
/// where it is written ([`Ctx::by_reference`]).
fn sentence_ref(h: &mut String, a: &Article, i: usize, art: usize, ctx: &Ctx) {
    let _ = write!(
        h,
        "<a class=\"sref\" href=\"#{}\" title=\"written in full above\">{}</a> ",
        attr(&ctx.sentence_id(art, i)),
        text(&rows::gist(&a.sentences[i].text))
    );
    finding_refs(h, art, i, false, ctx);
}

/// Links back to the findings whose evidence is in sentence `i` of article `art`.
fn finding_refs(h: &mut String, art: usize, i: usize, first: bool, ctx: &Ctx) {
    // Back to the findings whose evidence is in this sentence: all of them where the sentence
    // is first written (the place their evidence links to); where it is written again, in
    // another pair's view, those that concern that pair's other outlet or this one alone (a
    // base sentence is in every pair's view: listing every outlet's findings in each would
    // grow with the square of the outlets).
    let (b, o) = ctx.pair.get();
    let partner = if art == b { o } else { b };
    for &k in ctx.findings_of.get(&(art, i)).into_iter().flatten() {
        let arts = &ctx.finding_articles[k];
        let shown = first || arts.binary_search(&partner).is_ok() || arts.iter().all(|&a| a == art);
        if !shown {
            continue;
        }
        let f = ctx.findings[k].id.as_str();
        let _ = write!(
            h,
            "<a class=\"fref\" href=\"#{}\" title=\"finding {}\">!</a> ",
            attr(&ctx.finding_id(f)),
            attr(f)
        );
    }
}

/// Articles of a comparison with their positions in the report.
struct Pair<'a> {
    base: &'a Article,
    other: &'a Article,
    ba: usize,
    oa: usize,
}

fn side_by_side(h: &mut String, k: usize, c: &Comparison, p: &Pair, ctx: &Ctx) {
    let (base, other, ba, oa, prefix) = (p.base, p.other, p.ba, p.oa, ctx.prefix);
    ctx.pair.set((ba, oa));
    let s = &c.summary;
    let _ = write!(
        h,
        "<section class=\"pair\" id=\"{prefix}pair-{k}\" data-base=\"{}\" data-other=\"{}\">\n<h2>{} against {} (base)</h2>\n\
         <p class=\"summary\">identical <b data-count=\"identical\">{}</b> · reworded <b data-count=\"reworded\">{}</b> · \
         partial <b data-count=\"partial\">{}</b> · added <b data-count=\"added\">{}</b> · dropped <b data-count=\"dropped\">{}</b> · \
         {:.0}% of {} covered</p>\n<div class=\"scroll\"><table class=\"sbs\">\n<thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead>\n<tbody>\n",
        attr(&base.label),
        attr(&other.label),
        text(&other.label),
        text(&base.label),
        s.identical,
        s.reworded,
        s.partial,
        s.added,
        s.dropped,
        s.base_coverage * 100.0,
        text(&base.label),
        text(&base.label),
        text(&other.label)
    );
    let related = RelatedPartners::new(c);
    for row in rows::rows(c, other) {
        match row {
            Row::Link(li) => {
                let l = &c.links[li];
                let kind = match l.kind {
                    LinkKind::Identical => "identical",
                    LinkKind::Reworded => "reworded",
                    LinkKind::Partial => "partial",
                };
                let _ = write!(
                    h,
                    "<tr data-kind=\"{kind}\"><td data-outlet=\"{}\">",
                    attr(&base.label)
                );
                side_cells(h, base, &l.base, &l.diff, DiffOp::Delete, ctx, ba);
                let _ = write!(h, "</td><td data-outlet=\"{}\">", attr(&other.label));
                side_cells(h, other, &l.other, &l.diff, DiffOp::Insert, ctx, oa);
                let _ = writeln!(
                    h,
                    "<span class=\"score\">{kind} · {:.2}</span></td></tr>",
                    l.score
                );
            }
            Row::Dropped(i) | Row::SharedBase(i) => {
                let kind = if matches!(row, Row::Dropped(_)) {
                    "dropped"
                } else {
                    "shared"
                };
                let _ = write!(
                    h,
                    "<tr data-kind=\"{kind}\"><td class=\"{kind}\" data-outlet=\"{}\">",
                    attr(&base.label)
                );
                if ctx.by_reference && ctx.seen.borrow().contains(&(ba, i)) {
                    sentence_ref(h, base, i, ba, ctx);
                } else {
                    sentence_span(h, base, i, ba, ctx, &text(&base.sentences[i].text));
                }
                row_notes(h, c, &related, row, ctx);
                h.push_str("</td><td class=\"empty\"></td></tr>\n");
            }
            Row::Added(j) | Row::SharedOther(j) => {
                let kind = if matches!(row, Row::Added(_)) {
                    "added"
                } else {
                    "shared"
                };
                let _ = write!(h, "<tr data-kind=\"{kind}\" data-owner=\"{0}\"><td class=\"empty\"></td><td class=\"{kind}\" data-outlet=\"{0}\">", attr(&other.label));
                sentence_span(h, other, j, oa, ctx, &text(&other.sentences[j].text));
                row_notes(h, c, &related, row, ctx);
                h.push_str("</td></tr>\n");
            }
        }
    }
    h.push_str("</tbody>\n</table></div>\n</section>\n");
}

/// Under a sentence with no link in the pair: the notes every view writes
/// ([`rows::notes`]).
fn row_notes(h: &mut String, c: &Comparison, related: &RelatedPartners, row: Row, ctx: &Ctx) {
    for n in rows::notes(ctx.report, ctx.carriers, c, related, row) {
        let class = match n.kind {
            NoteKind::Possible => "rel possible",
            NoteKind::Related => "rel",
            NoteKind::SameClaim => "rel same",
            NoteKind::AlsoIn => "rel also",
        };
        let _ = write!(h, "<small class=\"{class}\">{}</small>", n.line(text));
    }
}

/// One side of a link: its sentences, with the side's own changes marked. The diff joins the
/// side's sentences with one space, so the diff text is cut back into sentences by length.
fn side_cells(
    h: &mut String,
    a: &Article,
    idx: &[usize],
    diff: &[storydiff::model::DiffChunk],
    mine: DiffOp,
    ctx: &Ctx,
    art: usize,
) {
    let tag = if mine == DiffOp::Delete { "del" } else { "ins" };
    // Pieces of this side in order, with whether they changed.
    let pieces: Vec<(&str, bool)> = diff
        .iter()
        .filter(|c| c.op == DiffOp::Equal || c.op == mine)
        .map(|c| (c.text.as_str(), c.op == mine))
        .collect();
    let mut pos = 0usize; // byte position in the joined side text
    let mut piece = 0usize;
    let mut offset_in_piece = 0usize;
    for (n, &i) in idx.iter().enumerate() {
        let Some(s) = a.sentences.get(i) else {
            continue;
        };
        let end = pos + s.text.len();
        let mut body = String::new();
        while pos < end && piece < pieces.len() {
            let (t, changed) = pieces[piece];
            let avail = t.len() - offset_in_piece;
            let take = avail.min(end - pos);
            let chunk = t.get(offset_in_piece..offset_in_piece + take).unwrap_or("");
            if changed && !chunk.trim().is_empty() {
                let _ = write!(body, "<{tag}>{}</{tag}>", text(chunk));
            } else {
                body.push_str(&text(chunk));
            }
            pos += take;
            offset_in_piece += take;
            if offset_in_piece == t.len() {
                piece += 1;
                offset_in_piece = 0;
            }
        }
        sentence_span(h, a, i, art, ctx, &body);
        // Skip the joining space between sentences.
        if n + 1 < idx.len() {
            let mut skip = 1;
            while skip > 0 && piece < pieces.len() {
                let t = pieces[piece].0;
                let take = (t.len() - offset_in_piece).min(skip);
                offset_in_piece += take;
                skip -= take;
                pos += take;
                if offset_in_piece == t.len() {
                    piece += 1;
                    offset_in_piece = 0;
                }
            }
        }
    }
}

fn findings(h: &mut String, report: &Report, ctx: &Ctx) {
    let prefix = ctx.prefix;
    let _ = write!(
        h,
        "<section id=\"{prefix}findings\">\n<h2>Findings ({})</h2>\n",
        report.findings.len()
    );
    if report.findings.is_empty() {
        h.push_str("<p>No findings.</p>\n</section>\n");
        return;
    }
    h.push_str("<ol class=\"findings\">\n");
    for f in &report.findings {
        let sev = match f.severity {
            Severity::High => "high",
            Severity::Medium => "medium",
            Severity::Low => "low",
        };
        let kind = super::kind_name(f.kind);
        let _ = write!(
            h,
            "<li class=\"finding {sev}\" id=\"{}\" data-severity=\"{sev}\"><span class=\"sev\">{sev}</span> <code>{}</code> <b>{}</b>: {}<ul>",
            attr(&ctx.finding_id(&f.id)),
            text(&f.id),
            text(&kind),
            text(&f.explanation)
        );
        for e in f.evidence.iter().take(super::EVIDENCE_SHOWN) {
            let target =
                Some(e.article.index()).filter(|&a| ctx.seen.borrow().contains(&(a, e.sentence)));
            match target {
                Some(a) => {
                    let _ = write!(
                        h,
                        "<li><b>{}</b> <a class=\"ev\" href=\"#{}\">sentence {}</a>: \u{201c}{}\u{201d}</li>",
                        text(report.label(e.article)),
                        attr(&ctx.sentence_id(a, e.sentence)),
                        e.sentence + 1,
                        text(&e.text)
                    );
                }
                None => {
                    let _ = write!(
                        h,
                        "<li><b>{}</b>: \u{201c}{}\u{201d}</li>",
                        text(report.label(e.article)),
                        text(&e.text)
                    );
                }
            }
        }
        h.push_str("</ul></li>\n");
    }
    h.push_str("</ol>\n</section>\n");
}

fn boilerplate(h: &mut String, report: &Report, prefix: &str) {
    let _ = write!(
        h,
        "<section id=\"{prefix}boilerplate\">\n<h2>Boilerplate set aside</h2>\n"
    );
    for a in &report.articles {
        let _ = write!(
            h,
            "<details><summary>{} ({})</summary><ul>",
            text(&a.label),
            a.boilerplate.len()
        );
        for b in &a.boilerplate {
            let kind = super::kind_name(b.kind);
            let _ = write!(
                h,
                "<li><span class=\"kind\">{}</span> {}</li>",
                text(&kind),
                text(&b.text)
            );
        }
        h.push_str("</ul></details>\n");
    }
    h.push_str("</section>\n");
}
