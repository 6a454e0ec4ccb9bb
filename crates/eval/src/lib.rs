//! storydiff's evaluation harness: score the engine's links against hand-made gold sentence
//! pairs ([`score`]), ABCD-LINK news_ecb and news_he ([`news_he`]), MRPC and METER ([`meter`]),
//! through the same path `compare` takes.
//!
//! Hand gold format (as in `fixtures/gold/kuna-epa.json`): `{"articles": {label: path},
//! "pairs": [{"a": label, "a_text": str, "b": label, "b_text": str, "label": str}]}` where
//! each text is an exact substring of its article.
//!
//! Matching rule: a link predicts every (base sentence, other sentence) pair it joins. A
//! predicted pair is correct when its base sentence's span overlaps the gold `a_text` span and
//! its other sentence's span overlaps the gold `b_text` span of some gold pair. Precision is
//! the share of predicted pairs that are correct; recall the share of gold pairs matched by
//! at least one predicted pair. Predicted pairs are those of every link plus every related
//! pair (sentences that share a claim without being one link).

pub mod findings;
pub mod logistic;
pub mod meter;
pub mod news_he;

use serde::{Deserialize, Serialize};

use storydiff::model::{Article, Comparison};

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
    /// Editorial differences inside the pair (attribution, date/time, number, hedge,
    /// quote-wording, name-spelling, conflict).
    #[serde(default)]
    pub tags: Vec<String>,
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
        self.f1 = f1(self.precision, self.recall);
        self
    }
}

/// The harmonic mean of precision and recall (0 when both are 0).
pub(crate) fn f1(precision: f64, recall: f64) -> f64 {
    if precision + recall > 0.0 {
        2.0 * precision * recall / (precision + recall)
    } else {
        0.0
    }
}

pub(crate) fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// Every (base, other) sentence pair the aligner claims: each link's sentences crossed,
/// then each related pair. Links are given as (base indices, other indices).
fn claimed_pairs<'a>(
    links: impl Iterator<Item = (&'a [usize], &'a [usize])> + 'a,
    related: &'a [storydiff::model::Related],
) -> impl Iterator<Item = (usize, usize)> + 'a {
    links
        .flat_map(|(bs, os)| {
            bs.iter()
                .flat_map(move |&i| os.iter().map(move |&j| (i, j)))
        })
        .chain(related.iter().map(|r| (r.base, r.other)))
}

/// An article of a benchmark's sentences, given as `(index, text)` in order: one per line, each
/// its own paragraph, keeping its index (so a headline stays sentence 0).
pub(crate) fn sentences_article<'t>(
    label: &str,
    sentences: impl IntoIterator<Item = (usize, &'t str)>,
) -> Article {
    let mut text = String::new();
    let mut out = Vec::new();
    for (index, s) in sentences {
        let start = text.len();
        text.push_str(s);
        out.push(storydiff::model::Sentence {
            index,
            paragraph: index,
            start,
            end: text.len(),
            text: s.to_string(),
        });
        text.push('\n');
    }
    Article {
        label: label.to_string(),
        path: label.to_string(),
        text,
        sentences: out,
        boilerplate: Vec::new(),
        notes: Vec::new(),
        date: None,
        url: None,
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
        spans.push((find_span(base, &p.a_text)?, find_span(other, &p.b_text)?));
    }
    let mut s = Scores {
        gold: pairs.len(),
        ..Scores::default()
    };
    let mut found = vec![false; pairs.len()];
    let links = cmp.links.iter().map(|l| (&l.base[..], &l.other[..]));
    for (i, j) in claimed_pairs(links, &cmp.related) {
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
    s.found = found.iter().filter(|f| **f).count();
    Ok(s.finish())
}

/// How the aligner treated the gold pairs of one label: how many it joined in a link of each
/// kind, only marked related, or missed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct ConfusionRow {
    /// Joined in an identical link.
    pub identical: usize,
    /// Joined in a reworded link.
    pub reworded: usize,
    /// Joined in a partial link.
    pub partial: usize,
    /// Only a related pair.
    pub related: usize,
    /// Neither.
    pub missed: usize,
}

/// How the aligner treated each gold label's pairs ([`confusion`]), by label.
pub type Confusion = std::collections::BTreeMap<String, ConfusionRow>;

/// What the aligner did with one gold pair, strongest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Outcome {
    Missed,
    Related,
    Partial,
    Reworded,
    Identical,
}

/// How the aligner treated each gold pair, by gold label: for every label in the gold
/// (`same`, `reworded`, `partial`), how many of its pairs the aligner joined in an
/// `identical`, `reworded` or `partial` link, only marked `related`, or `missed`. When several
/// predicted pairs match one gold pair, the strongest counts (a link over a related pair,
/// identical over reworded over partial).
pub fn confusion(
    base: &Article,
    other: &Article,
    cmp: &Comparison,
    pairs: &[GoldPair],
) -> Result<Confusion, String> {
    use storydiff::model::LinkKind;
    let mut out = Confusion::new();
    for p in pairs {
        let ga = find_span(base, &p.a_text)?;
        let gb = find_span(other, &p.b_text)?;
        let hit = |i: usize, j: usize| {
            let (si, sj) = (&base.sentences[i], &other.sentences[j]);
            overlaps((si.start, si.end), ga) && overlaps((sj.start, sj.end), gb)
        };
        let mut best = Outcome::Missed;
        for l in &cmp.links {
            if l.base.iter().any(|&i| l.other.iter().any(|&j| hit(i, j))) {
                best = best.max(match l.kind {
                    LinkKind::Identical => Outcome::Identical,
                    LinkKind::Reworded => Outcome::Reworded,
                    LinkKind::Partial => Outcome::Partial,
                });
            }
        }
        if best == Outcome::Missed && cmp.related.iter().any(|r| hit(r.base, r.other)) {
            best = Outcome::Related;
        }
        let label = if p.label.is_empty() {
            "unlabelled"
        } else {
            p.label.as_str()
        };
        let row = out.entry(label.to_string()).or_default();
        *match best {
            Outcome::Identical => &mut row.identical,
            Outcome::Reworded => &mut row.reworded,
            Outcome::Partial => &mut row.partial,
            Outcome::Related => &mut row.related,
            Outcome::Missed => &mut row.missed,
        } += 1;
    }
    Ok(out)
}

fn find_span(article: &Article, text: &str) -> Result<(usize, usize), String> {
    let start = article
        .text
        .find(text)
        .ok_or_else(|| format!("gold text not in {}: {:?}", article.label, text))?;
    Ok((start, start + text.len()))
}

/// Which ECB+ topics of news_ecb to score: DEV is topics 1–22, TEST 23 and up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Topics {
    /// Topics 1–22 (for tuning).
    Dev,
    /// Topics 23 and up (for reporting).
    Test,
    /// Every topic.
    All,
}

/// Scores of the aligner on ABCD-LINK news_ecb (`docs.json`: `{doc: {sentence index: text}}`,
/// `news_ecb_links.json`: `{pair: {doc1, doc2, links: {sentence: [sentence, …]}}}`). Each
/// document pair is aligned with `doc1` as the base; a predicted (base, other) sentence pair is
/// correct when it is one of the gold links (the sentences come pre-split, so the overlap rule
/// is equality). Returns the micro-averaged scores over all pairs and each pair's own.
pub fn news_ecb(
    dir: &std::path::Path,
    topics: Topics,
    t: &storydiff::align::Thresholds,
    encoder: Option<&storydiff::encoder::Encoder>,
) -> Result<NewsEcb, String> {
    use std::collections::{BTreeMap, HashSet};
    let read = |name: &str| -> Result<serde_json::Value, String> {
        let path = dir.join(name);
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
        serde_json::from_str(&text).map_err(|e| format!("{}: not JSON: {e}", path.display()))
    };
    let docs = read("docs.json")?;
    let links = read("news_ecb_links.json")?;
    let article = |id: &str| -> Option<Article> {
        let sents = docs.get(id)?.as_object()?;
        let mut ordered: Vec<(usize, &str)> = sents
            .iter()
            .filter_map(|(k, v)| Some((k.parse().ok()?, v.as_str()?)))
            .collect();
        ordered.sort();
        Some(sentences_article(id, ordered))
    };
    let mut cache: BTreeMap<String, (Article, storydiff::analyse::Analysis)> = BTreeMap::new();
    let Some(all) = links.as_object() else {
        return Err("news_ecb_links.json: expected an object of pairs".into());
    };
    let annotated = annotated_sentences(all);
    let mut total = Scores::default();
    let mut within = Scores::default();
    let mut per_pair = Vec::new();
    for v in all.values() {
        let (Some(d1), Some(d2)) = (v["doc1"].as_str(), v["doc2"].as_str()) else {
            continue;
        };
        let topic: u32 = d1
            .split('_')
            .next()
            .and_then(|x| x.parse().ok())
            .unwrap_or(0);
        let keep = match topics {
            Topics::Dev => topic <= 22,
            Topics::Test => topic >= 23,
            Topics::All => true,
        };
        if !keep {
            continue;
        }
        for d in [d1, d2] {
            if !cache.contains_key(d) {
                let a = article(d).ok_or_else(|| format!("docs.json: no document {d}"))?;
                let an =
                    storydiff::analyse::analyse_with(&a, encoder).map_err(|e| e.to_string())?;
                cache.insert(d.to_string(), (a, an));
            }
        }
        let ((a, na), (b, nb)) = (&cache[d1], &cache[d2]);
        let gold: HashSet<(usize, usize)> = gold_links(v).collect();
        let al = storydiff::align::align_documents(
            kind_of(encoder),
            storydiff::analyse::Document::new(a, na),
            storydiff::analyse::Document::new(b, nb),
            t,
        );
        let mut found: HashSet<(usize, usize)> = HashSet::new();
        let mut own = Scores::default();
        let links = al.links.iter().map(|l| (&l.base[..], &l.other[..]));
        for (i, j) in claimed_pairs(links, &al.related) {
            let key = (a.sentences[i].index, b.sentences[j].index);
            own.predicted += 1;
            let hit = gold.contains(&key);
            if hit {
                own.correct += 1;
                found.insert(key);
            }
            if annotated.contains(&(d1, key.0)) && annotated.contains(&(d2, key.1)) {
                within.predicted += 1;
                within.correct += usize::from(hit);
            }
        }
        own.gold = gold.len();
        own.found = found.len();
        total.predicted += own.predicted;
        total.correct += own.correct;
        total.gold += own.gold;
        total.found += own.found;
        per_pair.push(PairScores {
            doc1: d1.to_string(),
            doc2: d2.to_string(),
            scores: own.finish(),
        });
    }
    per_pair.sort_by(|x, y| (&x.doc1, &x.doc2).cmp(&(&y.doc1, &y.doc2)));
    // Every gold link is between annotated sentences: only what was predicted differs.
    within.gold = total.gold;
    within.found = total.found;
    Ok(NewsEcb {
        overall: total.finish(),
        annotated: within.finish(),
        pairs: per_pair,
    })
}

/// The gold links of one news_ecb pair (`{"links": {sentence: [sentence, …]}}`) as
/// (doc1 sentence, doc2 sentence); entries that are not sentence numbers are skipped.
fn gold_links(pair: &serde_json::Value) -> impl Iterator<Item = (usize, usize)> + '_ {
    pair["links"]
        .as_object()
        .into_iter()
        .flatten()
        .filter_map(|(src, tgts)| Some((src.parse::<usize>().ok()?, tgts)))
        .flat_map(|(i, tgts)| {
            tgts.as_array()
                .into_iter()
                .flatten()
                .filter_map(move |tg| Some((i, tg.as_str()?.parse::<usize>().ok()?)))
        })
}

/// Every `(document, sentence)` that carries a gold link in some pair of `links`. ECB+
/// annotated a selection of each document's sentences (here 1,085 of 9,171 carry a link, 2.2
/// per document, mostly the first five), so a pair outside them is unjudged, not wrong.
fn annotated_sentences(
    links: &serde_json::Map<String, serde_json::Value>,
) -> std::collections::HashSet<(&str, usize)> {
    let mut out = std::collections::HashSet::new();
    for v in links.values() {
        let (Some(d1), Some(d2)) = (v["doc1"].as_str(), v["doc2"].as_str()) else {
            continue;
        };
        for (i, j) in gold_links(v) {
            out.insert((d1, i));
            out.insert((d2, j));
        }
    }
    out
}

/// The scores of one news_ecb document pair.
#[derive(Debug, Clone, Serialize)]
pub struct PairScores {
    /// The base document.
    pub doc1: String,
    /// The other document.
    pub doc2: String,
    /// Its link scores.
    pub scores: Scores,
}

/// news_ecb scores: micro-averaged over all document pairs, and per pair (sorted by ids).
#[derive(Debug, Clone, Serialize)]
pub struct NewsEcb {
    /// Every pair's links counted together.
    pub overall: Scores,
    /// The same, counting only predicted pairs whose two sentences carry a gold link in some
    /// pair (the sentences ECB+ annotated; a pair outside them is unjudged).
    pub annotated: Scores,
    /// Each document pair on its own.
    pub pairs: Vec<PairScores>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use storydiff::Engine;

    #[test]
    fn annotated_sentences_are_both_ends_of_every_gold_link() {
        let links = serde_json::json!({
            "p": {"doc1": "a", "doc2": "b", "links": {"0": ["2", "3"]}},
            "q": {"doc1": "b", "doc2": "c", "links": {"1": ["0"]}}
        });
        let got = annotated_sentences(links.as_object().unwrap_or_else(|| panic!("object")));
        let mut got: Vec<(&str, usize)> = got.into_iter().collect();
        got.sort();
        assert_eq!(got, [("a", 0), ("b", 1), ("b", 2), ("b", 3), ("c", 0)]);
    }

    #[test]
    fn binary_scores_count_accuracy_and_the_yes_class() {
        let b =
            Binary::of([(true, true), (true, false), (false, true), (false, false)].into_iter());
        assert_eq!(b.pairs, 4);
        assert_eq!(
            (b.accuracy, b.precision, b.recall, b.f1),
            (0.5, 0.5, 0.5, 0.5)
        );
    }

    #[test]
    fn precision_and_recall_follow_the_overlap_rule() {
        let r = Engine::default()
            .compare_texts(&[
                (
                    "a",
                    "Lavrov met Blinken in Geneva on Friday. Oil rose in Asia.",
                ),
                (
                    "b",
                    "Lavrov met Blinken in Geneva on Friday. Gold fell in Europe.",
                ),
            ])
            .unwrap_or_else(|e| panic!("{e}"));
        let gold = vec![
            GoldPair {
                a: "a".into(),
                a_text: "Lavrov met Blinken".into(),
                b: "b".into(),
                b_text: "in Geneva on Friday.".into(),
                label: "same".into(),
                tags: Vec::new(),
            },
            GoldPair {
                a: "a".into(),
                a_text: "Oil rose in Asia.".into(),
                b: "b".into(),
                b_text: "Gold fell in Europe.".into(),
                label: "partial".into(),
                tags: Vec::new(),
            },
        ];
        let s = score(&r.articles[0], &r.articles[1], &r.comparisons[0], &gold)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((s.predicted, s.correct, s.found, s.gold), (1, 1, 1, 2));
        assert_eq!(s.precision, 1.0);
        assert_eq!(s.recall, 0.5);
        let c = confusion(&r.articles[0], &r.articles[1], &r.comparisons[0], &gold)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            c["same"],
            ConfusionRow {
                identical: 1,
                ..Default::default()
            },
            "{c:?}"
        );
        assert_eq!(c["partial"].missed, 1, "{c:?}");
        let mut wrong = gold.clone();
        wrong[0].a_text = "not in the text".into();
        assert!(
            confusion(&r.articles[0], &r.articles[1], &r.comparisons[0], &wrong)
                .is_err_and(|e| e.contains("not in the text"))
        );
    }
}

/// Accuracy and F1 of a yes/no decision (MRPC: paraphrase or not).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Binary {
    /// Pairs scored.
    pub pairs: usize,
    /// Share of pairs decided right.
    pub accuracy: f64,
    /// Precision of "yes".
    pub precision: f64,
    /// Recall of "yes".
    pub recall: f64,
    /// F1 of "yes".
    pub f1: f64,
}

impl Binary {
    /// Scores of `decisions` (predicted, gold).
    pub fn of(decisions: impl Iterator<Item = (bool, bool)>) -> Binary {
        let (mut tp, mut fp, mut fneg, mut right, mut n) = (0usize, 0usize, 0usize, 0usize, 0usize);
        for (p, g) in decisions {
            n += 1;
            right += usize::from(p == g);
            match (p, g) {
                (true, true) => tp += 1,
                (true, false) => fp += 1,
                (false, true) => fneg += 1,
                _ => {}
            }
        }
        let precision = ratio(tp, tp + fp);
        let recall = ratio(tp, tp + fneg);
        Binary {
            pairs: n,
            accuracy: ratio(right, n),
            precision,
            recall,
            f1: f1(precision, recall),
        }
    }
}

/// MRPC result: the threshold chosen on the training split and the scores on both splits.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Mrpc {
    /// Pairs with a similarity at or above this are called paraphrases (chosen on train).
    pub threshold: f64,
    /// Scores on the training split at that threshold.
    pub train: Binary,
    /// Scores on the test split at that threshold.
    pub test: Binary,
}

/// One MRPC split (`msr_paraphrase_{train,test}.txt`: tab separated `Quality, #1 ID, #2 ID,
/// #1 String, #2 String` with a header line, possibly behind a BOM) as (paraphrase, #1, #2).
fn mrpc_rows(dir: &std::path::Path, name: &str) -> Result<Vec<(bool, String, String)>, String> {
    let path = dir.join(name);
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
    let mut out = Vec::new();
    for (n, line) in text
        .trim_start_matches('\u{feff}')
        .lines()
        .enumerate()
        .skip(1)
    {
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() < 5 {
            return Err(format!(
                "{}:{}: expected 5 tab-separated fields",
                path.display(),
                n + 1
            ));
        }
        out.push((f[0].trim() == "1", f[3].to_string(), f[4].to_string()));
    }
    Ok(out)
}

/// The reworded-versus-different decision on MRPC. Each pair is scored with
/// [`storydiff::align::sentence_similarity`], term weights from document frequencies over the
/// training sentences only; the threshold is the one with the best training accuracy, then
/// applied unchanged to the test split.
pub fn mrpc(dir: &std::path::Path, t: &storydiff::align::Thresholds) -> Result<Mrpc, String> {
    let read = |name: &str| mrpc_rows(dir, name);
    let train = read("msr_paraphrase_train.txt")?;
    let test = read("msr_paraphrase_test.txt")?;
    let stats = storydiff::align::TermStats::new(
        train.iter().flat_map(|(_, a, b)| [a.as_str(), b.as_str()]),
    );
    let score = |rows: &[(bool, String, String)]| -> Vec<(f64, bool)> {
        rows.iter()
            .map(|(g, a, b)| (storydiff::align::sentence_similarity(a, b, &stats, t), *g))
            .collect()
    };
    let (tr, te) = (score(&train), score(&test));
    let mut cuts: Vec<f64> = tr.iter().map(|x| x.0).collect();
    cuts.sort_by(f64::total_cmp);
    cuts.dedup();
    let at = |rows: &[(f64, bool)], th: f64| Binary::of(rows.iter().map(|&(s, g)| (s >= th, g)));
    let mut best = (f64::NEG_INFINITY, 0.0);
    for &c in &cuts {
        let acc = at(&tr, c).accuracy;
        if acc > best.0 {
            best = (acc, c);
        }
    }
    Ok(Mrpc {
        threshold: best.1,
        train: at(&tr, best.1),
        test: at(&te, best.1),
    })
}

/// The pair scorer the engine runs with `encoder` (the semantic one) or without it.
fn kind_of(encoder: Option<&storydiff::encoder::Encoder>) -> storydiff::align::ScorerKind {
    match encoder {
        Some(_) => storydiff::align::ScorerKind::Semantic,
        None => storydiff::align::ScorerKind::Lexical,
    }
}

/// MRPC decided the way `compare` decides: each pair becomes two one-sentence articles,
/// aligned by [`storydiff::align::align_documents`] with `t` (the semantic scorer when
/// `encoder` is given, else the lexical one); a pair is called a paraphrase when the aligner
/// links its two sentences as identical or reworded (a partial link says one sentence
/// carries more than the other, which MRPC calls no paraphrase). `split` is `train` or
/// `test`.
pub fn mrpc_compare(
    dir: &std::path::Path,
    split: &str,
    t: &storydiff::align::Thresholds,
    encoder: Option<&storydiff::encoder::Encoder>,
) -> Result<Binary, String> {
    let name = format!("msr_paraphrase_{split}.txt");
    let rows = mrpc_rows(dir, &name)?;
    let articles: Vec<(Article, Article)> = rows
        .iter()
        .map(|(_, a, b)| {
            (
                sentences_article("1", [(0, a.as_str())]),
                sentences_article("2", [(0, b.as_str())]),
            )
        })
        .collect();
    let mut analyses: Vec<storydiff::analyse::Analysis> = articles
        .iter()
        .flat_map(|(a, b)| [a, b])
        .map(storydiff::analyse::analyse)
        .collect();
    if let Some(enc) = encoder {
        // One encoder run for the whole split, so its batches fill up.
        let docs: Vec<(&Article, &storydiff::analyse::Analysis)> = articles
            .iter()
            .flat_map(|(a, b)| [a, b])
            .zip(&analyses)
            .collect();
        let encoded =
            storydiff::analyse::vectors::encode_all(enc, &docs).map_err(|e| e.to_string())?;
        for (an, e) in analyses.iter_mut().zip(encoded) {
            an.encoded = Some(e);
        }
    }
    let mut decisions = Vec::with_capacity(rows.len());
    for (((gold, _, _), (aa, ab)), an) in rows.iter().zip(&articles).zip(analyses.chunks(2)) {
        let al = storydiff::align::align_documents(
            kind_of(encoder),
            storydiff::analyse::Document::new(aa, &an[0]),
            storydiff::analyse::Document::new(ab, &an[1]),
            t,
        );
        let same = al
            .links
            .iter()
            .any(|l| l.kind != storydiff::model::LinkKind::Partial);
        decisions.push((same, *gold));
    }
    Ok(Binary::of(decisions.into_iter()))
}
