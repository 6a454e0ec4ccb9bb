//! The text `storydiff group` prints: one block per event.

use std::io::{self, Write};

use super::sanitize_for_terminal;

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
        for (what, list) in [
            ("dates", &e.dates),
            ("names", &e.names),
            ("key terms", &e.key_terms),
        ] {
            if !list.is_empty() {
                writeln!(out, "  {what}: {}", sanitize_for_terminal(&list.join(", ")))?;
            }
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
