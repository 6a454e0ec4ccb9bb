//! The coverage matrix's reading of a report's claim graph ([`Report::claims`]): per claim,
//! which outlets carry it and how (base, identical, reworded, partial, only here). It reads
//! the graph and never aligns again.

use std::collections::BTreeMap;

use storydiff::model::{ArticleId, LinkKind, Report, Standing};

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
    /// Only this outlet's sentences carry it, but an aligned pair finds a sentence of another
    /// outlet that shares a claim with one of them.
    Related,
    /// Only this outlet's sentences carry it, but an aligned pair finds a sentence of another
    /// outlet that possibly covers one of them (semantic scorer).
    Possible,
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
            Carry::Related => "\u{2248}",
            Carry::Possible => "?",
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
            Carry::Related => "related",
            Carry::Possible => "possible",
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
/// sentences that carry each claim and how, in the claim graph's order ([`Report::claims`]);
/// it never aligns again.
#[cfg(test)]
pub fn claims(report: &Report) -> Vec<Claim> {
    dense(sparse(report), report.articles.len())
}

/// [`SparseClaim`]s with an absent cell for each of the `n` articles that does not carry them.
pub fn dense(sparse: Vec<SparseClaim>, n: usize) -> Vec<Claim> {
    sparse
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

/// The claims of the graph without their absent cells ([`dense`] adds them), in its order. How an outlet carries a claim is
/// against the report's base; a claim of one outlet is [`Carry::Only`] unless some aligned
/// pair gives its sentences a related or possibly-covering sentence elsewhere
/// ([`Standing`]), as the pair views and the "only in" findings say.
pub fn sparse(report: &Report) -> Vec<SparseClaim> {
    let graph = &report.claims;
    let base = report.base.index();
    graph
        .claims()
        .iter()
        .map(|gc| {
            // Per article: sentences and the closest link kind.
            let mut by: BTreeMap<usize, (Vec<usize>, Option<LinkKind>)> = BTreeMap::new();
            for m in &gc.members {
                let e = by.entry(m.article.index()).or_default();
                e.0.push(m.sentence);
                e.1 = match (e.1, m.kind) {
                    (Some(x), Some(y)) => Some(x.min(y)),
                    (x, y) => x.or(y),
                };
            }
            let outlets = by.len();
            let cells: Vec<(usize, Vec<usize>, Carry)> = by
                .into_iter()
                .map(|(a, (mut sents, best))| {
                    sents.sort_unstable();
                    let carry = if outlets == 1 {
                        let standing = sents
                            .iter()
                            .map(|&s| graph.kind_of(ArticleId(a), s))
                            .min()
                            .unwrap_or(Standing::Alone);
                        match standing {
                            Standing::Related => Carry::Related,
                            Standing::Possible => Carry::Possible,
                            Standing::Linked(_) | Standing::Alone => Carry::Only,
                        }
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
            SparseClaim { cells }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use storydiff::Engine;

    #[test]
    fn the_matrix_kind_is_against_the_base() {
        let r = Engine::default()
            .compare_texts(&[
                ("a", "Lavrov met Blinken in Geneva on Friday."),
                (
                    "b",
                    "Lavrov met Blinken in Geneva on Friday, officials said.",
                ),
                (
                    "c",
                    "Lavrov met Blinken in Geneva on Friday, officials said.",
                ),
            ])
            .unwrap_or_else(|e| panic!("{e}"));
        let cl = claims(&r);
        // b and c are identical to each other, reworded against the base.
        assert_eq!(cl[0].cells[1].1, Carry::Reworded);
        assert_eq!(cl[0].cells[2].1, Carry::Reworded);
    }

    #[test]
    fn claims_cover_every_sentence_once_in_base_order() {
        let r = Engine::default()
            .compare_texts(&[
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
            ])
            .unwrap_or_else(|e| panic!("{e}"));
        let cl = claims(&r);
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
