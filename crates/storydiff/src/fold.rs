//! Folding copies in a comparison of many outlets (issue #16): above
//! [`crate::FOLD_OUTLETS`] outlets, near-duplicates ([`crate::copies`]: MinHash/LSH over word
//! shingles, confirmed by exact Jaccard) are folded into their original. Each original is
//! compared with the base, each copy with its original only: the report then has one full
//! comparison per original and, per copy, what it changed against the text it copies, so its
//! size follows the input instead of repeating the same diff once per republisher.
//!
//! The base is always an original: its copies are folded into it. Every other cluster's
//! original is its first member in input order (compare reads no dates).

use crate::copies::{self, CopyCluster};
use crate::model::Article;
use crate::normalize::fnv1a;

/// Which articles are copies of which.
#[derive(Debug, Clone, PartialEq)]
pub struct Fold {
    /// For every article (input order), the index of the original it is folded into (itself
    /// for an original).
    pub original_of: Vec<usize>,
    /// The copy clusters, in order of their original.
    pub clusters: Vec<CopyCluster>,
}

impl Fold {
    /// Whether article `k` is folded into another.
    pub fn is_copy(&self, k: usize) -> bool {
        self.original_of.get(k).is_some_and(|&o| o != k)
    }

    /// The number of originals (articles that are no copy).
    pub fn originals(&self) -> usize {
        (0..self.original_of.len())
            .filter(|&k| !self.is_copy(k))
            .count()
    }

    /// The pairs a folded comparison aligns, as (base side, other side): every original with
    /// the base, every copy with its original; in input order of the other side.
    pub fn pairs(&self, base: usize) -> Vec<(usize, usize)> {
        (0..self.original_of.len())
            .filter(|&k| k != base)
            .map(|k| {
                if self.is_copy(k) {
                    (self.original_of[k], k)
                } else {
                    (base, k)
                }
            })
            .collect()
    }
}

/// Find the copy clusters of `articles`, folding the base's into `base`.
pub fn find(articles: &[Article], base: usize) -> Fold {
    use rayon::prelude::*;
    let sigs: Vec<(Vec<copies::Shingle>, Vec<u64>)> = articles
        .par_iter()
        .map(|a| {
            let sh = copies::shingles(&copies::body(a));
            let bands = copies::band_keys(&sh);
            (copies::set(&sh), bands)
        })
        .collect();
    let tiebreak: Vec<u64> = articles.iter().map(|a| fnv1a(a.text.as_bytes())).collect();
    let items: Vec<copies::Item> = sigs
        .iter()
        .zip(&tiebreak)
        .map(|((_, bands), &t)| copies::Item {
            bands,
            date: None,
            filed: None,
            tiebreak: t,
        })
        .collect();
    let labels: Vec<String> = articles.iter().map(|a| a.label.clone()).collect();
    let mut original_of: Vec<usize> = (0..articles.len()).collect();
    let mut clusters = Vec::new();
    let sets = |i: usize| std::borrow::Cow::Borrowed(&sigs[i].0[..]);
    for members in copies::clusters(&items, &sets) {
        let orig = if members.contains(&base) {
            base
        } else {
            members[0]
        };
        for &m in &members {
            original_of[m] = orig;
        }
        clusters.push(copies::describe_with_original(
            &members, orig, &items, &sets, &labels,
        ));
    }
    clusters.sort_by_key(|c| c.original);
    Fold {
        original_of,
        clusters,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Engine;

    use crate::copies::tests::STORY;

    fn article(label: &str, text: &str) -> Article {
        let raw = crate::ingest::RawArticle {
            label: label.into(),
            path: label.into(),
            text: text.into(),
        };
        crate::build_article(raw, false).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn the_base_is_the_original_of_its_copies_and_pairs_follow_the_fold() {
        let flood = "Heavy rain flooded the lower town overnight and the river rose two \
            metres above its usual level, the mayor said, closing schools and the bridge.";
        let arts = vec![
            article("site", &format!("Updated at noon. {STORY}")),
            article("wire", STORY),
            article("flood", flood),
            article("flood-copy", &format!("{flood} Follow us.")),
        ];
        let f = find(&arts, 1);
        assert_eq!(f.original_of, vec![1, 1, 2, 2]);
        assert_eq!(f.originals(), 2);
        assert_eq!(f.pairs(1), vec![(1, 0), (1, 2), (2, 3)]);
        assert_eq!(f.clusters.len(), 2);
        assert_eq!(f.clusters[0].label, "wire");
        assert_eq!(f.clusters[0].copies[0].label, "site");
    }

    #[test]
    fn a_pile_above_the_limit_is_folded_and_one_below_is_not() {
        let texts: Vec<(String, String)> = (0..crate::FOLD_OUTLETS + 1)
            .map(|k| (format!("s{k}"), format!("Site {k} reports. {STORY}")))
            .collect();
        let refs: Vec<(&str, &str)> = texts
            .iter()
            .map(|(l, t)| (l.as_str(), t.as_str()))
            .collect();
        let engine = Engine::default();
        let big = engine
            .compare_texts(&refs)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(big.copies.len(), 1);
        assert_eq!(big.copies[0].copies.len(), crate::FOLD_OUTLETS);
        let small = engine
            .compare_texts(&refs[..crate::FOLD_OUTLETS])
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(small.copies.is_empty());
        assert!(small
            .comparisons
            .iter()
            .all(|c| small.label(c.base) == "s0"));
    }
}
