//! Evaluate links against hand-made gold sentence pairs.
//!
//! Gold format (as in `fixtures/gold/kuna-epa.json`): `{"articles": {label: path},
//! "pairs": [{"a": label, "a_text": str, "b": label, "b_text": str, "label": str}]}` where
//! each text is an exact substring of its article.
//!
//! Matching rule: a link predicts every (base sentence, other sentence) pair it joins. A
//! predicted pair is correct when its base sentence's span overlaps the gold `a_text` span and
//! its other sentence's span overlaps the gold `b_text` span of some gold pair. Precision is
//! the share of predicted pairs that are correct; recall the share of gold pairs matched by
//! at least one predicted pair.

use serde::{Deserialize, Serialize};

use crate::model::{Article, Comparison};

/// One gold pair.
#[derive(Debug, Clone, Deserialize)]
pub struct GoldPair {
    /// Label of the first article.
    pub a: String,
    /// Exact text in the first article.
    pub a_text: String,
    /// Label of the second article.
    pub b: String,
    /// Exact text in the second article.
    pub b_text: String,
    /// same / reworded / partial.
    #[serde(default)]
    pub label: String,
}

/// A gold file.
#[derive(Debug, Clone, Deserialize)]
pub struct Gold {
    /// Article label → path, relative to where the gold was made.
    pub articles: std::collections::BTreeMap<String, String>,
    /// The gold pairs.
    pub pairs: Vec<GoldPair>,
}

/// Precision and recall of links.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Scores {
    /// Predicted sentence pairs.
    pub predicted: usize,
    /// Predicted pairs that match a gold pair.
    pub correct: usize,
    /// Gold pairs.
    pub gold: usize,
    /// Gold pairs found by some predicted pair.
    pub found: usize,
    /// correct / predicted.
    pub precision: f64,
    /// found / gold.
    pub recall: f64,
    /// Harmonic mean of precision and recall.
    pub f1: f64,
}

impl Scores {
    fn finish(mut self) -> Self {
        self.precision = ratio(self.correct, self.predicted);
        self.recall = ratio(self.found, self.gold);
        self.f1 = if self.precision + self.recall > 0.0 {
            2.0 * self.precision * self.recall / (self.precision + self.recall)
        } else {
            0.0
        };
        self
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

fn overlaps(s: (usize, usize), t: (usize, usize)) -> bool {
    s.0 < t.1 && t.0 < s.1
}

/// Score `cmp` (base = the gold's `a` article, other = its `b` article) against `pairs`.
/// Gold texts not found in the articles are reported as an error naming the text.
pub fn score(
    base: &Article,
    other: &Article,
    cmp: &Comparison,
    pairs: &[GoldPair],
) -> Result<Scores, String> {
    let mut spans = Vec::with_capacity(pairs.len());
    for p in pairs {
        let a = base
            .text
            .find(&p.a_text)
            .ok_or_else(|| format!("gold text not in {}: {:?}", base.label, p.a_text))?;
        let b = other
            .text
            .find(&p.b_text)
            .ok_or_else(|| format!("gold text not in {}: {:?}", other.label, p.b_text))?;
        spans.push(((a, a + p.a_text.len()), (b, b + p.b_text.len())));
    }
    let mut s = Scores {
        gold: pairs.len(),
        ..Scores::default()
    };
    let mut found = vec![false; pairs.len()];
    for link in &cmp.links {
        for &i in &link.base {
            for &j in &link.other {
                let si = &base.sentences[i];
                let sj = &other.sentences[j];
                s.predicted += 1;
                let mut correct = false;
                for (k, (ga, gb)) in spans.iter().enumerate() {
                    if overlaps((si.start, si.end), *ga) && overlaps((sj.start, sj.end), *gb) {
                        correct = true;
                        found[k] = true;
                    }
                }
                s.correct += usize::from(correct);
            }
        }
    }
    s.found = found.iter().filter(|f| **f).count();
    Ok(s.finish())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{compare_texts, CompareOptions};

    #[test]
    fn precision_and_recall_follow_the_overlap_rule() {
        let r = compare_texts(
            &[
                (
                    "a",
                    "Lavrov met Blinken in Geneva on Friday. Oil rose in Asia.",
                ),
                (
                    "b",
                    "Lavrov met Blinken in Geneva on Friday. Gold fell in Europe.",
                ),
            ],
            &CompareOptions::default(),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let gold = vec![
            GoldPair {
                a: "a".into(),
                a_text: "Lavrov met Blinken".into(),
                b: "b".into(),
                b_text: "in Geneva on Friday.".into(),
                label: "same".into(),
            },
            GoldPair {
                a: "a".into(),
                a_text: "Oil rose in Asia.".into(),
                b: "b".into(),
                b_text: "Gold fell in Europe.".into(),
                label: "partial".into(),
            },
        ];
        let s = score(&r.articles[0], &r.articles[1], &r.comparisons[0], &gold)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((s.predicted, s.correct, s.found, s.gold), (1, 1, 1, 2));
        assert_eq!(s.precision, 1.0);
        assert_eq!(s.recall, 0.5);
    }
}
