//! Checklist renderer: the findings as a Markdown task list an editor works through, grouped
//! by severity. Each item is `- [ ] <id> <kind>: <explanation>` followed by the evidence from
//! each outlet, the differing words marked (`~~deleted~~`, `**inserted**`, or the evidence in
//! bold inside its sentence). Article text is escaped so it cannot add Markdown or HTML.

use std::io::{self, Write};

use super::kind_name;
use storydiff::model::{DiffOp, Finding, FindingKind, Report, Severity};

/// Escape text for Markdown: punctuation that Markdown would read is backslash-escaped and
/// `<`, `>`, `&` become entities, so article text renders as text everywhere. Bare links
/// (`https://…`, `www.…`, e-mail addresses) would become live links where a forge renders
/// the list, and `@name` a mention: `:` before `/` and the dot of `www.` are escaped, and a word joiner
/// (U+2060, invisible) follows every `@`.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for (i, c) in s.char_indices() {
        match c {
            // At a fragment's edge the neighbouring fragment may complete "://" or "www.":
            // escaping there too is harmless (it renders the same).
            ':' if s[i + 1..].starts_with('/') || i + 1 == s.len() => out.push_str("\\:"),
            '@' => out.push_str("@\u{2060}"),
            '.' if i == 0 || (i >= 3 && s.as_bytes()[i - 3..i].eq_ignore_ascii_case(b"www")) => {
                out.push_str("\\.")
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\\' | '`' | '*' | '_' | '~' | '[' | ']' | '#' | '|' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' | '\t' | '\u{2028}' | '\u{2029}' => out.push(' '),
            c if crate::escape::is_unsafe(c) => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// Write the checklist of `report`.
pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let labels: Vec<String> = report.articles.iter().map(|a| escape(&a.label)).collect();
    let count = |s: Severity| report.findings.iter().filter(|f| f.severity == s).count();
    writeln!(out, "# storydiff review checklist")?;
    writeln!(out)?;
    writeln!(out, "Outlets: {}.", labels.join(", "))?;
    if let Some(scorer) = report.scorer {
        writeln!(out, "Scorer: {}.", escape(&scorer.name()))?;
    }
    if let Some(c) = report.comparisons.first() {
        let base_only = report.comparisons.iter().all(|x| x.base == c.base);
        if base_only {
            writeln!(
                out,
                "Compared with the base: {}.",
                escape(report.label(c.base))
            )?;
        } else {
            writeln!(out, "Every pair compared.")?;
        }
    }
    writeln!(
        out,
        "{} findings: {} high, {} medium, {} low{}.",
        report.findings.len(),
        count(Severity::High),
        count(Severity::Medium),
        count(Severity::Low),
        if report.dismissed > 0 {
            format!(" ({} dismissed with --accept)", report.dismissed)
        } else {
            String::new()
        }
    )?;
    let notes = report.all_notes();
    if !notes.is_empty() {
        for n in notes {
            writeln!(out)?;
            writeln!(out, "Note: {}", escape(&n))?;
        }
    }
    for (severity, title) in [
        (Severity::High, "High"),
        (Severity::Medium, "Medium"),
        (Severity::Low, "Low"),
    ] {
        let items: Vec<&Finding> = report
            .findings
            .iter()
            .filter(|f| f.severity == severity)
            .collect();
        if items.is_empty() {
            continue;
        }
        writeln!(out)?;
        writeln!(out, "## {title}")?;
        writeln!(out)?;
        for f in items {
            render_item(report, f, out)?;
        }
    }
    Ok(())
}

fn render_item(report: &Report, f: &Finding, out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "- [ ] {} {}: {}",
        escape(&f.id),
        kind_name(f.kind),
        escape(&f.explanation)
    )?;
    if f.kind == FindingKind::QuoteWording && f.evidence.len() >= 2 && !f.diff.is_empty() {
        let side = |keep: DiffOp, mark: &str| -> String {
            f.diff
                .iter()
                .filter(|c| c.op == DiffOp::Equal || c.op == keep)
                .map(|c| {
                    let t = escape(&c.text);
                    if c.op == DiffOp::Equal || t.trim().is_empty() {
                        t
                    } else {
                        let core = t.trim_end();
                        format!("{mark}{core}{mark}{}", &t[core.len()..])
                    }
                })
                .collect()
        };
        for (e, op, mark) in [
            (&f.evidence[0], DiffOp::Delete, "~~"),
            (&f.evidence[1], DiffOp::Insert, "**"),
        ] {
            writeln!(
                out,
                "  - {} (sentence {}): \u{201c}{}\u{201d}",
                escape(report.label(e.article)),
                e.sentence + 1,
                side(op, mark)
            )?;
        }
        return Ok(());
    }
    // Otherwise: each evidence span in bold inside its sentence, one line per sentence.
    let mut shown: Vec<(storydiff::model::ArticleId, usize)> = Vec::new();
    for e in &f.evidence {
        let key = (e.article, e.sentence);
        if shown.contains(&key) {
            continue;
        }
        shown.push(key);
        let a = report.article(e.article);
        let Some(s) = a.sentences.get(e.sentence) else {
            continue;
        };
        if e.end > s.end {
            // Evidence over several sentences (a long quote): show it whole.
            writeln!(
                out,
                "  - {} (sentences {}\u{2013}): \u{201c}{}\u{201d}",
                escape(report.label(e.article)),
                e.sentence + 1,
                escape(&e.text)
            )?;
            continue;
        }
        let mut spans: Vec<(usize, usize)> = f
            .evidence
            .iter()
            .filter(|x| x.article == e.article && x.start >= s.start && x.end <= s.end)
            .map(|x| (x.start - s.start, x.end - s.start))
            .collect();
        spans.sort_unstable();
        let mut line = String::new();
        let mut pos = 0;
        for (st, en) in spans {
            if st < pos || en == st || en - st == s.text.len() {
                continue;
            }
            line.push_str(&escape(&s.text[pos..st]));
            line.push_str(&format!("**{}**", escape(&s.text[st..en])));
            pos = en;
        }
        line.push_str(&escape(&s.text[pos..]));
        writeln!(
            out,
            "  - {} (sentence {}): {}",
            escape(report.label(e.article)),
            e.sentence + 1,
            line
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_and_html_in_article_text_are_escaped() {
        let s = escape("<script>alert(1)</script> **bold** [link](javascript:x) `code` # h");
        assert!(!s.contains('<') && !s.contains("**"));
        assert!(s.contains("\\[link\\]"), "{s}");
        assert!(s.contains("&lt;script&gt;"));
        assert!(s.contains("\\*\\*bold\\*\\*"));
    }

    #[test]
    fn bare_links_and_mentions_stay_text() {
        let s = escape("see https://evil.example, WWW.x.org and @user or a@b.com");
        assert_eq!(
            s,
            "see https\\://evil.example, WWW\\.x.org and @\u{2060}user or a@\u{2060}b.com"
        );
        // Pieces written side by side (a diff chunk dropped between them) stay unlinked.
        assert_eq!(
            escape("visit www") + &escape(".evil.com"),
            "visit www\\.evil.com"
        );
        assert_eq!(escape("see https:") + &escape("//x"), "see https\\://x");
    }
}
