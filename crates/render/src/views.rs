//! What the views share about a report: how its claim graph names outlets ([`Claims`]), how
//! a report of many outlets folds copies ([`Folding`]), and the counts a pair's summary line
//! writes.

use storydiff::model::{ArticleId, Report};

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
