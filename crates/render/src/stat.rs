//! The summary `--stat` prints, and the terminal view leads with, like `git diff --stat`: one
//! line per compared pair with its link counts and the share of the base it covers, then the
//! findings counts.
//!
//! ```text
//!                      identical  reworded  partial  added  dropped  covered
//! epa against kuna             0         0        2     21       12      14%
//! brasov against kuna          0         0        5     38        9      36%
//! findings: 2 high · 13 medium · 20 low
//! ```
//!
//! When the table is wider than the layout (long labels, a narrow `--width`), each pair is
//! one labelled line instead (`epa against kuna: identical 0 · reworded 0 · …`), wrapped like
//! the rest of the terminal view. Labels are sanitised as everywhere on a terminal.

use std::io::{self, Write};

use owo_colors::Style;
use unicode_width::UnicodeWidthStr;

use super::wrap::{write_wrapped, Palette, Piece};
use super::RenderOptions;
use storydiff::model::{Report, Severity, Summary};

/// Write the summary of `report`: a line per comparison, then the findings counts.
pub fn render(report: &Report, opts: &RenderOptions, out: &mut dyn Write) -> io::Result<()> {
    let pal = Palette::new(opts.color);
    write_stat(report, &pal, opts.width.max(super::MIN_WIDTH), out)
}

/// One column of the table for one pair: heading, value, style.
type Cell = (&'static str, String, Style);

/// The columns of the table for one pair.
fn columns(s: &Summary, pal: &Palette) -> [Cell; 6] {
    [
        ("identical", s.identical.to_string(), Style::new()),
        ("reworded", s.reworded.to_string(), pal.reworded),
        ("partial", s.partial.to_string(), pal.partial),
        ("added", s.added.to_string(), pal.insert),
        ("dropped", s.dropped.to_string(), pal.delete),
        (
            "covered",
            format!("{:.0}%", s.base_coverage * 100.0),
            Style::new(),
        ),
    ]
}

/// Space between the columns of the table.
const GAP: &str = "  ";

/// The summary, with the terminal view's palette and width.
pub(super) fn write_stat(
    report: &Report,
    pal: &Palette,
    width: usize,
    out: &mut dyn Write,
) -> io::Result<()> {
    if let Some(scorer) = report.scorer {
        let line = format!("scorer: {}", pal.text(&scorer.name()));
        writeln!(out, "{}", pal.dim.style(line))?;
    }
    // Above the fold limit a copy's line is its cluster's, after the table.
    let fold = super::Folding::new(report);
    let folded = |c: &&storydiff::model::Comparison| fold.large && fold.is_copy_comparison(c);
    let rows: Vec<(String, [Cell; 6])> = report
        .comparisons
        .iter()
        .filter(|c| !folded(c))
        .map(|c| {
            let name = format!(
                "{} against {}",
                pal.text(report.label(c.other)),
                pal.text(report.label(c.base))
            );
            (name, columns(&c.summary, pal))
        })
        .collect();
    let name_w = rows.iter().map(|(n, _)| n.width()).max().unwrap_or(0);
    let mut col_w = [0usize; 6];
    for (_, cols) in &rows {
        for (k, (head, value, _)) in cols.iter().enumerate() {
            col_w[k] = col_w[k].max(head.len()).max(value.len());
        }
    }
    let table_w = name_w + col_w.iter().map(|w| w + GAP.len()).sum::<usize>();
    if table_w <= width {
        if let Some((_, cols)) = rows.first() {
            let mut head = " ".repeat(name_w);
            for (k, (h, _, _)) in cols.iter().enumerate() {
                head.push_str(&format!("{GAP}{h:>w$}", w = col_w[k]));
            }
            writeln!(out, "{}", pal.dim.style(head.trim_end()))?;
        }
        for (name, cols) in &rows {
            let pad = " ".repeat(name_w - name.width());
            write!(out, "{}{pad}", pal.header.style(name))?;
            for (k, (_, value, style)) in cols.iter().enumerate() {
                let cell = format!("{value:>w$}", w = col_w[k]);
                // A zero is not worth a colour.
                let style = if value == "0" { pal.dim } else { *style };
                write!(out, "{GAP}{}", style.style(cell))?;
            }
            writeln!(out)?;
        }
    } else {
        for (name, cols) in &rows {
            let mut pieces: Vec<Piece> = vec![(format!("{name}:"), pal.header)];
            for (k, (head, value, style)) in cols.iter().enumerate() {
                let sep = if k == 0 { "" } else { " ·" };
                pieces.push((format!("{sep} {head} "), pal.dim));
                pieces.push((value.clone(), *style));
            }
            write_wrapped(out, "", "    ", &pieces, width)?;
        }
    }
    if fold.large {
        for cluster in &report.copies {
            let sims = cluster.copies.iter().map(|x| x.similarity);
            let lo = sims.clone().fold(f64::INFINITY, f64::min);
            let hi = sims.fold(f64::NEG_INFINITY, f64::max);
            let line = format!(
                "{} copies of {} (similarity {lo:.2} to {hi:.2}), each compared with it and listed under it",
                cluster.copies.len(),
                pal.text(&cluster.label)
            );
            write_wrapped(out, "", "    ", &[(line, pal.dim)], width)?;
        }
    }
    let line = format!("findings: {}", findings_counts(report));
    write_wrapped(out, "", "    ", &[(line, Style::new())], width)
}

/// `N high · N medium · N low`, and `· N dismissed` when `--accept` dismissed any.
pub(super) fn findings_counts(report: &Report) -> String {
    let count = |s: Severity| report.findings.iter().filter(|f| f.severity == s).count();
    let mut text = format!(
        "{} high · {} medium · {} low",
        count(Severity::High),
        count(Severity::Medium),
        count(Severity::Low)
    );
    if report.dismissed > 0 {
        text.push_str(&format!(" · {} dismissed", report.dismissed));
    }
    text
}
