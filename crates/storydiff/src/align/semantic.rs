//! The semantic scorer: soft word matching over the encoder's contextual token vectors
//! (BERTScore-F with IDF weights). For each content word of one sentence, the best cosine of
//! its vector to any content word of the other; IDF-weighted means per direction, combined as
//! their harmonic mean. Most claims two independent reports share are one clause inside
//! otherwise different sentences; contextual vectors match "written answers" with "a position
//! stated on paper", which no shared term does.
//!
//! Each article is encoded once, in its analysis ([`crate::analyse::vectors`]); the scorer
//! reads word vectors from that. Candidates are every pair when the two articles are small
//! enough ([`ALL_PAIRS_BUDGET`]), else the lexical scorer's candidates, and the comparison
//! says so. Links are still diffed and kinds still named by wording (the lexical Dice).

use std::collections::HashMap;

use super::{Decision, Lexical, LexicalPrepared, PairScore, Scorer, Thresholds};
use crate::analyse::vectors::{Encoded, SentenceWords};
use crate::analyse::Document;

/// When the two articles have at most this many sentence pairs, every pair is scored; above
/// it, only the lexical scorer's candidates are (said in the comparison's notes).
pub const ALL_PAIRS_BUDGET: usize = 65_536;

/// The semantic scorer; lexical scores ride along for candidates and link kinds.
#[derive(Debug, Clone)]
pub struct Semantic {
    lexical: Lexical,
    t: Thresholds,
}

impl Semantic {
    /// A semantic scorer deciding by `t`'s `soft_*` thresholds.
    pub fn new(t: &Thresholds) -> Self {
        Semantic {
            lexical: Lexical::new(t),
            t: *t,
        }
    }
}

/// Two encoded articles with IDF weights for their content words.
#[derive(Debug)]
pub struct SemanticPrepared<'a> {
    lex: LexicalPrepared,
    base: &'a Encoded,
    other: &'a Encoded,
    base_weights: Vec<Vec<f32>>,
    other_weights: Vec<Vec<f32>>,
    base_pos: Vec<usize>,
    other_pos: Vec<usize>,
    all_pairs: bool,
    /// The labels of the articles that came without word vectors (said in a note; their
    /// pairs are scored by the lexical rules alone).
    unencoded: Vec<String>,
}

impl<'a> Scorer<'a> for Semantic {
    type Prepared = SemanticPrepared<'a>;

    fn prepare(&self, base: Document<'a>, other: Document<'a>) -> SemanticPrepared<'a> {
        static EMPTY: Encoded = Encoded {
            dim: 0,
            sentences: Vec::new(),
        };
        let (eb, eo) = (
            base.analysis.encoded.as_ref().unwrap_or(&EMPTY),
            other.analysis.encoded.as_ref().unwrap_or(&EMPTY),
        );
        let mut df: HashMap<&str, u32> = HashMap::new();
        let mut n = 0usize;
        for s in eb.sentences.iter().chain(&eo.sentences) {
            n += 1;
            let mut seen: Vec<&str> = s.stems.iter().map(String::as_str).collect();
            seen.sort_unstable();
            seen.dedup();
            for w in seen {
                *df.entry(w).or_insert(0) += 1;
            }
        }
        let weights = |e: &Encoded| -> Vec<Vec<f32>> {
            e.sentences
                .iter()
                .map(|s| {
                    s.stems
                        .iter()
                        .map(|w| {
                            let d = df.get(w.as_str()).copied().unwrap_or(1).max(1) as f32;
                            (1.0 + n.max(1) as f32 / d).ln()
                        })
                        .collect()
                })
                .collect()
        };
        let (nb, no) = (eb.sentences.len(), eo.sentences.len());
        let unencoded: Vec<String> = [(base, nb), (other, no)]
            .iter()
            .filter(|(d, n)| d.analysis.encoded.is_none() || *n != d.article.sentences.len())
            .map(|(d, _)| d.article.label.clone())
            .collect();
        SemanticPrepared {
            lex: self.lexical.prepare(base, other),
            base_weights: weights(eb),
            other_weights: weights(eo),
            base_pos: base.article.sentences.iter().map(|s| s.index).collect(),
            other_pos: other.article.sentences.iter().map(|s| s.index).collect(),
            base: eb,
            other: eo,
            all_pairs: nb.saturating_mul(no) <= ALL_PAIRS_BUDGET,
            unencoded,
        }
    }

    fn candidates(
        &self,
        p: &SemanticPrepared<'a>,
        visit: &mut dyn FnMut(usize, usize),
    ) -> Vec<String> {
        if !p.unencoded.is_empty() {
            let mut notes = self.lexical.candidates(&p.lex, visit);
            notes.push(format!(
                "semantic scorer: no word vectors for {}; its pairs were scored by the lexical rules alone",
                p.unencoded.join(", ")
            ));
            return notes;
        }
        if p.all_pairs {
            for i in 0..p.base.sentences.len() {
                for j in 0..p.other.sentences.len() {
                    visit(i, j);
                }
            }
            return Vec::new();
        }
        let mut notes = self.lexical.candidates(&p.lex, visit);
        notes.push(format!(
            "semantic scorer: {} × {} sentence pairs is over {ALL_PAIRS_BUDGET}; only pairs sharing a term were scored",
            p.base.sentences.len(),
            p.other.sentences.len()
        ));
        notes
    }

    fn score(&self, p: &SemanticPrepared<'a>, i: usize, j: usize) -> PairScore {
        let mut s = self.lexical.score(&p.lex, i, j);
        if let (Some(a), Some(b)) = (p.base.sentences.get(i), p.other.sentences.get(j)) {
            s.soft = soft_match(
                a,
                b,
                &p.base_weights[i],
                &p.other_weights[j],
                p.base.dim,
                self.t.claim_units > 0.0,
            );
        }
        s
    }

    fn score_groups(&self, p: &SemanticPrepared<'a>, base: &[usize], other: &[usize]) -> PairScore {
        self.lexical.score_groups(&p.lex, base, other)
    }

    fn identical(&self, p: &SemanticPrepared<'a>, base: &[usize], other: &[usize]) -> bool {
        self.lexical.identical(&p.lex, base, other)
    }

    fn decide(&self, p: &SemanticPrepared<'a>, i: usize, j: usize, s: &PairScore) -> Decision {
        let t = &self.t;
        let lead = p.base_pos.get(i) == Some(&0) || p.other_pos.get(j) == Some(&0);
        // A headline pair shares the topic by construction: it needs more to be a link or to
        // share a claim, and is otherwise at most possibly covered.
        let bar = if lead { t.soft_lead } else { 0.0 };
        // What the lexical scorer says stands: its links, and its shared claims (many are
        // the lead pairs of two reports on one event, where news_ecb DEV links most).
        let lexical = self.lexical.decide(&p.lex, i, j, s);
        Decision {
            link: lexical.link || s.soft >= t.soft_link.max(bar),
            related: lexical.related || s.soft >= t.soft_related.max(bar),
            possible: s.soft >= t.soft_possible,
            rank: s.soft,
            // Below the headline bar a lead pair counts as much as it falls short.
            evidence: if lead && s.soft < t.soft_lead {
                s.soft * t.soft_related / t.soft_lead.max(f64::MIN_POSITIVE)
            } else {
                s.soft
            },
        }
    }
}

/// BERTScore-F of two sentences' content words (IDF-weighted), the maximum over their claim
/// units when `by_units`.
pub fn soft_match(
    a: &SentenceWords,
    b: &SentenceWords,
    wa: &[f32],
    wb: &[f32],
    dim: usize,
    by_units: bool,
) -> f64 {
    let (n, m) = (a.stems.len(), b.stems.len());
    if n == 0 || m == 0 || dim == 0 {
        return 0.0;
    }
    let mut sim = vec![0f32; n * m];
    for x in 0..n {
        let va = &a.vectors[x * dim..(x + 1) * dim];
        for y in 0..m {
            sim[x * m + y] = crate::vector::dot(va, &b.vectors[y * dim..(y + 1) * dim]);
        }
    }
    let f = |(a0, a1): (usize, usize), (b0, b1): (usize, usize)| -> f64 {
        let (mut r, mut rw, mut p, mut pw) = (0f64, 0f64, 0f64, 0f64);
        for x in a0..a1 {
            let best = (b0..b1).map(|y| sim[x * m + y]).fold(f32::MIN, f32::max);
            r += (wa[x] * best) as f64;
            rw += wa[x] as f64;
        }
        for y in b0..b1 {
            let best = (a0..a1).map(|x| sim[x * m + y]).fold(f32::MIN, f32::max);
            p += (wb[y] * best) as f64;
            pw += wb[y] as f64;
        }
        if rw == 0.0 || pw == 0.0 {
            return 0.0;
        }
        let (r, p) = ((r / rw).max(0.0), (p / pw).max(0.0));
        if r + p == 0.0 {
            0.0
        } else {
            2.0 * r * p / (r + p)
        }
    };
    if !by_units {
        return f((0, n), (0, m));
    }
    let mut best = 0f64;
    for &ua in &a.units {
        for &ub in &b.units {
            best = best.max(f(ua, ub));
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn soft_match_is_the_harmonic_mean_of_weighted_best_cosines() {
        // Two 2-d unit vectors per side: a matches b's first exactly; a's second is
        // orthogonal to both of b's.
        let a = SentenceWords {
            stems: vec!["x".into(), "y".into()],
            vectors: vec![1.0, 0.0, 0.0, 1.0],
            units: vec![(0, 2)],
        };
        let b = SentenceWords {
            stems: vec!["x".into(), "z".into()],
            vectors: vec![1.0, 0.0, 1.0, 0.0],
            units: vec![(0, 2)],
        };
        // Recall (a in b): (1·1 + 1·0) / 2 = 0.5; precision (b in a): (1 + 1) / 2 = 1.
        let f = soft_match(&a, &b, &[1.0, 1.0], &[1.0, 1.0], 2, false);
        assert!((f - 2.0 * 0.5 / 1.5).abs() < 1e-9, "{f}");
    }
}
