//! Terminal renderer: the summary (`--stat`, [`super::stat`]), then per compared outlet a
//! header, a one-line summary and the sentences with a marker column, wrapped to the
//! terminal width; the findings last.
//!
//! Markers: `=` identical, `~` reworded (inline word diff), `*` partial (both sentences, the
//! words only one side has marked), `+` added (in the other outlet, not the base; the notes
//! under it name any third outlet that carries its claim), `-` dropped (in the base, not the
//! other outlet), `^` shared (no link in the pair, but the claim graph puts the other outlet's
//! sentence in its claim, through another outlet). With colour off, deletions read `[-…-]`
//! and insertions `{+…+}`.
//! Rows follow the base's order; an added sentence comes right after the row holding the
//! other article's sentence before it.

use std::io::{self, Write};

use owo_colors::Style;
use unicode_width::UnicodeWidthStr;

use super::rows::{self, RelatedPartners, Row};
use super::wrap::{layout_lines, write_wrapped, Palette, Piece};
use super::{kind_name, Layout, Only, RenderOptions};
use storydiff::model::{Article, Comparison, DiffOp, LinkKind, Report, Severity};

/// Write the terminal view of `report`.
pub fn render(report: &Report, opts: &RenderOptions, out: &mut dyn Write) -> io::Result<()> {
    let pal = Palette::new(opts.color);
    let width = opts.width.max(super::MIN_WIDTH);
    // The summary first, as `--stat` prints it alone.
    super::stat::write_stat(report, &pal, width, out)?;
    // `--outlet`: the comparisons and findings that outlet takes part in.
    let outlet = opts.outlet.as_deref().map(|l| (l, report.find(l)));
    if let Some((label, id)) = outlet {
        let text = match id {
            Some(id) => {
                let hidden = report
                    .comparisons
                    .iter()
                    .filter(|c| c.base != id && c.other != id)
                    .count();
                format!(
                    "showing only what {} takes part in (--outlet); {hidden} other comparison(s) and the findings of other outlets hidden",
                    pal.text(label)
                )
            }
            None => format!("no outlet is labelled {} (--outlet)", pal.text(label)),
        };
        writeln!(out)?;
        write_wrapped(out, "", "", &[(text, pal.dim)], width)?;
    }
    let outlet = outlet.and_then(|(_, id)| id);
    if opts.only == Some(Only::Findings) {
        return render_findings(report, outlet, &pal, width, out);
    }
    writeln!(out)?;
    for a in &report.articles {
        render_article_line(a, &pal, width, out)?;
    }
    for note in report.all_notes() {
        let line = format!("note: {}", pal.text(&note));
        write_wrapped(out, "", "      ", &[(line, pal.reworded)], width)?;
    }
    let claims = super::Claims::new(report);
    let view = View {
        report,
        claims: &claims,
        pal: &pal,
        width,
        layout: opts.layout,
        only: opts.only,
    };
    let fold = super::Folding::new(report);
    for c in &report.comparisons {
        if fold.large && fold.is_copy_comparison(c) {
            // Listed under its original below.
            continue;
        }
        if outlet.is_some_and(|id| c.base != id && c.other != id) {
            continue;
        }
        let (base, other) = (report.article(c.base), report.article(c.other));
        writeln!(out)?;
        render_comparison(c, base, other, &view, out)?;
    }
    if fold.large {
        render_copies(report, &fold, &view, out)?;
    }
    if opts.only.is_some() {
        // A view of some of the sentences: the findings are --only findings.
        return Ok(());
    }
    render_findings(report, outlet, &pal, width, out)
}

/// What every comparison of one terminal view shares.
struct View<'a> {
    report: &'a Report,
    claims: &'a super::Claims<'a>,
    pal: &'a Palette,
    width: usize,
    layout: Layout,
    only: Option<Only>,
}

impl View<'_> {
    /// Whether `--only` keeps a row.
    fn keeps(&self, c: &Comparison, row: &Row) -> bool {
        match (self.only, row) {
            (None | Some(Only::Findings), _) => true,
            (Some(Only::Changes), Row::Link(k)) => c.links[*k].kind != LinkKind::Identical,
            (Some(Only::Changes), _) => true,
            (Some(Only::Added), r) => matches!(r, Row::Added(_)),
            (Some(Only::Dropped), r) => matches!(r, Row::Dropped(_)),
        }
    }
}

/// The findings after the diff: severity, id, kind and explanation, then the evidence; with
/// `outlet`, those that name it.
fn render_findings(
    report: &Report,
    outlet: Option<storydiff::model::ArticleId>,
    pal: &Palette,
    width: usize,
    out: &mut dyn Write,
) -> io::Result<()> {
    writeln!(out)?;
    let title = format!("== findings: {} ", super::stat::findings_counts(report));
    write_rule(out, &title, pal, width)?;
    for f in &report.findings {
        if outlet.is_some_and(|id| !f.articles.contains(&id)) {
            continue;
        }
        let (tag, style) = match f.severity {
            Severity::High => ("high", pal.delete),
            Severity::Medium => ("medium", pal.reworded),
            Severity::Low => ("low", pal.dim),
        };
        let kind = kind_name(f.kind);
        let head = format!(
            "{} {} {kind}: {}",
            pal.text(&f.id),
            tag,
            pal.text(&f.explanation)
        );
        write_wrapped(
            out,
            &format!("{} ", style.style("!")),
            "  ",
            &[(head, Style::new())],
            width,
        )?;
        for e in f.evidence.iter().take(super::EVIDENCE_SHOWN) {
            let text = format!(
                "{}: \u{201c}{}\u{201d}",
                pal.text(report.label(e.article)),
                pal.text(&e.text)
            );
            write_wrapped(out, "    ", "      ", &[(text, pal.dim)], width)?;
        }
    }
    Ok(())
}

fn render_article_line(
    a: &Article,
    pal: &Palette,
    width: usize,
    out: &mut dyn Write,
) -> io::Result<()> {
    let head = format!(
        "{} ({}): {} sentences, {} words",
        pal.text(&a.label),
        pal.text(&a.path),
        a.sentences.len(),
        a.word_count()
    );
    write_wrapped(out, "", "  ", &[(head, pal.header)], width)?;
    for b in &a.boilerplate {
        let text = format!("set aside ({}): {}", kind_name(b.kind), pal.text(&b.text));
        write_wrapped(out, "  ", "    ", &[(text, pal.dim)], width)?;
    }
    Ok(())
}

fn render_comparison(
    c: &Comparison,
    base: &Article,
    other: &Article,
    view: &View,
    out: &mut dyn Write,
) -> io::Result<()> {
    let (pal, width) = (view.pal, view.width);
    let bl = pal.text(&base.label);
    let ol = pal.text(&other.label);
    write_rule(out, &format!("== {ol} against {bl} (base) "), pal, width)?;
    let s = &c.summary;
    let line = format!(
        "{} · {:.0}% of {bl} covered",
        super::counts(s),
        s.base_coverage * 100.0
    );
    write_wrapped(out, "", "", &[(line, Style::new())], width)?;
    let mut legend =
        format!("= identical · ~ reworded · * partial · + in {ol}, not {bl} · - in {bl}, not {ol}");
    if !c.shared_base.is_empty() || !c.shared_other.is_empty() {
        legend.push_str(" · ^ same claim, joined through another outlet");
    }
    write_wrapped(out, "", "", &[(legend, pal.dim)], width)?;

    let all = rows::rows(c, other);
    let shown: Vec<&Row> = all.iter().filter(|r| view.keeps(c, r)).collect();
    if let Some(only) = view.only {
        let what = match only {
            Only::Changes => "changed sentences (--only changes)",
            Only::Added => "added sentences (--only added)",
            Only::Dropped => "dropped sentences (--only dropped)",
            Only::Findings => "findings",
        };
        let hidden = all.len() - shown.len();
        let text = format!("showing only {what}; {hidden} other row(s) hidden");
        write_wrapped(out, "", "", &[(text, pal.dim)], width)?;
    }
    if view.layout == Layout::SideBySide {
        return render_side_by_side(c, base, other, &shown, view, out);
    }

    let related = RelatedPartners::new(c);
    for row in shown {
        match *row {
            Row::Link(k) => {
                let link = &c.links[k];
                match link.kind {
                    LinkKind::Identical => {
                        let text = join_sentences(base, &link.base, pal);
                        write_wrapped(out, "= ", "  ", &[(text, Style::new())], width)?;
                    }
                    LinkKind::Reworded => {
                        let pieces: Vec<Piece> = link
                            .diff
                            .iter()
                            .map(|ch| styled_chunk(ch.op, &ch.text, pal, DiffOp::Delete))
                            .collect();
                        write_wrapped(
                            out,
                            &format!("{} ", pal.reworded.style("~")),
                            "  ",
                            &pieces,
                            width,
                        )?;
                    }
                    LinkKind::Partial => {
                        let name_w = bl.width().max(ol.width());
                        let base_pieces: Vec<Piece> = link
                            .diff
                            .iter()
                            .filter(|ch| ch.op != DiffOp::Insert)
                            .map(|ch| styled_chunk(ch.op, &ch.text, pal, DiffOp::Delete))
                            .collect();
                        let other_pieces: Vec<Piece> = link
                            .diff
                            .iter()
                            .filter(|ch| ch.op != DiffOp::Delete)
                            .map(|ch| styled_chunk(ch.op, &ch.text, pal, DiffOp::Insert))
                            .collect();
                        let indent = " ".repeat(name_w + 4);
                        let first = format!("{} {bl:<name_w$}: ", pal.partial.style("*"));
                        write_wrapped(out, &first, &indent, &base_pieces, width)?;
                        let second = format!("  {ol:<name_w$}: ");
                        write_wrapped(out, &second, &indent, &other_pieces, width)?;
                    }
                }
            }
            row => {
                sentence_row(out, row, (base, other), "", pal, width)?;
                let notes = rows::notes(view.report, view.claims, c, &related, row);
                for n in notes {
                    let line = n.line(|t| pal.text(t));
                    write_wrapped(out, "    ", "      ", &[(line, pal.dim)], width)?;
                }
            }
        }
    }
    Ok(())
}

/// A row of one sentence (dropped, added or shared): its marker, then the sentence wrapped,
/// every line after `lead`.
fn sentence_row(
    out: &mut dyn Write,
    row: Row,
    (base, other): (&Article, &Article),
    lead: &str,
    pal: &Palette,
    width: usize,
) -> io::Result<()> {
    let Some((base_side, i)) = row.sentence() else {
        return Ok(());
    };
    let article = if base_side { base } else { other };
    let (marker, style) = sentence_marker(row, pal);
    let text = pal.text(&article.sentences[i].text);
    write_wrapped(
        out,
        &format!("{lead}{} ", style.style(marker)),
        &format!("{lead}  "),
        &[(text, style)],
        width,
    )
}

/// The marker and style of a row of one sentence.
fn sentence_marker(row: Row, pal: &Palette) -> (&'static str, Style) {
    match row {
        Row::Dropped(_) => ("-", pal.delete),
        Row::Added(_) => ("+", pal.insert),
        Row::SharedBase(_) | Row::SharedOther(_) => ("^", pal.dim),
        Row::Link(_) => (" ", Style::new()),
    }
}

/// Above [`storydiff::model::FOLD_OUTLETS`] outlets: each copy cluster under its original, every copy
/// with one line of counts and the rows it changed against the original (what `--only`
/// keeps of them), instead of a full comparison with the base per copy.
fn render_copies(
    report: &Report,
    fold: &super::Folding,
    view: &View,
    out: &mut dyn Write,
) -> io::Result<()> {
    let (pal, width) = (view.pal, view.width);
    // The comparison of each copy with its original, by copy.
    let mut comparison_of: Vec<Option<&Comparison>> = vec![None; report.articles.len()];
    for c in report
        .comparisons
        .iter()
        .filter(|c| fold.is_copy_comparison(c))
    {
        comparison_of[c.other.index()] = Some(c);
    }
    for cluster in &report.copies {
        let Some(orig) = report.articles.get(cluster.original) else {
            continue;
        };
        let ol = pal.text(&orig.label);
        writeln!(out)?;
        let role = if report.base.index() == cluster.original {
            " (base)"
        } else {
            ""
        };
        write_rule(
            out,
            &format!("== copies of {ol}{role}: {} ", cluster.copies.len()),
            pal,
            width,
        )?;
        let legend = format!(
            "each copy against {ol}: + in the copy, not {ol} · - in {ol}, not the copy · ~ reworded · * partial"
        );
        write_wrapped(out, "", "", &[(legend, pal.dim)], width)?;
        for x in &cluster.copies {
            let Some(copy) = report.articles.get(x.member) else {
                continue;
            };
            let head = format!("{} ({})", pal.text(&copy.label), pal.text(&copy.path));
            let Some(c) = comparison_of.get(x.member).copied().flatten() else {
                write_wrapped(out, "", "  ", &[(head, pal.header)], width)?;
                continue;
            };
            let line = format!("{head}: {}", super::copy_summary(Some(x), c));
            write_wrapped(out, "", "  ", &[(line, pal.header)], width)?;
            for row in rows::rows(c, copy) {
                if !view.keeps(c, &row) {
                    continue;
                }
                match row {
                    Row::Link(k) => {
                        let link = &c.links[k];
                        if link.kind == LinkKind::Identical {
                            continue;
                        }
                        let pieces: Vec<Piece> = link
                            .diff
                            .iter()
                            .map(|ch| styled_chunk(ch.op, &ch.text, pal, DiffOp::Delete))
                            .collect();
                        let (marker, style) = if link.kind == LinkKind::Reworded {
                            ("~", pal.reworded)
                        } else {
                            ("*", pal.partial)
                        };
                        write_wrapped(
                            out,
                            &format!("  {} ", style.style(marker)),
                            "    ",
                            &pieces,
                            width,
                        )?;
                    }
                    row => sentence_row(out, row, (orig, copy), "  ", pal, width)?,
                }
            }
        }
    }
    Ok(())
}

/// The column between the two sides of the side-by-side layout.
const SEPARATOR: &str = " │ ";

/// The rows of a comparison in two columns: the base on the left, the other outlet on the
/// right, each wrapped to its half of the width by display width. The marker of a row opens
/// its first line only, so a wrapped sentence reads as one row.
fn render_side_by_side(
    c: &Comparison,
    base: &Article,
    other: &Article,
    shown: &[&Row],
    view: &View,
    out: &mut dyn Write,
) -> io::Result<()> {
    let pal = view.pal;
    let inner = view.width.saturating_sub(2 + SEPARATOR.width());
    let left_w = (inner / 2).max(4);
    let right_w = inner.saturating_sub(left_w).max(4);
    let bl = pal.text(&base.label);
    let ol = pal.text(&other.label);
    let heads = (
        layout_lines(&[(bl.clone(), pal.header)], left_w),
        layout_lines(&[(ol.clone(), pal.header)], right_w),
    );
    write_columns(out, "", &heads.0, &heads.1, left_w)?;
    let related = RelatedPartners::new(c);
    for row in shown {
        let (marker, left, right) = match **row {
            Row::Link(k) => {
                let link = &c.links[k];
                let (marker, base_pieces, other_pieces) = match link.kind {
                    LinkKind::Identical => {
                        let text = join_sentences(base, &link.base, pal);
                        let other_text = join_sentences(other, &link.other, pal);
                        (
                            "=".to_string(),
                            vec![(text, Style::new())],
                            vec![(other_text, Style::new())],
                        )
                    }
                    kind => {
                        let left: Vec<Piece> = link
                            .diff
                            .iter()
                            .filter(|ch| ch.op != DiffOp::Insert)
                            .map(|ch| styled_chunk(ch.op, &ch.text, pal, DiffOp::Delete))
                            .collect();
                        let right: Vec<Piece> = link
                            .diff
                            .iter()
                            .filter(|ch| ch.op != DiffOp::Delete)
                            .map(|ch| styled_chunk(ch.op, &ch.text, pal, DiffOp::Insert))
                            .collect();
                        let m = if kind == LinkKind::Reworded {
                            pal.reworded.style("~").to_string()
                        } else {
                            pal.partial.style("*").to_string()
                        };
                        (m, left, right)
                    }
                };
                (
                    marker,
                    layout_lines(&base_pieces, left_w),
                    layout_lines(&other_pieces, right_w),
                )
            }
            row => {
                let Some((base_side, i)) = row.sentence() else {
                    continue;
                };
                let (article, w) = if base_side {
                    (base, left_w)
                } else {
                    (other, right_w)
                };
                let (marker, style) = sentence_marker(row, pal);
                let text = pal.text(&article.sentences[i].text);
                let mut column = layout_lines(&[(text, style)], w);
                for n in rows::notes(view.report, view.claims, c, &related, row) {
                    column.extend(indented(&[(n.line(|t| pal.text(t)), pal.dim)], w));
                }
                let marker = style.style(marker).to_string();
                if base_side {
                    (marker, column, Vec::new())
                } else {
                    (marker, Vec::new(), column)
                }
            }
        };
        write_columns(out, &marker, &left, &right, left_w)?;
    }
    Ok(())
}

/// `pieces` laid out in `width` columns, each line indented by two spaces.
fn indented(pieces: &[Piece], width: usize) -> Vec<(String, usize)> {
    layout_lines(pieces, width.saturating_sub(2).max(2))
        .into_iter()
        .map(|(l, w)| (format!("  {l}"), w + 2))
        .collect()
}

/// Print two columns of laid-out lines side by side: `marker` and a space before the first
/// line, two spaces before the others; the left column padded to `left_w` display columns.
fn write_columns(
    out: &mut dyn Write,
    marker: &str,
    left: &[(String, usize)],
    right: &[(String, usize)],
    left_w: usize,
) -> io::Result<()> {
    for k in 0..left.len().max(right.len()) {
        let lead = if k == 0 && !marker.is_empty() {
            format!("{marker} ")
        } else {
            "  ".to_string()
        };
        let (l, lw) = left.get(k).map_or(("", 0), |(l, w)| (l.as_str(), *w));
        let pad = " ".repeat(left_w.saturating_sub(lw));
        match right.get(k) {
            Some((r, _)) if !r.is_empty() => writeln!(out, "{lead}{l}{pad}{SEPARATOR}{r}")?,
            _ => writeln!(out, "{lead}{l}{pad}{}", SEPARATOR.trim_end())?,
        }
    }
    Ok(())
}

/// A section heading: the title, then `=` to the full width.
fn write_rule(out: &mut dyn Write, title: &str, pal: &Palette, width: usize) -> io::Result<()> {
    let fill = "=".repeat(width.saturating_sub(title.width()));
    write_wrapped(
        out,
        "",
        "",
        &[(format!("{title}{fill}"), pal.header)],
        width,
    )
}

fn join_sentences(a: &Article, idx: &[usize], pal: &Palette) -> String {
    let parts: Vec<String> = idx
        .iter()
        .filter_map(|&i| a.sentences.get(i))
        .map(|s| pal.text(&s.text))
        .collect();
    parts.join(" ")
}

/// Style one diff chunk. `side` is the side whose spacing is shown when only spacing changed
/// (`Delete` for the base or an inline diff, `Insert` for the other outlet's line).
fn styled_chunk(op: DiffOp, text: &str, pal: &Palette, side: DiffOp) -> Piece {
    let t = pal.text(text);
    // A change of spacing only is not worth a mark.
    if op != DiffOp::Equal && t.trim().is_empty() {
        let shown = if op == side { t } else { String::new() };
        return (shown, Style::new());
    }
    match op {
        DiffOp::Equal => (t, Style::new()),
        DiffOp::Delete if pal.marks => (format!("[-{t}-]"), pal.delete),
        DiffOp::Insert if pal.marks => (format!("{{+{t}+}}"), pal.insert),
        DiffOp::Delete => (t, pal.delete),
        DiffOp::Insert => (t, pal.insert),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wrap::escape_marks;
    use storydiff::model::{ArticleId, ClaimGraph};

    fn wrap(pieces: &[Piece], width: usize) -> String {
        let mut out = Vec::new();
        write_wrapped(&mut out, "> ", "  ", pieces, width).unwrap_or(());
        String::from_utf8(out).unwrap_or_default()
    }

    #[test]
    fn wraps_at_width_without_splitting_words() {
        let text = "the quick brown fox jumps over the lazy dog again and again".to_string();
        let s = wrap(&[(text, Style::new())], 22);
        for line in s.lines() {
            assert!(line.width() <= 22, "{line:?}");
        }
        assert!(s.starts_with("> the quick brown fox"));
        let joined: Vec<&str> = s.split_whitespace().filter(|w| *w != ">").collect();
        assert_eq!(
            joined.join(" "),
            "the quick brown fox jumps over the lazy dog again and again"
        );
    }

    #[test]
    fn glued_pieces_stay_together_and_long_words_are_cut() {
        let s = wrap(
            &[
                ("[-Sergey-]".into(), Style::new()),
                ("{+Sergei+} Lavrov".into(), Style::new()),
            ],
            40,
        );
        assert!(s.contains("[-Sergey-]{+Sergei+} Lavrov"), "{s}");
        let s = wrap(&[("x".repeat(50), Style::new())], 20);
        assert!(s.lines().all(|l| l.width() <= 20), "{s}");
        assert_eq!(s.matches('x').count(), 50);
    }

    #[test]
    fn article_text_cannot_forge_a_mark() {
        assert_eq!(
            escape_marks("a [-b-] {+c+} d\\e"),
            "a [\\-b-\\] {\\+c+\\} d\\\\e"
        );
        assert_eq!(escape_marks("x-y [z] 1+2"), "x-y [z] 1+2");
    }

    use crate::tests::article;

    fn chunk(op: DiffOp, text: &str) -> storydiff::model::DiffChunk {
        storydiff::model::DiffChunk {
            op,
            text: text.into(),
        }
    }

    /// A claim graph of `articles` with every sentence a claim of its own.
    fn alone(articles: &[&Article]) -> ClaimGraph {
        let claims = articles
            .iter()
            .enumerate()
            .flat_map(|(k, a)| {
                (0..a.sentences.len()).map(move |s| storydiff::model::Claim {
                    id: format!("c{k}-{s}"),
                    members: vec![storydiff::model::ClaimMember {
                        article: ArticleId(k),
                        sentence: s,
                        kind: None,
                    }],
                })
            })
            .collect();
        let counts: Vec<usize> = articles.iter().map(|a| a.sentences.len()).collect();
        ClaimGraph::new(claims, &counts, &[]).unwrap_or_else(|| panic!("claims"))
    }

    /// `c` of `base` and `other` in the side-by-side layout at `width`, colour off.
    fn side_by_side(c: &Comparison, base: &Article, other: &Article, width: usize) -> String {
        let report = Report {
            version: storydiff::model::SCHEMA_VERSION,
            articles: vec![base.clone(), other.clone()],
            comparisons: vec![c.clone()],
            copies: Vec::new(),
            base: ArticleId(0),
            claims: alone(&[base, other]),
            findings: Vec::new(),
            dismissed: 0,
            scorer: None,
            notes: Vec::new(),
        };
        let claims = crate::Claims::new(&report);
        let pal = Palette::new(false);
        let view = View {
            report: &report,
            claims: &claims,
            pal: &pal,
            width,
            layout: Layout::SideBySide,
            only: None,
        };
        let mut out = Vec::new();
        render_comparison(c, base, other, &view, &mut out).unwrap_or(());
        String::from_utf8(out).unwrap_or_default()
    }

    fn comparison(
        links: Vec<storydiff::model::Link>,
        added: Vec<usize>,
        dropped: Vec<usize>,
    ) -> Comparison {
        Comparison {
            base: ArticleId(0),
            other: ArticleId(1),
            links,
            related: Vec::new(),
            possible: Vec::new(),
            added,
            dropped,
            shared_base: Vec::new(),
            shared_other: Vec::new(),
            summary: Default::default(),
            notes: Vec::new(),
        }
    }

    #[test]
    fn side_by_side_puts_linked_sentences_on_one_row() {
        let base = article(
            "wire",
            "Lavrov met Blinken in Geneva. Talks ended without a deal.",
        );
        let other = article(
            "site",
            "Lavrov met Blinken in Geneva on Friday. Oil prices rose \u{1b}[31msharply.",
        );
        let link = storydiff::model::Link {
            kind: LinkKind::Reworded,
            base: vec![0],
            other: vec![0],
            score: 0.9,
            diff: vec![
                chunk(DiffOp::Equal, "Lavrov met Blinken in Geneva"),
                chunk(DiffOp::Insert, " on Friday"),
                chunk(DiffOp::Equal, "."),
            ],
            fallback: None,
        };
        let c = comparison(vec![link], vec![1], vec![1]);
        let got = side_by_side(&c, &base, &other, 50);
        let expected = "\
== site against wire (base) ======================
identical 0 · reworded 0 · partial 0 · added 0 ·
dropped 0 · 0% of wire covered
= identical · ~ reworded · * partial · + in site,
not wire · - in wire, not site
  wire                   │ site
~ Lavrov met Blinken in  │ Lavrov met Blinken in
  Geneva.                │ Geneva{+ on Friday+}.
+                        │ Oil prices rose
                         │ \u{fffd}[31msharply.
- Talks ended without a  │
  deal.                  │
";
        assert_eq!(got, expected, "\n{got}");
    }

    #[test]
    fn side_by_side_wraps_wide_and_combining_characters_by_display_width() {
        // CJK characters (two columns each), and e + combining acute accent (one column)
        // where a word too long for its column is cut: the accent stays with its e.
        let base = article("wire", "東京で会談した。");
        let other = article("site", "Cafe\u{301} cafe\u{301} abcdefghie\u{301}jkl.");
        let c = comparison(Vec::new(), vec![0], vec![0]);
        let got = side_by_side(&c, &base, &other, 25);
        let expected = "\
== site against wire
(base)
identical 0 · reworded 0
· partial 0 · added 0 ·
dropped 0 · 0% of wire
covered
= identical · ~ reworded
· * partial · + in site,
not wire · - in wire, not
site
  wire       │ site
+            │ Cafe\u{301} cafe\u{301}
             │ abcdefghie\u{301}
             │ jkl.
- 東京で会談 │
  した。     │
";
        assert_eq!(got, expected, "\n{got}");
        // The separator sits at the same display column on every row.
        for line in got.lines().skip(10) {
            let at = line.find('│').map(|i| line[..i].width());
            assert_eq!(at, Some(13), "{line:?}");
        }
    }
}
