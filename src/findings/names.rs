//! Names spelled more than one way: across outlets (house style, transliteration) or inside
//! one article (an error). Names are capitalised words that are not the first word of their
//! sentence; spellings are grouped by transliteration-folded keys and a small edit distance
//! in the middle of the word, never by a list of known names.

use std::collections::BTreeMap;

use crate::model::Article;
use crate::normalize::{self, TokenClass};

/// One occurrence of a name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Occurrence {
    /// Article label.
    pub article: String,
    /// Sentence index.
    pub sentence: usize,
    /// Byte span in the article text.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// The name as written.
    pub text: String,
}

/// A name written in two or more ways.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variants {
    /// Spelling (folded: case, quotes, diacritics, possessive) → its occurrences.
    pub spellings: BTreeMap<String, Vec<Occurrence>>,
}

/// Whether two folded spellings are variants of one name, not two words: equal after
/// transliteration folding (Sergei/Sergey), or one edit apart with the same first two and
/// last two letters (Ryabkov/Ryakov/Ryakhkov), which keeps Russia/Russian and
/// Ukraine/Ukrainian apart.
pub fn are_variants(a: &str, b: &str) -> bool {
    a != b && normalize::names_match(&normalize::name_key(a), &normalize::name_key(b))
}

/// Groups of name spellings across `articles`, each with two or more spellings.
pub fn variants(articles: &[Article]) -> Vec<Variants> {
    let mut all: BTreeMap<String, Vec<Occurrence>> = BTreeMap::new();
    for a in articles {
        for s in &a.sentences {
            for t in normalize::tokens(&s.text) {
                if !t.capitalised || t.initial || t.class != TokenClass::Word {
                    continue;
                }
                if t.norm.chars().count() < 4 || !t.norm.chars().all(char::is_alphabetic) {
                    continue;
                }
                all.entry(t.norm.clone()).or_default().push(Occurrence {
                    article: a.label.clone(),
                    sentence: s.index,
                    start: s.start + t.start,
                    end: s.start + t.end,
                    text: s.text[t.start..t.end].to_string(),
                });
            }
        }
    }
    let spellings: Vec<&String> = all.keys().collect();
    let mut parent: Vec<usize> = (0..spellings.len()).collect();
    fn find(p: &mut [usize], mut x: usize) -> usize {
        while p[x] != x {
            p[x] = p[p[x]];
            x = p[x];
        }
        x
    }
    // Only spellings with the same first letter can be variants: compare within buckets.
    let mut buckets: BTreeMap<char, Vec<usize>> = BTreeMap::new();
    for (i, s) in spellings.iter().enumerate() {
        if let Some(c) = s.chars().next() {
            buckets.entry(c).or_default().push(i);
        }
    }
    for members in buckets.values().filter(|m| m.len() <= 2000) {
        for (x, &i) in members.iter().enumerate() {
            for &j in &members[x + 1..] {
                if are_variants(spellings[i], spellings[j]) {
                    let (ri, rj) = (find(&mut parent, i), find(&mut parent, j));
                    if ri != rj {
                        parent[ri.max(rj)] = ri.min(rj);
                    }
                }
            }
        }
    }
    let mut groups: BTreeMap<usize, Variants> = BTreeMap::new();
    for i in 0..spellings.len() {
        let r = find(&mut parent, i);
        groups
            .entry(r)
            .or_insert_with(|| Variants {
                spellings: BTreeMap::new(),
            })
            .spellings
            .insert(spellings[i].clone(), all[spellings[i]].clone());
    }
    groups
        .into_values()
        .filter(|g| g.spellings.len() > 1)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variants_and_non_variants() {
        assert!(are_variants("sergei", "sergey"));
        assert!(are_variants("ryabkov", "riabkov"));
        assert!(are_variants("ryabkov", "ryakov"));
        assert!(are_variants("ryakhkov", "riabkov"));
        assert!(!are_variants("russia", "russian"));
        assert!(!are_variants("ukraine", "ukrainian"));
        assert!(!are_variants("lavrov", "lavrov"));
        assert!(!are_variants("austria", "australia"));
    }
}
