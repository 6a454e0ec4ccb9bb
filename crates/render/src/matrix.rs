//! The coverage matrix's reading of a report's claim graph ([`Report::claims`]): per claim,
//! which outlets carry it and how (base, identical, reworded, partial, only here). It reads
//! the graph and never aligns again.

use std::collections::BTreeMap;

use storydiff::model::{LinkKind, Report};

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

/// The report's claims as the coverage matrix shows them: per article (in report order) the
/// sentences that carry each claim and how, ordered by the sentences of article `base`, then
/// by first appearance. Reads [`Report::claims`]; it never aligns again.
pub fn claims(report: &Report, base: usize) -> Vec<Claim> {
    let n = report.articles.len();
    sparse(report, base)
        .into_iter()
        .map(|c| {
            let mut cells: Vec<(Vec<usize>, Carry)> = vec![(Vec::new(), Carry::Absent); n];
            for (a, sents, carry) in c.cells {
                cells[a] = (sents, carry);
            }
            Claim { cells }
        })
        .collect()
}

/// One claim with only the articles that carry it: [`Claim`] without the absent cells, whose
/// number is the claims times the outlets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SparseClaim {
    /// The articles that carry the claim (ascending report index), each with its sentence
    /// indices (ascending) and how it carries the claim.
    pub cells: Vec<(usize, Vec<usize>, Carry)>,
}

impl SparseClaim {
    /// How article `a` carries the claim.
    pub fn carry(&self, a: usize) -> Carry {
        self.cells
            .binary_search_by_key(&a, |c| c.0)
            .map_or(Carry::Absent, |k| self.cells[k].2)
    }
}

/// [`claims`] without the absent cells, in the same order.
pub fn sparse(report: &Report, base: usize) -> Vec<SparseClaim> {
    let index_of: BTreeMap<&str, usize> = report
        .articles
        .iter()
        .enumerate()
        .map(|(k, a)| (a.label.as_str(), k))
        .collect();
    let mut out: Vec<((usize, usize, usize), SparseClaim)> = report
        .claims
        .iter()
        .map(|gc| {
            // Per article: sentences and the closest link kind.
            let mut by: BTreeMap<usize, (Vec<usize>, Option<LinkKind>)> = BTreeMap::new();
            for m in &gc.members {
                if let Some(&a) = index_of.get(m.article.as_str()) {
                    let e = by.entry(a).or_default();
                    e.0.push(m.sentence);
                    e.1 = match (e.1, m.kind) {
                        (Some(x), Some(y)) => Some(x.min(y)),
                        (x, y) => x.or(y),
                    };
                }
            }
            let outlets = by.len();
            let cells: Vec<(usize, Vec<usize>, Carry)> = by
                .into_iter()
                .map(|(a, (mut sents, best))| {
                    sents.sort_unstable();
                    let carry = if outlets == 1 {
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
                    (a, sents, carry)
                })
                .collect();
            let key = match cells.iter().find(|c| c.0 == base).and_then(|c| c.1.first()) {
                Some(&i) => (0, i, 0),
                None => cells
                    .iter()
                    .find_map(|c| c.1.first().map(|&i| (1, c.0, i)))
                    .unwrap_or((1, 0, 0)),
            };
            (key, SparseClaim { cells })
        })
        .collect();
    out.sort_by_key(|x| x.0);
    out.into_iter().map(|(_, c)| c).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use storydiff::{compare_texts, CompareOptions};

    #[test]
    fn the_matrix_kind_is_against_the_base() {
        let r = compare_texts(
            &[
                ("a", "Lavrov met Blinken in Geneva on Friday."),
                (
                    "b",
                    "Lavrov met Blinken in Geneva on Friday, officials said.",
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
        // b and c are identical to each other, reworded against the base.
        assert_eq!(cl[0].cells[1].1, Carry::Reworded);
        assert_eq!(cl[0].cells[2].1, Carry::Reworded);
    }

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
