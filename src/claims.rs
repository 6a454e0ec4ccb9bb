//! Claims: sentences of all outlets grouped by the links between them, for views that show
//! coverage across outlets (the HTML coverage matrix). A claim is a connected group of linked
//! sentences; a sentence no link touches is a claim of its outlet alone. This only reads the
//! comparisons: it never aligns again.

use std::collections::BTreeMap;

use crate::model::{LinkKind, Report};

/// How one outlet carries a claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Carry {
    /// The base article has it, and so does another outlet.
    Base,
    /// Identical to the base (or, with no base sentence, to another outlet).
    Identical,
    /// Reworded.
    Reworded,
    /// Partly.
    Partial,
    /// Only this outlet has it.
    Only,
    /// The outlet does not carry it.
    Absent,
}

impl Carry {
    /// One-letter code shown with the colour, so the matrix reads without colour too.
    pub fn letter(self) -> &'static str {
        match self {
            Carry::Base => "B",
            Carry::Identical => "=",
            Carry::Reworded => "~",
            Carry::Partial => "P",
            Carry::Only => "+",
            Carry::Absent => "\u{2013}",
        }
    }

    /// Name used in class names and data attributes.
    pub fn name(self) -> &'static str {
        match self {
            Carry::Base => "base",
            Carry::Identical => "identical",
            Carry::Reworded => "reworded",
            Carry::Partial => "partial",
            Carry::Only => "only",
            Carry::Absent => "absent",
        }
    }
}

/// One claim: per article (in report order) the sentences that carry it and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    /// Per article: sentence indices (ascending) and how it carries the claim.
    pub cells: Vec<(Vec<usize>, Carry)>,
}

/// Group the report's sentences into claims, ordered by the base's order, then by first
/// appearance (article order, sentence index). `base` is the article index claims are
/// ordered and labelled by.
pub fn claims(report: &Report, base: usize) -> Vec<Claim> {
    let n_articles = report.articles.len();
    let offsets: Vec<usize> = report
        .articles
        .iter()
        .scan(0, |acc, a| {
            let o = *acc;
            *acc += a.sentences.len();
            Some(o)
        })
        .collect();
    let total: usize = report.articles.iter().map(|a| a.sentences.len()).sum();
    let mut parent: Vec<usize> = (0..total).collect();
    fn find(p: &mut [usize], mut x: usize) -> usize {
        while p[x] != x {
            p[x] = p[p[x]];
            x = p[x];
        }
        x
    }
    let index_of = |label: &str| report.articles.iter().position(|a| a.label == label);
    // Best link kind each sentence takes part in.
    let mut kind_of: Vec<Option<LinkKind>> = vec![None; total];
    for c in &report.comparisons {
        let (Some(ba), Some(oa)) = (index_of(&c.base), index_of(&c.other)) else {
            continue;
        };
        for l in &c.links {
            let nodes: Vec<usize> = l
                .base
                .iter()
                .map(|&i| offsets[ba] + i)
                .chain(l.other.iter().map(|&j| offsets[oa] + j))
                .filter(|&x| x < total)
                .collect();
            for w in nodes.windows(2) {
                let (ra, rb) = (find(&mut parent, w[0]), find(&mut parent, w[1]));
                if ra != rb {
                    parent[ra.max(rb)] = ra.min(rb);
                }
            }
            for &x in &nodes {
                kind_of[x] = Some(kind_of[x].map_or(l.kind, |k| k.min(l.kind)));
            }
        }
    }
    let article_of = |x: usize| offsets.iter().rposition(|&o| o <= x).unwrap_or(0);
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for x in 0..total {
        let r = find(&mut parent, x);
        groups.entry(r).or_default().push(x);
    }
    let mut out: Vec<(Vec<usize>, Claim)> = groups
        .into_values()
        .map(|members| {
            let mut cells: Vec<(Vec<usize>, Carry)> = vec![(Vec::new(), Carry::Absent); n_articles];
            for &x in &members {
                let a = article_of(x);
                cells[a].0.push(x - offsets[a]);
            }
            let outlets = cells.iter().filter(|c| !c.0.is_empty()).count();
            for (a, cell) in cells.iter_mut().enumerate() {
                if cell.0.is_empty() {
                    continue;
                }
                let best = cell.0.iter().filter_map(|&i| kind_of[offsets[a] + i]).min();
                cell.1 = if outlets == 1 {
                    Carry::Only
                } else if a == base {
                    Carry::Base
                } else {
                    match best {
                        Some(LinkKind::Identical) => Carry::Identical,
                        Some(LinkKind::Reworded) => Carry::Reworded,
                        Some(LinkKind::Partial) => Carry::Partial,
                        None => Carry::Only,
                    }
                };
            }
            // Sort key: base position first, then first appearance.
            let key = match cells.get(base).and_then(|c| c.0.first()) {
                Some(&i) => vec![0, i, 0],
                None => {
                    let (a, i) = cells
                        .iter()
                        .enumerate()
                        .find_map(|(a, c)| c.0.first().map(|&i| (a, i)))
                        .unwrap_or((0, 0));
                    vec![1, a, i]
                }
            };
            (key, Claim { cells })
        })
        .collect();
    out.sort_by(|x, y| x.0.cmp(&y.0));
    out.into_iter().map(|(_, c)| c).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{compare_texts, CompareOptions};

    #[test]
    fn claims_cover_every_sentence_once_in_base_order() {
        let r = compare_texts(
            &[
                (
                    "a",
                    "Lavrov met Blinken in Geneva on Friday. Oil rose in Asia.",
                ),
                (
                    "b",
                    "Gold fell in Europe. Lavrov met Blinken in Geneva on Friday.",
                ),
                (
                    "c",
                    "Lavrov met Blinken in Geneva on Friday, officials said.",
                ),
            ],
            &CompareOptions::default(),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let cl = claims(&r, 0);
        let carried: usize = cl
            .iter()
            .map(|c| c.cells.iter().map(|x| x.0.len()).sum::<usize>())
            .sum();
        assert_eq!(carried, 5);
        assert_eq!(cl[0].cells[0], (vec![0], Carry::Base));
        assert_eq!(cl[0].cells[1], (vec![1], Carry::Identical));
        assert_eq!(cl[0].cells[2].1, Carry::Reworded);
        assert_eq!(cl[1].cells[0], (vec![1], Carry::Only));
        assert_eq!(cl[2].cells[1], (vec![0], Carry::Only));
    }
}
