//! The findings benchmark: a comparison's findings judged against a gold file's pairs and
//! their difference tags (`attribution`, `date/time`, `number`, `hedge`, `quote-wording`,
//! `name-spelling`, `conflict`).
//!
//! How a finding is judged:
//! - a finding of a kind that names a difference inside a pair (attribution, number, date or
//!   time, hedge, quote wording, name spelling) is right when its evidence lies in two
//!   sentences (one of each article) that are a gold pair carrying that kind's tag; when its
//!   evidence lies in one article only, when that sentence is in a gold pair carrying the tag;
//! - a finding that says a sentence is one outlet's alone (only-in, quote only in) is right
//!   when none of its sentences has a gold partner;
//! - a quote one outlet gives and the other paraphrases is right when its sentence has a gold
//!   partner.
//!
//! Recall is per tagged gold pair: found when a finding of the tag's kind is right about it.

use std::collections::BTreeMap;

use serde::Serialize;
use storydiff::model::{ArticleId, FindingKind, Report};

use crate::GoldPair;

/// The gold tag a finding kind is about, for kinds about a difference inside a pair.
pub fn tag_of(kind: FindingKind) -> Option<&'static str> {
    match kind {
        FindingKind::QuoteWording => Some("quote-wording"),
        FindingKind::Number => Some("number"),
        FindingKind::DateTime => Some("date/time"),
        FindingKind::NameSpelling => Some("name-spelling"),
        FindingKind::Attribution => Some("attribution"),
        FindingKind::Hedge => Some("hedge"),
        FindingKind::QuoteOnlyIn | FindingKind::OnlyIn | FindingKind::QuoteToParaphrase => None,
    }
}

/// Judged and right findings of one kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct KindScore {
    /// Findings of the kind.
    pub judged: usize,
    /// Those that are right.
    pub right: usize,
}

/// Gold pairs carrying a tag, and how many a right finding names.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct TagRecall {
    /// Gold pairs with the tag.
    pub pairs: usize,
    /// Those a right finding of the tag's kind names.
    pub found: usize,
}

/// The findings benchmark's result.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct FindingsScore {
    /// Per finding kind (kebab-case names).
    pub kinds: BTreeMap<String, KindScore>,
    /// Per gold tag.
    pub tags: BTreeMap<String, TagRecall>,
    /// All findings judged.
    pub judged: usize,
    /// Right ones.
    pub right: usize,
    /// right / judged.
    pub precision: f64,
    /// Tagged gold pairs.
    pub tagged_pairs: usize,
    /// Tagged gold pairs a right finding names (for one of its tags).
    pub found_pairs: usize,
    /// found_pairs / tagged_pairs.
    pub recall: f64,
}

/// The sentences of `article` a gold text overlaps.
fn sentences_of(report: &Report, article: ArticleId, text: &str) -> Result<Vec<usize>, String> {
    let a = report.article(article);
    let start = a
        .text
        .find(text)
        .ok_or_else(|| format!("gold text not in {}: {:?}", a.label, text))?;
    let end = start + text.len();
    Ok(a.sentences
        .iter()
        .enumerate()
        .filter(|(_, s)| s.start < end && start < s.end)
        .map(|(k, _)| k)
        .collect())
}

/// Judge `report`'s findings against `pairs` (gold pairs between articles of the report).
pub fn score(report: &Report, pairs: &[GoldPair]) -> Result<FindingsScore, String> {
    // Each gold pair as (article a, its sentences, article b, its sentences, tags).
    let mut gold = Vec::with_capacity(pairs.len());
    for p in pairs {
        let find = |label: &str| {
            report
                .find(label)
                .ok_or_else(|| format!("gold article {label:?} is not in the comparison"))
        };
        let (a, b) = (find(&p.a)?, find(&p.b)?);
        gold.push((
            a,
            sentences_of(report, a, &p.a_text)?,
            b,
            sentences_of(report, b, &p.b_text)?,
            &p.tags,
        ));
    }
    let in_pair = |article: ArticleId, sentence: usize| {
        gold.iter().filter(move |(a, sa, b, sb, _)| {
            (*a == article && sa.contains(&sentence)) || (*b == article && sb.contains(&sentence))
        })
    };
    let mut out = FindingsScore::default();
    let mut found: Vec<Vec<&'static str>> = vec![Vec::new(); gold.len()];
    for f in &report.findings {
        // The finding's sentences, by article.
        let mut by: BTreeMap<ArticleId, Vec<usize>> = BTreeMap::new();
        for e in &f.evidence {
            by.entry(e.article).or_default().push(e.sentence);
        }
        let right = match tag_of(f.kind) {
            Some(tag) => {
                let mut right = false;
                for (k, (a, sa, b, sb, tags)) in gold.iter().enumerate() {
                    if !tags.iter().any(|t| t == tag) {
                        continue;
                    }
                    let touches = |article: ArticleId, sents: &[usize]| {
                        by.get(&article)
                            .is_some_and(|v| v.iter().any(|s| sents.contains(s)))
                    };
                    let hit = if by.len() >= 2 {
                        touches(*a, sa) && touches(*b, sb)
                    } else {
                        touches(*a, sa) || touches(*b, sb)
                    };
                    if hit {
                        right = true;
                        found[k].push(tag);
                    }
                }
                right
            }
            None => {
                let partnered = by
                    .iter()
                    .any(|(&a, v)| v.iter().any(|&s| in_pair(a, s).next().is_some()));
                match f.kind {
                    FindingKind::QuoteToParaphrase => partnered,
                    _ => !partnered,
                }
            }
        };
        let name = serde_json::to_value(f.kind)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        let k = out.kinds.entry(name).or_default();
        k.judged += 1;
        k.right += usize::from(right);
        out.judged += 1;
        out.right += usize::from(right);
    }
    for (k, (_, _, _, _, tags)) in gold.iter().enumerate() {
        if tags.is_empty() {
            continue;
        }
        out.tagged_pairs += 1;
        // A pair is found for a tag when a right finding of that tag's kind names it.
        let mut any = false;
        for t in tags.iter() {
            let r = out.tags.entry(t.clone()).or_default();
            r.pairs += 1;
            if found[k].contains(&t.as_str()) {
                r.found += 1;
                any = true;
            }
        }
        out.found_pairs += usize::from(any);
    }
    out.precision = ratio(out.right, out.judged);
    out.recall = ratio(out.found_pairs, out.tagged_pairs);
    Ok(out)
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair(a_text: &str, b_text: &str, tags: &[&str]) -> GoldPair {
        GoldPair {
            a: "a".into(),
            a_text: a_text.into(),
            b: "b".into(),
            b_text: b_text.into(),
            label: "partial".into(),
            tags: tags.iter().map(|t| t.to_string()).collect(),
        }
    }

    #[test]
    fn a_changed_number_in_a_tagged_pair_is_right_and_found() {
        let engine = storydiff::Engine::builder().build();
        let report = engine
            .compare_texts(&[
                ("a", "Police said 12 people died in the fire at the port on Monday.\n\nThe mayor visited the site."),
                ("b", "Police said 14 people died in the fire at the port on Monday.\n\nThe harbour reopened."),
            ])
            .unwrap_or_else(|e| panic!("{e}"));
        let kinds: Vec<FindingKind> = report.findings.iter().map(|f| f.kind).collect();
        assert!(kinds.contains(&FindingKind::Number), "{kinds:?}");
        let gold = [pair(
            "Police said 12 people died in the fire at the port on Monday.",
            "Police said 14 people died in the fire at the port on Monday.",
            &["number"],
        )];
        let s = score(&report, &gold).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            s.kinds["number"],
            KindScore {
                judged: 1,
                right: 1
            }
        );
        assert_eq!(s.tags["number"], TagRecall { pairs: 1, found: 1 });
        assert_eq!((s.tagged_pairs, s.found_pairs), (1, 1));
        // Tagged otherwise, the same finding is wrong and the pair not found.
        let other = [pair(
            gold[0].a_text.as_str(),
            gold[0].b_text.as_str(),
            &["hedge"],
        )];
        let s = score(&report, &other).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            s.kinds["number"],
            KindScore {
                judged: 1,
                right: 0
            }
        );
        assert_eq!(s.tags["hedge"], TagRecall { pairs: 1, found: 0 });
        // A gold text not in the articles is an error naming it.
        let missing = [pair("Nobody said this.", "Nor this.", &[])];
        let err = score(&report, &missing).map(|_| ()).unwrap_err();
        assert!(err.contains("Nobody said this."), "{err}");
    }
}
