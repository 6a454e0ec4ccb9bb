//! ABCD-LINK news_he: 804 human-labelled sentence pairs over 20 article pairs. Each article
//! pair's labelled sentences become two articles (sentence ids kept, so headlines stay
//! headlines); every labelled pair is scored by the scorer and decision `compare` uses. A pair
//! is a link when both annotators said so.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

use storydiff::align::{Scorer, Thresholds};
use storydiff::analyse::{analyse_with, Document};
use storydiff::encoder::Encoder;

/// What `eval news-he` reports.
#[derive(Debug, Clone, Serialize)]
pub struct NewsHe {
    /// Labelled pairs scored.
    pub pairs: usize,
    /// Pairs both annotators linked.
    pub positives: usize,
    /// Article pairs (the folds).
    pub article_pairs: usize,
    /// Area under the ROC curve of the decision's evidence.
    pub auc: f64,
    /// Average precision of the same ranking.
    pub ap: f64,
    /// F1 with the threshold on the evidence chosen on the other article pairs (leave one
    /// article pair out), pooled over the folds.
    pub cv_f1: f64,
    /// The thresholds the folds chose: smallest and largest.
    pub cv_thresholds: (f64, f64),
    /// F1 of `compare`'s own decision (linked or shares a claim) at the default thresholds.
    pub decided: super::Binary,
}

/// One labelled pair with what the scorer made of it.
#[derive(Debug, Clone)]
struct Scored {
    fold: String,
    gold: bool,
    evidence: f64,
    decided: bool,
}

/// Score news_he's `annotations.csv` in `dir`.
pub fn news_he(dir: &Path, t: &Thresholds, encoder: Option<&Encoder>) -> Result<NewsHe, String> {
    let path = dir.join("annotations.csv");
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
    let rows = parse_csv(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let header = rows.first().ok_or(format!("{}: empty", path.display()))?;
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .ok_or(format!("{}: no column {name}", path.display()))
    };
    let (doc, sid, tid, src, tgt, both) = (
        col("document_id")?,
        col("source_id")?,
        col("target_id")?,
        col("source_sentence")?,
        col("target_sentence")?,
        col("both_link")?,
    );
    type Side = BTreeMap<usize, String>;
    type Labelled = Vec<(usize, usize, bool)>;
    let mut docs: BTreeMap<String, (Side, Side, Labelled)> = BTreeMap::new();
    for (line, r) in rows.iter().enumerate().skip(1) {
        let get = |k: usize| r.get(k).map(String::as_str).unwrap_or("");
        let num = |k: usize| {
            get(k)
                .parse::<usize>()
                .map_err(|_| format!("{}: line {}: bad sentence id", path.display(), line + 1))
        };
        let (i, j) = (num(sid)?, num(tid)?);
        let e = docs.entry(get(doc).to_string()).or_default();
        e.0.insert(i, get(src).to_string());
        e.1.insert(j, get(tgt).to_string());
        e.2.push((i, j, get(both) == "True"));
    }
    let mut scored = Vec::new();
    for (name, (a, b, pairs)) in &docs {
        let article = |suffix: &str, side: &Side| {
            let label = format!("{name}-{suffix}");
            super::sentences_article(&label, side.iter().map(|(&k, v)| (k, v.as_str())))
        };
        let (aa, ab) = (article("a", a), article("b", b));
        let (na, nb) = (
            analyse_with(&aa, encoder).map_err(|e| e.to_string())?,
            analyse_with(&ab, encoder).map_err(|e| e.to_string())?,
        );
        let (da, db) = (Document::new(&aa, &na), Document::new(&ab, &nb));
        // Labelled pairs by position in the two articles.
        let pos = |side: &Side, id: usize| side.keys().position(|&k| k == id).unwrap_or(0);
        let at: Vec<(usize, usize, bool)> = pairs
            .iter()
            .map(|&(i, j, gold)| (pos(a, i), pos(b, j), gold))
            .collect();
        let decisions = if encoder.is_some() {
            decide_all(&storydiff::align::semantic::Semantic::new(t), da, db, &at)
        } else {
            decide_all(&storydiff::align::Lexical::new(t), da, db, &at)
        };
        scored.extend(decisions.into_iter().map(|(gold, d)| Scored {
            fold: name.clone(),
            gold,
            evidence: d.evidence,
            decided: d.link || d.related,
        }));
    }
    let ranking: Vec<(f64, bool)> = scored.iter().map(|s| (s.evidence, s.gold)).collect();
    let (auc, ap) = (auc(&ranking), average_precision(&ranking));
    // Leave one article pair out: the best-F1 threshold on the others, applied to it.
    let mut predictions = Vec::new();
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for fold in docs.keys() {
        let train: Vec<(f64, bool)> = scored
            .iter()
            .filter(|s| &s.fold != fold)
            .map(|s| (s.evidence, s.gold))
            .collect();
        let th = best_threshold(&train);
        lo = lo.min(th);
        hi = hi.max(th);
        predictions.extend(
            scored
                .iter()
                .filter(|s| &s.fold == fold)
                .map(|s| (s.evidence >= th, s.gold)),
        );
    }
    let cv = super::Binary::of(predictions.into_iter());
    Ok(NewsHe {
        pairs: scored.len(),
        positives: scored.iter().filter(|s| s.gold).count(),
        article_pairs: docs.len(),
        auc,
        ap,
        cv_f1: cv.f1,
        cv_thresholds: (lo, hi),
        decided: super::Binary::of(scored.iter().map(|s| (s.decided, s.gold))),
    })
}

/// The decision of `scorer` on each `(base position, other position, gold)` pair.
fn decide_all<'a, S: Scorer<'a>>(
    scorer: &S,
    base: Document<'a>,
    other: Document<'a>,
    pairs: &[(usize, usize, bool)],
) -> Vec<(bool, storydiff::align::Decision)> {
    let p = scorer.prepare(base, other);
    pairs
        .iter()
        .map(|&(i, j, gold)| (gold, scorer.decide(&p, i, j, &scorer.score(&p, i, j))))
        .collect()
}

/// The threshold on the score that maximises F1 on `pairs` (the midpoint between two
/// neighbouring scores; ties broken towards the higher threshold).
pub fn best_threshold(pairs: &[(f64, bool)]) -> f64 {
    let mut v: Vec<(f64, bool)> = pairs.to_vec();
    v.sort_by(|a, b| b.0.total_cmp(&a.0));
    let positives = v.iter().filter(|p| p.1).count() as f64;
    let (mut tp, mut best, mut th) = (0.0, -1.0, f64::INFINITY);
    for k in 0..v.len() {
        if v[k].1 {
            tp += 1.0;
        }
        if k + 1 < v.len() && v[k + 1].0 == v[k].0 {
            continue;
        }
        let f1 = 2.0 * tp / ((k + 1) as f64 + positives);
        if f1 > best {
            best = f1;
            th = match v.get(k + 1) {
                Some(next) => (v[k].0 + next.0) / 2.0,
                None => v[k].0,
            };
        }
    }
    th
}

/// Area under the ROC curve (ties count half).
pub fn auc(pairs: &[(f64, bool)]) -> f64 {
    let mut v: Vec<(f64, bool)> = pairs.to_vec();
    v.sort_by(|a, b| a.0.total_cmp(&b.0));
    let (pos, neg) = (
        v.iter().filter(|p| p.1).count() as f64,
        v.iter().filter(|p| !p.1).count() as f64,
    );
    if pos == 0.0 || neg == 0.0 {
        return 0.0;
    }
    // Rank-sum with average ranks for ties.
    let mut rank_sum = 0.0;
    let mut k = 0;
    while k < v.len() {
        let mut e = k;
        while e + 1 < v.len() && v[e + 1].0 == v[k].0 {
            e += 1;
        }
        let avg = (k + e) as f64 / 2.0 + 1.0;
        rank_sum += v[k..=e].iter().filter(|p| p.1).count() as f64 * avg;
        k = e + 1;
    }
    (rank_sum - pos * (pos + 1.0) / 2.0) / (pos * neg)
}

/// Average precision of ranking `pairs` by score, highest first.
pub fn average_precision(pairs: &[(f64, bool)]) -> f64 {
    let mut v: Vec<(f64, bool)> = pairs.to_vec();
    v.sort_by(|a, b| b.0.total_cmp(&a.0));
    let pos = v.iter().filter(|p| p.1).count() as f64;
    if pos == 0.0 {
        return 0.0;
    }
    let (mut tp, mut sum) = (0.0, 0.0);
    for (k, p) in v.iter().enumerate() {
        if p.1 {
            tp += 1.0;
            sum += tp / (k + 1) as f64;
        }
    }
    sum / pos
}

/// Rows of a CSV text (RFC 4180: quoted fields may hold commas, newlines and doubled quotes).
fn parse_csv(text: &str) -> Result<Vec<Vec<String>>, String> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    field.push('"');
                    chars.next();
                }
                '"' => quoted = false,
                _ => field.push(c),
            }
            continue;
        }
        match c {
            '"' => quoted = true,
            ',' => row.push(std::mem::take(&mut field)),
            '\r' => {}
            '\n' => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            _ => field.push(c),
        }
    }
    if quoted {
        return Err("a quoted field is not closed".into());
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_may_quote_commas_quotes_and_newlines() {
        let rows = parse_csv("a,b\n1,\"x, \"\"y\"\"\nz\"\n").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(rows, vec![vec!["a", "b"], vec!["1", "x, \"y\"\nz"]]);
        assert!(parse_csv("\"open").is_err());
    }

    #[test]
    fn auc_and_average_precision_of_small_rankings() {
        let perfect = [(0.9, true), (0.8, true), (0.2, false)];
        assert_eq!(auc(&perfect), 1.0);
        assert_eq!(average_precision(&perfect), 1.0);
        let mixed = [(0.9, true), (0.8, false), (0.7, true), (0.1, false)];
        assert_eq!(auc(&mixed), 0.75);
        assert!((average_precision(&mixed) - (1.0 + 2.0 / 3.0) / 2.0).abs() < 1e-12);
        assert_eq!(auc(&[(0.5, true), (0.5, false)]), 0.5);
    }

    #[test]
    fn the_best_threshold_separates_where_f1_peaks() {
        let pairs = [
            (0.9, true),
            (0.8, true),
            (0.5, false),
            (0.4, true),
            (0.1, false),
        ];
        // Cutting below 0.4 keeps 4 with 3 right: F1 6/7 beats 0.65 (2 right: F1 4/5).
        assert_eq!(best_threshold(&pairs), 0.25);
    }
}
